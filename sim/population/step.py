"""The population's weekly step (ODD 7.1a): arrivals, then moves away."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.aftercare.enrol import end
from sim.capacity.waiting import leave_queues
from sim.codes import ABSENT, DEAD, TREATMENT
from sim.groups.membership import leave
from sim.population.rules import bereavement_weeks, move_chance, takes_part
from sim.rng import uniform_at

if TYPE_CHECKING:
    from sim.model import RecoveryModel


@numba.njit(cache=True)
def movers(status, rate_per_year, key):
    """The users taking part who move away this week (``move_chance``), ascending."""
    out = np.empty(len(status), np.int64)
    k = 0
    chance = move_chance(rate_per_year)
    for i in range(len(status)):
        if takes_part(status[i]) and uniform_at(key, i) < chance:
            out[k] = i
            k += 1
    return out[:k]


def population_step(model: RecoveryModel) -> None:
    """The relatives of users who died ``bereavement_weeks`` ago leave the model; in a
    municipality, this week's newcomers enter treatment (with their relatives) and living users
    move away with ``move_chance``."""
    u, r, week = model.users, model.relatives, model.week
    grieved = week - bereavement_weeks(model.p)
    if grieved >= 0 and u.death_week.max(initial=-1) >= grieved:
        done = np.flatnonzero(u.death_week == grieved)
        if len(done):
            leave_model(model, model.relatives_of(done))
    if not model.municipality:
        return
    if week % 52 == 0:  # places are per 1,000 users here, counted at the start of each year
        model.capacity.set_places(model.p, users_taking_part(u.status))
    new = model.arrivals.at(week)
    if len(new):
        u.status[new] = TREATMENT
        u.treat_left[new] = model.p.treatment_weeks
        u.weeks_in_status[new] = 0
        r.present[model.relatives_of(new)] = True
        model.log.add("arrival", new)
        model.network.dirty = True
    gone = movers(u.status, model.p.moving_rate_per_year, model.streams.key("move", week))
    if len(gone):
        withdraw(model, gone)
        u.status[gone] = ABSENT
        u.moved_week[gone] = week
        u.weeks_in_status[gone] = 0
        leave_model(model, model.relatives_of(gone))
        model.log.add("moved", gone)


def leave_model(model: RecoveryModel, kin: np.ndarray) -> None:
    """The relatives ``kin`` leave the model: they leave their groups, stop seeking one, and
    take part in nothing after (``present`` is False)."""
    r = model.relatives
    leave(model, "relatives", kin[r.group[kin] >= 0])
    r.present[kin] = False
    r.seeking[kin] = False
    r.intervention_left[kin] = 0
    r.treatment_left[kin] = 0


def users_taking_part(status: np.ndarray) -> int:
    """How many users take part (alive and in the municipality)."""
    return int(np.count_nonzero((status != DEAD) & (status != ABSENT)))


def withdraw(model: RecoveryModel, idx: np.ndarray) -> None:
    """The users ``idx`` stop taking part (they die or move away): they leave their group, stop
    waiting for one, leave the waiting lists for places, and their aftercare ends (a resident's
    flat is left as at any end)."""
    u = model.users
    leave(model, "users", idx[u.group[idx] >= 0])
    u.waiting[idx] = False
    leave_queues(model, idx)
    end(model, idx[u.ac_left[idx] > 0])
    model.network.dirty = True
