"""Relatives' rules (sim/relatives/rules.py): sizes against the ODD's formulas written out by hand,
and the bounds the decisions pass filters by (each chance never above its bound, and the bound
test fails for a rule changed without its bound)."""

from types import SimpleNamespace

import numba
import numpy as np
import pytest
from conftest import discharged_model

from sim.codes import ENGAGED, LIMIT, TOLERANT, USING, WITHDRAWN
from sim.params import PARAMS, defaults
from sim.relatives import relatives_step
from sim.relatives import rules as R

CODES = (ENGAGED, TOLERANT, WITHDRAWN, LIMIT)


@pytest.fixture
def p():
    return R.relatives_params(SimpleNamespace(**defaults()))


# ------------------------------------------------------------------------------ the record


def test_record_has_the_parameters_and_the_derived_fields():
    d = SimpleNamespace(**defaults())
    p = R.relatives_params(d)
    assert p.burnout_recovery_rate == d.burnout_recovery_rate
    assert p.coping_to_enabling == d.coping_to_enabling
    assert p.shame_level == 0.3 + d.public_stigma_shame * d.public_stigma
    assert p.helpseek_visibility == 1.0 + 2.0 * d.relatives_info_visibility
    fs = d.relatives_female_share
    norm = d.helpseek_female_ratio * fs + (1.0 - fs)
    assert p.helpseek_weight_female == d.helpseek_female_ratio / norm
    assert p.helpseek_weight_male == 1.0 / norm
    # the mean weight over relatives is 1 (women ``helpseek_female_ratio`` times as likely)
    assert fs * p.helpseek_weight_female + (1 - fs) * p.helpseek_weight_male == pytest.approx(1.0)
    assert p.helpseek_strain_norm == 1.0 / (
        1.0 + d.helpseek_strain_effect * d.relatives_initial_strain_mean
    )
    assert p.relatives_gp_rate == d.relatives_gp_rate


# ------------------------------------------------------------------------------ sizes


def test_burnout_onset_size(p):
    th, r = p.burnout_threshold, p.burnout_onset_rate
    assert R.burnout_onset_chance(0.8, p) == pytest.approx(r * (0.8 - th) / (1 - th))
    assert R.burnout_onset_chance(1.0, p) == pytest.approx(r)
    assert R.burnout_onset_chance(th - 0.01, p) == 0.0
    assert R.burnout_onset_chance(0.0, p) == 0.0


def test_burnout_recovery_size(p):
    r = p.burnout_recovery_rate
    assert R.burnout_recovery_chance(0.4, True, p) == pytest.approx(r * 2 * (1 - 0.5 * 0.4))
    assert R.burnout_recovery_chance(0.4, False, p) == pytest.approx(r * 1 * (1 - 0.5 * 0.4))
    assert R.burnout_recovery_chance(0.0, True, p) == pytest.approx(2 * r)
    assert R.burnout_recovery_chance(1.0, False, p) == pytest.approx(0.5 * r)


def test_helpseek_size(p):
    d = SimpleNamespace(**defaults())
    fs = d.relatives_female_share
    norm = d.helpseek_female_ratio * fs + (1 - fs)
    visible = 1 + 2 * d.relatives_info_visibility
    base, event, effect = d.helpseek_base, d.helpseek_event, d.helpseek_shame_effect
    woman, man = d.helpseek_female_ratio / norm, 1 / norm
    e, s0 = d.helpseek_strain_effect, d.relatives_initial_strain_mean

    def strain(x):  # the strain factor, 1 at the mean strain at the start
        return (1 + e * x) / (1 + e * s0)

    assert R.helpseek_chance(0.5, True, True, s0, False, p) == pytest.approx(
        (base + event) * (1 - effect * 0.5) * visible * woman
    )
    assert R.helpseek_chance(0.5, True, False, 0.3, False, p) == pytest.approx(
        (base + event) * (1 - effect * 0.5) * visible * man * strain(0.3)
    )
    assert R.helpseek_chance(0.2, False, True, 0.9, False, p) == pytest.approx(
        base * (1 - effect * 0.2) * visible * woman * strain(0.9)
    )
    # burnout counts as full strain
    assert R.helpseek_chance(1.0, False, False, 0.1, True, p) == pytest.approx(
        base * (1 - effect) * visible * man * strain(1.0)
    )


