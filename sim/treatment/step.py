"""The treatment process's weekly step (ODD 7.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.aftercare import enrol
from sim.codes import ABSTINENT, TREATMENT
from sim.treatment.kernel import treatment_week
from sim.treatment.rules import treatment_params

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def treatment_step(model: RecoveryModel) -> None:
    """Discharges at the end of treatment (with aftercare if offered); users who use re-enter
    treatment (``reentry_chance``: a crisis) or stop by their own means (``self_quit_chance``).
    One pass over the users (numba) finds who is discharged, re-enters and quits."""
    p, u, week = model.p, model.users, model.week
    out, enter, quit_ = treatment_week(
        u.status,
        u.treat_left,
        u.shame,
        u.open_door_until,
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
    u.status[enter] = TREATMENT
    u.treat_left[enter] = p.treatment_weeks
    u.weeks_in_status[enter] = 0
    u.crisis[enter] = True
    model.log.add("treatment_entry", enter)
    u.status[quit_] = ABSTINENT
    u.weeks_in_status[quit_] = 0
    model.log.add("quit", quit_)
    model.network.dirty = True
