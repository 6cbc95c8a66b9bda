"""The network's week as compiled passes (numba; docs/performance.md): only the loops and the
speed tricks, the rules are in :mod:`sim.network.rules` (inlined).

- ``ties_week``: each user's ties outside the cohort (selects only: several users at once);
- ``resources_week``: activity and housing gained or lost, without branches on the draws;
- ``kin_sums``: per user, sums over the user's relatives in one flat pass;
- ``support_week``: support and loneliness.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import ABSTINENT, AFTERCARE_HOUSING, LIMIT, STABLE, TOLERANT, UNSTABLE, USING
from sim.network import rules as R
from sim.population.rules import takes_part
from sim.rng import uniform_bound, uniform_field_at


@numba.njit(cache=True)
def ties_week(status, housing, integration, activity, base_using_ties, using_ties, sober_ties, p):
    """Each user's ties outside the cohort, one week: old using ties are cut or fade while
    abstinent and regrow while using; sober ties fade slowly and grow while abstinent; the ties
    of the dead and of those away stay as they were."""
    for i in range(
        len(status)
    ):  # (selects, not branches: the compiler runs it on several users at once)
        st = status[i]
        in_house = housing[i] == AFTERCARE_HOUSING
        u0 = using_ties[i]
        s = R.sober_ties_faded(sober_ties[i], p)
        cut = R.using_ties_cut(u0, in_house, integration[i], p)
        regrown = R.using_ties_regrown(u0, base_using_ties[i], p)
        using_ties[i] = cut if st == ABSTINENT else (regrown if st == USING else u0)
        s = s if takes_part(st) else sober_ties[i]
        sober_ties[i] = s + R.sober_ties_gained(activity[i], in_house, p) if st == ABSTINENT else s


@numba.njit(cache=True)
def resources_week(status, activity, housing, p, k_activity, k_housing):
    """Without branches (a user's state decides which draw counts, so both are made for everyone
    and compared as whole numbers: sim/rng.py): abstinent users gain an activity and leave
    unstable housing, users who use lose them."""
    t_activity, t_housing, t_lose = (
        uniform_bound(R.activity_gain_chance(p)),
        uniform_bound(R.housing_gain_chance(p)),
        uniform_bound(R.resource_loss_chance(p)),
    )
    for i in range(len(status)):
        st = status[i]
        abstinent = st == ABSTINENT
        using = st == USING
        f_activity = uniform_field_at(k_activity, i)
        f_housing = uniform_field_at(k_housing, i)
        activity[i] = (activity[i] & ~(using & (f_activity < t_lose))) | (
            abstinent & (f_activity < t_activity)
        )
        h = housing[i]
        if abstinent & (h == UNSTABLE) & (f_housing < t_housing):
            h = STABLE
        elif using & (h == STABLE) & (f_housing < t_lose):
            h = UNSTABLE
        housing[i] = h


@numba.njit(cache=True)
def kin_sums(n_kin, user, coping, strain, burnout, hope_user, p):
    """Per user, summed over the user's relatives in index order (as ``Network.kin @ x``): the
    support from relatives (``relative_support``), the number who enable (tolerant) and who set
    limits, and the mean low hope (1 - hope; the sum over ``max(n_kin, 1)``). One flat pass over
    the relatives (a loop per user costs a mispredicted exit per user), then one over the users."""
    n_users = len(n_kin)
    support = np.zeros(n_users)
    low_hope = np.zeros(n_users)
    counts = np.zeros(
        n_users, np.int64
    )  # enabling in the low 32 bits, limit-setting above (one sum, not two)
    for i in range(len(user)):
        j = np.uint32(
            user[i]
        )  # (unsigned indices need no check for negative ones: docs/performance.md)
        c = np.uint8(coping[i])
        support[j] += R.relative_support(c, strain[i], burnout[i], p)
        counts[j] += (c == TOLERANT) + ((c == LIMIT) << 32)
        low_hope[j] += 1.0 - hope_user[i]
    enabling = np.empty(n_users)
    limit = np.empty(n_users)
    for j in range(n_users):
        enabling[j] = counts[j] & 0xFFFFFFFF
        limit[j] = counts[j] >> 32
        low_hope[j] = low_hope[j] / max(n_kin[j], 1.0)
    return support, enabling, limit, low_hope


# error_model="numpy": no check for a zero divisor (``support_half_ties`` is at least 1), so the
# loop is vectorised
@numba.njit(cache=True, error_model="numpy")
def support_week(sober_ties, peers, from_kin, attended, contact, p, support, lonely):
    """Every user's support (``support_raw``, ``support``) and loneliness (``lonely``)."""
    for i in range(
        len(sober_ties)
    ):  # (values kept in locals, not read back from the arrays: 4x faster)
        s = R.support(
            R.support_raw(sober_ties[i], peers[i], from_kin[i], attended[i], contact[i], p), p
        )
        support[i] = s
        lonely[i] = R.lonely(s, sober_ties[i], peers[i])
