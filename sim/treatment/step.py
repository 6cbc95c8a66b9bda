"""The treatment process's weekly step (ODD 7.2, with the places of 7.2a)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.aftercare import enrol
from sim.capacity.rules import free_places
from sim.capacity.waiting import first_in_line, join, stop_waiting
from sim.codes import ABSTINENT, TREATMENT
from sim.treatment.kernel import treatment_week
from sim.treatment.rules import treatment_params

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def treatment_step(model: RecoveryModel) -> None:
    """Discharges at the end of treatment (with aftercare if offered); users who use re-enter
    treatment (``reentry_chance``: a crisis) or stop by their own means (``self_quit_chance``).
    One pass over the users (numba) finds who is discharged, re-enters and quits. Re-entry needs
    a free place (``admit``); users waiting for one may stop by their own means
    (``waiting_quit_chance``) and leave the queue."""
    p, u, week = model.p, model.users, model.week
    out, enter, quit_ = treatment_week(
        u.status,
        u.treat_left,
        u.shame,
        u.open_door_until,
        u.tq_since,
        week,
        treatment_params(p),
        model.streams.key("treatment", week),
    )
    u.status[out] = ABSTINENT
    u.weeks_in_status[out] = 0
    u.last_discharge[out] = week
    u.first_discharge[out[u.first_discharge[out] < 0]] = week
    model.log.add("discharge", out)
    enrol(model, out)
    stop_waiting(model, "treatment", quit_)
    admit(model, enter)
    u.status[quit_] = ABSTINENT
    u.weeks_in_status[quit_] = 0
    model.log.add("quit", quit_)
    model.network.dirty = True


def admit(model: RecoveryModel, enter: np.ndarray) -> None:
    """The users ``enter`` (ascending) have decided to re-enter treatment (a crisis). The places
    free after this week's discharges go first to the queue, first in line first, then to
    ``enter`` in order; those left over join the queue (ODD 7.2a)."""
    u, cap = model.users, model.capacity
    u.crisis[enter] = True
    u.tq_asks[enter] += 1
    now, wait = enter, enter[:0]
    if cap.binds("treatment") and (len(enter) or len(cap.treatment)):
        free = free_places(int(np.count_nonzero(u.status == TREATMENT)), cap.treatment_places)
        served = first_in_line(model, "treatment", free)
        free -= len(served)
        now, wait = enter[:free], enter[free:]
        now = np.concatenate([served, now]) if len(served) else now
    start_treatment(model, now)
    join(model, "treatment", wait)


def start_treatment(model: RecoveryModel, idx: np.ndarray) -> None:
    """``idx`` start a treatment episode of ``treatment_weeks``."""
    u = model.users
    u.status[idx] = TREATMENT
    u.treat_left[idx] = model.p.treatment_weeks
    u.weeks_in_status[idx] = 0
    model.log.add("treatment_entry", idx)
