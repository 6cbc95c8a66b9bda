"""The reporter registry: every weekly measure declared once, read the same way everywhere."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_model

from sim.app.session import Session
from sim.codes import Coping, GroupType, Housing, Status
from sim.reporting import WEEKLY, Tally, meeting_sizes, report
from sim.reporting.teaching import PAGE
from sim.runner import simulate, write_run
from sim.scenario import load


@pytest.fixture(scope="module")
def run():
    return simulate(load("status-quo"), n_users=150, weeks=60, seed=4)


@pytest.mark.parametrize("reg", [WEEKLY, PAGE], ids=["WEEKLY", "PAGE"])
def test_every_reporter_has_a_description_and_a_unit(reg):
    for name, r in reg.items():
        assert r.name == name
        assert r.description.strip() and r.unit.strip(), name


def test_registry_names_are_the_weekly_parquet_columns(run, tmp_path):
    """weekly.parquet: the week, then one column per reporter in the registry's order, floats."""
    write_run(run, tmp_path, figures=False)
    weekly = pd.read_parquet(tmp_path / "weekly.parquet")
    assert list(weekly.columns) == ["week", *WEEKLY]
    assert weekly["week"].dtype == np.int32 and len(weekly) == 60
    assert all(weekly[name].dtype == np.float64 for name in WEEKLY)


def test_reporters_count_by_hand_on_a_small_model():
    """Set the people's states by hand and count them in plain Python."""
    m = make_model(n_users=40, weeks=10, seed=3)
    for _ in range(4):
        m.step()
    u, r, g = m.users, m.relatives, m.group_table
    u.status[:] = Status.ABSTINENT
    u.status[:7] = Status.USING
    u.status[7:12] = Status.TREATMENT
    u.housing[:] = Housing.STABLE
    u.housing[[0, 5, 9]] = Housing.UNSTABLE
    u.hope[:] = np.arange(u.n, dtype=float)
    r.coping[:] = Coping.ENGAGED
    r.coping[:3] = Coping.TOLERANT
    r.burnout[:] = False
    r.burnout[-2:] = True
    got = report(m, WEEKLY.values())
    assert got["users_using"] == 7 and got["users_in_treatment"] == 5
    assert got["users_abstinent"] == u.n - 12
    assert got["users_unstable_housing"] == 3 / u.n
    assert got["mean_hope_users"] == pytest.approx((u.n - 1) / 2)
    assert got["relatives_tolerant_share"] == 3 / r.n
    assert got["relatives_burnout_share"] == 2 / r.n
    assert got["relatives_withdrawn_share"] == 0.0
    present = [int(g.attendance[i]) for i in range(g.size) if g.active[i]]
    held = [a for a in present if a >= 2]
    users_types = {GroupType.TWELVE_STEP, GroupType.MIXED, GroupType.CLINIC}
    users_groups = sum(1 for i in range(g.size) if g.active[i] and g.gtype[i] in users_types)
    assert got["groups_active"] == len(present) > 0
    assert got["groups_users"] == users_groups
    assert got["groups_relatives"] == len(present) - users_groups
    assert got["meetings_held"] == len(held)
    assert got["mean_group_size"] == pytest.approx(sum(held) / len(held))
    assert sorted(meeting_sizes(m)) == sorted(held)
    assert got["users_in_groups"] == sum(1 for x in u.group if x >= 0)
    assert got["relatives_in_groups_share"] == sum(1 for x in r.group if x >= 0) / r.n


def test_means_and_resource_shares_are_over_the_living():
    """The dead count in the status shares (which sum to 1) but not in the means of the
    psychosocial state, nor in the shares with an activity or in unstable housing."""
    m = make_model(n_users=40, weeks=10, seed=3)
    m.step()
    u = m.users
    u.status[:] = Status.ABSTINENT
    u.status[:10] = Status.DEAD
    u.hope[:] = np.arange(u.n, dtype=float)  # the living hold 10..39
    u.housing[:] = Housing.STABLE
    u.housing[[0, 1, 15, 20]] = Housing.UNSTABLE  # two dead, two living
    u.activity[:] = False
    u.activity[[2, 30]] = True  # one dead, one living
    got = report(m, WEEKLY.values())
    assert got["users_dead"] == 10 and got["users_abstinent"] == 30
    assert got["mean_hope_users"] == pytest.approx(sum(range(10, 40)) / 30)
    assert got["users_unstable_housing"] == 2 / 30
    assert got["users_with_activity"] == 1 / 30
    living = u.status != Status.DEAD
    assert got["mean_comprehensibility"] == pytest.approx(u.comp[living].mean())


def test_a_reporter_called_on_the_model_gives_the_recorded_value():
    """Called on the model after a step, each reporter gives what the recorder wrote that week."""
    m = make_model(n_users=60, weeks=8, seed=2)
    for _ in range(5):
        m.step()
    week = m.week - 1
    for name, reporter in WEEKLY.items():
        np.testing.assert_equal(reporter(m), m.recorder.data[name][week], err_msg=name)


def test_a_tally_counts_once():
    m = make_model(n_users=30, weeks=4, seed=1)
    t = Tally(m)
    assert t.users is t.users and t.relative_shares is t.relative_shares


def test_summary_values_equal_recomputation_from_the_recorded_frame(run):
    s, w, u = run.summary, run.weekly, run.model.users
    assert s["relatives_burnout_prevalence"] == w["relatives_burnout_share"].mean()
    assert s["relatives_in_groups_share"] == w["relatives_in_groups_share"].mean()
    assert s["groups_active"] == w["groups_active"].mean()
    assert s["mean_group_size"] == w["mean_group_size"].mean()
    assert s["users_in_groups_share"] == (w["users_in_groups"] / u.n).mean()
    last = w.iloc[-1]  # the state at the end: nothing a reporter reads changes after the record
    assert s["mean_soc13_users"] == last["mean_soc13_users"]
    assert s["mean_hope_users"] == last["mean_hope_users"]
    assert s["mean_shame_users"] == last["mean_shame_users"]
    assert s["relatives_mean_strain"] == last["relatives_mean_strain"]
    assert s["relatives_burnout_end"] == last["relatives_burnout_share"]
    assert s["using_at_end"] == last["users_using"] / u.n


def test_teaching_page_series_are_the_recorded_columns():
    """The page's row after week w's step is the recorder's row w, as percentages."""
    s = Session(users=60, weeks=12, seed=9, draw=False)
    s.step(12)
    page = pd.DataFrame(s.history.rows).iloc[1:].reset_index(drop=True)
    w = s.model.recorder.frame(s.model.week)
    n = s.users
    np.testing.assert_array_equal(page["using_pct"], 100.0 * (w["users_using"] / n))
    np.testing.assert_array_equal(page["users_in_groups_pct"], 100.0 * (w["users_in_groups"] / n))
    np.testing.assert_array_equal(page["burnout_pct"], 100.0 * w["relatives_burnout_share"])
    np.testing.assert_array_equal(page["strain"], 100.0 * w["relatives_mean_strain"])
    np.testing.assert_array_equal(page["groups_active"], w["groups_active"])
    np.testing.assert_array_equal(page["soc13"], w["mean_soc13_users"])
    np.testing.assert_array_equal(page["hope"], w["mean_hope_users"])
    np.testing.assert_array_equal(page["activity_pct"], 100.0 * w["users_with_activity"])
    np.testing.assert_array_equal(page["support"], 100.0 * w["mean_support_users"])
    assert list(page.columns) == list(PAGE)
    assert np.isnan(s.history.rows[0]["support"])  # week 0: support not yet worked out
