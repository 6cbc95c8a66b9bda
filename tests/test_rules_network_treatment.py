"""Network ties and support (brief 3, 4.5), treatment and aftercare (4.1-4.2), drift (4.8)."""

import numpy as np
from conftest import discharged_model, make_model

from sim.aftercare import aftercare_step, environment
from sim.codes import (
    ABSTINENT,
    AFTERCARE_HOUSING,
    ENGAGED,
    STABLE,
    TREATMENT,
    UNSTABLE,
    USING,
    WITHDRAWN,
)
from sim.drift import drift_step
from sim.network import network_step
from sim.soc import soc13
from sim.treatment import treatment_step


def test_using_ties_fade_while_abstinent_and_regrow_while_using():
    """Old using ties are cut or fade while abstinent (seed 003, L3018-3022) and come back with use."""
    m = discharged_model()
    u = m.users
    u.status[:] = ABSTINENT
    start = u.using_ties.mean()
    for _ in range(26):
        network_step(m)
    faded = u.using_ties.mean()
    assert faded < 0.8 * start
    u.status[:] = USING
    for _ in range(10):
        network_step(m)
    assert u.using_ties.mean() > faded


def test_activity_and_aftercare_housing_add_sober_ties():
    """Work, activities and aftercare housing add sober ties (seed 003, L3030-3036, L3428-3436)."""
    res = {}
    for act in (False, True):
        m = discharged_model(seed=2)
        u = m.users
        u.status[:] = ABSTINENT
        u.activity[:] = act
        u.housing[:] = AFTERCARE_HOUSING if act else STABLE
        s0 = u.sober_ties.copy()
        for _ in range(26):
            u.activity[:] = act
            network_step(m)
        res[act] = (u.sober_ties - s0).mean()
    assert res[True] > res[False]


def test_relatives_strain_depletes_support_and_withdrawn_relatives_condemn():
    """Informal support depletes with relatives' strain (seed 004, L1326-1336); condemning ties are negative."""
    m = discharged_model(seed=3)
    r, u = m.relatives, m.users
    r.coping[:] = ENGAGED
    r.burnout[:] = False
    r.strain[:] = 0.0
    network_step(m)
    fresh = u.support.copy()
    r.strain[:] = 0.9
    network_step(m)
    strained = u.support.copy()
    r.coping[:] = WITHDRAWN
    network_step(m)
    assert fresh.mean() > strained.mean() > u.support.mean()


def test_structural_stigma_lowers_gaining_housing_and_work():
    """Structural stigma keeps housing and work out of reach (seed 003, L525-533, L563-566)."""
    res = {}
    for stigma in (0.0, 1.0):
        m = discharged_model(n_users=2000, seed=4, structural_stigma=stigma)
        u = m.users
        u.status[:] = ABSTINENT
        u.activity[:] = False
        u.housing[:] = UNSTABLE
        for _ in range(20):
            network_step(m)
            m.week += 1  # draws are per week (sim/rng.py): each call is a new week
        res[stigma] = u.activity.mean() + (u.housing == STABLE).mean()
    assert res[1.0] < res[0.0]


def test_discharge_enters_aftercare_when_offered():
    """Users leaving treatment enter aftercare when the scenario covers them; not when coverage is 0."""
    for coverage, expect in ((1.0, True), (0.0, False)):
        m = make_model(n_users=300, discharge_spread_weeks=1, aftercare_coverage=coverage)
        m.step()
        assert (m.users.ac_left > 0).any() == expect


def test_shame_lowers_and_open_door_raises_treatment_reentry():
    """Relapsed users seek treatment again at a rate lowered by stigma and raised by an open door."""

    def reentry(shame, open_door):
        m = discharged_model(n_users=4000, seed=5, treatment_reentry_rate=0.05, self_quit_rate=0.0)
        u = m.users
        u.status[:] = USING
        u.shame[:] = shame
        u.open_door_until[:] = m.week + (10 if open_door else -10)
        treatment_step(m)
        return (u.status == TREATMENT).mean()

    assert reentry(0.9, False) < reentry(0.1, False)
    assert reentry(0.5, True) > reentry(0.5, False)


def test_service_closes_in_holiday_weeks():
    """With closure weeks, the aftercare service gives no contacts in the holiday weeks (seed 003, L458-460)."""
    m = discharged_model(
        aftercare_coverage=1.0,
        aftercare_closure_weeks=4,
        aftercare_contacts_per_week=1.0,
        aftercare_start_delay_weeks=0,
    )
    m.week = 28
    environment(m)
    assert not m.aftercare.service_open
    aftercare_step(m)
    assert not m.users.ac_contact.any()
    m.week = 10
    environment(m)
    aftercare_step(m)
    assert m.users.ac_contact.any()


def test_programme_closure_ends_aftercare():
    """Fragile funding: when the programme closes, aftercare ends for everyone (seed 003, L468-474)."""
    m = discharged_model(aftercare_coverage=1.0, programme_closure_per_year=0.0)
    assert (m.users.ac_left > 0).any()
    m.p.programme_closure_per_year = 52.0  # closes with certainty this week
    environment(m)
    assert not m.aftercare.programme_open
    assert (m.users.ac_left == 0).all()