def test_helpseek_rises_with_strain_and_burnout(p):
    """Orford; seed 004, L335-337, L1841-1842: the more strained seek help more."""
    low = R.helpseek_chance(0.5, False, True, 0.1, False, p)
    high = R.helpseek_chance(0.5, False, True, 0.8, False, p)
    burnt = R.helpseek_chance(0.5, False, True, 0.1, True, p)
    assert low < high < burnt
    e = p.helpseek_strain_effect
    assert high / low == pytest.approx((1 + e * 0.8) / (1 + e * 0.1))
    assert R.strain_factor(
        SimpleNamespace(**defaults()).relatives_initial_strain_mean, False, p
    ) == (pytest.approx(1.0))


def test_gp_visit_size(p):
    g = p.relatives_gp_rate
    assert R.gp_visit_chance(0.4, False, p) == pytest.approx(g * 0.4)
    assert R.gp_visit_chance(0.0, False, p) == 0.0
    assert R.gp_visit_chance(0.2, True, p) == pytest.approx(g)  # burnout: as at full strain
    assert R.gp_visit_chance(0.9, False, p) > R.gp_visit_chance(0.3, False, p)


def test_help_route_stacks_the_two_chances(p):
    """The group route takes the draws below its chance, the GP route the draws just above."""
    args = (0.5, True, True, 0.6, False, p)
    c1 = R.helpseek_chance(*args)
    c2 = c1 + R.gp_visit_chance(0.6, False, p)
    assert R.help_route(0.0, True, True, *args) == R.GROUP_ROUTE
    assert R.help_route(c1 * 0.999, True, True, *args) == R.GROUP_ROUTE
    assert R.help_route(c1 * 1.001, True, True, *args) == R.GP_ROUTE
    assert R.help_route(c2 * 0.999, True, True, *args) == R.GP_ROUTE
    assert R.help_route(c2 * 1.001, True, True, *args) == R.NO_HELP
    # not seeking a group (in one, seeking already, would not take part): the GP route from 0
    g = R.gp_visit_chance(0.6, False, p)
    assert R.help_route(g * 0.999, False, True, *args) == R.GP_ROUTE
    assert R.help_route(g * 1.001, False, True, *args) == R.NO_HELP
    # in relatives' own treatment: no GP visit
    assert R.help_route(c1 * 1.001, True, False, *args) == R.NO_HELP
    assert R.help_route(0.0, False, False, *args) == R.NO_HELP


def test_years_with_problem_size():
    """The user's problem years, at most the user's age - 15; a minor child's at most its age."""
    from sim.codes import CHILD_MINOR, PARENT, PARTNER

    gamma = np.array([10.0, 10.0, 30.0, 10.0, 2.0])
    age = np.array([40.0, 20.0, 40.0, 40.0, 40.0])
    rel = np.array([PARENT, PARTNER, PARTNER, CHILD_MINOR, CHILD_MINOR], np.int8)
    u = np.array([0.5, 0.5, 0.5, 0.25, 0.9])
    got = R.years_with_problem(gamma, age, rel, u)
    assert got.tolist() == pytest.approx([10.0, 5.0, 25.0, 4.5, 2.0])
    assert (R.years_with_problem(gamma, np.full(5, 10.0), rel, u) == 0.0).all()  # age below 15


