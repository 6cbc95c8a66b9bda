"""Process 6: users' relapse.

A weekly hazard for abstinent users. The baseline is log-logistic in weeks abstinent
(shape below 1: most relapses come early; Hunt et al. 1971, Kirshenbaum et al. 2009), and
covariates act proportionally on it: p = 1 - (1 - p0) ** exp(lp). A use episode is either a
brief lapse (abstinence restarts) or a relapse (the user is using); the same protective
factors that lower the hazard make a lapse more likely to stay a lapse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.users import ABSTINENT, UNSTABLE, USING
from sim.psychosocial import soc13

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def baseline_probability(weeks_abstinent: np.ndarray, scale: float, shape: float) -> np.ndarray:
    """Weekly probability of first use after ``weeks_abstinent`` weeks, log-logistic baseline."""
    t = weeks_abstinent.astype(float)
    s_now = 1.0 / (1.0 + (t / scale) ** shape)
    s_next = 1.0 / (1.0 + ((t + 1.0) / scale) ** shape)
    return 1.0 - s_next / s_now


def log_hazard_ratio(model: "RecoveryModel") -> np.ndarray:
    """Each user's log hazard ratio against a reference user (all covariates at their start means)."""
    p, u = model.p, model.users
    sober_effect = p.beta_sober_ties * np.where(u.old_net_using, p.sober_ties_old_network_multiplier, 1.0)
    lp = (
        p.beta_soc * (soc13(u.comp, u.manage, u.meaning) - p.users_soc13_mean) / p.soc13_sd
        + p.beta_hope * (u.hope - p.users_hope_mean) / 10.0
        + p.beta_shame * (u.shame - p.users_shame_mean)
        + p.beta_support * (u.support - 0.5)
        + p.beta_using_ties * (np.log1p(u.using_ties) - np.log1p(p.users_using_ties_mean))
        + sober_effect * (np.log1p(u.sober_ties) - np.log1p(p.users_sober_ties_mean))
        + p.beta_group * u.attended
        + p.beta_sponsor * u.sponsor
        + p.beta_aftercare_contact * model.contact_strength
        + p.beta_unstable_housing * (u.housing == UNSTABLE)
        + p.beta_activity * u.activity
        + p.beta_comorbid * u.comorbid * (1.0 - 0.5 * p.welfare_integration)
        + p.beta_lonely * u.lonely
        + p.beta_integration * (u.integration - 0.1)
        + p.beta_relatives_enabling * model.kin_enabling
        + p.beta_relatives_limit * model.kin_limit
        + p.beta_relatives_expect * (model.kin_low_hope - 0.6)
        + p.beta_contagion * model.network.exposure(u.status == USING, p.contagion_distance_decay)
    )
    return lp


def relapse_step(model: "RecoveryModel") -> None:
    p, u, week = model.p, model.users, model.week
    d = model.streams.uniform("relapse", u.n)
    dl = model.streams.uniform("lapse", u.n)
    abst = u.status == ABSTINENT
    lp = log_hazard_ratio(model)
    p0 = baseline_probability(u.weeks_in_status, p.relapse_scale_weeks, p.relapse_shape)
    prob = -np.expm1(np.exp(lp) * np.log1p(-np.minimum(p0, 0.999)))
    use = abst & (d < prob)
    odds = p.lapse_share / max(1.0 - p.lapse_share, 1e-9) * np.exp(-p.lapse_protection * lp)
    is_lapse = use & (dl < odds / (1.0 + odds))
    is_relapse = use & ~is_lapse
    first = use & (u.first_use < 0)
    u.first_use[first] = week
    u.last_use[use] = week
    lapse = np.flatnonzero(is_lapse)
    u.n_lapses[lapse] += 1
    u.weeks_in_status[lapse] = 0
    model.log.add("lapse", lapse)
    rel = np.flatnonzero(is_relapse)
    u.status[rel] = USING
    u.weeks_in_status[rel] = 0
    u.n_relapses[rel] += 1
    newly = rel[u.first_relapse[rel] < 0]
    u.first_relapse[newly] = week
    u.hope[rel] = np.maximum(u.hope[rel] - p.relapse_hope_loss, 8.0)
    u.manage[rel] = np.maximum(u.manage[rel] - p.relapse_soc_loss, 1.0)
    model.user_crisis[rel] = True
    model.user_relapsed[rel] = True
    model.log.add("relapse", rel)
