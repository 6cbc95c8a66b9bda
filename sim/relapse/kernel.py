"""The relapse process's compiled passes: the log hazard of every user, and the candidates whose
draw is below the bound of their chance."""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import ABSTINENT
from sim.records import record
from sim.relapse.rules import relapse_bound, user_log_hazard
from sim.rng import uniform_at

# the per-user inputs of the hazard, as arrays (a record of arrays: one argument, read by name)
HazardInputs = record(
    "HazardInputs",
    (
        "comp",
        "manage",
        "meaning",
        "hope",
        "shame",
        "support",
        "log_using",
        "log_sober",
        "old_net_using",
        "attended",
        "sponsor",
        "contact",
        "housing",
        "activity",
        "comorbid",
        "lonely",
        "integration",
        "kin_enabling",
        "kin_limit",
        "kin_low_hope",
        "exposure",
    ),
)


@numba.njit(cache=True)
def log_hazards(x, p):
    """``user_log_hazard`` of every user (one contiguous pass over everyone: faster than a gathered
    pass over the abstinent)."""
    out = np.empty(len(x.comp))
    for i in range(len(x.comp)):
        out[i] = user_log_hazard(
            x.comp[i],
            x.manage[i],
            x.meaning[i],
            x.hope[i],
            x.shame[i],
            x.support[i],
            x.log_using[i],
            x.log_sober[i],
            x.old_net_using[i],
            x.attended[i],
            x.sponsor[i],
            x.contact[i],
            x.housing[i],
            x.activity[i],
            x.comorbid[i],
            x.lonely[i],
            x.integration[i],
            x.kin_enabling[i],
            x.kin_limit[i],
            x.kin_low_hope[i],
            x.exposure[i],
            p,
        )
    return out


@numba.njit(cache=True)
def candidates(status, weeks_in_status, lp, log_survival, key):
    """The abstinent users whose relapse draw is below ``relapse_bound`` of their chance, ascending,
    and their draws (at most twice as many candidates as with the chance itself, none left out)."""
    out = np.empty(len(status), np.int64)
    draws = np.empty(len(status), np.float32)
    k = 0
    for i in range(len(status)):
        if status[i] == ABSTINENT:
            bound = relapse_bound(lp[i], log_survival[np.uint32(weeks_in_status[i])])
            d = uniform_at(key, i)
            if d < bound:
                out[k] = i
                draws[k] = d
                k += 1
    return out[:k], draws[:k]
