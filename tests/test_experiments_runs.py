"""The one run spec and the one executor behind every command (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from experiments.executors import SerialExecutor
from experiments.runs import RunSpec, run_all
from sim import scenario as scn

ROOT = Path(__file__).resolve().parents[1]


def _size_and_seed(spec: RunSpec) -> tuple[int, int]:
    return spec.users, spec.seed


def test_only_the_executors_module_starts_processes_and_defines_default_workers():
    pools, workers = [], []
    for path in sorted((ROOT / "experiments").rglob("*.py")):
        text = path.read_text()
        rel = str(path.relative_to(ROOT))
        if (
            re.search(r"ProcessPool|multiprocessing|Pool\(", text)
            and rel != "experiments/executors.py"
        ):
            pools.append(rel)
        if "def default_workers" in text:
            workers.append(rel)
    assert pools == []
    assert workers == ["experiments/executors.py"]


def test_run_all_returns_results_in_spec_order_also_longest_first():
    sc = scn.load("none")
    specs = [RunSpec(sc, users, 10, seed) for users, seed in ((100, 1), (300, 2), (200, 3))]
    for longest_first in (False, True):
        got = run_all(SerialExecutor(), specs, _size_and_seed, longest_first=longest_first)
        assert got == [(100, 1), (300, 2), (200, 3)]


def test_collect_names_are_checked():
    with pytest.raises(ValueError, match="unknown"):
        RunSpec(scn.load("none"), 10, 10, 1, collect=("summary", "everything"))


def test_compare_and_calibration_specs_share_seeds_across_arms():
    """Common random numbers: replication i has seed + i in every scenario and every arm."""
    from experiments.calibration import load_targets, registry_values
    from experiments.calibration.runner import make_tasks as arm_tasks
    from experiments.compare import make_tasks

    specs = make_tasks([scn.load("none"), scn.load("status-quo")], 3, 100, 20, 7)
    for s in specs:
        assert s.seed == 7 + s.replication
    ts = load_targets()
    arms = ts.arms_needed(calibration_only=False)
    assert len(arms) > 1
    tasks = arm_tasks(4, registry_values(), ts, arms, [11, 12], 100, 260, short_comparisons=True)
    assert [(t.scenario.name, t.seed) for t in tasks] == [(a, s) for s in (11, 12) for a in arms]
    assert all(t.point == 4 and t.collect == ("figures",) for t in tasks)
    referral = [t for t in tasks if t.scenario.name == "referral"]
    assert referral and all(t.weeks < 260 for t in referral)