def test_new_contact_person_weakens_contacts():
    """A change of contact person halves a contact's effect for 8 weeks (seed 003, L389-396)."""
    m = discharged_model(
        aftercare_coverage=1.0,
        aftercare_contacts_per_week=1.0,
        aftercare_start_delay_weeks=0,
        aftercare_contact_changes_per_year=52.0,
        aftercare_closure_weeks=0,
    )
    m.week = 5
    environment(m)
    aftercare_step(m)
    c = m.users.ac_contact
    assert c.any() and np.allclose(m.aftercare.contact_strength[c], 0.5)


def test_soc_is_stable_but_not_fixed_and_bounded():
    """SOC drifts slowly (T10): 5-year autocorrelation about 0.6 when nothing else changes; scales stay bounded."""
    m = discharged_model(n_users=2000, resources_soc_gain=0.0)
    r = m.relatives
    start = r.soc13.copy()
    for w in range(260):
        m.week = w
        drift_step(m)
    corr = np.corrcoef(start, r.soc13)[0, 1]
    assert 0.45 < corr < 0.75
    u = m.users
    s = soc13(u.comp, u.manage, u.meaning)
    assert s.min() >= 13 and s.max() <= 91
    assert u.hope.min() >= 8 and u.hope.max() <= 64
    assert u.shame.min() >= 0 and u.shame.max() <= 1


def test_resources_raise_soc():
    """Generalized resistance resources (support, housing, activity) raise SOC over time."""
    res = {}
    for has in (False, True):
        m = discharged_model(n_users=1000, seed=9)
        u = m.users
        for w in range(104):
            u.support[:] = 0.8 if has else 0.2
            u.activity[:] = has
            u.housing[:] = STABLE if has else UNSTABLE
            m.week = w
            drift_step(m)
        res[has] = soc13(u.comp, u.manage, u.meaning).mean()
    assert res[True] > res[False] + 2


def test_public_stigma_raises_shame():
    """Shame returns to a higher level under more public stigma (seed 003, L960-974)."""
    res = {}
    for stigma in (0.0, 1.0):
        m = discharged_model(seed=10, public_stigma=stigma)
        for w in range(52):
            m.week = w
            drift_step(m)
        res[stigma] = m.users.shame.mean()
    assert res[1.0] > res[0.0]


def test_integration_deepens_with_time_abstinent():
    """'White knuckles' early; change integrates with time abstinent (seed 002, L42)."""
    m = discharged_model()
    m.users.status[:] = ABSTINENT
    i0 = m.users.integration.copy()
    for w in range(52):
        m.week = w
        drift_step(m)
    assert (m.users.integration > i0).all()


def test_soc_drift_pass_equals_the_array_formula():
    """The compiled SOC drift (sim/drift/kernel.py) gives the numbers of the array formula with the
    same normal shocks, drawn in the documented order from the "drift" Generator."""
    from sim.drift.kernel import soc_drift as _soc_drift
    from sim.soc import LOADING

    m = discharged_model(seed=6)
    u, r, p = m.users, m.relatives, m.p
    rho = p.soc_persistence_4w
    noise = np.sqrt(1.0 - rho**2)
    before = {k: getattr(u, k).copy() for k in ("comp", "manage", "meaning")}
    soc_r = r.soc13.copy()
    present = np.arange(r.n) % 3 != 0
    gen = np.random.default_rng(42)
    common = gen.standard_normal(u.n)
    resources = (u.support > 0.5).astype(float) + (u.housing != 1) + u.activity
    expected = {}
    for name in ("comp", "manage", "meaning"):
        z = LOADING * common + np.sqrt(1.0 - LOADING**2) * gen.standard_normal(u.n)
        x = u.soc_item_mean + rho * (before[name] - u.soc_item_mean) + noise * u.soc_item_sd * z
        expected[name] = np.clip(x + p.resources_soc_gain * resources, 1.0, 7.0)
    expected_r = np.clip(
        p.relatives_soc13_mean
        + rho * (soc_r - p.relatives_soc13_mean)
        + noise * p.soc13_sd * gen.standard_normal(r.n),
        13.0,
        91.0,
    )
    _soc_drift(
        np.random.default_rng(42),
        u.status,
        u.comp,
        u.manage,
        u.meaning,
        u.soc_item_mean,
        u.soc_item_sd,
        u.support,
        u.housing,
        u.activity,
        rho,
        noise,
        LOADING,
        p.resources_soc_gain,
        r.soc13,
        present,
        p.relatives_soc13_mean,
        p.soc13_sd,
    )
    for name in ("comp", "manage", "meaning"):
        assert np.allclose(getattr(u, name), expected[name], rtol=0, atol=1e-12), name
    # relatives not present (their user away: ODD 7.1a) keep their SOC; their shocks are drawn
    assert np.allclose(r.soc13[present], expected_r[present], rtol=0, atol=1e-12)
    assert np.array_equal(r.soc13[~present], soc_r[~present])
