"""Fuzz: 300 generated scenario files and 150 generated design files (seeded, tests/fuzz_files.py).

Each is accepted or rejected with one line naming the file, and nothing else escapes: in this
process through the functions the commands call (``scenario.load``; ``design.load`` and
``sweep.plan``), and a sample through the command line (exit 0 or 2, at most one line on
stderr, no traceback).
"""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fuzz_files import design_file, scenario_file

from experiments import design as dsg
from experiments.sweep import plan
from sim import scenario as scn
from sim.errors import InputError
from sim.params import BY_NAME

ROOT = Path(__file__).resolve().parents[1]
N_SCENARIOS, N_DESIGNS = 300, 150
BY_CLI = 8  # of each kind, also through the command line


def write(folder: Path, i: int, suffix: str, text: str) -> Path:
    path = folder / f"f{i:03d}{suffix}"
    path.write_text(text, "utf-8", errors="surrogatepass")
    return path


def check_rejection(exc: InputError, path: Path) -> str:
    message = str(exc)
    assert message and "\n" not in message, repr(message)
    assert path.name in message or "scenario" in message or "base" in message, message
    return message


@pytest.fixture(scope="module")
def scenario_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    rng = random.Random(17)
    return [write(folder, i, *scenario_file(rng)) for i in range(N_SCENARIOS)]


@pytest.fixture(scope="module")
def design_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("designs")
    rng = random.Random(1717)
    return [write(folder, i, *design_file(rng)) for i in range(N_DESIGNS)]


def test_scenario_files_are_accepted_or_rejected_in_one_line(scenario_files):
    accepted = rejected = 0
    for path in scenario_files:
        try:
            sc = scn.load(str(path))
        except InputError as exc:
            check_rejection(exc, path)
            rejected += 1
            continue
        accepted += 1
        for key, value in sc.values.items():  # what is accepted is allowed
            p = BY_NAME[key]
            assert math.isfinite(value) and p.low <= value <= p.high, (path, key, value)
    print(f"scenario files: {accepted} accepted, {rejected} rejected")
    assert accepted >= 10 and rejected >= 100, (accepted, rejected)  # the generator reaches both


def test_design_files_are_accepted_or_rejected_in_one_line(design_files):
    accepted = rejected = 0
    for path in design_files:
        t0 = time.perf_counter()
        try:
            runs = len(plan(dsg.load(path)).runs)
        except InputError as exc:
            check_rejection(exc, path)
            rejected += 1
        else:
            accepted += 1
            assert runs >= 1
        assert time.perf_counter() - t0 < 30, f"{path.name} took too long to check"
    print(f"design files: {accepted} accepted, {rejected} rejected")
    assert accepted >= 10 and rejected >= 50, (accepted, rejected)


def cli(args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def assert_clean(proc, path):
    assert proc.returncode in (0, 2), (path.name, proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    if proc.returncode == 2:
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_sample_through_the_command_line(scenario_files, design_files, tmp_path):
    rng = random.Random(5)
    for path in rng.sample(scenario_files, BY_CLI):
        proc = cli(
            ["run", "--scenario", str(path), "--users", "30", "--weeks", "2", "--no-figures"]
            + ["--out", str(tmp_path / path.stem)],
            tmp_path,
        )
        assert_clean(proc, path)
    for path in rng.sample(design_files, BY_CLI):
        assert_clean(cli(["sweep", "--design", str(path), "--dry-run"], tmp_path), path)
