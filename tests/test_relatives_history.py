"""Relatives with a history (issue 12, target T11): years lived with the user's problem at the
user's entry, help-seeking rising with strain and burnout, the GP route and relatives' own
treatment, and T11's measures read off simulated people."""

import numpy as np
import pytest
from conftest import discharged_model, make_model

from sim.codes import CHILD_MINOR
from sim.model import RecoveryModel
from sim.relatives import relatives_step
from sim.relatives import rules as R
from sim.scenario import load


def _z(hits: np.ndarray, chances: np.ndarray) -> float:
    return float((hits.sum() - chances.sum()) / np.sqrt((chances * (1 - chances)).sum()))


# ------------------------------------------------------------------ years with the problem


def test_years_with_problem_follow_the_users_history():
    """A user's relatives share the user's problem years (a minor child at most its age), which
    are at most the user's age - 15 and average about ``users_problem_years_mean``."""
    m = make_model(n_users=4000)
    r, u = m.relatives, m.users
    y = r.years_with_problem
    assert (y >= 0).all()
    assert (y <= np.maximum(u.age[r.user] - R.PROBLEM_ONSET_AGE, 0) + 1e-12).all()
    minor = r.relation == CHILD_MINOR
    assert (y[minor] <= R.MINOR_CHILD_AGE).all()
    # everyone else of one user has the same years
    others = ~minor
    by_user = {}
    for j, v in zip(r.user[others], y[others]):
        assert by_user.setdefault(j, v) == v
    # the mean: gamma mean, a little less for the cap at the user's age - 15
    mean = m.p.users_problem_years_mean
    first = np.unique(r.user[others], return_index=True)[1]
    assert 0.85 * mean < y[others][first].mean() < 1.02 * mean
    # longer histories with a larger mean (the same draws, scaled)
    m2 = make_model(n_users=4000, users_problem_years_mean=2 * mean)
    assert m2.relatives.years_with_problem[others].mean() > 1.5 * y[others].mean()


def test_newcomers_relatives_arrive_with_their_history():
    """In a municipality, relatives of users arriving later have years with the problem too, and
    are present only from their user's arrival."""
    m = RecoveryModel("status-quo", n_users=300, weeks=30, seed=3, inhabitants=60000)
    r, u = m.relatives, m.users
    later = r.user >= m.arrivals.initial
    assert later.any() and (r.years_with_problem[later] > 0).mean() > 0.9
    assert not r.present[later].any()
    m.run()
    arrived = later & (u.arrival_week[r.user] < m.week) & (u.moved_week[r.user] < 0)
    assert arrived.any() and r.present[arrived].all()


# ------------------------------------------------------------------ the GP route, treatment


def test_gp_visits_through_the_step_rise_with_strain():
    """Nobody would take part in a group: the share seeing the GP is ``gp_visit_chance`` of this
    week's strain (|z| < 4), and the strained go more often."""
    m = discharged_model(n_users=3000, seed=5, relatives_gp_rate=0.05, relatives_gp_referral=0.0)
    r = m.relatives
    r.wants_group[:] = False
    r.seeking[:] = False
    r.family_week[:] = False
    r.treatment_left[:] = 0
    r.first_help_week[:] = -1
    r.strain[:] = np.linspace(0.0, 1.0, r.n)
    burnout = r.burnout.copy()
    relatives_step(m)
    p = R.relatives_params(m.p)
    went = r.first_help_week == m.week
    chances = np.array([R.gp_visit_chance(s1, b, p) for s1, b in zip(r.strain, burnout)])
    assert abs(_z(went, chances)) < 4
    assert (r.first_help_route[went] == R.GP_ROUTE).all()
    half = r.n // 2
    assert went[half:].mean() > 1.5 * went[:half].mean()


