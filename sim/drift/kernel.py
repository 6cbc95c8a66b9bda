"""The drift process's compiled passes: users' weekly hope, shame and integration; SOC every 4 weeks."""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import ABSTINENT, UNSTABLE, USING
from sim.drift.rules import (
    hope_level,
    integration_next,
    relative_soc13_next,
    shame_level,
    soc_component_next,
    towards,
)
from sim.population.rules import takes_part


@numba.njit(cache=True)
def users_week(status, weeks_in_status, hope, shame, integration, p):
    """The weekly drift of the hope, shame and integration of each user taking part."""
    for i in range(len(status)):
        st = status[i]
        if not takes_part(st):
            continue
        using = st == USING
        abstinent = st == ABSTINENT
        hope[i] = towards(
            hope[i], hope_level(using, abstinent, weeks_in_status[i], p), p.hope_move, 8.0, 64.0
        )
        shame[i] = towards(shame[i], shame_level(using, p), p.shame_move, 0.0, 1.0)
        integration[i] = integration_next(integration[i], using, abstinent, p)


@numba.njit(cache=True)
def soc_drift(
    gen,
    status,
    comp,
    manage,
    meaning,
    item_mean,
    item_sd,
    support,
    housing,
    activity,
    rho,
    noise,
    loading,
    resources_gain,
    soc13,
    present,
    relatives_mean,
    relatives_sd,
):
    """SOC every 4 weeks (``soc_component_next``, ``relative_soc13_next``): each component's shock
    shares ``loading`` with the person's other components.

    The normal shocks come from ``gen`` in this order: the common shock of every user, each user's
    own shock to comprehensibility, to manageability, to meaningfulness, then each relative's
    (numba draws them as numpy does)."""
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
            if not takes_part(status[i]):  # shocks drawn, unused: the others stay the same
                continue
            z = loading * common[i] + own * shock[i]
            resources = (support[i] > 0.5) + (housing[i] != UNSTABLE) + activity[i]
            x[i] = soc_component_next(
                x[i], item_mean, item_sd, z, resources, rho, noise, resources_gain
            )
    for i in range(len(soc13)):
        shock[i] = gen.standard_normal()
    for i in range(len(soc13)):  # the relatives present (the others' shocks drawn, unused)
        x1 = relative_soc13_next(soc13[i], relatives_mean, relatives_sd, shock[i], rho, noise)
        soc13[i] = x1 if present[i] else soc13[i]
