"""Process 2: treatment and discharge.

Users finish treatment and are discharged (entering aftercare if offered); users who use
seek treatment again at a rate lowered by shame (stigma) and raised by an open door, or stop
by their own means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.aftercare import enrol
from sim.codes import ABSTINENT, TREATMENT, USING
from sim.rng import uniform_at

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def treatment_step(model: "RecoveryModel") -> None:
    """Discharges at the end of treatment (with aftercare if offered); users who use re-enter
    treatment with treatment_reentry_rate x (1 - stigma_reentry_effect x shame) (x the open-door
    multiplier while the door is open) or stop by their own means with self_quit_rate. One
    pass over the users (numba) finds who is discharged, re-enters and quits."""
    p, u, week = model.p, model.users, model.week
    out, enter, quit_ = _treatment_week(u.status, u.treat_left, u.shame, u.open_door_until, week,
                                        p.treatment_reentry_rate, p.stigma_reentry_effect,
                                        p.open_door_reentry_multiplier, p.self_quit_rate,
                                        model.streams.key("treatment", week))
    u.status[out] = ABSTINENT
    u.weeks_in_status[out] = 0
    u.last_discharge[out] = week
    first = out[u.first_discharge[out] < 0]
    u.first_discharge[first] = week
    model.log.add("discharge", out)
    enrol(model, out)
    u.status[enter] = TREATMENT
    u.treat_left[enter] = p.treatment_weeks
    u.weeks_in_status[enter] = 0
    model.user_crisis[enter] = True
    model.log.add("treatment_entry", enter)
    u.status[quit_] = ABSTINENT
    u.weeks_in_status[quit_] = 0
    model.log.add("quit", quit_)
    model.network.dirty = True


@numba.njit(cache=True)
def _treatment_week(status, treat_left, shame, open_door_until, week, reentry, stigma, open_door, self_quit, key):
    """Counts down treatment; returns who is discharged, who re-enters and who quits (ascending).
    Decisions use the status at the start of the week (the discharged are not using)."""
    n = len(status)
    out = np.empty(n, np.int64)
    enter = np.empty(n, np.int64)
    quit_ = np.empty(n, np.int64)
    n_out = n_enter = n_quit = 0
    for i in range(n):
        st = status[i]
        if st == TREATMENT:
            left = treat_left[i] - 1
            treat_left[i] = left
            if left <= 0:
                out[n_out] = i
                n_out += 1
        elif st == USING:
            p_re = reentry * (1.0 - stigma * shame[i]) * (open_door if week < open_door_until[i] else 1.0)
            d = uniform_at(key, i)
            if d < p_re:
                enter[n_enter] = i
                n_enter += 1
            elif d < p_re + self_quit:
                quit_[n_quit] = i
                n_quit += 1
    return out[:n_out].copy(), enter[:n_enter].copy(), quit_[:n_quit].copy()
