"""Network rules (sim/network/rules.py, ODD 7.6): sizes against the ODD's formulas written out by
hand, directions, ranges on random inputs, and the step against the rules.

No kernel of the network filters people by a bound on a chance, so there is no ``*_bound`` to
test here; instead the chances and support are checked to stay in their ranges over the whole
parameter registry (and that check fails for a rule changed out of range)."""

from types import SimpleNamespace

import numba
import numpy as np
import pytest
from conftest import discharged_model

from sim.codes import (
    ABSTINENT,
    AFTERCARE_HOUSING,
    DEAD,
    ENGAGED,
    LIMIT,
    STABLE,
    TOLERANT,
    UNSTABLE,
    USING,
    WITHDRAWN,
)
from sim.network import KIN_SUMS, REBUILD_INTERVAL, network_step
from sim.network import rules as R
from sim.params import PARAMS, defaults


@pytest.fixture
def d():
    return SimpleNamespace(**defaults())


@pytest.fixture
def p(d):
    return R.network_params(d)


def test_record_has_the_parameters(d, p):
    for name in p._fields:
        assert getattr(p, name) == getattr(d, name), name


# ------------------------------------------------------------------------------ ties


def test_using_ties_cut_size_and_direction(p):
    fade = p.using_tie_fade
    assert R.using_ties_cut(5.0, False, 0.2, p) == pytest.approx(5.0 * (1 - fade * (1 + 0.2)))
    assert R.using_ties_cut(5.0, True, 0.2, p) == pytest.approx(5.0 * (1 - fade * (2 + 0.2)))
    # faster in aftercare housing and with integration; never below 0 (at most all are cut)
    assert R.using_ties_cut(5.0, True, 0.0, p) < R.using_ties_cut(5.0, False, 0.0, p)
    assert R.using_ties_cut(5.0, False, 0.9, p) < R.using_ties_cut(5.0, False, 0.1, p)
    q = p._replace(using_tie_fade=0.8)
    assert R.using_ties_cut(5.0, True, 1.0, q) == 0.0


def test_using_ties_regrown_size_and_direction(p):
    regain = p.using_tie_regain
    assert R.using_ties_regrown(1.0, 6.0, p) == pytest.approx(1.0 + regain * (6.0 - 1.0))
    assert 1.0 < R.using_ties_regrown(1.0, 6.0, p) < 6.0  # towards the starting ties
    assert R.using_ties_regrown(6.0, 6.0, p) == 6.0


def test_sober_ties_fade_and_gain_sizes_and_directions(d, p):
    assert R.sober_ties_faded(3.0, p) == pytest.approx(3.0 * (1 - d.sober_tie_fade))
    assert R.sober_ties_faded(3.0, p) <= 3.0
    back = d.sober_tie_return * (1 - 0.5 * d.public_stigma)
    assert R.sober_ties_gained(False, False, p) == pytest.approx(back)
    assert R.sober_ties_gained(True, False, p) == pytest.approx(back + d.activity_tie_gain)
    assert R.sober_ties_gained(True, True, p) == pytest.approx(back + 2 * d.activity_tie_gain)
    # public stigma keeps old friends away
    stigma = R.network_params(SimpleNamespace(**{**defaults(), "public_stigma": 1.0}))
    assert R.sober_ties_gained(False, False, stigma) < R.sober_ties_gained(False, False, p)


# ------------------------------------------------------------------------------ resources


def test_resource_chances_sizes_and_directions(d, p):
    levers = (1 - 0.6 * d.structural_stigma) * (1 + d.welfare_integration)
    assert R.activity_gain_chance(p) == pytest.approx(d.gain_activity_rate * levers)
    assert R.housing_gain_chance(p) == pytest.approx(d.gain_housing_rate * levers)
    assert R.resource_loss_chance(p) == d.lose_on_relapse
    stigma = p._replace(structural_stigma=1.0)
    welfare = p._replace(welfare_integration=1.0)
    for chance in (R.activity_gain_chance, R.housing_gain_chance):
        assert chance(stigma) < chance(p._replace(structural_stigma=0.0))
        assert chance(welfare) > chance(p._replace(welfare_integration=0.0))


# ------------------------------------------------------------------------------ support


def test_relative_support_size_and_direction(d, p):
    w, dep = d.support_weight_relative, d.support_depletion
    for c, k in ((ENGAGED, 1.0), (LIMIT, 1.0), (TOLERANT, 0.6), (WITHDRAWN, d.withdrawn_support)):
        assert R.relative_support(c, 0.4, False, p) == pytest.approx(k * w * (1 - dep * 0.4))
        assert R.relative_support(c, 0.4, True, p) == 0.0  # none in burnout
    # strain depletes support; withdrawn relatives condemn (negative by default)
    assert R.relative_support(ENGAGED, 0.9, False, p) < R.relative_support(ENGAGED, 0.1, False, p)
    assert R.relative_support(WITHDRAWN, 0.0, False, p) < 0.0