def test_coping_shift_sizes(p):
    learn, withdraw, enable, back = (
        p.coping_learn_limit,
        p.coping_to_withdrawn,
        p.coping_to_enabling,
        p.coping_return_engaged,
    )
    # learn limit-setting: only when helped, not when setting limits already
    for c in (ENGAGED, TOLERANT, WITHDRAWN):
        assert R.learn_limit_chance(c, True, p) == pytest.approx(learn)
        assert R.learn_limit_chance(c, False, p) == 0.0
    assert R.learn_limit_chance(LIMIT, True, p) == 0.0
    # withdraw under strain: engaged or tolerant, in proportion to strain
    assert R.withdraw_chance(ENGAGED, 0.6, p) == pytest.approx(withdraw * 0.6)
    assert R.withdraw_chance(TOLERANT, 0.3, p) == pytest.approx(withdraw * 0.3)
    assert R.withdraw_chance(WITHDRAWN, 0.6, p) == 0.0
    assert R.withdraw_chance(LIMIT, 0.6, p) == 0.0
    # slide into enabling while hoping: engaged only
    assert R.enabling_chance(ENGAGED, 0.7, p) == pytest.approx(enable * (0.5 + 0.7))
    for c in (TOLERANT, WITHDRAWN, LIMIT):
        assert R.enabling_chance(c, 0.7, p) == 0.0
    # return to engaged: not engaged and not helped
    for c in (TOLERANT, WITHDRAWN, LIMIT):
        assert R.engaged_chance(c, False, p) == pytest.approx(back)
        assert R.engaged_chance(c, True, p) == 0.0
    assert R.engaged_chance(ENGAGED, False, p) == 0.0


def test_coping_shift_takes_the_draws_in_order(p):
    """One draw picks at most one shift: limit-setting, withdrawn, tolerant, engaged, stacked."""
    learn, withdraw, enable = p.coping_learn_limit, p.coping_to_withdrawn, p.coping_to_enabling
    s, h = 0.6, 0.7
    c1 = learn
    c2 = c1 + withdraw * s
    c3 = c2 + enable * (0.5 + h)
    assert R.coping_shift(0.0, ENGAGED, True, s, h, p) == LIMIT
    assert R.coping_shift(c1 - 1e-9, ENGAGED, True, s, h, p) == LIMIT
    assert R.coping_shift(c1 + 1e-9, ENGAGED, True, s, h, p) == WITHDRAWN
    assert R.coping_shift(c2 + 1e-9, ENGAGED, True, s, h, p) == TOLERANT
    assert R.coping_shift(c3 + 1e-9, ENGAGED, True, s, h, p) == -1  # engaged already
    back = p.coping_return_engaged
    assert R.coping_shift(withdraw * s + 1e-9, TOLERANT, False, s, h, p) == ENGAGED
    assert R.coping_shift(withdraw * s + back + 1e-9, TOLERANT, False, s, h, p) == -1
    assert R.coping_shift(0.0, LIMIT, True, s, h, p) == -1  # helped: stays limit-setting


def test_strain_update_size(p):
    gain, relief, decay = p.strain_gain, p.strain_group_relief, p.strain_decay
    s0, st = 0.4, 0.7
    assert R.strain(s0, st, False, 1.0, p) == pytest.approx(gain * st * (1 - s0) + s0 - s0 * decay)
    assert R.strain(s0, st, True, 1.0, p) == pytest.approx(
        gain * st * (1 - s0) * (1 - relief) + s0 - s0 * decay * (1 + 2 * relief)
    )
    g = R.growth_factor(LIMIT, p)
    assert g == pytest.approx(1 - p.limit_setting_strain_relief)
    assert R.growth_factor(ENGAGED, p) == 1.0
    assert R.strain(s0, st, False, g, p) == pytest.approx(
        gain * st * (1 - s0) * g + s0 - s0 * decay
    )
    assert R.strain(0.0, 0.0, False, 1.0, p) == 0.0
    assert R.strain(1.0, 1.0, False, 1.0, p) == pytest.approx(1.0 - decay)


def test_stress_shame_and_hope_sizes(p):
    assert R.stress(0.7, 0.3, 0.5) == pytest.approx(0.7 * 0.5 + 0.3)
    assert R.stress(0.7, 0.6, 1.0) == 1.0  # at most 1
    assert R.crisis_stress(True, p) == p.stress_crisis
    assert R.crisis_stress(False, p) == 0.0
    assert R.shame(0.5, p) == pytest.approx(0.5 + (p.shame_level - 0.5) * (1 - p.shame_persistence))
    assert R.hope_for_user(0.8, 0.15, 1 - p.relative_hope_fall_relapse) == pytest.approx(
        (0.8 + (0.15 - 0.8) * 0.1) * (1 - p.relative_hope_fall_relapse)
    )
    assert R.hope_kept(True, p) == pytest.approx(1 - p.relative_hope_fall_relapse)
    assert R.hope_kept(False, p) == 1.0
    assert R.hope_for_self(0.2) == pytest.approx(0.2 + 0.2 * 0.01)
    assert R.hope_for_abstinent_level(np.array([0.0, 26.0]))[1] == pytest.approx(
        0.3 + 0.6 * (1 - np.exp(-1))
    )


