"""Mortality (sim/mortality): the rule's size against the ODD formula, its directions, the early
windows; through the step a binomial check and that the dead do nothing afterwards; the shape of
the death rates (men/women, first 4 weeks after discharge) at a moderate size."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model

from sim import scenario as scn
from sim.codes import ABSTINENT, DEAD, TREATMENT, USING
from sim.model import WEEKLY_ORDER, RecoveryModel
from sim.mortality import mortality_step
from sim.mortality import rules as M
from sim.params import defaults
from sim.summary import relapse_times, summarize


@pytest.fixture
def p():
    return M.mortality_params(SimpleNamespace(**defaults()))


def test_order_puts_mortality_right_after_relapse():
    names = [name for name, _ in WEEKLY_ORDER]
    assert names[names.index("relapse") + 1] == "mortality"


@pytest.mark.parametrize("male", [False, True])
@pytest.mark.parametrize("using", [False, True])
@pytest.mark.parametrize("early", [1.0, 15.7, 38.3])
def test_rate_and_chance_equal_the_formula(p, male, using, early):
    rate = p.death_rate_base * (p.death_rr_male if male else 1) * (p.death_rr_using if using else 1)
    rate *= early
    assert M.death_rate(male, using, early, p) == pytest.approx(rate, rel=1e-12)
    assert M.death_chance(rate) == pytest.approx(1.0 - math.exp(-rate / 52.0), rel=1e-12)


def test_sizes_at_the_defaults(p):
    """A man using in the first 4 weeks after a discharge: base x 2 x 2.38 x 15.7 per year."""
    rate = M.death_rate(True, True, M.early_ratio(True, False, p), p)
    assert rate == pytest.approx(0.0044 * 2.0 * 2.38 * 15.7, rel=1e-12)
    assert M.death_chance(rate) == pytest.approx(1 - math.exp(-rate / 52), rel=1e-12)
    assert M.death_chance(0.0) == 0.0


def test_directions(p):
    base = M.death_rate(False, False, 1.0, p)
    assert M.death_rate(True, False, 1.0, p) > base  # men
    assert M.death_rate(False, True, 1.0, p) > base  # using
    assert M.death_rate(False, False, M.early_ratio(True, False, p), p) > base  # after discharge
    assert M.death_rate(False, False, M.early_ratio(False, True, p), p) > base  # after relapse
    assert M.death_chance(2 * base) > M.death_chance(base)


def test_early_windows(p):
    # four weeks after a discharge (weeks 0..3), out of treatment; never before any discharge
    assert M.after_discharge(ABSTINENT, 13, 10)
    assert not M.after_discharge(ABSTINENT, 14, 10)
    assert M.after_discharge(USING, 10, 10)
    assert not M.after_discharge(TREATMENT, 11, 10)
    assert not M.after_discharge(ABSTINENT, 2, -1)
    # four weeks after a relapse, while using
    assert M.after_relapse(USING, 3) and not M.after_relapse(USING, 4)
    assert not M.after_relapse(ABSTINENT, 0)
    # the larger ratio when both apply, 1 when none
    assert M.early_ratio(False, False, p) == 1.0
    q = p._replace(death_rr_after_discharge=10.0, death_rr_after_relapse=20.0)
    assert M.early_ratio(True, True, q) == 20.0
    assert M.early_ratio(True, False, q) == 10.0


def test_step_deaths_are_binomial():
    """5,000 men using, all in the first weeks after a discharge: deaths this week within 4
    standard deviations of n x death_chance."""
    over = dict(death_rate_base=0.015, death_rr_male=2.9, death_rr_after_discharge=38.3)
    m = discharged_model(5000, **over)
    u = m.users
    u.status[:] = USING
    u.weeks_in_status[:] = 10  # not just relapsed
    u.male[:] = True
    u.last_discharge[:] = m.week - 1
    chance = 1 - math.exp(-0.015 * 2.9 * defaults()["death_rr_using"] * 38.3 / 52)
    mortality_step(m)
    deaths = int((u.status == DEAD).sum())
    n = 5000
    z = (deaths - n * chance) / math.sqrt(n * chance * (1 - chance))
    assert abs(z) < 4, (deaths, n * chance)
    assert (u.death_week[u.status == DEAD] == m.week).all()
    assert u.died_after_discharge[u.status == DEAD].all()


def test_the_dead_do_nothing_afterwards():
    """Users who died keep their state: no relapse, no group, no treatment, no aftercare, no
    drift of hope, shame, integration or SOC, no change of ties; and are counted as dead only."""
    values = dict(scn.load("institutional").values, death_rate_base=0.015)
    m = RecoveryModel(dict(values, death_rr_after_relapse=38.3), 600, 80, 3)
    cols = "comp manage meaning hope shame integration using_ties sober_ties n_relapses".split()
    for _ in range(40):
        m.step()
    u = m.users
    dead = np.flatnonzero(u.status == DEAD)
    assert len(dead) >= 10
    before = {c: getattr(u, c)[dead].copy() for c in cols}
    for _ in range(40):
        m.step()
    assert (u.status[dead] == DEAD).all()
    assert (u.group[dead] < 0).all() and not u.waiting[dead].any()
    assert (u.ac_left[dead] == 0).all() and not u.ac_contact[dead].any()
    assert not u.attended[dead].any()
    for c in cols:
        assert np.array_equal(getattr(u, c)[dead], before[c]), c
    frame = m.recorder.frame(m.week)
    last = frame.iloc[-1]
    assert last["users_dead"] == (u.status == DEAD).sum()
    assert last["users_abstinent"] + last["users_using"] + last["users_in_treatment"] == (
        u.n - last["users_dead"]
    )
    events = m.log.frame(u.n)
    deaths = events[events["event"] == "death"]
    assert len(deaths) == (u.status == DEAD).sum()
    assert np.array_equal(np.sort(deaths["person"].to_numpy()), np.flatnonzero(u.status == DEAD))


def test_death_before_relapse_is_censored():
    m = discharged_model(50)
    u = m.users
    u.first_discharge[:2] = 0
    u.first_relapse[:2] = -1
    u.death_week[:2] = (10, -1)
    m.week = 60
    t = relapse_times(m)
    assert t["duration"].iloc[0] == 10 and not t["event"].iloc[0]
    assert t["duration"].iloc[1] == 60


def test_shape_of_the_death_rates():
    """Status-quo at 2,000 users over 10 years with a high base rate (many deaths, fixed seed):
    men die at about ``death_rr_male`` times women's rate, and the first 4 weeks after a
    discharge at a rate ratio of the order of ``death_rr_after_discharge`` (not equal to it: the
    later weeks mix using and abstinent time, and the first weeks after relapses)."""
    sc = scn.load("status-quo")
    values = dict(sc.values, death_rate_base=0.012)
    s = summarize(RecoveryModel(values, 2000, 520, 5).run())
    assert s["deaths_share"] > 0.25
    assert s["deaths_men_women_rate_ratio"] == pytest.approx(2.0, rel=0.2)
    assert 15.7 / 2 < s["deaths_first_4_weeks_rate_ratio"] < 15.7 * 2
    # the rate is the base times the person-time mean of the ratios (the calibration identity)
    expected = 100 * 0.012 * s["mortality_mean_risk_ratio"]
    assert s["deaths_per_100py"] == pytest.approx(expected, rel=0.15)
