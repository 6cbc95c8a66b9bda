"""What aftercare holds and hands the other processes: ``model.aftercare``.

This week's contact strength of each user (read by the relapse hazard), whether the service is
open this week and whether the programme still runs (process 1, the environment), and the
aftercare housing slots (flats of ``housing_unit_size`` filled in order; who holds each slot).
The users' aftercare columns (``ac_left``, ``ac_contact``, ...) are in sim/agents/users.py.
"""

from __future__ import annotations

import numpy as np

from sim.state import Column, allocate

USER_WEEK = (
    Column("contact_strength", np.float64, 0.0, "strength of this week's aftercare contact (0 if none)"),
)


class Aftercare:
    """The aftercare service's state (``model.aftercare``)."""

    def __init__(self, n_users: int):
        allocate(self, USER_WEEK, n_users)
        self.service_open = True  # this week (holiday closures)
        self.programme_open = True  # until the programme closes for good
        self.next_house_slot = 0  # the next free slot in aftercare housing
        self.slot_owner = np.zeros(0, np.int32)  # the user in each slot taken so far
