"""Many runs in memory: scenarios x seeds (x parameter draws), returned as tidy data frames.

:func:`run_many` is the Python counterpart of ``compare`` and ``sweep`` for a notebook or a
script: it builds one :class:`experiments.runs.RunSpec` per run, runs them with
:func:`experiments.runs.run_all` on the executor asked for (in this process, the local process
pool or a Dask scheduler: :mod:`experiments.executors`) and writes nothing. Seeds are those of
``compare``: replication ``i`` of every scenario and every draw uses seed ``seed + i`` (common
random numbers), so :meth:`Runs.differences` gives the same paired differences as ``compare``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from experiments.executors import Executor, make_executor
from experiments.runs import RunSpec, run, run_all
from sim import scenario as scn
from sim.errors import InputError
from sim.scenario import Scenario
from sim.summary import HEADLINE

KEYS = ["scenario", "draw", "replication", "seed"]


@dataclass
class Runs:
    """Outputs of :func:`run_many`; every frame starts with ``scenario, draw, replication, seed``.

    ``summary``: one row per run, with the draw's parameter values and every summary figure.
    ``weekly``: one row per run and week (``week`` and the recorded columns), if collected.
    ``relapse_times``: one row per user and run (``duration``, ``event``), if collected.
    ``draws``: one row per parameter draw (``draw`` and the parameters it sets).
    """

    summary: pd.DataFrame
    weekly: pd.DataFrame | None
    relapse_times: pd.DataFrame | None
    draws: pd.DataFrame

    def differences(self, baseline: str, metrics: Sequence[str] = HEADLINE) -> pd.DataFrame:
        """Paired differences (scenario - baseline) by seed within each draw, with 95% intervals:
        the table ``compare`` writes to differences.csv, with a ``draw`` column."""
        from experiments.compare import difference_table

        if baseline not in set(self.summary.scenario):
            raise InputError(
                f"baseline: '{baseline}' is not among the scenarios run "
                f"({', '.join(self.summary.scenario.unique())})"
            )
        frames = []
        for draw, grp in self.summary.groupby("draw", sort=True):
            diff = difference_table(grp, baseline, list(metrics))
            diff.insert(0, "draw", draw)
            frames.append(diff)
        return pd.concat(frames, ignore_index=True)


def _scenarios(scenarios: Iterable[str | Scenario] | str | Scenario) -> list[Scenario]:
    if isinstance(scenarios, str | Scenario):
        scenarios = [scenarios]
    out = [s if isinstance(s, Scenario) else scn.load(s) for s in scenarios]
    if not out:
        raise InputError(
            "scenarios: give at least one scenario (a built-in name, file or Scenario)"
        )
    names = [s.name for s in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"scenarios: two scenarios share the name '{dupes[0]}'")
    return out


def _draws(draws: pd.DataFrame | Sequence[Mapping[str, float]] | None) -> list[dict[str, float]]:
    if draws is None:
        return [{}]
    rows = draws.to_dict("records") if isinstance(draws, pd.DataFrame) else list(draws)
    if not rows:
        raise InputError(
            "draws: give at least one parameter draw (or None for the scenarios as they are)"
        )
    return [dict(r) for r in rows]


def run_many(
    scenarios: Iterable[str | Scenario] | str | Scenario = ("status-quo",),
    replications: int = 10,
    users: int = 2000,
    weeks: int = 260,
    seed: int = 1,
    draws: pd.DataFrame | Sequence[Mapping[str, float]] | None = None,
    collect: Sequence[str] = ("summary", "weekly"),
    workers: int | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> Runs:
    """Run every scenario x replication (x draw) and return the outputs as data frames.

    Args:
        scenarios: built-in names, scenario files or :class:`Scenario` objects.
        replications: seeds per scenario and draw: ``seed``, ``seed + 1``, ...
        draws: parameter values to set on top of every scenario, one row (or dict) per draw,
            e.g. a Latin hypercube; each is checked against the registry.
        collect: any of ``summary`` (always collected), ``weekly``, ``relapse_times``.
        workers: local processes (default one per core, at most 8; 1 = in this process).
        scheduler: a Dask scheduler address or file (instead of local processes).
        executor: an executor of your own (:mod:`experiments.executors`); overrides the two above.
        progress: called with 1 after each run.
    """
    if replications < 1 or users < 1 or weeks < 1 or seed < 0:
        raise InputError(
            "run_many: replications, users and weeks must be >= 1 and seed >= 0, got "
            f"{replications}, {users}, {weeks} and {seed}"
        )
    extra = set(collect) - {"summary", "weekly", "relapse_times"}
    if extra:
        raise InputError(
            f"collect: unknown {', '.join(sorted(extra))} (allowed: summary, weekly, relapse_times)"
        )
    collect = tuple(dict.fromkeys(("summary", *collect)))
    scenarios = _scenarios(scenarios)
    draws = _draws(draws)
    specs = [
        RunSpec(
            sc.with_overrides(values, f"draws[{k}]") if values else sc,
            users,
            weeks,
            seed + i,
            values=values,
            collect=collect,
            experiment="run_many",
            point=k,
            replication=i,
        )
        for k, values in enumerate(draws)
        for i in range(replications)
        for sc in scenarios
    ]
    with contextlib.ExitStack() as stack:
        if executor is None:
            executor = stack.enter_context(make_executor(workers, scheduler))
        results = run_all(executor, specs, run, progress)
    return _frames(specs, results, draws)


def _frames(specs: list[RunSpec], results: list[dict], draws: list[dict]) -> Runs:
    def keys(spec: RunSpec) -> dict:
        return {
            "scenario": spec.scenario.name,
            "draw": spec.point,
            "replication": spec.replication,
            "seed": spec.seed,
        }

    summary = pd.DataFrame(
        [{**keys(s), **s.values, **r["summary"]} for s, r in zip(specs, results)]
    )
    tables = {}
    for name in ("weekly", "relapse_times"):
        if name not in specs[0].collect:
            tables[name] = None
            continue
        frames = []
        for s, r in zip(specs, results):
            frame = r[name].copy()
            for j, (key, value) in enumerate(keys(s).items()):
                frame.insert(j, key, value)
            frames.append(frame)
        tables[name] = pd.concat(frames, ignore_index=True)
    draw_table = pd.DataFrame([{"draw": k, **values} for k, values in enumerate(draws)])
    return Runs(summary, tables["weekly"], tables["relapse_times"], draw_table)
