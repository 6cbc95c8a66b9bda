"""Process 6: users' relapse.

A weekly hazard for abstinent users. The baseline is log-logistic in weeks abstinent
(shape below 1: most relapses come early; Hunt et al. 1971, Kirshenbaum et al. 2009), and
covariates act proportionally on it: p = 1 - (1 - p0) ** exp(lp). A use episode is either a
brief lapse (abstinence restarts) or a relapse (the user is using); the same protective
factors that lower the hazard make a lapse more likely to stay a lapse.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.codes import ABSTINENT, UNSTABLE, USING
from sim.rng import uniform_at
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


def _log_baseline_survival(weeks_abstinent: np.ndarray, scale: float, shape: float) -> np.ndarray:
    """log(1 - p0): the weekly baseline probability p0 (at most 0.999) as a log survival."""
    return np.log1p(-np.minimum(baseline_probability(weeks_abstinent, scale, shape), 0.999))


_LOG_SURVIVAL = WeekTable(_log_baseline_survival)  # looked up by weeks abstinent (sim/vector.py)


def log_hazard_ratio(model: "RecoveryModel", idx: np.ndarray | None = None) -> np.ndarray:
    """The log hazard ratio against a reference user (all covariates at their start means) of the
    users ``idx`` (all users if None).

    The sum of these terms: beta_soc (SOC-13 - mean) / SD + beta_hope (hope - mean) / 10
    + beta_shame (shame - mean) + beta_support (support - 0.5)
    + beta_using_ties (log1p(using ties) - log1p(mean))
    + beta_sober_ties [x multiplier if the old network used] (log1p(sober ties) - log1p(mean))
    + beta_group [attended] + beta_sponsor [sponsor] + beta_aftercare_contact contact strength
    + beta_unstable_housing [unstable] + beta_activity [activity]
    + beta_comorbid [comorbid] (1 - welfare_integration / 2) + beta_lonely [lonely]
    + beta_integration (depth - 0.1) + beta_relatives_enabling enabling relatives
    + beta_relatives_limit limit-setting relatives + beta_relatives_expect (relatives' low hope - 0.6)
    + beta_contagion exposure to using ties. One pass over all users (``_log_hazard``, numba:
    a contiguous pass over everyone is faster than a gathered pass over the abstinent).
    """
    p, u, ref = model.p, model.users, REFERENCE_USER
    exposure = model.network.exposure(u.status == USING, p.contagion_distance_decay)
    coef = np.array([
        p.beta_soc / ref["soc13_sd"], ref["soc13"], p.beta_hope / 10.0, ref["hope"], p.beta_shame, ref["shame"],  # 0-5
        p.beta_support, ref["support"], p.beta_using_ties, np.log1p(ref["using_ties"]),  # 6-9
        p.beta_sober_ties, p.beta_sober_ties * p.sober_ties_old_network_multiplier, np.log1p(ref["sober_ties"]),  # 10-12
        p.beta_group, p.beta_sponsor, p.beta_aftercare_contact, p.beta_unstable_housing, p.beta_activity,  # 13-17
        p.beta_comorbid * (1.0 - 0.5 * p.welfare_integration), p.beta_lonely, p.beta_integration,  # 18-20
        p.beta_relatives_enabling, p.beta_relatives_limit, p.beta_relatives_expect, p.beta_contagion,  # 21-24
    ])
    # log1p with numpy (vectorised: many times faster than a scalar log1p in the loop)
    lp = _log_hazard(coef, u.comp, u.manage, u.meaning, u.hope, u.shame, u.support,
                       np.log1p(u.using_ties), np.log1p(u.sober_ties), u.old_net_using, u.attended, u.sponsor, model.contact_strength,
                       u.housing, u.activity, u.comorbid, u.lonely, u.integration, model.kin_enabling,
                       model.kin_limit, model.kin_low_hope, exposure)
    return lp if idx is None else lp[np.asarray(idx, np.int64)]


@numba.njit(cache=True)
def _log_hazard(coef, comp, manage, meaning, hope, shame, support, log_using, log_sober, old_net_using,
                attended, sponsor, contact, housing, activity, comorbid, lonely, integration, kin_enabling,
                kin_limit, kin_low_hope, exposure):
    out = np.empty(len(comp))
    for i in range(len(comp)):
        # summed as a tree of independent parts (short dependency chains run faster)
        soc = 5.0 * comp[i] + 4.0 * manage[i] + 4.0 * meaning[i]
        sober = coef[11] * old_net_using[i] + coef[10] * (1 - old_net_using[i])
        a = (coef[0] * (soc - coef[1]) + coef[2] * (hope[i] - coef[3])) + (coef[4] * (shame[i] - coef[5])
                                                                            + coef[6] * (support[i] - coef[7]))
        b = (coef[8] * (log_using[i] - coef[9]) + sober * (log_sober[i] - coef[12])) + (
            coef[13] * attended[i] + coef[14] * sponsor[i])
        c = (coef[15] * contact[i] + coef[16] * (housing[i] == UNSTABLE)) + (coef[17] * activity[i]
                                                                             + coef[18] * comorbid[i])
        d = (coef[19] * lonely[i] + coef[20] * (integration[i] - 0.1)) + (coef[21] * kin_enabling[i]
                                                                          + coef[22] * kin_limit[i])
        e = coef[23] * (kin_low_hope[i] - 0.6) + coef[24] * exposure[i]
        lp = ((a + b) + (c + d)) + e
        out[i] = lp
    return out


@numba.njit(cache=True)
def _candidates(status, weeks_in_status, lp, log_survival, key):
    """The abstinent users whose relapse draw is below an upper bound of their chance, ascending,
    and their draws: p = 1 - e^-x <= x = exp(lp) x -log(1 - p0), and exp(lp) is bounded by the
    next power of two (so at most twice as many candidates as with exp itself, none left out by
    rounding)."""
    out = np.empty(len(status), np.int64)
    draws = np.empty(len(status), np.float32)
    k = 0
    for i in range(len(status)):
        if status[i] == ABSTINENT:
            # exp(lp) <= 2 ** (floor(lp log2 e) + 1), read from a table (cheaper than exp itself)
            y = lp[i] * _LOG2E
            if -_POW2_SPAN < y < _POW2_SPAN:
                e_lp = _POW2_ABOVE[np.uint32(np.int64(math.floor(y)) + _POW2_SPAN)]
            else:
                e_lp = math.exp(lp[i]) * (1.0 + 1e-9)
            d = uniform_at(key, i)
            if d < e_lp * -log_survival[np.uint32(weeks_in_status[i])]:
                out[k] = i
                draws[k] = d
                k += 1
    return out[:k], draws[:k]


_LOG2E = 1.0 / math.log(2.0)
_POW2_SPAN = 60
_POW2_ABOVE = 2.0 ** np.arange(-_POW2_SPAN + 1, _POW2_SPAN + 1)  # 2 ** (k + 1) for k = -SPAN .. SPAN - 1


def relapse_step(model: "RecoveryModel") -> None:
    """Abstinent users use with p = 1 - (1 - p0) ** exp(lp); a use is a lapse or a relapse.

    p is below exp(lp) x -log(1 - p0), so a compiled pass over the users (``_candidates``) first
    keeps the abstinent whose draw is below that bound (with room for rounding); p itself is
    worked out for those few only (the same outcome as working it out for everyone)."""
    p, u, week = model.p, model.users, model.week
    lp_all = log_hazard_ratio(model)
    log_survival = _LOG_SURVIVAL.covering(u.weeks_in_status, p.relapse_scale_weeks, p.relapse_shape)
    key = model.streams.key("relapse", week)
    cand, draws = _candidates(u.status, u.weeks_in_status, lp_all, log_survival, key)
    lp = lp_all[cand]
    prob = -np.expm1(np.exp(lp) * log_survival[u.weeks_in_status[cand]])
    hit = draws < prob
    use = cand[hit]
    odds = p.lapse_share / max(1.0 - p.lapse_share, 1e-9) * np.exp(-p.lapse_protection * lp[hit])
    is_lapse = model.draw("lapse", use) < odds / (1.0 + odds)
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