def _binomial_z(hits: np.ndarray, chances: np.ndarray) -> float:
    return float((hits.sum() - chances.sum()) / np.sqrt((chances * (1 - chances)).sum()))


def test_burnout_recovery_size_through_the_step():
    """Everyone in burnout and helped: the share recovering is the rule's chance (|z| < 4)."""
    m = discharged_model(n_users=3000, seed=11, burnout_recovery_rate=0.1)
    r = m.relatives
    r.burnout[:] = True
    r.intervention_left[:] = 3
    r.strain[:] = np.linspace(0.0, 1.0, r.n)
    relatives_step(m)
    p = R.relatives_params(m.p)
    # the decisions use this week's strain, which is the strain after the update
    chances = np.array([R.burnout_recovery_chance(s, True, p) for s in r.strain])
    assert abs(_binomial_z(~r.burnout, chances)) < 4


def test_burnout_onset_size_through_the_step():
    """Nobody in burnout, strain high: the share with burnout onset is the rule's chance (|z| < 4)."""
    m = discharged_model(n_users=3000, seed=13, burnout_onset_rate=0.1)
    r = m.relatives
    r.burnout[:] = False
    r.strain[:] = np.linspace(0.5, 1.0, r.n)
    m.users.status[:] = USING
    relatives_step(m)
    p = R.relatives_params(m.p)
    chances = np.array([R.burnout_onset_chance(s, p) for s in r.strain])
    assert abs(_binomial_z(r.burnout, chances)) < 4


def test_return_to_engaged_size_through_the_step():
    """Everyone setting limits and not helped: only the return to engaged acts, at its chance."""
    m = discharged_model(n_users=3000, seed=14, coping_return_engaged=0.05)
    r = m.relatives
    r.coping[:] = LIMIT
    r.group[:] = -1
    r.intervention_left[:] = 0
    relatives_step(m)
    assert set(np.unique(r.coping)) <= {ENGAGED, LIMIT}
    chances = np.full(r.n, m.p.coping_return_engaged)
    assert abs(_binomial_z(r.coping == ENGAGED, chances)) < 4


def test_helpseek_size_through_the_step():
    """Everyone wanting a group, no group open: the share starting to seek help is the rule's chance."""
    m = discharged_model(n_users=3000, seed=12, helpseek_base=0.02, helpseek_event=0.3)
    r = m.relatives
    r.wants_group[:] = True
    r.seeking[:] = False
    r.group[:] = -1
    r.family_week[:] = False
    m.users.crisis[:] = np.arange(m.n_users) % 2 == 0
    m.group_table.active[:] = False  # nobody finds a group this week
    burnout = r.burnout.copy()  # last week's
    relatives_step(m)
    p = R.relatives_params(m.p)
    crisis = m.users.crisis[r.user]
    # the decisions use this week's shame and strain, which are those after the update
    chances = np.array(
        [
            R.helpseek_chance(sh, c, f, s1, b, p)
            for sh, c, f, s1, b in zip(r.shame, crisis, r.female, r.strain, burnout)
        ]
    )
    assert abs(_binomial_z(r.seeking, chances)) < 4


# ------------------------------------------------------------------------------ bounds

N_SETS, N_STATES = 2000, 10  # 20,000 cases: parameters and states drawn at random


def _random_params(rng: np.random.Generator) -> list[tuple]:
    """Records with every parameter uniform in its registry range."""
    out = []
    for _ in range(N_SETS):
        values = {q.name: rng.uniform(q.low, q.high) for q in PARAMS}
        out.append(R.relatives_params(SimpleNamespace(**values)))
    return out


