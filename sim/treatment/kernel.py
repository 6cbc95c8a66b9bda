"""The treatment process's compiled pass: who is discharged, re-enters or quits this week."""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import TREATMENT, USING
from sim.rng import uniform_at
from sim.treatment.rules import discharged, reentry_chance, self_quit_chance, waiting_quit_chance


@numba.njit(cache=True)
def treatment_week(status, treat_left, shame, open_door_until, tq_since, week, p, key):
    """Counts down treatment; returns who is discharged, who re-enters and who quits (ascending).
    Decisions use the status at the start of the week (the discharged are not using); a user
    waiting for a treatment place (``tq_since >= 0``) only decides whether to quit."""
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
            if discharged(left):
                out[n_out] = i
                n_out += 1
        elif st == USING and tq_since[i] >= 0:
            if uniform_at(key, i) < waiting_quit_chance(p):
                quit_[n_quit] = i
                n_quit += 1
        elif st == USING:
            p_re = reentry_chance(shame[i], week < open_door_until[i], p)
            d = uniform_at(key, i)
            if d < p_re:
                enter[n_enter] = i
                n_enter += 1
            elif d < p_re + self_quit_chance(p):
                quit_[n_quit] = i
                n_quit += 1
    return out[:n_out].copy(), enter[:n_enter].copy(), quit_[:n_quit].copy()
