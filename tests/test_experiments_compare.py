"""`compare`: paired replications with common random numbers, tables with intervals, figures with bands."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from experiments.report import write_report
from sim.cli import main
from sim.summary import HEADLINE


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """`python -m sim compare` of two scenarios against status-quo (added as the baseline)."""
    out = tmp_path_factory.mktemp("cmp") / "out"
    code = main(
        [
            "compare",
            "--scenarios",
            "none,institutional",
            "--baseline",
            "status-quo",
            "--replications",
            "6",
            "--users",
            "300",
            "--weeks",
            "104",
            "--seed",
            "1",
            "--workers",
            "2",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_compare_writes_tables_and_figures(compared):
    """Per-scenario means with 95% intervals, differences versus the baseline, figures and a manifest."""
    for name in (
        "tables.md",
        "scenarios.csv",
        "differences.csv",
        "runs.csv",
        "survival.png",
        "relatives_burnout.png",
        "groups.png",
        "manifest.json",
    ):
        assert (compared / name).stat().st_size > 0, name
    per = pd.read_csv(compared / "scenarios.csv")
    assert set(per.scenario) == {"status-quo", "none", "institutional"} and set(per.metric) == set(
        HEADLINE
    )
    ok = per.dropna()
    assert ((ok["low"] <= ok["mean"]) & (ok["mean"] <= ok["high"])).all()
    diff = pd.read_csv(compared / "differences.csv")
    assert set(diff.scenario) == {"none", "institutional"} and (diff.baseline == "status-quo").all()
    runs = pd.read_csv(compared / "runs.csv")
    assert (
        len(runs) == 18
        and runs.groupby("scenario")["seed"].apply(sorted).apply(tuple).nunique() == 1
    )
    md = (compared / "tables.md").read_text()
    assert "Differences versus `status-quo`" in md and "Paired intervals are narrower" in md
    manifest = json.loads((compared / "manifest.json").read_text())
    assert manifest["seeds"] == [1, 2, 3, 4, 5, 6] and manifest["baseline"] == "status-quo"
    assert set(manifest["scenarios"]) == {"status-quo", "none", "institutional"}


def test_paired_intervals_are_narrower_than_unpaired(compared):
    """Common random numbers: paired differences have narrower 95% intervals than unpaired ones."""
    diff = pd.read_csv(compared / "differences.csv")
    for metric in ("relapse_within_52w", "relatives_burnout_prevalence", "mean_soc13_users"):
        rows = diff[diff.metric == metric]
        assert len(rows) == 2
        assert (rows["paired_width"] < rows["unpaired_width"]).all(), rows
    ok = diff[np.isfinite(diff.paired_width) & np.isfinite(diff.unpaired_width)]
    assert (ok.paired_width < ok.unpaired_width).mean() >= 2 / 3
    assert (ok.paired_width / ok.unpaired_width).median() < 0.8


def test_compare_bad_scenario_is_one_line_exit_2(tmp_path, capsys):
    """An unknown scenario fails before any run with one line and exit code 2."""
    assert (
        main(
            [
                "compare",
                "--scenarios",
                "none,atlantis",
                "--out",
                str(tmp_path / "o"),
                "--workers",
                "1",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "atlantis" in err
    assert not (tmp_path / "o").exists()


def test_report_still_works(tmp_path):
    """The `report` command's write_report (which uses compare) keeps its signature and output."""
    path = write_report(tmp_path / "rep", replications=2, users=150, weeks=52, seed=1, workers=2)
    text = path.read_text()
    assert "Paired intervals are narrower" in text and (tmp_path / "rep" / "survival.png").exists()


def test_run_tasks_on_an_executor_matches_the_builtin_loop():
    """compare's run_tasks gives the same results through an Executor (as Dask is used) as its own loop."""
    from experiments.compare import make_tasks
    from experiments.executors import PoolExecutor
    from experiments.replicate import run_tasks
    from sim import scenario as scn

    tasks = make_tasks([scn.load("none"), scn.load("municipal")], 2, 120, 30, 4)
    with PoolExecutor(2) as ex:
        a = run_tasks(tasks, executor=ex)
    b = run_tasks(tasks, workers=1)
    assert [(r.task.scenario.name, r.task.seed) for r in a] == [
        (r.task.scenario.name, r.task.seed) for r in b
    ]
    for x, y in zip(a, b):
        assert x.weekly.equals(y.weekly)