def _random_states(rng: np.random.Generator) -> np.ndarray:
    """Strain (or shame) and hope over their whole domain 0-1, both ends included."""
    x = rng.uniform(0.0, 1.0, (N_STATES, 2))
    x[0], x[1] = 0.0, 1.0
    return x


@numba.njit
def _coping_excess(p, states, learn, withdraw, enable, back, bound):
    """The largest (chance of a shift - its bound) over the states, every position and helped."""
    worst = -np.inf
    for k in range(len(states)):
        s1, hope = states[k, 0], states[k, 1]
        for c in range(LIMIT + 1):
            for helped in (False, True):
                total = (
                    learn(c, helped, p)
                    + withdraw(c, s1, p)
                    + enable(c, hope, p)
                    + back(c, helped, p)
                )
                worst = max(worst, total - bound(c, p))
    return worst


@numba.njit
def _burnout_excess(p, states, onset, recovery, bound):
    """The largest (chance of a burnout change - its bound) over the states, in burnout or not, helped."""
    worst = -np.inf
    b = bound(p)
    for k in range(len(states)):
        s1 = states[k, 0]
        worst = max(worst, onset(s1, p) - b)
        for helped in (False, True):
            worst = max(worst, recovery(s1, helped, p) - b)
    return worst


@numba.njit
def _help_excess(p, states, chance, bound):
    """The largest (chance of starting to seek a group - its bound) over shame, strain, burnout,
    crisis and sex."""
    worst = -np.inf
    for k in range(len(states)):
        sh, s1 = states[k, 0], states[k, 1]
        for crisis in (False, True):
            for female in (False, True):
                for b in (False, True):
                    worst = max(worst, chance(sh, crisis, female, s1, b, p) - bound(crisis, p))
    return worst


@numba.njit
def _route_excess(p, states, chance, gp, bound):
    """The largest (chance of either route - the decisions pass's bound) over the same states."""
    worst = -np.inf
    for k in range(len(states)):
        sh, s1 = states[k, 0], states[k, 1]
        for crisis in (False, True):
            for female in (False, True):
                for b in (False, True):
                    total = chance(sh, crisis, female, s1, b, p) + gp(s1, b, p)
                    worst = max(worst, total - bound(crisis, p))
    return worst


# rounding (a + (b - a) may exceed b by one unit in the last place: 2e-16 seen) is no bias
TOLERANCE = 1e-12


def _coping_worst(
    rng,
    learn=R.learn_limit_chance,
    withdraw=R.withdraw_chance,
    enable=R.enabling_chance,
    back=R.engaged_chance,
):
    return max(
        _coping_excess(p, _random_states(rng), learn, withdraw, enable, back, R.coping_bound)
        for p in _random_params(rng)
    )


def _burnout_worst(rng, onset=R.burnout_onset_chance, recovery=R.burnout_recovery_chance):
    return max(
        _burnout_excess(p, _random_states(rng), onset, recovery, R.burnout_bound)
        for p in _random_params(rng)
    )


def _help_worst(rng, chance=R.helpseek_chance):
    return max(
        _help_excess(p, _random_states(rng), chance, R.helpseek_bound) for p in _random_params(rng)
    )


def _route_worst(rng, chance=R.helpseek_chance, gp=R.gp_visit_chance):
    return max(
        _route_excess(p, _random_states(rng), chance, gp, R.help_bound) for p in _random_params(rng)
    )


def test_gp_visit_never_above_its_bound():
    assert _route_worst(np.random.default_rng(4)) <= TOLERANCE


def test_coping_shift_never_above_its_bound():
    assert _coping_worst(np.random.default_rng(1)) <= TOLERANCE


def test_burnout_never_above_its_bound():
    assert _burnout_worst(np.random.default_rng(2)) <= TOLERANCE


def test_helpseek_never_above_its_bound():
    assert _help_worst(np.random.default_rng(3)) <= TOLERANCE


# the bound tests bite: a rule changed without its bound fails them


@numba.njit
def _recovery_x4(s1, helped, p):  # the review's change: "x4 if helped" instead of "x2"
    return p.burnout_recovery_rate * (1.0 + 3.0 * helped) * (1.0 - 0.5 * s1)