def test_support_size_and_direction(d, p):
    raw = R.support_raw(2.0, 1.5, 0.7, True, 0.5, p)
    assert raw == pytest.approx(2.0 + 1.5 + 0.7 + d.support_weight_group + 0.5)
    assert R.support_raw(0.0, 0.0, -3.0, False, 0.0, p) == 0.0  # at least 0
    assert R.support(raw, p) == pytest.approx(raw / (raw + d.support_half_ties))
    assert R.support(d.support_half_ties, p) == pytest.approx(0.5)  # half at the half point
    assert R.support(5.0, p) > R.support(4.0, p)
    assert R.support_raw(1.0, 0.0, 0.0, True, 0.0, p) > R.support_raw(1.0, 0.0, 0.0, False, 0.0, p)


def test_lonely_size():
    assert R.lonely(0.2, 0.5, 0.4)
    assert not R.lonely(0.3, 0.5, 0.4)  # support 0.25 or more
    assert not R.lonely(0.2, 0.6, 0.4)  # one sober tie and peer together
    assert not R.lonely(0.2, 1.0, 0.0)


# ------------------------------------------------------------------------------ exposure


def test_exposure_sizes_and_direction():
    # 4 weighted ties, 3 of them sober: a quarter use
    assert R.using_share(4.0, 3.0, 0.25) == pytest.approx(0.25)
    assert R.using_share(0.0, 0.0, 0.0) == 0.0  # the isolated
    assert R.exposure(0.25, 2.0, 0.25, 0.5) == pytest.approx(0.25 + 0.5 * 2.0 * 0.25)
    assert R.exposure(0.25, 2.0, 0.25, 0.0) == 0.25  # no second step at decay 0
    assert R.exposure(0.25, 2.0, 0.25, 0.6) > R.exposure(0.25, 2.0, 0.25, 0.3)


def test_rebuild_due():
    assert R.rebuild_due(True, REBUILD_INTERVAL * 3, True)
    assert not R.rebuild_due(True, REBUILD_INTERVAL * 3 + 1, True)
    assert R.rebuild_due(True, REBUILD_INTERVAL * 3 + 1, False)  # never built: at once
    assert not R.rebuild_due(False, REBUILD_INTERVAL * 3, True)  # no tie changed


# ------------------------------------------------------------------------------ ranges

N_SETS = 3000  # parameter sets drawn uniformly over the registry's ranges


def _random_params(rng: np.random.Generator) -> list[tuple]:
    out = []
    for _ in range(N_SETS):
        values = {q.name: rng.uniform(q.low, q.high) for q in PARAMS}
        out.append(R.network_params(SimpleNamespace(**values)))
    return out


@numba.njit
def _worst(p, states, activity, housing, loss, support):
    """(smallest chance, largest chance, smallest support, largest support) over the states."""
    lo = min(activity(p), housing(p), loss(p))
    hi = max(activity(p), housing(p), loss(p))
    s_lo, s_hi = np.inf, -np.inf
    for k in range(len(states)):
        s = support(states[k], p)
        s_lo, s_hi = min(s_lo, s), max(s_hi, s)
    return lo, hi, s_lo, s_hi


def _ranges(
    rng,
    activity=R.activity_gain_chance,
    housing=R.housing_gain_chance,
    loss=R.resource_loss_chance,
    support=R.support,
):
    raw = np.concatenate([[0.0, 1e6], rng.uniform(0.0, 40.0, 20)])
    found = np.array(
        [_worst(p, raw, activity, housing, loss, support) for p in _random_params(rng)]
    )
    return found[:, 0].min(), found[:, 1].max(), found[:, 2].min(), found[:, 3].max()


def test_chances_and_support_stay_in_range():
    lo, hi, s_lo, s_hi = _ranges(np.random.default_rng(4))
    assert 0.0 <= lo and hi <= 1.0
    assert 0.0 <= s_lo and s_hi < 1.0


@numba.njit
def _activity_x20(p):  # a change of the rule that leaves the range
    return 20.0 * R.activity_gain_chance(p)


@numba.njit
def _support_unsaturated(raw, p):  # support without saturation
    return raw / p.support_half_ties


def test_the_range_test_bites():
    assert _ranges(np.random.default_rng(4), activity=_activity_x20)[1] > 1.0
    assert _ranges(np.random.default_rng(4), support=_support_unsaturated)[3] >= 1.0


# ------------------------------------------------------------------------------ the step


def _binomial_z(hits: np.ndarray, chances: np.ndarray) -> float:
    return float((hits.sum() - chances.sum()) / np.sqrt((chances * (1 - chances)).sum()))


