"""Process 2: treatment and discharge.

Users finish treatment and are discharged (entering aftercare if offered); users who use
seek treatment again at a rate lowered by shame (stigma) and raised by an open door, or stop
by their own means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.aftercare import enrol
from sim.agents.users import ABSTINENT, TREATMENT, USING

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def treatment_step(model: "RecoveryModel") -> None:
    p, u, week = model.p, model.users, model.week
    in_t = u.status == TREATMENT
    np.subtract(u.treat_left, 1, out=u.treat_left, where=in_t)
    out = np.flatnonzero(in_t & (u.treat_left <= 0))
    u.status[out] = ABSTINENT
    u.weeks_in_status[out] = 0
    u.last_discharge[out] = week
    first = out[u.first_discharge[out] < 0]
    u.first_discharge[first] = week
    model.log.add("discharge", out)
    enrol(model, out)
    # using users: back to treatment, or stopping alone
    using = np.flatnonzero(u.status == USING)
    open_door = np.where(week < u.open_door_until[using], p.open_door_reentry_multiplier, 1.0)
    p_re = p.treatment_reentry_rate * (1.0 - p.stigma_reentry_effect * u.shame[using]) * open_door
    du = model.draw("treatment", using)
    enter = du < p_re
    e = using[enter]
    q = using[~enter & (du < p_re + p.self_quit_rate)]
    u.status[e] = TREATMENT
    u.treat_left[e] = p.treatment_weeks
    u.weeks_in_status[e] = 0
    model.user_crisis[e] = True
    model.log.add("treatment_entry", e)
    u.status[q] = ABSTINENT
    u.weeks_in_status[q] = 0
    model.log.add("quit", q)
