"""Sweeps: tidy Parquet results, executors that agree, resuming after a restart or a kill."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import pool_sweep, slow_sweep_cmd, write_design

from experiments import design as dsg
from experiments.executors import SerialExecutor
from experiments.store import Store, read_runs, read_weekly
from experiments.sweep import _progress, run_sweep
from sim.cli import main

DESIGN = """
name = "k"
scenario = ["status-quo", "municipal"]
users = 300
weeks = 52
replications = 2
seed = 9
[factors]
aftercare_coverage = [0.1, 0.4, 0.7, 1.0]
selfhelp_referral_share = [0.0, 0.5, 1.0]
"""
N_RUNS = 4 * 3 * 2 * 2


@pytest.fixture(scope="module")
def design_file(tmp_path_factory) -> Path:
    return write_design(tmp_path_factory, DESIGN, "k.toml")


@pytest.fixture(scope="module")
def reference(design_file, tmp_path_factory) -> Path:
    """An uninterrupted sweep on a local process pool."""
    out, report = pool_sweep(design_file, tmp_path_factory)
    assert report.ran == N_RUNS
    return out


def sweep_cmd(design: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sim",
        "sweep",
        "--design",
        str(design),
        "--out",
        str(out),
        *extra,
    ]


def stored(out: Path) -> int:
    d = out / "runs" / "experiment=k"
    return len([p for p in d.glob("*.parquet")]) if d.exists() else 0


def assert_same_results(out: Path, reference: Path) -> None:
    runs, ref = read_runs(out), read_runs(reference)
    assert len(runs) == N_RUNS
    assert not runs.duplicated(["experiment", "point", "replication"]).any()
    pd.testing.assert_frame_equal(runs, ref)
    pd.testing.assert_frame_equal(read_weekly(out), read_weekly(reference))


def test_tidy_tables_one_row_per_run(reference):
    """runs/ has one row per run with identity, param_* columns and headline figures; weekly/ has every week."""
    runs = read_runs(reference)
    assert len(runs) == N_RUNS
    for col in (
        "experiment",
        "point",
        "replication",
        "seed",
        "scenario",
        "param_aftercare_coverage",
        "param_selfhelp_referral_share",
        "relapse_within_52w",
        "relatives_burnout_prevalence",
    ):
        assert col in runs.columns
    assert set(runs.seed) == {9, 10}
    assert runs.groupby("point").size().eq(2).all()
    assert len(read_weekly(reference)) == N_RUNS * 52
    hive = pd.read_parquet(reference / "runs")  # plain pandas reads the partitioned layout too
    assert len(hive) == N_RUNS and set(hive["experiment"].astype(str)) == {"k"}
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs"] == N_RUNS
    assert manifest["git_commit"] and "SALib" in manifest["versions"]
    assert (reference / "design.toml").read_text() == DESIGN
    assert len(pd.read_csv(reference / "summary.csv")) == 24


def test_common_random_numbers_across_points(reference):
    """Points of one replication share a seed: the same people at the start, different outcomes by policy."""
    runs = read_runs(reference)
    for _, grp in runs.groupby("seed"):
        assert grp["users_in_groups_share"].nunique() > 1  # the levers act
        for start in ("soc13_relatives_start_mean", "soc13_users_start_mean", "relatives_per_user"):
            assert grp[start].nunique() == 1  # the population drawn at the start is the same
    assert (
        runs.groupby("point")["soc13_users_start_mean"].nunique().eq(2).all()
    )  # replications differ


def test_serial_equals_pool(design_file, reference, tmp_path):
    """The same design gives the same rows in this process and on a process pool."""
    out = tmp_path / "serial"
    run_sweep(dsg.load(design_file), out, SerialExecutor(), progress=False)
    assert_same_results(out, reference)


def test_resume_reruns_only_missing_runs_and_ignores_stale_temp_files(
    design_file, reference, tmp_path
):
    """Deleted runs are rerun, stored ones skipped; a left-over temporary file is removed and never read."""
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    for kind in ("runs", "weekly"):  # four runs lost from the batch file
        (batch,) = (out / kind / "experiment=k").glob("batch-*.parquet")
        frame = pd.read_parquet(batch)
        lost = frame.point.isin([2, 3]) & frame.replication.isin([0, 1])
        frame[~lost].to_parquet(batch, index=False)
    (out / "runs" / "experiment=k" / ".tmp-p000001-r000.parquet-999").write_bytes(b"half a file")
    report = run_sweep(dsg.load(design_file), out, SerialExecutor(), progress=False)
    assert (report.stored_before, report.ran) == (N_RUNS - 4, 4)
    assert not list(out.glob("runs/*/.tmp-*"))
    assert_same_results(out, reference)
    assert len(json.loads((out / "manifest.json").read_text())["sessions"]) == 2


def test_finished_sweep_keeps_few_files_and_a_killed_consolidation_loses_nothing(
    design_file, reference, tmp_path, monkeypatch
):
    """Batches of at most BATCH_RUNS runs (here 5: 48 runs in 10 batches, 20 files); a run left
    both in a batch and in its own file (a consolidation killed half-way) is read once."""
    from experiments import store as store_module

    monkeypatch.setattr(store_module, "BATCH_RUNS", 5)
    out = tmp_path / "small-batches"
    run_sweep(dsg.load(design_file), out, SerialExecutor(), progress=False)
    files = sorted(p.name for p in out.glob("*/experiment=k/*.parquet"))
    assert files == [f"batch-{i:05d}.parquet" for i in range(10) for _ in (0, 1)]
    assert_same_results(out, reference)
    # as if killed after writing a batch but before removing the run files it replaced
    runs, weekly = read_runs(out), read_weekly(out)
    for (point, rep), row in (
        runs.groupby(["point", "replication"]).head(1).groupby(["point", "replication"])
    ):
        if point < 2:
            run_id = f"p{point:06d}-r{rep:03d}"
            w = weekly[(weekly.point == point) & (weekly.replication == rep)]
            row.drop(columns="experiment").to_parquet(
                out / "runs/experiment=k" / f"{run_id}.parquet"
            )
            w.drop(columns="experiment").to_parquet(
                out / "weekly/experiment=k" / f"{run_id}.parquet"
            )
    assert len(list(out.glob("runs/experiment=k/p*.parquet"))) == 4
    assert_same_results(out, reference)  # each run once
    report = run_sweep(dsg.load(design_file), out, SerialExecutor(), progress=False)
    assert (report.stored_before, report.ran) == (N_RUNS, 0)
    assert not list(out.glob("*/experiment=k/p*.parquet"))  # the second copies removed
    assert_same_results(out, reference)


def test_other_design_or_concurrent_sweep_refused(design_file, reference, tmp_path, capsys):
    """An output directory of another design, or one another sweep holds, is refused with exit code 2."""
    other = tmp_path / "other.toml"
    other.write_text(DESIGN.replace("seed = 9", "seed = 10"))
    assert main(["sweep", "--design", str(other), "--out", str(reference), "--workers", "1"]) == 2
    assert "different design" in capsys.readouterr().err
    with Store(reference).lock():
        assert (
            main(["sweep", "--design", str(design_file), "--out", str(reference), "--workers", "1"])
            == 2
        )
    assert "another sweep" in capsys.readouterr().err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_killed_sweep_resumes_with_no_lost_or_duplicated_rows(
    design_file, reference, tmp_path, sig
):
    """Interrupt a running sweep (Ctrl-C to its process group, or SIGKILL), restart it: every run once, as uninterrupted."""
    out = tmp_path / "out"
    slow = slow_sweep_cmd(0.15, *sweep_cmd(design_file, out, "--workers", "2")[3:])
    proc = subprocess.Popen(
        slow,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while stored(out) < 6 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    before = stored(out)
    assert 6 <= before < N_RUNS
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in err
        assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    else:
        assert proc.returncode == -signal.SIGKILL
    again = subprocess.run(
        sweep_cmd(design_file, out, "--workers", "2"),
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert again.returncode == 0, again.stderr
    assert f"{before} already stored, {N_RUNS - before} run now" in again.stdout
    assert "runs done" not in again.stderr  # no progress bar when stderr is not a terminal
    assert_same_results(out, reference)
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    files = sorted(p.name for p in out.glob("*/experiment=k/*.parquet"))
    assert files == ["batch-00000.parquet"] * 2  # the runs of both sessions in one batch


def test_progress_bar_shows_done_left_and_time(capsys):
    """The progress bar (on a terminal) shows runs done of the total, runs to go and time left."""
    bar = _progress(10, 3, "sweep x", True)
    bar.update(1)
    bar.set_postfix_str("6 to go")
    bar.close()
    err = capsys.readouterr().err
    assert "4/10 runs done" in err and "6 to go" in err and "left]" in err
