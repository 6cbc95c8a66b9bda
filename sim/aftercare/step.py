"""The aftercare process's weekly step: follow-up contacts (ODD 7.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.aftercare.enrol import end
from sim.aftercare.kernel import CareColumns, aftercare_week
from sim.aftercare.rules import aftercare_params

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def aftercare_step(model: RecoveryModel) -> None:
    """Weekly follow-up contacts for users in aftercare, with closures and changes of contact person.

    Contact strength: more contacts per week give more, with diminishing returns; a new contact
    person gives half the effect for 8 weeks (seed 003, L389-396). One compiled pass over the
    users in aftercare (``aftercare_week``); those whose aftercare ran out end it here."""
    u, ac, week = model.users, model.aftercare, model.week
    u.ac_contact = np.zeros(u.n, bool)
    ac.contact_strength = np.zeros(u.n)
    cols = CareColumns(
        u.ac_left,
        u.ac_start,
        u.contact_new_until,
        u.first_discharge,
        u.last_discharge,
        u.ac_contacts_13,
        u.hope,
        u.ac_contact,
        ac.contact_strength,
    )
    ending = aftercare_week(
        cols,
        week,
        ac.service_open,
        aftercare_params(model.p),
        model.streams.key("aftercare_contact", week),
        model.streams.key("aftercare_change", week),
    )
    end(model, ending)
