"""Sizes of the drift rules (sim/drift/rules.py) against the ODD's formulas."""

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model

from sim.codes import ABSTINENT, TREATMENT, USING
from sim.drift import drift_step
from sim.drift.rules import (
    drift_params,
    hope_level,
    integration_next,
    relative_soc13_next,
    shame_level,
    soc_component_next,
    towards,
)
from sim.params import defaults

P = SimpleNamespace(**defaults())
DP = drift_params(P)


def test_hope_and_shame_levels():
    """Hope returns to mean - 8 while using, mean + gain x min(weeks, 104) while abstinent, else the
    mean; shame to 0.2 + public_stigma_shame x public_stigma, + 0.15 while using."""
    m, g = P.users_hope_mean, P.abstinence_hope_gain
    assert hope_level(True, False, 30, DP) == pytest.approx(m - 8)
    assert hope_level(False, True, 30, DP) == pytest.approx(m + g * 30)
    assert hope_level(False, True, 500, DP) == pytest.approx(m + g * 104)
    assert hope_level(False, False, 30, DP) == pytest.approx(m)
    level = 0.2 + P.public_stigma_shame * P.public_stigma
    assert shame_level(False, DP) == pytest.approx(level)
    assert shame_level(True, DP) == pytest.approx(level + 0.15)


def test_towards_and_integration():
    assert towards(40.0, 50.0, 0.1, 8.0, 64.0) == pytest.approx(41.0)
    assert towards(0.9, 2.0, 0.5, 0.0, 1.0) == 1.0
    gain = P.integration_gain
    assert integration_next(0.4, False, True, DP) == pytest.approx(0.4 + gain * 0.6)
    assert integration_next(0.4, True, False, DP) == pytest.approx(0.4 * 0.98)
    assert integration_next(0.4, False, False, DP) == 0.4


def test_soc_rules():
    """A component: item mean + rho (x - item mean) + noise x SD x z + gain x resources, in 1-7;
    a relative's SOC-13: mean + rho (x - mean) + noise x SD x z, in 13-91."""
    v = soc_component_next(5.0, 4.0, 0.8, 0.5, 2, 0.9, 0.3, 0.05)
    assert v == pytest.approx(4.0 + 0.9 * 1.0 + 0.3 * 0.8 * 0.5 + 0.05 * 2)
    assert soc_component_next(6.9, 4.0, 0.8, 5.0, 3, 0.9, 0.3, 0.05) == 7.0
    assert relative_soc13_next(60.0, 55.0, 12.0, -0.5, 0.9, 0.4) == pytest.approx(
        55 + 0.9 * 5 + 0.4 * 12 * -0.5
    )
    assert relative_soc13_next(20.0, 55.0, 12.0, -9.0, 0.9, 0.4) == 13.0


def test_weekly_drift_through_the_step():
    """Through the step (a week without the SOC update): each user's hope, shame and integration move
    by the formulas."""
    m = discharged_model(n_users=300)
    u, p = m.users, m.p
    m.week = 0
    u.status[:] = np.arange(u.n) % 3
    u.weeks_in_status[:] = np.arange(u.n) % 150
    hope, shame, depth = u.hope.copy(), u.shame.copy(), u.integration.copy()
    drift_step(m)
    using, abst = u.status == USING, u.status == ABSTINENT
    assert (u.status == TREATMENT).any()
    target = np.where(
        using,
        p.users_hope_mean - 8,
        np.where(
            abst,
            p.users_hope_mean + p.abstinence_hope_gain * np.minimum(u.weeks_in_status, 104),
            p.users_hope_mean,
        ),
    )
    level = 0.2 + p.public_stigma_shame * p.public_stigma + 0.15 * using
    assert np.allclose(u.hope, np.clip(hope + (1 - p.hope_persistence) * (target - hope), 8, 64))
    assert np.allclose(u.shame, np.clip(shame + (1 - p.shame_persistence) * (level - shame), 0, 1))
    assert np.allclose(
        u.integration,
        np.clip(
            np.where(
                abst, depth + p.integration_gain * (1 - depth), np.where(using, 0.98 * depth, depth)
            ),
            0,
            1,
        ),
    )
