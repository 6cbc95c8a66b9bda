"""Replicated runs of whole scenarios (compare, report): specs and results on the one executor."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from experiments.executors import make_executor
from experiments.runs import RunSpec, run, run_all
from sim.scenario import Scenario

COLLECT = ("summary", "weekly", "relapse_times")


def Task(scenario: Scenario, replication: int, seed: int, users: int, weeks: int) -> RunSpec:
    """The spec of replication ``replication`` of a scenario (the name of the former task type)."""
    return RunSpec(scenario, users, weeks, seed, collect=COLLECT, replication=replication)


@dataclass
class TaskResult:
    task: RunSpec
    summary: dict[str, float]
    weekly: pd.DataFrame
    relapse_times: pd.DataFrame


def run_task(task: RunSpec) -> TaskResult:
    res = run(task)
    return TaskResult(task, res["summary"], res["weekly"], res["relapse_times"])


def run_tasks(
    tasks: Iterable[RunSpec], workers: int | None = None, progress=None, executor=None
) -> list[TaskResult]:
    """Run tasks on ``executor`` (e.g. a Dask one), or else on the executor ``workers`` asks for
    (:func:`experiments.executors.make_executor`); results in task order."""
    with contextlib.ExitStack() as stack:
        if executor is None:
            executor = stack.enter_context(make_executor(workers))
        return run_all(executor, list(tasks), run_task, progress)
