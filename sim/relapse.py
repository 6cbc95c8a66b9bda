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
from sim.vector import WeekTable

if TYPE_CHECKING:
    from sim.model import RecoveryModel


# The reference user, at whom the hazard ratio is 1: the default population's means at discharge.
# Fixed numbers, not the population parameters, so that a population with a higher SOC or more
# hope (a scenario, a teaching slider) relapses less. The baseline scale absorbs the choice.
REFERENCE_USER = {"soc13": 56.0, "soc13_sd": 12.0, "hope": 40.0, "shame": 0.55, "support": 0.5,
                  "using_ties": 4.0, "sober_ties": 2.0}


def baseline_probability(weeks_abstinent: np.ndarray, scale: float, shape: float) -> np.ndarray:
    """Weekly probability of first use after ``weeks_abstinent`` weeks, log-logistic baseline."""
    t = weeks_abstinent.astype(float)
    s_now = 1.0 / (1.0 + (t / scale) ** shape)
    s_next = 1.0 / (1.0 + ((t + 1.0) / scale) ** shape)
    return 1.0 - s_next / s_now


_BASELINE = WeekTable(baseline_probability)  # looked up by weeks abstinent (sim/vector.py)


def log_hazard_ratio(model: "RecoveryModel") -> np.ndarray:
    """Each user's log hazard ratio against a reference user (all covariates at their start means).

    The sum of the terms below, added in this order (in place, to save temporary arrays):
    beta_soc (SOC-13 - mean) / SD + beta_hope (hope - mean) / 10 + beta_shame (shame - mean)
    + beta_support (support - 0.5) + beta_using_ties (log1p(using ties) - log1p(mean))
    + beta_sober_ties [x multiplier if the old network used] (log1p(sober ties) - log1p(mean))
    + beta_group [attended] + beta_sponsor [sponsor] + beta_aftercare_contact contact strength
    + beta_unstable_housing [unstable] + beta_activity [activity]
    + beta_comorbid [comorbid] (1 - welfare_integration / 2) + beta_lonely [lonely]
    + beta_integration (depth - 0.1) + beta_relatives_enabling enabling relatives
    + beta_relatives_limit limit-setting relatives + beta_relatives_expect (relatives' low hope - 0.6)
    + beta_contagion exposure to using ties.
    """
    p, u = model.p, model.users
    sober_effect = np.full(u.n, p.beta_sober_ties * 1.0)
    sober_effect[np.flatnonzero(u.old_net_using)] = p.beta_sober_ties * p.sober_ties_old_network_multiplier

    def scaled(x: np.ndarray, centre: float, beta) -> np.ndarray:
        out = np.subtract(x, centre)
        out *= beta
        return out

    ref = REFERENCE_USER
    lp = scaled(soc13(u.comp, u.manage, u.meaning), ref["soc13"], p.beta_soc)
    lp /= ref["soc13_sd"]
    term = scaled(u.hope, ref["hope"], p.beta_hope)
    term /= 10.0
    lp += term
    lp += scaled(u.shame, ref["shame"], p.beta_shame)
    lp += scaled(u.support, ref["support"], p.beta_support)
    lp += scaled(np.log1p(u.using_ties), np.log1p(ref["using_ties"]), p.beta_using_ties)
    lp += scaled(np.log1p(u.sober_ties), np.log1p(ref["sober_ties"]), sober_effect)
    lp[np.flatnonzero(u.attended)] += p.beta_group
    lp[np.flatnonzero(u.sponsor)] += p.beta_sponsor
    lp += np.multiply(model.contact_strength, p.beta_aftercare_contact)
    lp[np.flatnonzero(u.housing == UNSTABLE)] += p.beta_unstable_housing
    lp[np.flatnonzero(u.activity)] += p.beta_activity
    lp[np.flatnonzero(u.comorbid)] += p.beta_comorbid * 1.0 * (1.0 - 0.5 * p.welfare_integration)
    lp[np.flatnonzero(u.lonely)] += p.beta_lonely
    lp += scaled(u.integration, 0.1, p.beta_integration)
    lp += np.multiply(model.kin_enabling, p.beta_relatives_enabling)
    lp += np.multiply(model.kin_limit, p.beta_relatives_limit)
    lp += scaled(model.kin_low_hope, 0.6, p.beta_relatives_expect)
    lp += np.multiply(model.network.exposure(u.status == USING, p.contagion_distance_decay), p.beta_contagion)
    return lp


def relapse_step(model: "RecoveryModel") -> None:
    p, u, week = model.p, model.users, model.week
    d = model.streams.uniform("relapse", u.n)
    dl = model.streams.uniform("lapse", u.n)
    abst = np.flatnonzero(u.status == ABSTINENT)
    lp = log_hazard_ratio(model)
    p0 = _BASELINE(u.weeks_in_status[abst], p.relapse_scale_weeks, p.relapse_shape)
    prob = -np.expm1(np.exp(lp[abst]) * np.log1p(-np.minimum(p0, 0.999)))
    use = abst[d[abst] < prob]
    odds = p.lapse_share / max(1.0 - p.lapse_share, 1e-9) * np.exp(-p.lapse_protection * lp[use])
    is_lapse = dl[use] < odds / (1.0 + odds)
    first = use[u.first_use[use] < 0]
    u.first_use[first] = week
    u.last_use[use] = week
    lapse = use[is_lapse]
    u.n_lapses[lapse] += 1
    u.weeks_in_status[lapse] = 0
    model.log.add("lapse", lapse)
    rel = use[~is_lapse]
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
