"""Mesa's conventions: ``running`` at the horizon, ``run_model``, ``batch_run``, ``datacollector``."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

from sim.errors import InputError
from sim.model import RecoveryModel
from sim.runner import simulate
from sim.scenario import load

USERS, WEEKS = 200, 12


def test_running_turns_false_at_the_horizon():
    m = RecoveryModel("status-quo", n_users=USERS, weeks=WEEKS, seed=3)
    for week in range(WEEKS):
        assert m.running, f"stopped early at week {week}"
        m.step()
    assert not m.running
    assert m.week == m.steps == WEEKS
    with pytest.raises(RuntimeError, match="horizon of 12 weeks"):
        m.step()


def test_run_model_is_run():
    a = RecoveryModel("municipal", n_users=USERS, weeks=WEEKS, seed=5)
    a.run_model()
    b = RecoveryModel("municipal", n_users=USERS, weeks=WEEKS, seed=5).run()
    assert a.week == b.week == WEEKS and not a.running and not b.running
    pd.testing.assert_frame_equal(a.recorder.frame(a.week), b.recorder.frame(b.week))


def test_names_and_overrides_build_the_same_model_as_a_scenario():
    by_name = RecoveryModel("organisation", n_users=USERS, weeks=4, seed=1).run()
    sc = load("organisation").with_overrides({"relapse_shape": 1.2})
    by_override = RecoveryModel("organisation", USERS, 4, 1, relapse_shape=1.2).run()
    by_scenario = RecoveryModel(sc, USERS, 4, 1).run()
    assert by_name.scenario_name == "organisation" and by_override.p.relapse_shape == 1.2
    pd.testing.assert_frame_equal(by_override.recorder.frame(4), by_scenario.recorder.frame(4))
    with pytest.raises(InputError, match="unknown parameter 'no_such'"):
        RecoveryModel("none", USERS, 4, 1, no_such=1.0)
    with pytest.raises(InputError, match="relapse_shape"):
        RecoveryModel("none", USERS, 4, 1, relapse_shape=99.0)


def test_batch_run_gives_one_row_per_run_with_the_last_week():
    rows = mesa.batch_run(
        RecoveryModel,
        parameters={
            "scenario": ["status-quo", "none"],
            "n_users": USERS,
            "weeks": WEEKS,
            "seed": [1, 2],
        },
        iterations=1,
        max_steps=1000,
        display_progress=False,
    )
    assert len(rows) == 4
    frame = pd.DataFrame(rows)
    assert sorted(zip(frame.scenario, frame.seed)) == sorted(
        [(s, k) for s in ("status-quo", "none") for k in (1, 2)]
    )
    assert (frame.Step == WEEKS - 1).all()
    for _, row in frame.iterrows():
        weekly = simulate(load(row.scenario), USERS, WEEKS, int(row.seed)).weekly
        last = weekly.iloc[-1]
        for col in ("users_using", "groups_active", "relatives_burnout_share"):
            assert row[col] == last[col], (row.scenario, row.seed, col)


def test_batch_run_varies_parameters_and_stops_at_max_steps():
    rows = mesa.batch_run(
        RecoveryModel,
        parameters={"n_users": USERS, "weeks": 50, "relapse_shape": [0.5, 1.2]},
        iterations=2,  # the same seed each iteration: identical rows (vary "seed" to replicate)
        max_steps=5,  # Mesa steps while model.steps <= max_steps: 6 steps
        display_progress=False,
    )
    frame = pd.DataFrame(rows)
    assert len(frame) == 4 and (frame.Step == 5).all()
    assert sorted(frame.relapse_shape) == [0.5, 0.5, 1.2, 1.2]
    pairs = frame.groupby("relapse_shape")["users_using"].nunique()
    assert (pairs == 1).all()  # same seed, same parameters: same result


def test_batch_run_on_several_processes():
    rows = mesa.batch_run(
        RecoveryModel,
        parameters={"n_users": USERS, "weeks": 6, "seed": [4, 5]},
        number_processes=2,
        display_progress=False,
    )
    assert sorted(r["seed"] for r in rows) == [4, 5]
    assert all(r["Step"] == 5 for r in rows)


def test_datacollector_is_the_weekly_table_plus_own_reporters():
    m = RecoveryModel("status-quo", n_users=USERS, weeks=WEEKS, seed=2)
    m.datacollector = type(m.datacollector)(
        m, model_reporters={"max_hope": lambda model: float(model.users.hope.max())}
    )
    hopes = []
    while m.running:
        m.step()
        hopes.append(float(m.users.hope.max()))
    frame = m.datacollector.get_model_vars_dataframe()
    weekly = m.recorder.frame(m.week)
    assert len(frame) == WEEKS and frame.index.name == "week"
    np.testing.assert_array_equal(frame["users_using"].to_numpy(), weekly["users_using"])
    assert frame["max_hope"].tolist() == hopes
    assert (
        m.datacollector.model_vars["groups_active"][WEEKS - 1] == weekly["groups_active"].iloc[-1]
    )
