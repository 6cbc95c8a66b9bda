"""Aftercare at discharge (enrolment, with housing, activity and relatives' offers) and its end."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.capacity.rules import free_places
from sim.capacity.waiting import first_in_line, join
from sim.codes import AFTERCARE_HOUSING, HOUSEMATE, STABLE, UNSTABLE
from sim.vector import rows_of

if TYPE_CHECKING:
    from sim.model import RecoveryModel

BRIEF_INTERVENTION_WEEKS = 5  # length of the relatives' brief intervention


def enrol(model: RecoveryModel, idx: np.ndarray) -> None:
    """Offer aftercare, referral, housing, activity and relatives' offers to users discharged now.

    Each offer reaches a user whose own propensity (drawn at set-up) is below the offer's share:
    referral to self-help; aftercare (coverage, while the programme runs), starting at once if
    planned before discharge, else after the delay, with an open door back to treatment; an
    activity; a flat in aftercare housing for the unstably housed; for their relatives, a family
    week and a brief intervention. Aftercare needs a place (ODD 7.2a): the places free go first
    to the aftercare queue, first in line first, then to this week's offers in order; a user
    still in aftercare keeps their place; the others wait in the queue."""
    p, u = model.p, model.users
    if len(idx):
        u.referred[idx] = u.u_refer[idx] < p.selfhelp_referral_share
        u.ever_referred[idx] |= u.referred[idx]
    if not model.aftercare.programme_open or p.aftercare_duration_weeks == 0:
        return
    off = idx[u.u_offer[idx] < p.aftercare_coverage]
    u.aq_offers[off] += 1
    cap = model.capacity
    if not cap.binds("aftercare"):
        start(model, off)
        return
    if len(off) == 0 and len(cap.aftercare) == 0:
        return
    free = free_places(int(np.count_nonzero(u.ac_left > 0)), cap.aftercare_places)
    served = first_in_line(model, "aftercare", free)
    free -= len(served)
    needs = u.ac_left[off] <= 0  # a user still in aftercare holds a place already
    now = ~needs | (np.cumsum(needs) <= free)
    start(model, np.concatenate([served, off[now]]) if len(served) else off[now])
    join(model, "aftercare", off[~now])


def start(model: RecoveryModel, off: np.ndarray) -> None:
    """Aftercare starts for ``off`` (each with a place): it runs ``aftercare_duration_weeks``
    from its first contact, which comes at discharge if planned before it, else after the start
    delay, and never before this week (after a wait); the open door, an activity, a flat and the
    relatives' offers come with it."""
    p, u, r, week = model.p, model.users, model.relatives, model.week
    if len(off) == 0:
        return
    planned = u.u_plan[off] < p.predischarge_planning
    u.ac_left[off] = p.aftercare_duration_weeks
    first_contact = u.last_discharge[off] + np.where(planned, 0, p.aftercare_start_delay_weeks)
    u.ac_start[off] = np.maximum(first_contact, week)
    u.open_door_until[off] = week + p.open_door_weeks
    u.ever_aftercare[off] = True
    model.log.add("aftercare_start", off)
    act = off[~u.activity[off] & (u.u_activity[off] < p.activity_offer)]
    u.activity[act] = True
    house = off[(u.housing[off] == UNSTABLE) & (u.u_house[off] < p.housing_offer_share)]
    move_in(model, house)
    rel = rows_of(model.network.kin, off)
    r.family_week[rel] = r.u_family_week[rel] < p.relatives_family_week
    brief = rel[r.u_brief[rel] < p.relatives_brief_intervention]
    r.intervention_left[brief] = BRIEF_INTERVENTION_WEEKS


def move_in(model: RecoveryModel, idx: np.ndarray) -> None:
    """Residents fill shared flats of ``housing_unit_size`` in order; housemates are tied to each other."""
    if len(idx) == 0:
        return
    u, ac, size = model.users, model.aftercare, model.p.housing_unit_size
    slots = ac.next_house_slot + np.arange(len(idx))
    ac.next_house_slot += len(idx)
    ac.slot_owner = np.concatenate([ac.slot_owner, idx.astype(np.int32)])
    u.housing[idx] = AFTERCARE_HOUSING
    u.house[idx] = slots // size
    for back in range(1, size):
        prev = slots - back
        same = (prev >= 0) & (prev // size == slots // size)
        model.network.add(idx[same], ac.slot_owner[prev[same]], HOUSEMATE)
    model.network.dirty = True


def end(model: RecoveryModel, idx: np.ndarray) -> None:
    """Aftercare ends for ``idx``; residents of aftercare housing move on, to a stable home with
    chance housing_exit_stable, else an unstable one."""
    p, u = model.p, model.users
    if len(idx) == 0:
        return
    u.ac_left[idx] = 0
    model.log.add("aftercare_end", idx)
    res = idx[u.housing[idx] == AFTERCARE_HOUSING]
    if len(res):
        stable = model.draw("housing_exit", res) < p.housing_exit_stable
        u.housing[res] = np.where(stable, STABLE, UNSTABLE)
        u.house[res] = -1
        model.network.dirty = True
