"""The per-agent reference (sim/reference) and the vectorised model give the same numbers.

Both call the same scalar rules with the same counter-based uniforms, so a run of each with one
seed must agree bit for bit: the weekly recorded frame and every person's and group's final
state, for every built-in scenario at 200 users over 52 weeks. A second check runs both a
process at a time and stops at the first process after which any column differs (it names the
week, the process and the column: where to look when the first test fails).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import scenario as scn
from sim.model import RecoveryModel
from sim.reference import ReferenceModel
from sim.reference.agreement import differences, lockstep
from sim.summary import summarize

SCENARIOS = ("none", "status-quo", "municipal", "organisation", "institutional")
USERS, WEEKS, SEED = 200, 52, 11


@pytest.fixture(scope="module", params=SCENARIOS)
def runs(request):
    sc = scn.load(request.param)
    vec = RecoveryModel(sc, USERS, WEEKS, SEED).run()
    ref = ReferenceModel(sc, USERS, WEEKS, SEED).run()
    return vec, ref


def test_weekly_frame_is_exactly_equal(runs):
    """Every recorded weekly figure is the same number in both implementations."""
    vec, ref = runs
    pd.testing.assert_frame_equal(
        vec.recorder.frame(WEEKS), ref.recorder.frame(WEEKS), check_exact=True
    )


def test_final_state_is_exactly_equal(runs):
    """Every column of users, relatives and groups (status, SOC components, hope, burnout,
    group membership, ...) ends the same, as do the ties and the relatives' sums per user."""
    vec, ref = runs
    assert differences(vec, ref) == []
    t = ref.tables()
    for name in ("status", "comp", "manage", "meaning", "hope", "support", "group"):
        assert np.array_equal(getattr(vec.users, name), getattr(t.users, name))
    for name in ("burnout", "strain", "coping", "group", "soc13"):
        assert np.array_equal(getattr(vec.relatives, name), getattr(t.relatives, name))


def test_runs_are_not_trivial(runs):
    """The runs exercise the rules: relapses, group members and meetings, relatives in burnout."""
    vec, _ = runs
    frame = vec.recorder.frame(WEEKS)
    assert frame["relapses"].sum() > 0
    assert frame["users_in_groups"].max() > 0 and frame["users_attending"].sum() > 0
    assert frame["relatives_burnout_share"].max() > 0
    assert (vec.users.status == 2).sum() > 0  # some users use at the end


def test_the_comparison_detects_a_changed_rule():
    """One parameter of one rule changed in the reference only, by one part in ten million:
    the lockstep check finds it after the process that uses it."""
    sc = scn.load("status-quo")

    class Perturbed(ReferenceModel):
        def _records(self):
            rec = super()._records()
            gain = rec.user_meeting.meeting_hope_gain * 1.0000001
            rec.user_meeting = rec.user_meeting._replace(meeting_hope_gain=gain)
            return rec

    found = lockstep(sc, USERS, WEEKS, SEED, reference=Perturbed)
    assert found is not None and found.process == "meetings"
    assert any(line.startswith("users.hope") for line in found.what)


@pytest.mark.parametrize("scenario", ["institutional"])
def test_every_process_agrees_in_lockstep(scenario):
    """After each process of each week the two models' states are equal (26 weeks)."""
    found = lockstep(scn.load(scenario), USERS, 26, SEED + 1)
    assert found is None, str(found)


def test_deaths_agree_in_lockstep():
    """With the highest base death rate of the range (many deaths, of members, of residents of
    aftercare housing, of users with relatives), both models agree after every process, and the
    runs have deaths to compare."""
    sc = scn.load("institutional")
    values = dict(sc.values, death_rate_base=0.015, death_rr_after_relapse=38.3)
    assert lockstep(values, USERS, 40, SEED + 2) is None
    vec = RecoveryModel(values, USERS, 40, SEED + 2).run()
    assert (vec.users.death_week >= 0).sum() >= 5


@pytest.mark.parametrize(
    ("scenario", "places"),
    [("status-quo", 1000.0), ("institutional", 1000.0), ("institutional", 40.0)],
    ids=["status-quo", "institutional", "institutional-few-places"],
)
def test_a_municipality_agrees_in_lockstep(scenario, places):
    """A municipality (newcomers, moves away at a high rate, bereaved relatives leaving after two
    years; places per 1,000 users counted each year): both implementations agree after every
    process of every week."""
    sc = scn.load(scenario).with_overrides(
        {
            "moving_rate_per_year": 0.08,
            "bereaved_years": 2.0,
            "death_rate_base": 0.015,
            "treatment_places_per_1000": places,
            "aftercare_places_per_1000": places,
        }
    )
    found = lockstep(sc, 30, 130, SEED, inhabitants=40_000)
    assert found is None, str(found)


def test_a_municipality_is_exactly_equal_at_the_end():
    sc = scn.load("organisation").with_overrides({"moving_rate_per_year": 0.08})
    vec = RecoveryModel(sc, 30, 104, SEED, inhabitants=40_000).run()
    ref = ReferenceModel(sc, 30, 104, SEED, inhabitants=40_000).run()
    assert (vec.users.status == 4).any() and (vec.users.moved_week >= 0).any()
    assert differences(vec, ref) == []
    pd.testing.assert_frame_equal(
        vec.recorder.frame(104), ref.recorder.frame(104), check_exact=True
    )


@pytest.mark.parametrize(
    ("scenario", "levers"),
    [
        # treatment places bind (waiting users quit, die at a high death rate)
        ("status-quo", {"treatment_places_per_1000": 30.0, "death_rate_base": 0.015}),
        # aftercare places bind (and treatment places too), with housing and relatives' offers
        ("institutional", {"treatment_places_per_1000": 60.0, "aftercare_places_per_1000": 120.0}),
    ],
    ids=["treatment-places", "aftercare-places"],
)
def test_binding_places_agree_exactly(scenario, levers):
    """With too few places (ODD 7.2a), both models agree after every process, their weekly
    frames and final states are equal, and the runs have waiting lists to compare."""
    values = dict(scn.load(scenario).values, **levers)
    assert lockstep(values, USERS, 40, SEED + 3) is None
    vec = RecoveryModel(values, USERS, WEEKS, SEED + 3).run()
    ref = ReferenceModel(values, USERS, WEEKS, SEED + 3).run()
    pd.testing.assert_frame_equal(
        vec.recorder.frame(WEEKS), ref.recorder.frame(WEEKS), check_exact=True
    )
    assert differences(vec, ref) == []
    s_vec, s_ref = summarize(vec), ref.summary()
    for which in ("treatment", "aftercare"):
        for key in (f"{which}_waiting_weeks_per_100py", f"{which}_wait_weeks_mean"):
            assert s_vec[key] == s_ref[key], key
    frame = vec.recorder.frame(WEEKS)
    assert frame["users_waiting_treatment"].sum() > 0
    if "aftercare_places_per_1000" in levers:
        assert frame["users_waiting_aftercare"].sum() > 0
