"""Aftercare services: process 1 (this week's levers) and the offer at discharge and each week.

Aftercare is not people but the scenario's offer: who gets it (coverage), how intense
(contacts per week), how continuous (closure weeks, changes of contact person), for how long,
and with what (housing, activity, peer staff, referral, relatives' offers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.codes import AFTERCARE_HOUSING, HOUSEMATE, STABLE, UNSTABLE
from sim.rng import uniform_at
from sim.vector import rows_of

if TYPE_CHECKING:
    from sim.model import RecoveryModel

# Weeks of the year the service closes, in the order they are used: summer holiday first,
# then Christmas, Easter, and spread-out weeks standing for sickness (seed 003, L458-460).
CLOSURE_ORDER = (27, 28, 29, 30, 51, 0, 13, 31, 7, 40, 20, 34, 45, 3, 24, 10)


def environment(model: "RecoveryModel") -> None:
    """Process 1: is the service open this week; does the programme close for good (funding)."""
    p = model.p
    model.user_crisis[:] = False
    model.user_relapsed[:] = False
    model.service_open = (model.week % 52) not in CLOSURE_ORDER[: p.aftercare_closure_weeks]
    if model.programme_open and model.streams["environment"].random() < p.programme_closure_per_year / 52.0:
        model.programme_open = False
        model.log.add("programme_closed", np.array([-1]))
        end(model, np.flatnonzero(model.users.ac_left > 0))


def enrol(model: "RecoveryModel", idx: np.ndarray) -> None:
    """Offer aftercare, referral, housing, activity and relatives' offers to users discharged now."""
    p, u, r, week = model.p, model.users, model.relatives, model.week
    if len(idx) == 0:
        return
    u.referred[idx] = u.u_refer[idx] < p.selfhelp_referral_share
    u.ever_referred[idx] |= u.referred[idx]
    if not model.programme_open or p.aftercare_duration_weeks == 0:
        return
    off = idx[u.u_offer[idx] < p.aftercare_coverage]
    if len(off) == 0:
        return
    planned = u.u_plan[off] < p.predischarge_planning
    u.ac_left[off] = p.aftercare_duration_weeks
    u.ac_start[off] = week + np.where(planned, 0, p.aftercare_start_delay_weeks)
    u.open_door_until[off] = week + p.open_door_weeks
    u.ever_aftercare[off] = True
    model.log.add("aftercare_start", off)
    act = off[~u.activity[off] & (u.u_activity[off] < p.activity_offer)]
    u.activity[act] = True
    house = off[(u.housing[off] == UNSTABLE) & (u.u_house[off] < p.housing_offer_share)]
    _move_in(model, house)
    rel = rows_of(model.network.kin, off)
    r.family_week[rel] = r.u_family_week[rel] < p.relatives_family_week
    brief = rel[r.u_brief[rel] < p.relatives_brief_intervention]
    r.intervention_left[brief] = 5


def _move_in(model: "RecoveryModel", idx: np.ndarray) -> None:
    """Residents fill shared flats of ``housing_unit_size``; housemates are tied to each other."""
    if len(idx) == 0:
        return
    u, size = model.users, model.p.housing_unit_size
    slots = model.next_house_slot + np.arange(len(idx))
    model.next_house_slot += len(idx)
    model.slot_owner = np.concatenate([model.slot_owner, idx.astype(np.int32)])
    u.housing[idx] = AFTERCARE_HOUSING
    u.house[idx] = slots // size
    for back in range(1, size):
        prev = slots - back
        same = (prev >= 0) & (prev // size == slots // size)
        model.network.add(idx[same], model.slot_owner[prev[same]], HOUSEMATE)
    model.network.dirty = True


def end(model: "RecoveryModel", idx: np.ndarray) -> None:
    """Aftercare ends for ``idx``; residents of aftercare housing move on."""
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


def aftercare_step(model: "RecoveryModel") -> None:
    """Weekly follow-up contacts for users in aftercare, with closures and changes of contact person.

    Contact strength: more contacts per week give more, with diminishing returns; a new contact
    person gives half the effect for 8 weeks (seed 003, L389-396). One compiled pass over the
    users in aftercare (``_aftercare_week``); those whose aftercare ran out end it here."""
    p, u, week = model.p, model.users, model.week
    cpw = p.aftercare_contacts_per_week
    u.ac_contact = np.zeros(u.n, bool)
    model.contact_strength = np.zeros(u.n)
    ending = _aftercare_week(u.ac_left, u.ac_start, u.contact_new_until, u.first_discharge, u.last_discharge,
                             u.ac_contacts_13, u.hope, u.ac_contact, model.contact_strength, week, model.service_open,
                             min(cpw, 1.0), p.aftercare_contact_changes_per_year / 52.0, max(cpw, 1.0) ** 0.5,
                             p.peer_staff > 0, p.peer_staff_hope_gain * p.peer_staff,
                             model.streams.key("aftercare_contact", week), model.streams.key("aftercare_change", week))
    end(model, ending)


@numba.njit(cache=True)
def _aftercare_week(ac_left, ac_start, contact_new_until, first_discharge, last_discharge, contacts_13, hope,
                    contact, strength, week, service_open, p_contact, p_change, dose, peer_staff, hope_gain, k_contact,
                    k_change):
    """Each user in aftercare this week (weeks left, started): a contact (while the service is
    open), a change of contact person (new for 8 weeks), the contact's strength, contacts in the
    first 13 weeks after a first discharge, hope from peer staff at a contact, and a week less.
    Returns those whose aftercare ran out, ascending."""
    out = np.empty(len(ac_left), np.int64)
    n = 0
    for i in range(len(ac_left)):
        if ac_left[i] <= 0 or week < ac_start[i]:
            continue
        c = service_open and uniform_at(k_contact, i) < p_contact
        contact[i] = c
        if uniform_at(k_change, i) < p_change:
            contact_new_until[i] = week + 8
        if c:
            strength[i] = dose * (0.5 if week < contact_new_until[i] else 1.0)
            if week - first_discharge[i] < 13 and last_discharge[i] == first_discharge[i]:
                contacts_13[i] += 1
            if peer_staff:
                hope[i] = min(hope[i] + hope_gain, 64.0)
        left = ac_left[i] - 1
        ac_left[i] = left
        if left <= 0:
            out[n] = i
            n += 1
    return out[:n].copy()
