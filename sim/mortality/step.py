"""The mortality process's weekly step (ODD 7.7a)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import DEAD
from sim.mortality.kernel import mortality_week
from sim.mortality.rules import mortality_params
from sim.population.step import withdraw

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def mortality_step(model: RecoveryModel) -> None:
    """Living users die with ``death_chance`` (one compiled pass, which also counts the
    person-time the summary's rates divide by)."""
    u, week = model.users, model.week
    dead = mortality_week(
        u.status,
        u.male,
        u.weeks_in_status,
        u.last_discharge,
        u.weeks_after_discharge,
        u.risk_weeks,
        u.died_after_discharge,
        week,
        mortality_params(model.p),
        model.streams.key("death", week),
    )
    die(model, dead)


def die(model: RecoveryModel, idx: np.ndarray) -> None:
    """The users ``idx`` die: status DEAD from this week; they leave their group, stop waiting
    for one, leave the waiting lists for treatment and aftercare, and their aftercare ends (a resident's flat is left as at any end of aftercare)."""
    if len(idx) == 0:
        return
    u = model.users
    u.status[idx] = DEAD
    u.death_week[idx] = model.week
    u.weeks_in_status[idx] = 0
    model.log.add("death", idx)
    withdraw(model, idx)
