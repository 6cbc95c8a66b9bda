"""The same sweep on a real Dask cluster (a scheduler and two workers on 127.0.0.1) as on a process pool."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import pool_sweep, slow_sweep_cmd, write_design

from experiments.store import read_runs, read_weekly

pytest.importorskip("distributed")

DESIGN = """
name = "d"
scenario = "status-quo"
users = 300
weeks = 52
replications = 2
seed = 21
[factors]
aftercare_coverage = [0.1, 0.5, 0.9]
peer_staff = [0.0, 0.5, 1.0]
relatives_family_week = [0.0, 1.0]
"""
N_RUNS = 3 * 3 * 2 * 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    fh = open(log, "w")
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=cwd,
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A dask scheduler and two single-threaded dask workers on 127.0.0.1; all killed afterwards."""
    from distributed import Client

    tmp = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        start(
            [
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            tmp,
            tmp / "scheduler.log",
        )
    ]
    try:
        for i in range(2):
            procs.append(
                start(
                    [
                        "distributed.cli.dask_worker",
                        address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--host",
                        "127.0.0.1",
                        "--no-dashboard",
                        "--name",
                        f"w{i}",
                        "--death-timeout",
                        "60",
                        "--local-directory",
                        str(tmp / f"w{i}"),
                    ],
                    tmp,
                    tmp / f"worker{i}.log",
                )
            )
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
        yield address, procs
    finally:
        for p in reversed(procs):
            stop(p)


@pytest.fixture(scope="module")
def design_file(tmp_path_factory) -> Path:
    return write_design(tmp_path_factory, DESIGN, "d.toml")


@pytest.fixture(scope="module")
def reference(design_file, tmp_path_factory) -> Path:
    return pool_sweep(design_file, tmp_path_factory)[0]


def stored(out: Path) -> int:
    d = out / "runs" / "experiment=d"
    return len(list(d.glob("*.parquet"))) if d.exists() else 0


def sweep(design: Path, out: Path, address: str, cwd: Path, pause: float = 0.0) -> subprocess.Popen:
    """A sweep on the cluster; ``pause`` > 0 holds every run back that long (see tests/slow_sweep.py)."""
    args = ["sweep", "--design", str(design), "--out", str(out), "--scheduler", address]
    cmd = slow_sweep_cmd(pause, *args) if pause else [sys.executable, "-m", "sim", *args]
    return subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_same(out: Path, reference: Path) -> None:
    runs = read_runs(out)
    assert len(runs) == N_RUNS and not runs.duplicated(["point", "replication"]).any()
    pd.testing.assert_frame_equal(runs, read_runs(reference))
    pd.testing.assert_frame_equal(read_weekly(out), read_weekly(reference))


def test_dask_cluster_gives_the_same_rows_as_the_process_pool(
    cluster, design_file, reference, tmp_path
):
    """`sweep --scheduler tcp://127.0.0.1:PORT` stores exactly the rows the local pool stores for the same seed."""
    address, _ = cluster
    out = tmp_path / "out"
    proc = sweep(design_file, out, address, tmp_path)
    stdout, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 0, stderr
    assert f"{N_RUNS} runs (0 already stored, {N_RUNS} run now" in stdout
    assert_same(out, reference)
    import json

    assert (
        json.loads((out / "manifest.json").read_text())["sessions"][0]["executor"]
        == f"dask ({address})"
    )


def test_killing_a_dask_worker_loses_and_duplicates_nothing(
    cluster, design_file, reference, tmp_path
):
    """Kill one of the two workers mid-sweep: its tasks rerun on the other; restarting adds nothing; rows as the pool's."""
    from distributed import Client

    address, procs = cluster
    victim = procs[2]  # worker "w1"
    out = tmp_path / "out"
    proc = sweep(design_file, out, address, tmp_path, pause=0.15)
    try:
        with Client(address, timeout=30) as client:
            w1 = next(a for a, w in client.scheduler_info()["workers"].items() if w["name"] == "w1")
            deadline = time.monotonic() + 120
            busy = []
            while proc.poll() is None and time.monotonic() < deadline:
                busy = client.processing(workers=[w1]).get(w1, [])
                if stored(out) >= 6 and busy:
                    break
                time.sleep(0.02)
            assert proc.poll() is None, "the sweep ended before a worker could be killed"
            assert busy, "worker w1 had no task to lose"
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait(timeout=30)
            killed_at = stored(out)
        stdout, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert killed_at < N_RUNS
    assert proc.returncode == 0, stderr
    assert_same(out, reference)
    again = sweep(design_file, out, address, tmp_path)
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert f"({N_RUNS} already stored, 0 run now" in stdout
    assert_same(out, reference)


def test_unreachable_scheduler_is_one_line_exit_2(design_file, tmp_path):
    """A scheduler address nobody listens on fails with one line and exit code 2, before any run."""
    port = free_port()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            "--design",
            str(design_file),
            "--out",
            str(tmp_path / "o"),
            "--scheduler",
            f"tcp://127.0.0.1:{port}",
        ],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "cannot reach a Dask scheduler" in r.stderr
    assert stored(tmp_path / "o") == 0
