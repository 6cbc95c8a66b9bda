"""The slow psychosocial drift rules (ODD 7.9), one function per sentence."""

from __future__ import annotations

import numba

from sim.records import fill, record

DRIFT_INTERVAL = 4  # weeks between SOC drift updates
HOPE_GAIN_WEEKS = 104  # abstinence raises the hope level for up to 2 years

DriftParams = record(
    "DriftParams",
    (
        "users_hope_mean",
        "abstinence_hope_gain",
        "hope_move",
        "shame_level",
        "shame_move",
        "integration_gain",
    ),
)


def drift_params(p) -> tuple:
    """The :data:`DriftParams` of the parameters ``p``: hope and shame move a share 1 - persistence
    of the way to their level each week; the shame level is 0.2 + public_stigma_shame x public_stigma."""
    return fill(
        DriftParams,
        p,
        hope_move=float(1.0 - p.hope_persistence),
        shame_level=float(0.2 + p.public_stigma_shame * p.public_stigma),
        shame_move=float(1.0 - p.shame_persistence),
    )


@numba.njit(cache=True, inline="always")
def hope_level(using, abstinent, weeks_in_status, p):
    """The level hope returns to: users_hope_mean - 8 while using, users_hope_mean
    + abstinence_hope_gain x min(weeks abstinent, 104) while abstinent, else users_hope_mean."""
    return (
        p.users_hope_mean - 8.0
        if using
        else (
            p.users_hope_mean + p.abstinence_hope_gain * min(weeks_in_status, HOPE_GAIN_WEEKS)
            if abstinent
            else p.users_hope_mean
        )
    )


@numba.njit(cache=True, inline="always")
def shame_level(using, p):
    """The level shame returns to: the stigma level, + 0.15 while using."""
    return p.shame_level + 0.15 if using else p.shame_level


@numba.njit(cache=True, inline="always")
def towards(x, level, move, low, high):
    """One week's move of a scale a share ``move`` of the way to ``level``, kept in [low, high]."""
    return min(max((level - x) * move + x, low), high)


@numba.njit(cache=True, inline="always")
def integration_next(depth, using, abstinent, p):
    """Integration in the recovery community deepens while abstinent (by integration_gain of the
    way to 1) and fades while using (2% a week), kept in [0, 1]."""
    depth = (
        depth + p.integration_gain * (1.0 - depth)
        if abstinent
        else (depth - 0.02 * depth if using else depth)
    )
    return min(max(depth, 0.0), 1.0)


@numba.njit(cache=True, inline="always")
def soc_component_next(x, item_mean, item_sd, z, resources, rho, noise, resources_gain):
    """An SOC component every 4 weeks: back towards the item mean with persistence ``rho``, a shock
    noise x item SD x z, plus resources_soc_gain per resource (support > 0.5, a home that is not
    unstable, an activity), kept on the item scale 1-7."""
    v = item_mean + rho * (x - item_mean) + noise * item_sd * z
    v += resources_gain * resources
    return min(max(v, 1.0), 7.0)


@numba.njit(cache=True, inline="always")
def relative_soc13_next(x, mean, sd, shock, rho, noise):
    """A relative's SOC-13 every 4 weeks: back towards the relatives' mean with persistence ``rho``,
    a shock noise x SD x z, kept in 13-91."""
    v = mean + rho * (x - mean) + noise * sd * shock
    return min(max(v, 13.0), 91.0)
