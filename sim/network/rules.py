"""The network's rules (ODD 7.6, and the contagion exposure of 7.7), one scalar function per
sentence, read by the compiled passes in :mod:`sim.network.kernel` and
:mod:`sim.network.exposure` (inlined: they cost nothing).

Each takes the named record :data:`NetworkParams` (``p``). No kernel of this process filters
people by a bound on a chance (the resource draws are compared with the chances themselves), so
no rule here has a ``*_bound``.
"""

from __future__ import annotations

import numba

from sim.codes import TOLERANT, WITHDRAWN
from sim.records import fill, record

REBUILD_INTERVAL = 4  # weeks between rebuilds of the peer matrix when ties changed

NetworkParams = record(
    "NetworkParams",
    (
        "using_tie_fade using_tie_regain sober_tie_fade sober_tie_return public_stigma "
        "activity_tie_gain gain_activity_rate gain_housing_rate structural_stigma "
        "welfare_integration lose_on_relapse support_weight_relative withdrawn_support "
        "support_depletion support_weight_group support_half_ties"
    ),
)


def network_params(p) -> tuple:
    """The :data:`NetworkParams` of the parameters ``p``."""
    return fill(NetworkParams, p)


# --- ties to people outside the cohort (counts) -------------------------------------------------


@numba.njit(cache=True, inline="always")
def using_ties_cut(u0, in_house, integration, p):
    """Abstinent users lose a share ``using_tie_fade x (1 + in aftercare flat + integration)``
    (at most all) of their using ties ``u0`` a week."""
    return u0 * (1.0 - min(p.using_tie_fade * (1.0 + in_house + integration), 1.0))


@numba.njit(cache=True, inline="always")
def using_ties_regrown(u0, base, p):
    """Using users regain ``using_tie_regain`` of the gap to their starting using ties ``base``."""
    return u0 + p.using_tie_regain * (base - u0)


@numba.njit(cache=True, inline="always")
def sober_ties_faded(s0, p):
    """Sober ties fade by ``sober_tie_fade`` a week."""
    return s0 * (1.0 - p.sober_tie_fade)


@numba.njit(cache=True, inline="always")
def sober_ties_gained(activity, in_house, p):
    """While abstinent, sober ties grow by ``sober_tie_return x (1 - 0.5 public_stigma)``
    (pre-addiction friends return) ``+ activity_tie_gain x (activity + in aftercare flat)``."""
    return p.sober_tie_return * (1.0 - 0.5 * p.public_stigma) + p.activity_tie_gain * (
        activity + in_house
    )


# --- resources: meaningful activity and housing -------------------------------------------------


@numba.njit(cache=True, inline="always")
def activity_gain_chance(p):
    """An abstinent user without activity finds one with chance ``gain_activity_rate
    x (1 - 0.6 structural_stigma) x (1 + welfare_integration)``."""
    return p.gain_activity_rate * (1.0 - 0.6 * p.structural_stigma) * (1.0 + p.welfare_integration)


@numba.njit(cache=True, inline="always")
def housing_gain_chance(p):
    """An abstinent user in unstable housing finds stable housing with chance
    ``gain_housing_rate x (1 - 0.6 structural_stigma) x (1 + welfare_integration)``."""
    return p.gain_housing_rate * (1.0 - 0.6 * p.structural_stigma) * (1.0 + p.welfare_integration)


@numba.njit(cache=True, inline="always")
def resource_loss_chance(p):
    """A using user loses activity, and stable housing, each with chance ``lose_on_relapse``."""
    return p.lose_on_relapse


# --- support ---------------------------------------------------------------------------------


@numba.njit(cache=True, inline="always")
def relative_support(coping, strain, burnout, p):
    """A relative's support weight: ``support_weight_relative x (1 - support_depletion x strain)``
    x (1 engaged or limit-setting, 0.6 tolerant, ``withdrawn_support`` withdrawn: condemning);
    0 in burnout."""
    by_coping = 0.6 if coping == TOLERANT else (p.withdrawn_support if coping == WITHDRAWN else 1.0)
    return (
        0.0
        if burnout
        else by_coping * p.support_weight_relative * (1.0 - p.support_depletion * strain)
    )


@numba.njit(cache=True, inline="always")
def support_raw(sober_ties, peers, from_kin, attended, contact, p):
    """The weighted ties of support: sober ties + sober cohort peers + the relatives' weights
    + ``support_weight_group x attended`` this week + aftercare contact strength (at least 0)."""
    return max(sober_ties + peers + from_kin + p.support_weight_group * attended + contact, 0.0)


@numba.njit(cache=True, inline="always")
def support(raw, p):
    """Support, saturating: ``raw / (raw + support_half_ties)``."""
    return raw / (raw + p.support_half_ties)


@numba.njit(cache=True, inline="always")
def lonely(s, sober_ties, peers):
    """Lonely: support below 0.25 and fewer than one sober tie and sober cohort peer together."""
    return (s < 0.25) and (sober_ties + peers < 1.0)


# --- contagion exposure (read by the relapse hazard, ODD 7.7) ---------------------------------


@numba.njit(cache=True, inline="always")
def using_share(strength, sober_degree, inv):
    """The share of a user's weighted close ties who use now: ``(strength - sober degree)
    x inv`` (``inv``: 1 / strength, 0 for the isolated)."""
    return (strength - sober_degree) * inv


@numba.njit(cache=True, inline="always")
def exposure(first, second, inv, decay):
    """Exposure: the share who use (``first``) plus ``decay`` x the same share one step further
    out (``second``: the sum of the neighbours' shares, times ``inv``)."""
    return first + decay * second * inv


# --- the peer matrix --------------------------------------------------------------------------


def rebuild_due(dirty: bool, week: int, built: bool) -> bool:
    """The peer matrix is rebuilt every ``REBUILD_INTERVAL`` weeks when ties changed (at once if
    it was never built)."""
    return dirty and (week % REBUILD_INTERVAL == 0 or not built)
