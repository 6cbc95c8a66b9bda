"""benchmarks/compare_versions.py: an older commit's model against this checkout's, by turns."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_compare_against_head_reports_both_and_the_same_state():
    """Against HEAD (the same rules) both models end in the same state, and every process is timed."""
    if subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, check=False
    ).returncode:
        pytest.skip("needs a git checkout")
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "compare_versions.py"),
            "HEAD",
            "--users",
            "300",
            "--weeks",
            "10",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "total: old (HEAD)" in out and "ratio" in out
    for process in ("groups", "relatives", "network", "relapse", "drift"):
        assert f"| {process} |" in out
    assert "same state at the end: yes" in out
