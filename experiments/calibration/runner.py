"""Running the model for a parameter set: its arms and seeds as run specs, on the one executor.

A parameter set (``key``: a trial number) is run as the base arm and every comparison arm the
selected measures need, on the same seeds (common random numbers); :func:`run_figures` runs
the specs on an executor of :mod:`experiments.executors` and combines each replication's arms
into one dict of figures (:func:`experiments.calibration.measures.replication_figures`).
"""

from __future__ import annotations

from pathlib import Path

from experiments.calibration.measures import BASE_ARM, replication_figures
from experiments.calibration.targets import TargetSet
from experiments.executors import Executor, make_executor
from experiments.runs import RunSpec, run_all
from sim.params import LEVERS, PARAMS
from sim.scenario import Scenario

MEMORY_LIMIT_BYTES = (
    6 * 1024**3
)  # per worker: a runaway trial fails alone instead of exhausting the machine


def registry_values(scenario: str = BASE_ARM) -> dict[str, float]:
    """Registry defaults (ignoring sim/calibrated.toml) with the scenario's levers."""
    from sim import scenario as scn

    sc = scn.load(scenario)
    values = {p.name: p.default for p in PARAMS}
    values.update({k: sc.values[k] for k in LEVERS})
    return values


def current_values(scenario: str = BASE_ARM) -> dict[str, float]:
    """The model as users run it: defaults with sim/calibrated.toml and the scenario's levers."""
    from sim import scenario as scn

    return dict(scn.load(scenario).values)


def executor(workers: int | None = None) -> Executor:
    """The executor of a calibration or validation: a local pool with a memory limit per worker
    (``workers`` <= 1: in this process)."""
    return make_executor(workers, memory_limit=MEMORY_LIMIT_BYTES)


def arm_weeks(arm: str, weeks: int, values: dict, short_comparisons: bool) -> int:
    """Comparison arms for first-year outcomes need only discharge spread + 53 weeks."""
    if short_comparisons and arm == "referral":
        return min(weeks, int(values["discharge_spread_weeks"]) + 53)
    return weeks


def make_tasks(
    key: int,
    values: dict,
    ts: TargetSet,
    arms: list[str],
    seeds: list[int],
    users: int,
    weeks: int,
    detail_arms: tuple[str, ...] = (),
    short_comparisons: bool = False,
) -> list[RunSpec]:
    """The runs of one parameter set: every arm on every seed (``detail_arms``: with survival fits
    and the data behind the validation figures)."""
    tasks = []
    for seed in seeds:
        for arm in arms:
            v = dict(values)
            if arm != BASE_ARM:
                v.update(ts.arms[arm])
            collect = ("figures", "detail") if arm in detail_arms else ("figures",)
            tasks.append(
                RunSpec(
                    Scenario(arm, "", v, []),
                    users,
                    arm_weeks(arm, weeks, v, short_comparisons),
                    seed,
                    collect=collect,
                    point=key,
                )
            )
    return tasks


def run_figures(
    ex: Executor, tasks: list[RunSpec]
) -> tuple[list[dict], dict[tuple[int, int], dict[str, float]]]:
    """Run ``tasks`` (longest first) and return the raw results (in task order) and the figures of
    every (parameter set, seed)."""
    results = run_all(ex, tasks, longest_first=True)
    return results, replication_figures(results)


def git_commit() -> str:
    """HEAD of the repository holding this file (:func:`sim.runner.git_commit`), marked when the
    model code has uncommitted changes."""
    import subprocess

    from sim.runner import git_commit as head

    commit = head()
    try:
        # model code only: the command line, the teaching page and the calibration file itself do not count
        dirty = subprocess.run(
            [
                "git",
                "diff",
                "--quiet",
                "HEAD",
                "--",
                "sim",
                ":!sim/cli.py",
                ":!sim/app",
                ":!sim/calibrated.toml",
            ],
            capture_output=True,
            timeout=5,
            cwd=Path(__file__).resolve().parents[2],
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return commit
    return commit + (" (model code with uncommitted changes)" if dirty.returncode == 1 else "")
