"""Scales and the slow psychosocial drift (process 8).

SOC is held as three components on the item scale 1-7 (Antonovsky's SOC-13 items):
comprehensibility (5 items), manageability (4) and meaningfulness (4), so
SOC-13 = 5 C + 4 Ma + 4 Me, range 13-91. Hope is the Adult Hope Scale total, 8-64.
Shame is 0-1. SOC follows an Ornstein-Uhlenbeck process around its population mean with
persistence ``soc_persistence_4w`` per 4 weeks (T10: 5-year test-retest about 0.6), updated
every 4 weeks; resources (support, stable housing, activity) push it up.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import ABSTINENT, USING

SOC_ITEMS = np.array([5.0, 4.0, 4.0])
DRIFT_INTERVAL = 4  # weeks between SOC drift updates
LOADING = 0.8  # loading of each SOC component on the common factor


def soc13(comp: np.ndarray, manage: np.ndarray, meaning: np.ndarray) -> np.ndarray:
    """SOC-13 total (13-91) from the three component item means."""
    return 5.0 * comp + 4.0 * manage + 4.0 * meaning


def draw_soc_components(rng: np.random.Generator, n: int, mean13: float, sd13: float):
    """Draw three correlated SOC components (item means) whose SOC-13 has the given mean and SD.

    A common factor (loading 0.8) makes the components correlate about 0.64 (Eriksson &
    Lindstrom 2005 report a unidimensional scale with subscale correlations of this order).
    """
    item_mean = mean13 / 13.0
    common = rng.standard_normal(n)
    comps = []
    # SD of the total = sd_item * sqrt(sum_ij w_i w_j rho_ij); solve for sd_item.
    loadings = LOADING
    rho = loadings**2
    var_unit = (SOC_ITEMS**2).sum() + rho * (SOC_ITEMS.sum() ** 2 - (SOC_ITEMS**2).sum())
    sd_item = sd13 / np.sqrt(var_unit)
    for _ in range(3):
        z = loadings * common + np.sqrt(1 - loadings**2) * rng.standard_normal(n)
        comps.append(np.clip(item_mean + sd_item * z, 1.0, 7.0))
    return comps[0], comps[1], comps[2], item_mean, sd_item


@numba.njit(cache=True)
def saturating_gain(x, gain, top=7.0, bottom=1.0):
    """Gain that shrinks as ``x`` approaches the top of its scale (keeps scales bounded)."""
    return gain * (top - x) / (top - bottom)


def drift_step(model) -> None:
    """Process 8: slow psychosocial drift; SOC every 4 weeks, hope and shame weekly. All bounded.

    Hope returns towards a level that is lower while using and higher the longer abstinent (up
    to 2 years); shame towards a level set by public stigma, higher while using; integration in
    the recovery community deepens while abstinent and fades while using. One pass over the
    users (``_users_week``, numba); the SOC drift every 4 weeks is a few array operations."""
    p, u, r = model.p, model.users, model.relatives
    shame_level = 0.2 + p.public_stigma_shame * p.public_stigma
    _users_week(u.status, u.weeks_in_status, u.hope, u.shame, u.integration, p.users_hope_mean,
                p.abstinence_hope_gain, 1.0 - p.hope_persistence, shame_level, 1.0 - p.shame_persistence,
                p.integration_gain)
    if model.week % DRIFT_INTERVAL != DRIFT_INTERVAL - 1:
        return
    rho = p.soc_persistence_4w
    # the normal shocks come from the "drift" Generator in this order: the common shock of every
    # user, each user's own shock to comprehensibility, to manageability, to meaningfulness, then
    # each relative's (numba draws them as numpy does, about three times faster)
    _soc_drift(model.streams["drift"], u.comp, u.manage, u.meaning, u.soc_item_mean, u.soc_item_sd, u.support,
               u.housing, u.activity, rho, np.sqrt(1.0 - rho**2), LOADING, p.resources_soc_gain,
               r.soc13, p.relatives_soc13_mean, p.soc13_sd)


@numba.njit(cache=True)
def _soc_drift(gen, comp, manage, meaning, item_mean, item_sd, support, housing, activity, rho, noise, loading,
               resources_gain, soc13, relatives_mean, relatives_sd):
    """SOC every 4 weeks: each component returns towards the item mean with persistence ``rho``, with
    a shock that shares ``loading`` with the person's other components; resources (support,
    a home that is not unstable, an activity) push it up; relatives' SOC-13 drifts alike."""
    n = len(comp)
    common = np.empty(n)
    for i in range(n):
        common[i] = gen.standard_normal()
    # each set of shocks is drawn first (in the same order), then used in a loop without calls,
    # which the compiler runs on several people at once
    shock = np.empty(max(n, len(soc13)))
    own = np.sqrt(1.0 - loading**2)
    for x in (comp, manage, meaning):
        for i in range(n):
            shock[i] = gen.standard_normal()
        for i in range(n):
            z = loading * common[i] + own * shock[i]
            v = item_mean + rho * (x[i] - item_mean) + noise * item_sd * z
            v += resources_gain * ((support[i] > 0.5) + (housing[i] != 1) + activity[i])
            x[i] = min(max(v, 1.0), 7.0)
    for i in range(len(soc13)):
        shock[i] = gen.standard_normal()
    for i in range(len(soc13)):
        v = relatives_mean + rho * (soc13[i] - relatives_mean) + noise * relatives_sd * shock[i]
        soc13[i] = min(max(v, 13.0), 91.0)


@numba.njit(cache=True)
def _users_week(status, weeks_in_status, hope, shame, integration, hope_mean, hope_gain, hope_move,
                shame_level, shame_move, integration_gain):
    """The weekly drift of each user's hope, shame and integration (see ``drift_step``)."""
    for i in range(len(status)):  # (selects, not branches: the compiler runs it on several users at once)
        st = status[i]
        using = st == USING
        abstinent = st == ABSTINENT
        target = hope_mean - 8.0 if using else (hope_mean + hope_gain * min(weeks_in_status[i], 104) if abstinent
                                                 else hope_mean)
        level = shame_level + 0.15 if using else shame_level
        hope[i] = min(max((target - hope[i]) * hope_move + hope[i], 8.0), 64.0)
        shame[i] = min(max((level - shame[i]) * shame_move + shame[i], 0.0), 1.0)
        depth = integration[i]
        depth = depth + integration_gain * (1.0 - depth) if abstinent else (depth - 0.02 * depth if using else depth)
        integration[i] = min(max(depth, 0.0), 1.0)
