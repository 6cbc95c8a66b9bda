"""Sizes of the treatment rules (sim/treatment/rules.py) against the ODD's formulas."""

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model

from sim.codes import ABSTINENT, TREATMENT, USING
from sim.params import defaults
from sim.rng import _draw_at
from sim.treatment import treatment_step
from sim.treatment.rules import discharged, reentry_chance, self_quit_chance, treatment_params

P = SimpleNamespace(**defaults())
TP = treatment_params(P)


@pytest.mark.parametrize("shame", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("open_door", [False, True])
def test_reentry_chance(shame, open_door):
    """Re-entry: treatment_reentry_rate x (1 - stigma_reentry_effect x shame) x (open-door multiplier if open)."""
    expected = (
        P.treatment_reentry_rate
        * (1 - P.stigma_reentry_effect * shame)
        * (P.open_door_reentry_multiplier if open_door else 1.0)
    )
    assert reentry_chance(shame, open_door, TP) == pytest.approx(expected, rel=1e-12)


def test_reentry_chance_other_parameters():
    q = SimpleNamespace(
        **dict(
            vars(P),
            treatment_reentry_rate=0.05,
            stigma_reentry_effect=0.2,
            open_door_reentry_multiplier=4.0,
        )
    )
    assert reentry_chance(0.5, True, treatment_params(q)) == pytest.approx(
        0.05 * (1 - 0.2 * 0.5) * 4.0
    )


def test_self_quit_chance_and_discharge():
    assert self_quit_chance(TP) == P.self_quit_rate
    assert discharged(0) and discharged(-1) and not discharged(1)


def test_treatment_step_acts_with_the_chances():
    """Through the step: users who use re-enter exactly when their draw is below the re-entry chance,
    and quit when it is within the next self_quit_rate."""
    m = discharged_model(n_users=3000, treatment_reentry_rate=0.05, self_quit_rate=0.04)
    u = m.users
    u.status[:] = USING
    rng = np.random.default_rng(3)
    u.shame[:] = rng.uniform(0, 1, u.n)
    u.open_door_until[:] = np.where(rng.random(u.n) < 0.5, m.week + 5, m.week - 5)
    shame, door = u.shame.copy(), m.week < u.open_door_until
    d = _draw_at(m.streams.key("treatment", m.week), np.arange(u.n, dtype=np.int64))
    chance = np.array([reentry_chance(s, o, treatment_params(m.p)) for s, o in zip(shame, door)])
    treatment_step(m)
    entered = d < chance
    quit_ = ~entered & (d < chance + m.p.self_quit_rate)
    assert entered.sum() > 50 and quit_.sum() > 50
    assert (u.status[entered] == TREATMENT).all() and u.crisis[entered].all()
    assert (u.status[quit_] == ABSTINENT).all()
    assert (u.status[~entered & ~quit_] == USING).all()
