"""The relapse rules (ODD 7.7), one function per sentence.

The baseline is log-logistic in weeks abstinent; covariates act proportionally on it
(``user_log_hazard``); the weekly chance of use is ``relapse_chance``, bounded from above by
``relapse_bound`` (the compiled filter); a use is a lapse with ``lapse_chance``.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim.codes import UNSTABLE
from sim.records import fill, record
from sim.soc import soc13_of

# The reference user, at whom the hazard ratio is 1: the default population's means at discharge.
# Fixed numbers, not the population parameters, so that a population with a higher SOC or more
# hope (a scenario, a teaching slider) relapses less. The baseline scale absorbs the choice.
REFERENCE_USER = {
    "soc13": 56.0,
    "soc13_sd": 12.0,
    "hope": 40.0,
    "shame": 0.55,
    "support": 0.5,
    "using_ties": 4.0,
    "sober_ties": 2.0,
}

RelapseParams = record(
    "RelapseParams",
    (
        "beta_soc_per_point",
        "ref_soc13",
        "beta_hope_per_point",
        "ref_hope",
        "beta_shame",
        "ref_shame",
        "beta_support",
        "ref_support",
        "beta_using_ties",
        "ref_log_using_ties",
        "beta_sober_ties",
        "beta_sober_ties_old_network",
        "ref_log_sober_ties",
        "beta_group",
        "beta_sponsor",
        "beta_aftercare_contact",
        "beta_unstable_housing",
        "beta_activity",
        "beta_comorbid_welfare",
        "beta_lonely",
        "beta_integration",
        "beta_relatives_enabling",
        "beta_relatives_limit",
        "beta_relatives_expect",
        "beta_contagion",
    ),
)


def relapse_params(p) -> tuple:
    """The :data:`RelapseParams` of the parameters ``p`` (derived fields: per SOC-13 point, per hope
    point, sober ties where the old network used, comorbidity after welfare integration, and the
    reference user's values)."""
    ref = REFERENCE_USER
    return fill(
        RelapseParams,
        p,
        beta_soc_per_point=float(p.beta_soc / ref["soc13_sd"]),
        ref_soc13=ref["soc13"],
        beta_hope_per_point=float(p.beta_hope / 10.0),
        ref_hope=ref["hope"],
        ref_shame=ref["shame"],
        ref_support=ref["support"],
        ref_log_using_ties=float(np.log1p(ref["using_ties"])),
        beta_sober_ties_old_network=float(p.beta_sober_ties * p.sober_ties_old_network_multiplier),
        ref_log_sober_ties=float(np.log1p(ref["sober_ties"])),
        beta_comorbid_welfare=float(p.beta_comorbid * (1.0 - 0.5 * p.welfare_integration)),
    )


def baseline_probability(weeks_abstinent: np.ndarray, scale: float, shape: float) -> np.ndarray:
    """Weekly probability p0 of first use after ``weeks_abstinent`` weeks, log-logistic baseline:
    p0 = 1 - S(t + 1) / S(t) with S(t) = 1 / (1 + (t / scale) ** shape)."""
    t = weeks_abstinent.astype(float)
    s_now = 1.0 / (1.0 + (t / scale) ** shape)
    s_next = 1.0 / (1.0 + ((t + 1.0) / scale) ** shape)
    return 1.0 - s_next / s_now


def log_baseline_survival(weeks_abstinent: np.ndarray, scale: float, shape: float) -> np.ndarray:
    """log(1 - p0): the weekly baseline probability p0 (at most 0.999) as a log survival."""
    return np.log1p(-np.minimum(baseline_probability(weeks_abstinent, scale, shape), 0.999))


@numba.njit(cache=True, inline="always")
def user_log_hazard(
    comp,
    manage,
    meaning,
    hope,
    shame,
    support,
    log_using,
    log_sober,
    old_net_using,
    attended,
    sponsor,
    contact,
    housing,
    activity,
    comorbid,
    lonely,
    integration,
    kin_enabling,
    kin_limit,
    kin_low_hope,
    exposure,
    p,
):
    """One user's log hazard ratio against the reference user (ref_*), the sum of:

    beta_soc / soc13_sd x (SOC-13 - ref_soc13) + beta_hope / 10 x (hope - ref_hope)
    + beta_shame (shame - ref_shame) + beta_support (support - ref_support)
    + beta_using_ties (log1p(using ties) - log1p(ref using ties))
    + beta_sober_ties [x sober_ties_old_network_multiplier if the old network used]
      x (log1p(sober ties) - log1p(ref sober ties))
    + beta_group [attended] + beta_sponsor [sponsor] + beta_aftercare_contact x contact strength
    + beta_unstable_housing [unstable housing] + beta_activity [activity]
    + beta_comorbid (1 - welfare_integration / 2) [comorbid] + beta_lonely [lonely]
    + beta_integration (integration - 0.1) + beta_relatives_enabling x enabling relatives
    + beta_relatives_limit x limit-setting relatives + beta_relatives_expect (relatives' low hope - 0.6)
    + beta_contagion x exposure to using ties.

    Summed as a tree of five independent parts (short dependency chains run faster); the order
    is part of the result (bit for bit)."""
    soc = soc13_of(comp, manage, meaning)
    sober = p.beta_sober_ties_old_network * old_net_using + p.beta_sober_ties * (1 - old_net_using)
    a = (
        p.beta_soc_per_point * (soc - p.ref_soc13) + p.beta_hope_per_point * (hope - p.ref_hope)
    ) + (p.beta_shame * (shame - p.ref_shame) + p.beta_support * (support - p.ref_support))
    b = (
        p.beta_using_ties * (log_using - p.ref_log_using_ties)
        + sober * (log_sober - p.ref_log_sober_ties)
    ) + (p.beta_group * attended + p.beta_sponsor * sponsor)
    c = (p.beta_aftercare_contact * contact + p.beta_unstable_housing * (housing == UNSTABLE)) + (
        p.beta_activity * activity + p.beta_comorbid_welfare * comorbid
    )
    d = (p.beta_lonely * lonely + p.beta_integration * (integration - 0.1)) + (
        p.beta_relatives_enabling * kin_enabling + p.beta_relatives_limit * kin_limit
    )
    e = p.beta_relatives_expect * (kin_low_hope - 0.6) + p.beta_contagion * exposure
    return ((a + b) + (c + d)) + e


def relapse_chance(lp, log_survival):
    """The weekly chance of use of an abstinent user: p = 1 - (1 - p0) ** exp(lp), written as
    -expm1(exp(lp) x log(1 - p0)) (numpy: scalars or arrays)."""
    return -np.expm1(np.exp(lp) * log_survival)


@numba.njit(cache=True, inline="always")
def relapse_bound(lp, log_survival):
    """An upper bound of ``relapse_chance``: 1 - e^-x <= x with x = exp(lp) x -log(1 - p0), and
    exp(lp) <= 2 ** (floor(lp log2 e) + 1) (read from a table, cheaper than exp; at most twice
    the chance, never below it by rounding)."""
    y = lp * _LOG2E
    if -_POW2_SPAN < y < _POW2_SPAN:
        e_lp = _POW2_ABOVE[np.uint32(np.int64(math.floor(y)) + _POW2_SPAN)]
    else:
        e_lp = math.exp(lp) * (1.0 + 1e-9)
    return e_lp * -log_survival


_LOG2E = 1.0 / math.log(2.0)
_POW2_SPAN = 60
_POW2_ABOVE = 2.0 ** np.arange(
    -_POW2_SPAN + 1, _POW2_SPAN + 1
)  # 2 ** (k + 1) for k = -SPAN .. SPAN - 1


def lapse_chance(lp, lapse_share: float, lapse_protection: float):
    """The chance that a use is a brief lapse, not a relapse: odds = lapse_share / (1 - lapse_share)
    x exp(-lapse_protection x lp), chance = odds / (1 + odds) (numpy: scalars or arrays)."""
    odds = lapse_share / max(1.0 - lapse_share, 1e-9) * np.exp(-lapse_protection * lp)
    return odds / (1.0 + odds)
