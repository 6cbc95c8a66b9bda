"""Workers never outlive the command that started them, even when it is killed by SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from experiments.executors import PoolExecutor

ROOT = Path(__file__).resolve().parents[1]
DESIGN = """
name = "long"
users = 2000
weeks = 260
replications = 20
[factors]
peer_staff = [0.0, 0.5, 1.0]
"""

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for a parent to collect it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]


def test_sweep_workers_exit_when_the_parent_is_killed(tmp_path):
    (tmp_path / "d.toml").write_text(DESIGN)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", "--design", "d.toml", "--out", "o"]
        + ["--workers", "2"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2:
            workers = children(proc.pid)
            time.sleep(0.2)
        assert len(workers) >= 2, f"no pool workers seen: {workers}"
        time.sleep(1.0)  # let them take work
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(w) for w in workers):
            time.sleep(0.2)
        left = [w for w in workers if alive(w)]
        assert not left, f"workers {left} outlived their parent"
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


def square(x: int) -> int:
    return x * x


def test_a_pool_still_works_and_its_workers_know_their_parent():
    with PoolExecutor(2) as pool:
        assert sorted(r for _, r in pool.map(square, range(6))) == [0, 1, 4, 9, 16, 25]
