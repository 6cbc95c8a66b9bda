"""The aftercare process's compiled pass: this week's contacts of the users in aftercare."""

from __future__ import annotations

import numba
import numpy as np

from sim.aftercare.rules import (
    CONTACT_PERSON_NEW_WEEKS,
    contact_chance,
    contact_strength,
    counts_as_early_contact,
    hope_after_peer_contact,
)
from sim.records import record
from sim.rng import uniform_at

# the users' columns the weekly contacts read and write (a record of arrays, read by name)
CareColumns = record(
    "CareColumns",
    (
        "ac_left",
        "ac_start",
        "contact_new_until",
        "first_discharge",
        "last_discharge",
        "contacts_13",
        "hope",
        "contact",
        "strength",
    ),
)


@numba.njit(cache=True)
def aftercare_week(u, week, service_open, p, k_contact, k_change):
    """Each user in aftercare this week (weeks left, started): a contact, a change of contact person,
    the contact's strength, early contacts, hope from peer staff at a contact, and a week less.
    Returns those whose aftercare ran out, ascending."""
    ac_left = u.ac_left
    out = np.empty(len(ac_left), np.int64)
    n = 0
    chance = contact_chance(service_open, p)
    for i in range(len(ac_left)):
        if ac_left[i] <= 0 or week < u.ac_start[i]:
            continue
        c = uniform_at(k_contact, i) < chance
        u.contact[i] = c
        if uniform_at(k_change, i) < p.contact_change_chance:
            u.contact_new_until[i] = week + CONTACT_PERSON_NEW_WEEKS
        if c:
            u.strength[i] = contact_strength(week < u.contact_new_until[i], p)
            if counts_as_early_contact(week, u.first_discharge[i], u.last_discharge[i]):
                u.contacts_13[i] += 1
            if p.peer_staff_on:
                u.hope[i] = hope_after_peer_contact(u.hope[i], p)
        left = ac_left[i] - 1
        ac_left[i] = left
        if left <= 0:
            out[n] = i
            n += 1
    return out[:n].copy()
