"""What aftercare holds and hands the other processes: ``model.aftercare``.

This week's contact strength of each user (read by the relapse hazard), whether the service is
open this week and whether the programme still runs (process 1, the environment), and the
aftercare housing slots (flats of ``housing_unit_size`` filled in order; who holds each slot).
The users' aftercare columns are declared here too (``COLUMNS``); the propensities that decide
the offers at discharge (``u_offer``, ...) are drawn at set-up in sim/agents/users.py (``SET_UP``).
"""

from __future__ import annotations

import numpy as np

from sim.state import Column, allocate

COLUMNS = (
    Column("ac_left", np.int32, 0, "weeks of aftercare left"),
    Column("ac_start", np.int32, -1, "week aftercare starts (-1: never offered)"),
    Column("ac_contact", np.bool_, False, "an aftercare contact this week"),
    Column(
        "ac_contacts_13",
        np.int16,
        0,
        "aftercare contacts in the 13 weeks after the first discharge",
    ),
    Column("contact_new_until", np.int32, -1, "the contact person is new until this week"),
    Column(
        "open_door_until",
        np.int32,
        -1,
        "treatment's door is open (easier re-entry) until this week",
    ),
    Column("referred", np.bool_, False, "referred to self-help at the latest discharge"),
    Column("ever_referred", np.bool_, False, "ever referred to self-help"),
    Column("ever_aftercare", np.bool_, False, "ever offered aftercare"),
    Column("house", np.int32, -1, "flat in aftercare housing (-1: none)"),
    Column("aq_since", np.int32, -1, "week the user joined the aftercare queue (-1: not waiting)"),
    Column("aq_weeks", np.int32, 0, "weeks waited for an aftercare place (finished waits)"),
    Column(
        "aq_offers", np.int32, 0, "aftercare offers needing a place (started at once or queued)"
    ),
)

SET_UP = (
    Column("u_offer", np.float64, 0.0, "propensity: offered aftercare if below the coverage"),
    Column(
        "u_refer", np.float64, 0.0, "propensity: referred to self-help if below the referral share"
    ),
    Column(
        "u_plan",
        np.float64,
        0.0,
        "propensity: aftercare planned before discharge if below the share",
    ),
    Column("u_house", np.float64, 0.0, "propensity: offered aftercare housing if below the share"),
    Column("u_activity", np.float64, 0.0, "propensity: offered an activity if below the share"),
)

USER_WEEK = (
    Column(
        "contact_strength", np.float64, 0.0, "strength of this week's aftercare contact (0 if none)"
    ),
)


class Aftercare:
    """The aftercare service's state (``model.aftercare``)."""

    def __init__(self, n_users: int):
        allocate(self, USER_WEEK, n_users)
        self.service_open = True  # this week (holiday closures)
        self.programme_open = True  # until the programme closes for good
        self.next_house_slot = 0  # the next free slot in aftercare housing
        self.slot_owner = np.zeros(0, np.int32)  # the user in each slot taken so far
