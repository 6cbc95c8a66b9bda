"""The mortality process's compiled pass: every living user's week."""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import USING
from sim.mortality.rules import (
    after_discharge,
    after_relapse,
    death_chance,
    death_rate,
    early_ratio,
    risk_ratio,
)
from sim.population.rules import takes_part
from sim.rng import uniform_at


@numba.njit(cache=True)
def mortality_week(
    status, male, weeks_in_status, last_discharge, weeks_early, risk_weeks, died_early, week, p, key
):
    """Each living user's chance (``death_chance``), this week's person-time (weeks after a
    discharge, the rate ratio), and the draw. Returns the users who die, ascending."""
    out = np.empty(len(status), np.int64)
    k = 0
    for i in range(len(status)):
        st = status[i]
        if not takes_part(st):
            continue
        early_d = after_discharge(st, week, last_discharge[i])
        early = early_ratio(early_d, after_relapse(st, weeks_in_status[i]), p)
        using = st == USING
        weeks_early[i] += early_d
        risk_weeks[i] += risk_ratio(male[i], using, early, p)
        if uniform_at(key, i) < death_chance(death_rate(male[i], using, early, p)):
            died_early[i] = early_d
            out[k] = i
            k += 1
    return out[:k]
