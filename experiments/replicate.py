"""Run many (scenario, seed) tasks on a process pool and collect small, picklable results."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from sim.scenario import Scenario


@dataclass(frozen=True)
class Task:
    scenario: Scenario
    replication: int
    seed: int
    users: int
    weeks: int


@dataclass
class TaskResult:
    task: Task
    summary: dict[str, float]
    weekly: pd.DataFrame
    relapse_times: pd.DataFrame


def run_task(task: Task) -> TaskResult:
    from sim.runner import simulate

    res = simulate(task.scenario, task.users, task.weeks, task.seed)
    return TaskResult(task, res.summary, res.weekly, res.relapse_times())


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run_tasks(tasks: Iterable[Task], workers: int | None = None, progress=None, executor=None) -> list[TaskResult]:
    """Run tasks (in a process pool when ``workers`` > 1, or on ``executor``); results in task order.

    ``executor`` is any :class:`experiments.executors.Executor` (e.g. a Dask one); when given,
    ``workers`` is ignored.
    """
    tasks = list(tasks)
    workers = default_workers() if workers is None else workers
    results: dict[int, TaskResult] = {}
    if executor is not None:
        for i, res in executor.map(run_task, tasks):
            results[i] = res
            if progress:
                progress(1)
    elif workers <= 1:
        for i, t in enumerate(tasks):
            results[i] = run_task(t)
            if progress:
                progress(1)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_task, t): i for i, t in enumerate(tasks)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if progress:
                    progress(1)
    return [results[i] for i in range(len(tasks))]
