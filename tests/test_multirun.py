"""run_many: tidy frames, the same runs on every executor, and compare's seeds and differences."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.compare import compare
from experiments.executors import DaskExecutor
from experiments.multirun import run_many
from sim import scenario as scn
from sim.errors import InputError

SMALL = dict(replications=2, users=200, weeks=30, seed=4)


def test_frames_are_tidy_and_the_pool_gives_the_serial_runs():
    serial = run_many(["status-quo", "none"], **SMALL, workers=1)
    pool = run_many(["status-quo", "none"], **SMALL, workers=2)
    s = serial.summary
    assert list(s.columns[:4]) == ["scenario", "draw", "replication", "seed"]
    assert len(s) == 4 and sorted(zip(s.scenario, s.seed)) == [
        ("none", 4),
        ("none", 5),
        ("status-quo", 4),
        ("status-quo", 5),
    ]
    assert len(serial.weekly) == 4 * 30 and serial.relapse_times is None
    pd.testing.assert_frame_equal(serial.summary, pool.summary)
    pd.testing.assert_frame_equal(serial.weekly, pool.weekly)


def test_same_runs_and_paired_differences_as_compare(tmp_path):
    scenarios = [scn.load(n) for n in ("status-quo", "municipal")]
    runs_csv, _, diff_csv = compare(scenarios, "status-quo", 2, 200, 30, 4, tmp_path, workers=1)
    mine = run_many(["status-quo", "municipal"], **SMALL, workers=1)
    cols = ["scenario", "replication", "seed", "groups_active", "relatives_burnout_prevalence"]
    left = runs_csv[cols].sort_values(cols[:3]).reset_index(drop=True)
    right = mine.summary[cols].sort_values(cols[:3]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)
    diff = mine.differences("status-quo")
    assert (diff.draw == 0).all()
    pd.testing.assert_frame_equal(
        diff.drop(columns="draw").reset_index(drop=True), diff_csv.reset_index(drop=True)
    )


def test_draws_are_set_on_every_scenario_and_seed():
    draws = [{"aftercare_coverage": 0.05}, {"aftercare_coverage": 0.95}]
    runs = run_many(["status-quo"], draws=draws, **SMALL, workers=1)
    assert len(runs.summary) == 2 * 2 and list(runs.draws.columns) == ["draw", "aftercare_coverage"]
    sc = scn.load("status-quo").with_overrides({"aftercare_coverage": 0.95})
    direct = run_many([sc], **SMALL, workers=1).summary
    drawn = runs.summary[runs.summary.draw == 1].reset_index(drop=True)
    assert (drawn.aftercare_coverage == 0.95).all()
    metrics = ["relapse_within_52w", "groups_active", "mean_hope_users"]
    pd.testing.assert_frame_equal(drawn[metrics], direct[metrics])
    low = runs.summary[runs.summary.draw == 0].reset_index(drop=True)
    assert not low[metrics].equals(drawn[metrics])  # the draw changed the runs


def test_bad_input_names_the_field():
    with pytest.raises(InputError, match=r"draws\[1\]: unknown parameter 'nope'"):
        run_many(["none"], draws=[{"peer_staff": 0.5}, {"nope": 1}], **SMALL, workers=1)
    with pytest.raises(InputError, match="collect: unknown figures"):
        run_many(["none"], collect=["figures"], **SMALL, workers=1)
    with pytest.raises(InputError, match="share the name 'none'"):
        run_many(["none", "none"], **SMALL, workers=1)
    with pytest.raises(InputError, match="baseline: 'municipal' is not among"):
        run_many(["none"], **SMALL, workers=1).differences("municipal")


def test_on_dask_the_same_frames():
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2) as client:
        dask = run_many(["none"], **SMALL, executor=DaskExecutor(client=client))
    serial = run_many(["none"], **SMALL, workers=1)
    pd.testing.assert_frame_equal(dask.summary, serial.summary)
    pd.testing.assert_frame_equal(dask.weekly, serial.weekly)
