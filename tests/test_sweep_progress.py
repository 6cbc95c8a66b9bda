"""The sweep's progress text, and ``sensitivity --dry-run``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from experiments.sweep import _advance, _progress

ROOT = Path(__file__).resolve().parents[1]


def test_progress_text_counts_what_is_left():
    bar = _progress(45, 0, "sweep x", enabled=True)
    try:
        assert "0/45 runs done, 45 to go" in str(bar)
        _advance(bar, 44)
        text = str(bar)
        assert "1/45 runs done, 44 to go" in text and ", ," not in text
    finally:
        bar.close()
    resumed = _progress(45, 40, "sweep x", enabled=True)
    try:
        assert "40/45 runs done, 5 to go" in str(resumed)
    finally:
        resumed.close()


def test_sensitivity_dry_run_prints_the_runs_and_runs_nothing(tmp_path):
    (tmp_path / "sa.toml").write_text(
        'name = "sa"\nusers = 300\nweeks = 52\n[factors]\n'
        "peer_staff = { low = 0.0, high = 1.0 }\naftercare_coverage = { low = 0.1, high = 0.9 }\n"
        "[sensitivity]\ntrajectories = 4\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "sensitivity", "--method", "morris", "--design", "sa.toml"]
        + ["--out", "o", "--dry-run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    # Morris: trajectories x (factors + 1) points
    assert "sa: 12 points x 1 replications = 12 runs (300 users, 52 weeks, sampler morris)" in (
        proc.stdout
    )
    assert not (tmp_path / "o").exists()