def test_the_gp_refers_to_relatives_treatment_which_helps():
    """A share ``relatives_gp_referral`` of GP visits ends in relatives' own treatment of
    ``relatives_treatment_weeks`` weeks; treatment counts as help (strain relief, touched)."""
    m = discharged_model(n_users=3000, seed=6, relatives_gp_rate=0.05, relatives_gp_referral=0.4)
    r = m.relatives
    r.wants_group[:] = False
    r.strain[:] = 0.9
    r.treatment_left[:] = 0
    r.treatment_week[:] = -1
    r.first_help_week[:] = -1
    relatives_step(m)
    went = np.flatnonzero(r.first_help_week == m.week)
    treated = np.flatnonzero(r.treatment_week == m.week)
    assert len(went) > 200
    assert set(treated) <= set(went)
    share = len(treated) / len(went)
    assert abs(share - 0.4) < 4 * np.sqrt(0.4 * 0.6 / len(went))
    assert (r.treatment_left[treated] == m.p.relatives_treatment_weeks).all()
    # the next week: treatment runs down, relieves strain like a group, and is help received
    m.week += 1
    same = treated[(r.group[treated] < 0) & (r.intervention_left[treated] == 0)]
    r.touched[same] = False
    s0, c0 = r.strain[same].copy(), r.coping[same].copy()
    relatives_step(m)
    p = R.relatives_params(m.p)
    assert (r.treatment_left[same] == m.p.relatives_treatment_weeks - 1).all()
    helped = [R.strain(a, st, True, 1.0, p) for a, st in zip(s0, r.stress[same])]
    unhelped = [R.strain(a, st, False, 1.0, p) for a, st in zip(s0, r.stress[same])]
    engaged = c0 == 0  # engaged last week: the growth factor 1
    assert np.array_equal(r.strain[same][engaged], np.array(helped)[engaged])
    assert (np.array(helped) <= np.array(unhelped)).all()
    assert r.touched[same].all()


def test_in_treatment_no_new_gp_visit():
    """A relative in relatives' own treatment does not see the GP again (``sees_gp`` false)."""
    m = discharged_model(n_users=2000, seed=8, relatives_gp_rate=0.05)
    r = m.relatives
    r.wants_group[:] = False
    r.strain[:] = 1.0
    r.treatment_left[:] = 5
    r.first_help_week[:] = -1
    relatives_step(m)
    assert (r.first_help_week < 0).all()


# ------------------------------------------------------------------ T11 from simulated people


def test_t11_measures_are_read_off_the_simulated_relatives():
    """The T11 figures are worked out from the run's relatives: years with the problem plus years
    in the model to the first help; exhaustion at the start of relatives' treatment."""
    from experiments.calibration.measures import run_arm
    from experiments.runs import RunSpec

    spec = RunSpec(load("status-quo"), 400, 156, 2)
    fig = run_arm(spec)["figures"]
    # the same run by hand
    m = RecoveryModel(load("status-quo"), 400, 156, 2)
    r, u = m.relatives, m.users
    exhausted_t = np.zeros(r.n, bool)
    while m.week < m.weeks:
        m.step()
        t = np.flatnonzero(r.treatment_week == m.week - 1)
        exhausted_t[t] = (r.strain[t] >= m.p.burnout_threshold) | r.burnout[t]
    sought = r.first_help_week >= 0
    years = r.years_with_problem + (r.first_help_week - u.arrival_week[r.user]) / 52.0
    assert sought.sum() > 50
    assert fig["relatives_years_to_first_help"] == pytest.approx(years[sought].mean())
    assert fig["relatives_years_to_first_help"] > r.years_with_problem[sought].mean()
    treated = r.treatment_week >= 0
    assert treated.sum() > 5
    assert fig["relatives_exhausted_at_help_share"] == pytest.approx(exhausted_t[treated].mean())
    assert fig["relatives_in_treatment_share"] == pytest.approx(treated.mean())
    gp = (r.first_help_route[sought] == R.GP_ROUTE).mean()
    assert fig["relatives_first_help_gp_share"] == pytest.approx(gp)
    assert 0 < gp < 1  # both routes taken


def test_strain_term_selects_the_strained_into_help():
    """With a strain effect, relatives are more strained in the week they first seek help than
    without it (the same seed)."""
    from experiments.calibration.measures import run_arm
    from experiments.runs import RunSpec

    def exhausted(effect):
        sc = load("status-quo").with_overrides({"helpseek_strain_effect": effect}, "test")
        return run_arm(RunSpec(sc, 600, 104, 4))["figures"][
            "relatives_exhausted_at_first_help_share"
        ]

    assert exhausted(5.0) > exhausted(0.0)


def test_reference_agrees_when_the_bereaved_leave_and_relatives_are_treated():
    """Process by process, the reference agrees with the vectorised model in a run where users
    die, their bereaved leave after a few weeks and relatives go to the GP and into treatment."""
    from sim.reference import ReferenceModel
    from sim.reference.agreement import lockstep

    sc = load("status-quo").with_overrides(
        {
            "death_rate_base": 0.015,
            "bereaved_years": 2.0,
            "relatives_gp_rate": 0.01,
            "relatives_gp_referral": 0.5,
            "relatives_treatment_weeks": 8,
        },
        "test",
    )
    sc.values["bereaved_years"] = 0.06  # about 3 weeks (below the registry range: a rule test)
    assert lockstep(sc, 150, 40, 3) is None
    ref = ReferenceModel(sc, 150, 40, 3).run()
    t = ref.tables()
    assert (t.relatives.treatment_week >= 0).sum() > 0
    assert (~t.relatives.present).sum() > 0  # some bereaved have left
