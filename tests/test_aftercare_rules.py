"""Sizes of the aftercare rules (sim/aftercare/rules.py) against the ODD's formulas. (No kernel
filters by a bound of an aftercare rule.)"""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model

from sim.aftercare import aftercare_step, environment
from sim.aftercare.rules import (
    CLOSURE_ORDER,
    aftercare_params,
    contact_chance,
    contact_strength,
    counts_as_early_contact,
    hope_after_peer_contact,
    programme_closure_chance,
    service_open_in,
)
from sim.params import defaults
from sim.rng import _draw_at

P = SimpleNamespace(**defaults())


def params(**kw):
    return aftercare_params(SimpleNamespace(**dict(vars(P), **kw)))


@pytest.mark.parametrize("cpw", [0.0, 0.3, 0.7, 1.0, 2.0, 3.0])
def test_contact_chance_and_strength(cpw):
    """A contact with chance min(contacts per week, 1) while open, none while closed; its strength
    sqrt(max(contacts per week, 1)), half while the contact person is new."""
    q = params(aftercare_contacts_per_week=cpw)
    assert contact_chance(True, q) == min(cpw, 1.0)
    assert contact_chance(False, q) == 0.0
    assert contact_strength(False, q) == pytest.approx(math.sqrt(max(cpw, 1.0)))
    assert contact_strength(True, q) == pytest.approx(0.5 * math.sqrt(max(cpw, 1.0)))


def test_contact_person_changes_and_peer_staff_hope():
    q = params(aftercare_contact_changes_per_year=2.0, peer_staff=0.5, peer_staff_hope_gain=1.2)
    assert q.contact_change_chance == pytest.approx(2.0 / 52)
    assert q.peer_staff_on and not params(peer_staff=0.0).peer_staff_on
    assert hope_after_peer_contact(40.0, q) == pytest.approx(40.0 + 1.2 * 0.5)
    assert hope_after_peer_contact(63.9, q) == 64.0


def test_early_contacts_count_after_a_first_discharge_only():
    assert counts_as_early_contact(12, 0, 0) and not counts_as_early_contact(13, 0, 0)
    assert not counts_as_early_contact(5, 0, 3)


def test_closures_and_programme_closing():
    """The service closes in the first ``aftercare_closure_weeks`` weeks of CLOSURE_ORDER (of each year);
    the programme closes with chance programme_closure_per_year / 52 a week."""
    closed = {w for w in range(52) if not service_open_in(w, 4)}
    assert closed == set(CLOSURE_ORDER[:4]) == {27, 28, 29, 30}
    assert not service_open_in(52 + 27, 4) and service_open_in(27, 0)
    assert programme_closure_chance(0.26) == pytest.approx(0.005)


def test_aftercare_step_acts_with_the_contact_chance():
    """Through the step: users in aftercare have a contact exactly when their draw is below the chance,
    with the contact's strength."""
    m = discharged_model(
        n_users=2000,
        aftercare_coverage=1.0,
        aftercare_contacts_per_week=0.6,
        aftercare_start_delay_weeks=0,
        aftercare_contact_changes_per_year=0.0,
        aftercare_closure_weeks=0,
    )
    m.week = 3
    environment(m)
    active = (m.users.ac_left > 0) & (m.week >= m.users.ac_start)
    assert active.sum() > 1000
    d = _draw_at(m.streams.key("aftercare_contact", m.week), np.arange(m.users.n, dtype=np.int64))
    aftercare_step(m)
    expected = active & (d < 0.6)
    assert (m.users.ac_contact == expected).all()
    assert np.allclose(m.aftercare.contact_strength[expected], 1.0)
    assert (m.aftercare.contact_strength[~expected] == 0).all()