@numba.njit
def _enabling_more(coping, hope_user, p):  # enabling from hope 1 + hope instead of 0.5 + hope
    return p.coping_to_enabling * (1.0 + hope_user) * (coping == ENGAGED)


@numba.njit
def _helpseek_with_strain(sh, crisis, female, s1, b, p):  # a new term (x 1.5) without a new bound
    return 1.5 * R.helpseek_chance(sh, crisis, female, s1, b, p)


@numba.njit
def _helpseek_strain_unnormed(sh, crisis, female, s1, b, p):  # the strain term without its norm
    return R.helpseek_chance(sh, crisis, female, s1, b, p) / p.helpseek_strain_norm


@numba.njit
def _gp_doubled_in_burnout(s1, b, p):  # "x 2 in burnout" without a new bound
    return p.relatives_gp_rate * (2.0 if b else s1)


def test_the_bound_tests_bite():
    assert _burnout_worst(np.random.default_rng(2), recovery=_recovery_x4) > TOLERANCE
    assert _coping_worst(np.random.default_rng(1), enable=_enabling_more) > TOLERANCE
    assert _help_worst(np.random.default_rng(3), chance=_helpseek_with_strain) > TOLERANCE
    assert _help_worst(np.random.default_rng(3), chance=_helpseek_strain_unnormed) > TOLERANCE
    assert _route_worst(np.random.default_rng(4), gp=_gp_doubled_in_burnout) > TOLERANCE


def test_the_kernels_bounds_are_the_rules_bounds():
    """``_decide`` filters by the bounds next to the rules (by coping position and by crisis)."""
    p = R.relatives_params(SimpleNamespace(**defaults()))
    assert (
        R.coping_bound(ENGAGED, p)
        == p.coping_learn_limit + p.coping_to_withdrawn + 1.5 * p.coping_to_enabling
    )
    assert R.coping_bound(LIMIT, p) == p.coping_return_engaged
    assert R.burnout_bound(p) == max(p.burnout_onset_rate, 2 * p.burnout_recovery_rate)
    assert R.helpseek_bound(True, p) > R.helpseek_bound(False, p)
    assert R.help_bound(False, p) == R.helpseek_bound(False, p) + p.relatives_gp_rate
    assert R.helpseek_bound(False, p) == (
        p.helpseek_base
        * max(1.0, 1.0 - p.helpseek_shame_effect)
        * p.helpseek_visibility
        * max(p.helpseek_weight_female, p.helpseek_weight_male)
        * max(1.0, 1.0 + p.helpseek_strain_effect)
        * p.helpseek_strain_norm
    )


def test_every_relatives_column_is_declared():
    """The table holds exactly the declared columns, each at its declared type and full length."""
    from sim.relatives.state import COLUMNS

    r = discharged_model().relatives
    arrays = {k for k, v in vars(r).items() if isinstance(v, np.ndarray) and len(v) == r.n}
    assert arrays == {c.name for c in COLUMNS}
    for c in COLUMNS:
        assert getattr(r, c.name).dtype == np.dtype(c.dtype), c.name
        assert c.label


def test_bereaved_stress_size(p):
    """Once the user has died, the stress from the user's state is ``stress_bereaved``, and a
    relative's stress through the step is min(stress_bereaved x closeness, 1) (no crisis)."""
    from sim.codes import DEAD

    assert R.stress_from_user(DEAD, p) == p.stress_bereaved
    assert R.stress_from_user(DEAD, p) != R.stress_from_user(USING, p)
    m = discharged_model(200, stress_bereaved=0.8)
    u, r = m.users, m.relatives
    dead = np.unique(r.user)[:20]
    u.status[dead] = DEAD
    u.crisis[:] = False
    relatives_step(m)
    kin = np.flatnonzero(np.isin(r.user, dead))
    assert len(kin) > 0
    expected = np.minimum(0.8 * r.closeness_by_relation[r.relation[kin]], 1.0)
    assert np.allclose(r.stress[kin], expected, rtol=0, atol=1e-12)
