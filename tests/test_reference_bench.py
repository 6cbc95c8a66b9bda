"""``python -m sim bench``: runs, prints a table and writes its JSON (speed itself is never asserted here)."""

import json
import subprocess
import sys

from sim.bench import fitted_exponent


def test_fitted_exponent_is_one_for_linear_cost():
    """The exponent of run time against users is 1 when cost is proportional to users."""
    assert abs(fitted_exponent([1000, 10000, 100000], [0.1, 1.0, 10.0]) - 1.0) < 1e-9
    assert abs(fitted_exponent([1000, 10000], [1.0, 100.0]) - 2.0) < 1e-9


def test_bench_command_writes_json_and_table(tmp_path):
    """A tiny benchmark (2 sizes, 3 weeks) reports every figure for both implementations."""
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "bench",
            "--sizes",
            "60,120",
            "--weeks",
            "3",
            "--repeats",
            "1",
            "--reference-up-to",
            "60",
            "--check-users",
            "50",
            "--check-weeks",
            "3",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "person-weeks/s" in proc.stdout and "Fitted exponent" in proc.stdout
    result = json.loads(out.read_text())
    small, large = result["rows"]
    for key in ("setup_s", "run_s", "person_weeks_per_s", "peak_rss_mb"):
        assert small["vectorised"][key] > 0 and large["vectorised"][key] > 0
    assert small["reference"]["run_s"] > 0 and small["speedup"] > 0
    assert "reference" not in large
    assert result["exponent"] is not None and result["check_2000x260"]["run_s"] > 0


def test_bench_rejects_bad_sizes():
    """Bad input is one line on stderr and exit code 2."""
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "bench", "--sizes", "ten"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "--sizes" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
