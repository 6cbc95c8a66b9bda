"""A municipality over the years (sim/population, sim/municipality; ODD 7.1a): the arrival and
moving rules by size, the absent taking part in nothing, branching with common random numbers,
and the figures per calendar year against the events they count."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from sim.codes import ABSENT, DEAD, TREATMENT
from sim.model import RecoveryModel
from sim.municipality import Municipality, branch, burn_in, year_table, yearly_change
from sim.params import defaults
from sim.population import Arrivals, arrivals_mean, move_chance
from sim.population.step import movers
from sim.rng import Streams

P = SimpleNamespace(**defaults())


def town_model(weeks=156, seed=3, inhabitants=30_000, **overrides) -> RecoveryModel:
    return RecoveryModel(
        "status-quo", n_users=40, weeks=weeks, seed=seed, inhabitants=inhabitants, **overrides
    )


def test_arrivals_mean_is_the_odd_formula():
    # inhabitants x adult share x new patients per 1,000 adults / 1,000 / 52
    assert arrivals_mean(50_000, P) == pytest.approx(50_000 * 0.79 * 2.1 / 1000 / 52, rel=1e-12)
    assert arrivals_mean(100_000, P) == pytest.approx(2 * arrivals_mean(50_000, P), rel=1e-12)


def test_arrival_schedule_is_poisson_with_that_mean_and_contiguous():
    lam = arrivals_mean(200_000, P)  # about 6.4 a week
    a = Arrivals(10, lam, 5200, np.random.default_rng(1))
    assert a.total == 10 + a.per_week.sum()
    # mean of 5,200 weekly Poisson counts: within 4 standard errors
    assert abs(a.per_week.mean() - lam) < 4 * math.sqrt(lam / 5200)
    weeks = a.week_of()
    for w in (0, 7, 5199):
        idx = a.at(w)
        assert len(idx) == a.per_week[w]
        assert np.all(weeks[idx] == w)
    assert len(a.at(5200)) == 0
    assert np.all(weeks[:10] == 0)


def test_move_chance_is_the_odd_formula_and_the_kernel_draws_it():
    assert move_chance(0.046) == pytest.approx(1 - math.exp(-0.046 / 52), rel=1e-12)
    assert move_chance(0.0) == 0.0
    n = 400_000
    status = np.full(n, TREATMENT, np.int8)
    status[::4] = DEAD
    status[1::4] = ABSENT
    key = Streams(5).key("move", 3)
    out = movers(status, 0.5, key)
    assert np.all(status[out] != DEAD) and np.all(status[out] != ABSENT)  # the gone never move
    share = len(out) / (n // 2)
    c = move_chance(0.5)
    assert abs(share - c) < 4 * math.sqrt(c * (1 - c) / (n // 2))


def test_the_absent_take_part_in_nothing_until_they_arrive():
    m = town_model(weeks=104)
    last = m.n_users - 1
    arrive = int(m.users.arrival_week[last])
    assert arrive > 20 and m.users.status[last] == ABSENT
    kin = m.relatives_of(np.array([last]))
    assert len(kin) >= 1 and not m.relatives.present[kin].any()
    cols = ("hope", "shame", "integration", "using_ties", "sober_ties", "comp", "risk_weeks")
    before = {c: getattr(m.users, c)[last].copy() for c in cols}
    kin_before = {c: getattr(m.relatives, c)[kin].copy() for c in ("strain", "hope_user", "shame")}
    while m.week < arrive:
        m.step()
    for c in cols:
        assert getattr(m.users, c)[last] == before[c], c
    for c, v in kin_before.items():
        assert np.array_equal(getattr(m.relatives, c)[kin], v), c
    m.step()  # the arrival week
    assert m.users.status[last] == TREATMENT
    assert m.users.treat_left[last] == m.p.treatment_weeks - 1  # counted down once this week
    assert m.relatives.present[kin].all()


def test_movers_leave_groups_and_aftercare_and_their_relatives_go_with_them():
    m = town_model(weeks=260, moving_rate_per_year=0.08)
    m.run()
    moved = np.flatnonzero(m.users.moved_week >= 0)
    assert len(moved) > 20
    u, r = m.users, m.relatives
    assert np.all(u.status[moved] == ABSENT)
    assert np.all(u.group[moved] < 0) and np.all(u.ac_left[moved] == 0)
    kin = m.relatives_of(moved)
    assert not r.present[kin].any()
    assert np.all(r.group[kin] < 0) and not r.seeking[kin].any()
    ev = m.log.frame(m.n_users)
    assert (ev.event == "moved").sum() == len(moved)


def test_closed_cohort_has_nobody_absent_and_nobody_moving():
    m = RecoveryModel("status-quo", n_users=200, weeks=52, seed=2).run()
    assert not m.municipality and m.arrivals.total == 200
    assert not np.any(m.users.status == ABSENT) and m.relatives.present.all()
    assert np.all(m.users.moved_week < 0)
    assert m.inhabitants == 200 * m.p.population_per_user


def test_death_rate_divides_by_the_time_lived_in_the_municipality():
    m = town_model(weeks=260, seed=4).run()
    w = m.recorder.frame(m.week)
    deaths = int(w.users_dead.iloc[-1])
    assert deaths > 0
    # a user is counted at the end of each week lived here; the week of death counts too
    person_weeks = w.users_present.sum() + deaths
    from sim.summary import summarize

    s = summarize(m)
    assert s["deaths_per_100py"] == pytest.approx(100 * deaths / (person_weeks / 52), rel=1e-9)


def test_a_status_quo_branch_equals_the_straight_run_and_arms_share_the_burn_in():
    town = Municipality(inhabitants=20_000, burn_in_years=2, years=1)
    straight = burn_in(town, seed=7)
    while straight.week < town.weeks:
        straight.step()
    start = burn_in(town, seed=7)
    before = start.users.status.copy()
    sq, inst = branch(start, "status-quo"), branch(start, "institutional")
    assert np.array_equal(start.users.status, before)  # branching leaves the start unchanged
    assert inst.p.aftercare_coverage != start.p.aftercare_coverage
    assert inst.p.relapse_scale_weeks == start.p.relapse_scale_weeks  # parameters stay
    for m in (sq, inst):
        while m.week < town.weeks:
            m.step()
    assert sq.recorder.frame(sq.week).equals(straight.recorder.frame(straight.week))
    # the same people arrive and the burn-in weeks are the same in both arms
    assert np.array_equal(sq.users.arrival_week, inst.users.arrival_week)
    a, b = sq.recorder.frame(town.burn_in_weeks), inst.recorder.frame(town.burn_in_weeks)
    assert a.equals(b)


def test_a_no_op_lever_change_gives_bit_identical_results():
    from sim import scenario as scenarios

    town = Municipality(inhabitants=20_000, burn_in_years=1, years=1)
    sq = scenarios.load("status-quo")
    same = sq.with_overrides({"aftercare_coverage": sq.values["aftercare_coverage"]})
    start = burn_in(town, seed=8)
    a, b = branch(start, sq), branch(start, same)
    for m in (a, b):
        while m.week < town.weeks:
            m.step()
    assert a.recorder.frame(a.week).equals(b.recorder.frame(b.week))
    assert a.log.frame(a.n_users).equals(b.log.frame(b.n_users))


def test_the_year_table_counts_the_events_and_weeks_of_each_year():
    m = town_model(weeks=3 * 52, seed=5).run()
    t = year_table(m, 52, 2)
    ev = m.log.frame(m.n_users)
    w = m.recorder.frame(m.week)
    for col, kind in (("deaths", "death"), ("newcomers", "arrival"), ("relapses", "relapse")):
        for y in (1, 2):
            in_year = (ev.event == kind) & (ev.week >= 52 * y) & (ev.week < 52 * (y + 1))
            assert t.loc[t.year == y, col].item() == in_year.sum(), (col, y)
    second = w[(w.week >= 104) & (w.week < 156)]
    assert t.loc[t.year == 2, "person_years_abstinent"].item() == pytest.approx(
        second.users_abstinent.sum() / 52
    )
    assert (
        t.loc[t.year == 2, "weeks_waiting_treatment"].item() == second.users_waiting_treatment.sum()
    )
    assert t.loc[t.year == 2, "groups_per_100k"].item() == pytest.approx(
        second.groups_active.mean() / 30_000 * 1e5
    )
    change = yearly_change(t)
    assert list(change.index) == [2]


def test_bad_municipality_input_is_one_line():
    from sim.errors import InputError

    with pytest.raises(InputError, match="inhabitants must be from 1000 to 1000000"):
        Municipality(inhabitants=10)
    with pytest.raises(InputError, match="years must be from 1 to 50"):
        Municipality(years=0)


def test_relatives_of_the_dead_leave_after_the_bereavement_years():
    from sim.population import bereavement_weeks

    m = RecoveryModel(
        "status-quo", n_users=400, weeks=130, seed=9, bereaved_years=2.0, death_rate_base=0.015
    )
    assert bereavement_weeks(m.p) == 104
    m.run()
    u, r = m.users, m.relatives
    early = np.flatnonzero((u.death_week >= 0) & (u.death_week < m.week - 104))
    late = np.flatnonzero(u.death_week >= m.week - 104)
    assert len(early) and len(late)
    assert not r.present[m.relatives_of(early)].any()  # grieved 2 years: gone
    assert np.all(r.group[m.relatives_of(early)] < 0)
    assert r.present[m.relatives_of(late)].all()  # still bereaved, still here


def test_places_in_a_municipality_are_per_1000_users_taking_part_and_follow_the_arm():
    m = town_model(weeks=104)
    m.run()
    frame = m.recorder.frame(m.week)
    assert frame.users_waiting_treatment.sum() == 0  # 1,000 per 1,000: never rationed
    here = int(np.count_nonzero((m.users.status != DEAD) & (m.users.status != ABSENT)))
    assert m.capacity.base != m.n_users  # not the users allocated for the whole run
    capped = town_model(weeks=104, treatment_places_per_1000=30.0).run()
    assert capped.recorder.frame(104).users_waiting_treatment.sum() > 0
    waited = year_table(capped, 0, 2).weeks_waiting_treatment
    assert waited.sum() == capped.recorder.frame(104).users_waiting_treatment.sum() > 0
    assert here > 0
    town = Municipality(inhabitants=20_000, burn_in_years=1, years=1)
    start = burn_in(town, seed=3)
    assert start.capacity.base == start.arrivals.initial  # counted at week 0
    here_now = int(np.count_nonzero(start.users.status < DEAD))
    start.step()  # week 52: counted again at the start of the year
    base = start.capacity.base
    assert base == here_now != start.arrivals.initial
    from sim import scenario as scenarios

    few = scenarios.load("status-quo").with_overrides({"treatment_places_per_1000": 50.0})
    arm = branch(start, few)
    assert arm.capacity.base == base
    assert arm.capacity.treatment_places == round(50.0 * base / 1000)
    assert start.capacity.treatment_places == base  # the start keeps its own places
