"""Groups' founding against their ending (issue 12, issue 13 item 7; ODD 7.4).

- Long-run leaving: a member of any tenure leaves an open group with ``dropout_long_run`` a
  week, beside the newcomers' drop-out that fades with tenure (AA membership surveys).
- Founding only for people waiting for a place: starters and veterans found a group only for
  those waiting beyond the free places of the open groups they could join
  (``waiting_for_place``; seed 001, L3066-3070; seed 002, L57).
- Clinic-led groups are handed over after years (seed 001, L1557-1562, L2647-2649).
- Behind ``--slow``: the municipality's groups settle (a steady density, trend under 5% a year).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model

from sim.codes import ABSTINENT, RELATIVE_OPEN_TYPES, USER_TYPES
from sim.groups import rules as R
from sim.groups.founding import formation, member_founding
from sim.groups.membership import free_in, waiting_lists
from sim.params import BY_NAME, defaults
from sim.records import fill

P = SimpleNamespace(**defaults())
WEEKS = np.arange(600, dtype=np.int64)


def _user_params(long_run: float):
    table = P.dropout_newcomer * R.dropout_halving(WEEKS, P.dropout_tenure_halving_weeks)
    return fill(R.UserJoinParams, P, dropout_by_tenure=table, dropout_long_run=long_run)


def _relative_params(long_run: float):
    table = P.relatives_dropout * R.dropout_halving(WEEKS, P.dropout_tenure_halving_weeks)
    return fill(R.RelativeMemberParams, P, dropout_by_tenure=table, dropout_long_run=long_run)


# ---------------------------------------------------------------------------- long-run leaving
@pytest.mark.parametrize("tenure, trust", [(0, 0.5), (52, 0.9), (260, 1.0), (599, 0.0)])
def test_user_long_run_leaving_size(tenure, trust):
    """dropout_newcomer x 0.5 ** (tenure / halving) x (1.5 - trust) + dropout_long_run."""
    lr = P.dropout_long_run
    want = (
        P.dropout_newcomer * 0.5 ** (tenure / P.dropout_tenure_halving_weeks) * (1.5 - trust) + lr
    )
    assert R.user_dropout_chance(tenure, trust, _user_params(lr)) == pytest.approx(want, rel=1e-12)


def test_long_tenure_members_still_leave():
    """After five years the fading drop-out is nil, and members leave at dropout_long_run a
    week: about 16% a year (-ln(0.84) / 52), not never."""
    lr = P.dropout_long_run
    user = R.user_dropout_chance(260, 1.0, _user_params(lr))
    rel = R.relative_dropout_chance(260, False, _relative_params(lr))
    for chance in (user, rel):
        assert chance == pytest.approx(lr, rel=1e-3)
        assert 1 - (1 - chance) ** 52 == pytest.approx(0.16, abs=0.01)
    assert R.user_dropout_chance(260, 1.0, _user_params(0.0)) < 1e-6  # without it: never


@pytest.mark.parametrize("tenure", [0, 13, 104, 520])
def test_long_run_leaving_adds_to_the_fading_dropout(tenure):
    """Direction: more long-run leaving, more drop-out at every tenure (users and relatives);
    none from a course."""
    for trust in (0.0, 0.6, 1.0):
        lo = R.user_dropout_chance(tenure, trust, _user_params(0.0))
        hi = R.user_dropout_chance(tenure, trust, _user_params(0.004))
        assert hi - lo == pytest.approx(0.004, rel=1e-9)
    lo = R.relative_dropout_chance(tenure, False, _relative_params(0.0))
    hi = R.relative_dropout_chance(tenure, False, _relative_params(0.004))
    assert hi - lo == pytest.approx(0.004, rel=1e-9)
    assert R.relative_dropout_chance(tenure, True, _relative_params(0.004)) == 0.0


def test_long_run_leaving_is_within_its_sources():
    """The default is -ln(0.84) / 52 (members sober 5+ years about 84% of those one year less);
    the range spans about 8% to 23% a year (growth-corrected surveys to the 2004 survey and more)."""
    q = BY_NAME["dropout_long_run"]
    assert q.default == pytest.approx(-math.log(0.84) / 52, rel=0.02)
    assert 0.07 < 1 - math.exp(-52 * q.low) < 0.09
    assert 0.2 < 1 - math.exp(-52 * q.high) < 0.25


def test_the_user_dropout_bound_covers_long_run_leaving():
    """The kernel's filter bound (``user_dropout_bound``) holds with long-run leaving, at any
    tenure and trust (the bound tests in test_groups_rules.py draw over the ranges)."""
    p = _user_params(BY_NAME["dropout_long_run"].high)
    for t in (0, 30, 599):
        for trust in (-0.2, 0.0, 1.0):
            assert R.user_dropout_chance(t, trust, p) <= R.user_dropout_bound(p, trust)


# ---------------------------------------------------------------------------- waiting for a place
@pytest.mark.parametrize(
    "waiting, free, want", [(0, 0, 0), (10, 0, 10), (10, 4, 6), (10, 10, 0), (3, 12, 0)]
)
def test_waiting_for_place_size(waiting, free, want):
    """max(waiting - free, 0): only those who could not be placed wait for a place."""
    assert R.waiting_for_place(waiting, free) == want


def test_veterans_found_per_group_of_those_waiting_for_a_place():
    """group_split_rate x (waiting beyond room) / group_capacity; more free places, fewer new groups."""
    n = R.waiting_for_place(40, 16)
    assert R.member_founding_rate(n, P) == pytest.approx(P.group_split_rate * 24 / P.group_capacity)
    rates = [R.member_founding_rate(R.waiting_for_place(40, f), P) for f in (0, 10, 20, 40)]
    assert rates == sorted(rates, reverse=True) and rates[-1] == 0.0


def _wait(m, who: str, extra: int) -> int:
    """Mark as many people waiting as there are free places in the groups they could join, and
    ``extra`` more (nobody else waits); return the free places."""
    u, r = m.users, m.relatives
    u.waiting[:] = False
    r.seeking[:] = False
    if who == "users":
        free = free_in(m, USER_TYPES)
        cand = np.flatnonzero((u.group < 0) & (u.status == ABSTINENT))
        u.waiting[cand[: free + extra]] = True
        assert len(waiting_lists(m)[0]) == free + extra
    else:
        free = free_in(m, RELATIVE_OPEN_TYPES)
        cand = np.flatnonzero((r.group < 0) & r.present)
        r.seeking[cand[: free + extra]] = True
        assert len(waiting_lists(m)[1]) == free + extra
    return free


@pytest.mark.parametrize("who", ["users", "relatives"])
def test_veterans_found_no_group_while_groups_have_room(who):
    """However high group_split_rate, no group is founded while those waiting fit in the free
    places; with 40 more than fit, veterans found some."""
    m = discharged_model(group_split_rate=BY_NAME["group_split_rate"].high)
    g = m.group_table
    _wait(m, who, 0)
    before = g.size
    for _ in range(20):
        member_founding(m)
    assert g.size == before
    _wait(m, who, 40)
    member_founding(m)
    assert g.size > before


@pytest.mark.parametrize("who", ["users", "relatives"])
def test_starters_found_no_group_while_groups_have_room(who):
    """Many starters a week found nothing while those waiting fit in the free places; with 40
    more, at most 40 / group_min_founders groups of founders are taken."""
    m = discharged_model(starter_rate=1000.0)
    g = m.group_table
    _wait(m, who, 0)
    before = g.size
    formation(m)
    assert g.size == before
    _wait(m, who, 40)
    formation(m)
    assert before < g.size <= before + 40 // m.p.group_min_founders


# ---------------------------------------------------------------------------- clinic handover
def test_clinic_groups_are_handed_over_after_years():
    """The one clinic group of seed 001 was professionally led for about 9 years (L1557-1562,
    L2647-2649): the default is about 9 years, the range years, not weeks."""
    q = BY_NAME["clinic_handover_weeks"]
    assert 8 <= q.default / 52 <= 10
    assert q.low >= 3 * 52
    p = fill(R.GroupLifeParams, P, handover_weekly=1.0 / P.clinic_handover_weeks)
    assert R.handover_chance(True, True, p) == pytest.approx(1 / q.default)


# ---------------------------------------------------------------------------- the municipality
STEADY_BAND = (60.0, 250.0)  # groups per 100,000: the level the rules reach (see below)
T13_BAND = (4.5, 18.0)  # experiments/targets.toml, groups_per_100k_mean


@pytest.fixture(scope="module")
def horizon():
    from sim.municipality import Municipality, run_arms, year_table

    town = Municipality(50_000, 40, 10)
    model = run_arms(town, ["status-quo"], 1)["status-quo"]
    return year_table(model, town.burn_in_weeks, town.years)


def _trend(values: np.ndarray) -> float:
    """Least-squares slope per year relative to the mean."""
    years = np.arange(len(values), dtype=float)
    return float(np.polyfit(years, values, 1)[0] / values.mean())


@pytest.mark.slow
def test_municipality_groups_reach_a_steady_state(horizon):
    """After 40 years of burn-in, groups per 100,000 and relatives in groups move less than 5% a
    year over the 10 years of the horizon, at a level within STEADY_BAND.

    The level is above T13 (4.5-18 per 100,000): with about a tenth of the relatives in groups
    (T6) and groups of 4-10 at a meeting (T8), a municipality of 50,000 fills some 70 groups;
    see docs/ODD.md 7.4 and docs/municipality.md."""
    density = horizon["groups_per_100k"].to_numpy()
    relatives = horizon["relatives_in_groups"].to_numpy()
    assert abs(_trend(density)) < 0.05, density
    assert abs(_trend(relatives)) < 0.05, relatives
    assert STEADY_BAND[0] <= density.mean() <= STEADY_BAND[1], density


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True, reason="T13 not reached: see test_municipality_groups_reach_a_steady_state"
)
def test_municipality_groups_within_t13(horizon):
    density = horizon["groups_per_100k"].to_numpy()
    assert T13_BAND[0] <= density.mean() <= T13_BAND[1]
