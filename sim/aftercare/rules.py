"""The aftercare rules (ODD 7.1-7.3), one function per sentence."""

from __future__ import annotations

import numba

from sim.records import fill, record

# Weeks of the year the service closes, in the order they are used: summer holiday first,
# then Christmas, Easter, and spread-out weeks standing for sickness (seed 003, L458-460).
CLOSURE_ORDER = (27, 28, 29, 30, 51, 0, 13, 31, 7, 40, 20, 34, 45, 3, 24, 10)

CONTACT_PERSON_NEW_WEEKS = 8  # a new contact person gives half the effect for this long

AftercareParams = record(
    "AftercareParams",
    (
        "contact_chance_open",
        "contact_change_chance",
        "contact_dose",
        "peer_staff_on",
        "peer_staff_hope",
    ),
)


def aftercare_params(p) -> tuple:
    """The :data:`AftercareParams` of the parameters ``p``: a contact each week with chance
    min(contacts per week, 1) while open; a change of contact person with chance changes per
    year / 52; a contact's dose sqrt(max(contacts per week, 1)); hope from peer staff at a contact
    peer_staff_hope_gain x peer_staff."""
    cpw = p.aftercare_contacts_per_week
    return fill(
        AftercareParams,
        p,
        contact_chance_open=float(min(cpw, 1.0)),
        contact_change_chance=float(p.aftercare_contact_changes_per_year / 52.0),
        contact_dose=float(max(cpw, 1.0) ** 0.5),
        peer_staff_on=bool(p.peer_staff > 0),
        peer_staff_hope=float(p.peer_staff_hope_gain * p.peer_staff),
    )


def service_open_in(week: int, closure_weeks: int) -> bool:
    """The service is open unless the week of the year is among the first ``closure_weeks`` of
    ``CLOSURE_ORDER``."""
    return (week % 52) not in CLOSURE_ORDER[:closure_weeks]


def programme_closure_chance(per_year: float) -> float:
    """The weekly chance that the programme closes for good: programme_closure_per_year / 52."""
    return per_year / 52.0


@numba.njit(cache=True, inline="always")
def contact_chance(service_open, p):
    """A user in aftercare has a contact this week with chance min(contacts per week, 1) while the
    service is open, none while it is closed."""
    return p.contact_chance_open if service_open else 0.0


@numba.njit(cache=True, inline="always")
def contact_strength(new_person, p):
    """A contact's strength: sqrt(max(contacts per week, 1)), halved while the contact person is new
    (seed 003, L389-396)."""
    return p.contact_dose * (0.5 if new_person else 1.0)


@numba.njit(cache=True, inline="always")
def hope_after_peer_contact(hope, p):
    """With peer staff (peer_staff_on), a contact raises hope by peer_staff_hope_gain x peer_staff
    (at most 64)."""
    return min(hope + p.peer_staff_hope, 64.0)


@numba.njit(cache=True, inline="always")
def counts_as_early_contact(week, first_discharge, last_discharge):
    """A contact counts among the first 13 weeks' contacts within 13 weeks of a first discharge
    (not after a later one)."""
    return week - first_discharge < 13 and last_discharge == first_discharge