def test_resource_gains_through_the_step():
    """Everyone abstinent, without activity, in unstable housing: the shares gaining are the
    rules' chances (|z| < 4)."""
    m = discharged_model(n_users=4000, seed=21, gain_activity_rate=0.05, gain_housing_rate=0.03)
    u = m.users
    u.status[:] = ABSTINENT
    u.activity[:] = False
    u.housing[:] = UNSTABLE
    network_step(m)
    p = R.network_params(m.p)
    assert abs(_binomial_z(u.activity, np.full(m.n_users, R.activity_gain_chance(p)))) < 4
    gained = u.housing == STABLE
    assert abs(_binomial_z(gained, np.full(m.n_users, R.housing_gain_chance(p)))) < 4


def test_resource_losses_through_the_step():
    """Everyone using, with activity and stable housing: each is lost with ``lose_on_relapse``."""
    m = discharged_model(n_users=4000, seed=22, lose_on_relapse=0.1)
    u = m.users
    u.status[:] = USING
    u.activity[:] = True
    u.housing[:] = STABLE
    network_step(m)
    chances = np.full(m.n_users, m.p.lose_on_relapse)
    assert abs(_binomial_z(~u.activity, chances)) < 4
    assert abs(_binomial_z(u.housing == UNSTABLE, chances)) < 4


def test_ties_through_the_step():
    """One week of ties outside the cohort is the rules' formulas for every user."""
    m = discharged_model(n_users=500, seed=23)
    u, d = m.users, m.p
    u.status[:] = np.where(np.arange(m.n_users) % 2 == 0, ABSTINENT, USING)
    u.housing[::3] = AFTERCARE_HOUSING
    u0, s0 = u.using_ties.copy(), u.sober_ties.copy()
    in_house = u.housing == AFTERCARE_HOUSING
    act = u.activity.copy()
    network_step(m)
    ab = u.status == ABSTINENT
    cut = u0 * (1 - np.minimum(d.using_tie_fade * (1 + in_house + u.integration), 1))
    regrown = u0 + d.using_tie_regain * (u.base_using_ties - u0)
    assert np.allclose(u.using_ties, np.where(ab, cut, regrown), rtol=1e-14, atol=0)
    gain = d.sober_tie_return * (1 - 0.5 * d.public_stigma) + d.activity_tie_gain * (
        act.astype(int) + in_house
    )
    sober = s0 * (1 - d.sober_tie_fade) + np.where(ab, gain, 0.0)
    assert np.allclose(u.sober_ties, sober, rtol=1e-14, atol=0)


def test_support_and_kin_sums_through_the_step():
    """Support, loneliness and the sums over kin are the ODD's formulas, computed here in numpy
    from the kin and peer matrices."""
    m = discharged_model(n_users=800, seed=24)
    r, u, d, net = m.relatives, m.users, m.p, m.network
    r.coping[:] = np.arange(r.n) % 4
    r.burnout[::5] = True
    network_step(m)
    by_coping = np.array([1.0, 0.6, d.withdrawn_support, 1.0])[r.coping]
    weight = np.where(
        r.burnout, 0.0, d.support_weight_relative * by_coping * (1 - d.support_depletion * r.strain)
    )
    from_kin = net.kin @ weight
    peers = net.peer @ ((u.status != USING) & (u.status != DEAD)).astype(float)  # the dead: none
    raw = u.sober_ties + peers + from_kin + d.support_weight_group * u.attended + u.ac_contact
    raw = np.maximum(raw, 0.0)
    support = raw / (raw + d.support_half_ties)
    assert np.allclose(u.support, support, rtol=1e-12, atol=1e-15)
    assert np.array_equal(u.lonely, (support < 0.25) & (u.sober_ties + peers < 1.0))
    n_kin = np.asarray(net.kin.sum(axis=1)).ravel()
    assert np.array_equal(net.n_kin, n_kin)
    assert np.array_equal(net.kin_enabling, net.kin @ (r.coping == TOLERANT).astype(float))
    assert np.array_equal(net.kin_limit, net.kin @ (r.coping == LIMIT).astype(float))
    low = (net.kin @ (1 - r.hope_user)) / np.maximum(n_kin, 1)
    assert np.allclose(net.kin_low_hope, low, rtol=1e-14, atol=0)


def test_kin_sums_are_declared():
    """The network's sums over kin are exactly the declared columns, at their types and length."""
    m = discharged_model()
    for c in KIN_SUMS:
        x = getattr(m.network, c.name)
        assert x.dtype == np.dtype(c.dtype) and len(x) == m.n_users, c.name
        assert c.label
    for name in ("kin_enabling", "kin_limit", "kin_low_hope"):
        assert not hasattr(m, name)  # owned by the network, not hung on the model
