"""Process 1, the environment: this week's levers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.aftercare.enrol import end
from sim.aftercare.rules import programme_closure_chance, service_open_in
from sim.capacity.waiting import stop_waiting

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def environment(model: RecoveryModel) -> None:
    """Process 1: this week's flags are cleared; is the service open this week (holiday closures);
    does the programme close for good (funding), ending everyone's aftercare and emptying the
    aftercare queue."""
    p, u, ac = model.p, model.users, model.aftercare
    u.crisis[:] = False
    u.relapsed[:] = False
    ac.service_open = service_open_in(model.week, p.aftercare_closure_weeks)
    if ac.programme_open and model.streams["environment"].random() < programme_closure_chance(
        p.programme_closure_per_year
    ):
        ac.programme_open = False
        model.log.add("programme_closed", np.array([-1]))
        end(model, np.flatnonzero(u.ac_left > 0))
        stop_waiting(model, "aftercare", model.capacity.aftercare.waiting().copy())
