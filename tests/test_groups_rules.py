"""The groups' rules (sim/groups/rules.py): sizes against the ODD's formulas written out by hand,
and the bounds the kernels filter by (a rule's chance never exceeds its bound)."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model

from sim import groups as G
from sim.codes import (
    ABSTINENT,
    CLINIC,
    MIXED,
    RELATIVES_COURSE,
    RELATIVES_OPEN,
    TREATMENT,
    TWELVE_STEP,
    USING,
)
from sim.groups import rules as R
from sim.params import BY_NAME, defaults
from sim.records import fill

P = SimpleNamespace(**defaults())
WEEKS = np.arange(600, dtype=np.int64)  # tenure 0 .. 599 weeks


def _join_params(p=P):
    table = p.dropout_newcomer * R.dropout_halving(WEEKS, p.dropout_tenure_halving_weeks)
    return fill(R.UserJoinParams, p, dropout_by_tenure=table)


def _member_params(p=P):
    return fill(
        R.UserMemberParams,
        p,
        tenure_gain=R.tenure_gain(WEEKS, p.attend_tenure_gain),
        sponsor_weekly=p.sponsor_prob / 8.0,
    )


def _relative_params(p=P):
    table = p.relatives_dropout * R.dropout_halving(WEEKS, p.dropout_tenure_halving_weeks)
    return fill(R.RelativeMemberParams, p, dropout_by_tenure=table)


# ---------------------------------------------------------------------------- sizes
@pytest.mark.parametrize("tenure, trust", [(0, 0.7), (12, 0.4), (30, 1.0), (104, 0.0)])
def test_user_dropout_size(tenure, trust):
    """dropout_newcomer x 0.5 ** (tenure / halving) x (1.5 - trust) + dropout_long_run."""
    p = _join_params()
    want = P.dropout_newcomer * 0.5 ** (tenure / P.dropout_tenure_halving_weeks) * (1.5 - trust)
    want += P.dropout_long_run
    assert R.user_dropout_chance(tenure, trust, p) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("tenure", [0, 12, 40])
def test_relative_dropout_size(tenure):
    """relatives_dropout x 0.5 ** (tenure / halving) + dropout_long_run from open groups; never
    from a course."""
    p = _relative_params()
    want = P.relatives_dropout * 0.5 ** (tenure / P.dropout_tenure_halving_weeks)
    want += P.dropout_long_run
    assert R.relative_dropout_chance(tenure, False, p) == pytest.approx(want, rel=1e-12)
    assert R.relative_dropout_chance(tenure, True, p) == 0.0


@pytest.mark.parametrize(
    "tenure, since_use, trust, status",
    [
        (0, 100, 0.5, ABSTINENT),
        (52, 2, 0.9, ABSTINENT),
        (10, 1, 0.3, USING),
        (400, 3, 1.0, ABSTINENT),
    ],
)
def test_user_attendance_size(tenure, since_use, trust, status):
    """(attend_base + attend_tenure_gain (1 - exp(-tenure/52)) + attend_crisis_gain [used in the
    last 4 weeks]) x (0.8 + 0.4 trust) x (0.6 if using), at most 0.98."""
    crisis = 1.0 if since_use <= 4 else 0.0
    want = (
        (
            P.attend_base
            + P.attend_tenure_gain * (1 - math.exp(-tenure / 52))
            + P.attend_crisis_gain * crisis
        )
        * (0.8 + 0.4 * trust)
        * (0.6 if status == USING else 1.0)
    )
    got = R.user_attendance_chance(tenure, since_use, trust, status, _member_params())
    assert got == pytest.approx(min(want, 0.98), rel=1e-12)


def test_user_attendance_is_capped():
    q = _member_params()._replace(
        attend_base=0.9, tenure_gain=np.full(600, 0.5), attend_crisis_gain=0.4
    )
    assert R.user_attendance_chance(300, 1, 1.0, ABSTINENT, q) == 0.98


def test_relative_attendance_size():
    p = _relative_params()
    assert R.relative_attendance_chance(False, p) == P.relatives_attend
    assert R.relative_attendance_chance(True, p) == 0.9


@pytest.mark.parametrize(
    "status, positive, contact, referred",
    [
        (ABSTINENT, True, False, False),
        (USING, True, True, False),
        (ABSTINENT, False, True, False),
        (USING, False, False, True),
        (ABSTINENT, True, True, True),
        (TREATMENT, True, True, True),
    ],
)
def test_user_joining_size(status, positive, contact, referred):
    """user_group_join_rate x attitude x (0.5 if using) x (1 + peer_staff [contact]); at least
    referral_join_prob x attitude x (1 + peer_staff / 2) in a referred discharge week; 0 in treatment."""
    p = _join_params()._replace(peer_staff=0.6)
    attitude = 1.0 if positive else P.negative_attitude_join_factor
    want = (
        P.user_group_join_rate * attitude * (0.5 if status == USING else 1.0) * (1 + 0.6 * contact)
    )
    if referred:
        want = max(want, P.referral_join_prob * attitude * (1 + 0.6 / 2))
    if status == TREATMENT:
        want = 0.0
    assert R.user_join_chance(status, positive, contact, referred, p) == pytest.approx(
        want, rel=1e-12
    )


def test_room_size():
    """floor(1.5 x capacity) places for members and outside veterans, never fewer than none."""
    assert R.free_places(15, 10, 3) == math.floor(1.5 * 15) - 10 - 3
    assert R.free_places(15, 30, 3) == 0


def test_role_sizes():
    """Service role: service_uptake (abstinent, 13 weeks' tenure, 26 weeks abstinent); sponsor:
    sponsor_prob / 8 (12-step and clinic groups, 4 weeks' tenure); relatives: service_uptake after 13 weeks."""
    p = _member_params()
    assert R.user_service_chance(13, ABSTINENT, 26, p) == P.service_uptake
    assert R.user_service_chance(12, ABSTINENT, 40, p) == 0.0
    assert R.user_service_chance(30, ABSTINENT, 25, p) == 0.0
    assert R.user_service_chance(30, USING, 40, p) == 0.0
    assert R.gives_up_service(USING) and not R.gives_up_service(ABSTINENT)
    for gtype, sponsored in ((TWELVE_STEP, True), (CLINIC, True), (MIXED, False)):
        assert R.sponsor_chance(4, gtype, p) == (P.sponsor_prob / 8 if sponsored else 0.0)
    assert R.sponsor_chance(3, TWELVE_STEP, p) == 0.0
    q = _relative_params()
    assert R.relative_service_chance(13, False, q) == P.service_uptake
    assert R.relative_service_chance(12, False, q) == 0.0
    assert R.relative_service_chance(40, True, q) == 0.0


def test_founding_and_ending_sizes():
    """Starters: starter_rate per 100,000 x (1 + 4 support); veterans: group_split_rate per
    group's worth waiting; courses: per year per 1,000 users / 52; ending after the grace weeks."""
    assert R.starter_rate(250_000.0, P) == pytest.approx(
        P.starter_rate * 2.5 * (1 + 4 * P.group_starter_support)
    )
    assert R.member_founding_rate(30, P) == pytest.approx(
        P.group_split_rate * 30 / P.group_capacity
    )
    assert R.course_rate(5000, P) == pytest.approx(P.relatives_courses_per_year_per_1000 * 5 / 52)
    course = np.array([True, True, False, False])
    ending = R.groups_ending(
        course,
        np.array([0, 1, 5, 5]),
        np.array([9, 9, P.group_dissolve_grace_weeks, P.group_dissolve_grace_weeks - 1]),
        P,
    )
    assert ending.tolist() == [True, False, True, False]


def test_group_life_sizes():
    """Trust moves by trust_gain towards 0.3 + 0.7 x settled share and halves in a shock;
    veterans arrive with recruitment x trust (not to courses); the service core."""
    p = fill(R.GroupLifeParams, P, handover_weekly=1.0 / P.clinic_handover_weeks)
    target = 0.3 + 0.7 * (6 + 2) / (10 + 2)
    want = 0.5 + P.trust_gain * (target - 0.5)
    assert R.trust_after_week(0.5, 6, 2, 10, False, p) == pytest.approx(want)
    assert R.trust_after_week(0.5, 6, 2, 10, True, p) == pytest.approx(want / 2)
    assert R.veteran_arrival_chance(0.8, MIXED, p) == pytest.approx(
        P.external_core_recruitment * 0.8
    )
    assert R.veteran_arrival_chance(0.8, RELATIVES_COURSE, p) == 0.0
    assert R.handover_chance(True, True, p) == pytest.approx(1 / P.clinic_handover_weeks)
    assert R.handover_chance(False, True, p) == 0.0
    assert R.service_core(3, 2, True) == 7
    assert R.veteran_share(3, 1, 8) == 0.5 and R.veteran_share(3, 1, 0) == 0.0


def test_meeting_sizes():
    """Shame falls by meeting_shame_drop x similarity, hope rises by meeting_hope_gain x veterans'
    share (within 8-64), meaningfulness doubled with a service role, relatives' SOC-13 gain."""
    p = fill(R.UserMeetingParams, P)
    assert R.shame_after_meeting(0.5, 0.6, p) == pytest.approx(0.5 - P.meeting_shame_drop * 0.6)
    assert R.shame_after_meeting(0.0, 1.0, p) == 0.0
    assert R.hope_after_meeting(30.0, 0.5, p) == pytest.approx(30.0 + P.meeting_hope_gain * 0.5)
    assert R.hope_after_meeting(64.0, 1.0, p) == 64.0
    g = P.meeting_meaningfulness_gain
    assert R.meaning_gain(4.0, True, p) == pytest.approx(2 * g * (7 - 4) / 6)
    assert R.meaning_gain(4.0, False, p) == pytest.approx(g * (7 - 4) / 6)
    assert R.integration_gain(0.25, p) == pytest.approx(P.meeting_integration_gain * 0.75)
    soc_gain = (P.meeting_comprehensibility_gain + P.meeting_manageability_gain + g) / 3
    q = fill(R.RelativeMeetingParams, P, soc_gain=soc_gain)
    assert R.relative_soc_gain(52.0, q) == pytest.approx(13 * soc_gain * (7 - 4) / 6)
    assert R.relative_hope_after_meeting(0.5, 0.5, q) == pytest.approx(
        0.5 + P.relatives_hope_self_gain * 0.5
    )


# ---------------------------------------------------------------------------- sizes through the step
def _members_model(n=3000, **kw):
    m = discharged_model(n_users=n, user_group_join_rate=0.0, **kw)
    gid = G.found_group(m, TWELVE_STEP, ext_core=3, trust=0.6, professional=False)
    G.join(m, "users", np.arange(n), np.full(n, gid, np.int32))
    return m


def test_user_dropout_through_the_step():
    """Exactly the members whose draw is below the formula drop out (``users_membership``)."""
    m = _members_model()
    u = m.users
    u.tenure[:] = np.arange(u.n) % 60
    m.week += 1
    G.users_membership(m)
    draws = m.draw("users_membership", np.arange(u.n))
    chance = (
        m.p.dropout_newcomer
        * 0.5 ** ((np.arange(u.n) % 60) / m.p.dropout_tenure_halving_weeks)
        * (1.5 - 0.6)
        + m.p.dropout_long_run
    )
    assert np.array_equal(u.group < 0, draws < chance)
    assert 0.02 < (u.group < 0).mean() < 0.2


def test_user_attendance_through_the_step():
    """Exactly the members whose draw is below the attendance formula attend (``attendance``)."""
    m = _members_model()
    u = m.users
    u.tenure[:] = np.arange(u.n) % 80
    t0 = u.tenure.copy()
    since = np.where(np.arange(u.n) % 3 == 0, 2, 50)
    u.last_use[:] = m.week - since
    u.status[:] = np.where(np.arange(u.n) % 5 == 0, USING, ABSTINENT)
    G.attendance(m)
    p = m.p
    chance = (
        (
            p.attend_base
            + p.attend_tenure_gain * (1 - np.exp(-t0 / 52.0))
            + p.attend_crisis_gain * (since <= 4)
        )
        * (0.8 + 0.4 * 0.6)
        * np.where(u.status == USING, 0.6, 1.0)
    )
    draws = m.draw("users_attend", np.arange(u.n))
    assert np.array_equal(u.attended, draws < np.minimum(chance, 0.98))


def test_relative_dropout_through_the_step():
    """Exactly the relatives in an open group whose draw is below the formula drop out."""
    m = discharged_model(n_users=2000, relatives_dropout=0.1)
    r = m.relatives
    r.group[:] = -1
    gid = G.found_group(m, RELATIVES_OPEN, ext_core=3, trust=0.6, professional=False)
    G.join(m, "relatives", np.arange(r.n), np.full(r.n, gid, np.int32))
    r.tenure[:] = np.arange(r.n) % 40
    G.relatives_membership(m)
    chance = (
        0.1 * 0.5 ** ((np.arange(r.n) % 40) / m.p.dropout_tenure_halving_weeks)
        + m.p.dropout_long_run
    )
    assert np.array_equal(r.group < 0, m.draw("relatives_membership", np.arange(r.n)) < chance)


# ---------------------------------------------------------------------------- bounds
def _uniform(rng, name, n):
    q = BY_NAME[name]
    return rng.uniform(q.low, q.high, n)


def _dropout_cases(rng, n=20_000):
    """Parameters over their registry ranges; tenure 0 .. 599 (a quarter at 0); trust over [0, 1]."""
    newcomer = _uniform(rng, "dropout_newcomer", n)
    halving = _uniform(rng, "dropout_tenure_halving_weeks", n)
    long_run = _uniform(rng, "dropout_long_run", n)
    tenure = np.where(rng.random(n) < 0.25, 0, rng.integers(0, 600, n))
    trust = np.where(rng.random(n) < 0.1, 0.0, rng.random(n))
    lowest = np.minimum(
        trust, np.where(rng.random(n) < 0.5, 0.0, rng.random(n))
    )  # the lowest trust of the table
    return newcomer, halving, long_run, tenure, trust, lowest


def _dropout_excess(chance_rule, rng):
    """The cases where ``chance_rule`` exceeds ``user_dropout_bound``."""
    bad = []
    for k, (a, h, lr, t, tr, lo) in enumerate(zip(*_dropout_cases(rng))):
        p = R.UserJoinParams(a * R.dropout_halving(WEEKS, h), lr, 0.0, 0.0, 0.0, 0.0)
        if chance_rule(t, tr, p) > R.user_dropout_bound(p, lo):
            bad.append(k)
    return bad


def test_user_dropout_never_exceeds_its_bound():
    assert _dropout_excess(R.user_dropout_chance, np.random.default_rng(1)) == []


def _join_excess(chance_rule, rng, n=20_000):
    """The cases (outside a discharge week) where ``chance_rule`` exceeds ``user_join_bound``."""
    rate = _uniform(rng, "user_group_join_rate", n)
    factor = _uniform(rng, "negative_attitude_join_factor", n)
    staff = _uniform(rng, "peer_staff", n)
    referral = _uniform(rng, "referral_join_prob", n)
    status = rng.integers(0, 3, n)  # every status code
    positive, contact = rng.random(n) < 0.5, rng.random(n) < 0.5
    bad = []
    for k in range(n):
        p = R.UserJoinParams(WEEKS * 0.0, 0.0, rate[k], factor[k], staff[k], referral[k])
        if chance_rule(status[k], positive[k], contact[k], False, p) > R.user_join_bound(p):
            bad.append(k)
    return bad


def test_user_joining_never_exceeds_its_bound():
    assert _join_excess(R.user_join_chance, np.random.default_rng(2)) == []


def test_the_bound_tests_bite():
    """A rule made larger without its bound is caught (here by 1 % and by a doubled contact effect)."""
    assert _dropout_excess(
        lambda t, tr, p: 1.01 * R.user_dropout_chance(t, tr, p), np.random.default_rng(1)
    )
    assert _join_excess(
        lambda s, pos, c, ref, p: R.user_join_chance(
            s, pos, c, ref, p._replace(peer_staff=2 * p.peer_staff)
        ),
        np.random.default_rng(2),
    )


def test_joining_through_the_filtered_pass():
    """The users' membership pass, which filters users by ``user_join_bound`` first, lets exactly
    those join whose draw is below the joining chance, at the bound's edge (join rate 0.2,
    peer_staff 1, no attitude factor: the chance is the bound for those with a contact)."""
    m = discharged_model(
        n_users=3000, user_group_join_rate=0.2, peer_staff=1.0, negative_attitude_join_factor=1.0
    )
    u = m.users
    u.ac_contact[:] = np.arange(u.n) % 2 == 0
    u.positive_attitude[:] = True
    u.waiting[:] = False
    u.group[:] = -1
    u.status[:] = ABSTINENT
    m.week += 1
    draws = m.draw("users_membership", np.arange(u.n))
    chance = 0.2 * (1.0 + 1.0 * u.ac_contact)
    wants = np.flatnonzero(draws < chance)
    G.users_membership(m)
    joined_or_waiting = (u.group >= 0) | u.waiting
    assert np.array_equal(np.flatnonzero(joined_or_waiting), wants)
