"""One run of the model, as data and as a function (EMA workbench's model/experiment split).

A :class:`RunSpec` says everything one run needs (scenario, size, seed, the parameter overrides
it carries, what to collect) and :func:`run` is the model as a function of it. Every command
(compare, sweep, sensitivity, calibrate, validate) builds specs and hands them, with
:func:`run`, to one executor of :mod:`experiments.executors` (serial, process pool or Dask);
:func:`run_all` collects the results in spec order. Specs are picklable, so any executor ships
them. Common random numbers are the callers' part: replication ``i`` gets seed ``seed + i`` in
every scenario or arm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.scenario import Scenario

#: What a run can collect. ``summary``, ``weekly`` and ``relapse_times`` come from
#: :func:`sim.runner.simulate`; ``figures`` are the calibration/validation measures read off the
#: simulated people week by week (:func:`experiments.calibration.measures.run_arm`), ``detail``
#: adds their survival fits and the raw data behind the validation figures.
COLLECT = ("summary", "weekly", "relapse_times", "figures", "detail")


class RunFailed(RuntimeError):
    """A model run raised an error; the message names the run and its parameters."""


@dataclass(frozen=True, eq=False)
class RunSpec:
    """Everything one run needs: picklable, so any executor can ship it.

    ``scenario`` holds every parameter value of the run; ``values`` are the overrides it carries
    (a design point's factors, a calibration trial's parameters), kept for the record.
    ``experiment``, ``point`` (a design point or a calibration parameter set) and ``replication``
    only name the run.
    """

    scenario: Scenario
    users: int
    weeks: int
    seed: int
    values: dict[str, float] = field(default_factory=dict)
    collect: tuple[str, ...] = ("summary", "weekly")
    experiment: str = ""
    point: int = 0
    replication: int = 0

    def __post_init__(self) -> None:
        unknown = set(self.collect) - set(COLLECT)
        if unknown:
            raise ValueError(
                f"RunSpec.collect: unknown {', '.join(sorted(unknown))} (known: {', '.join(COLLECT)})"
            )

    @property
    def run_id(self) -> str:
        return f"p{self.point:06d}-r{self.replication:03d}"

    def describe(self) -> str:
        return (
            f"scenario {self.scenario.name}, seed {self.seed}, {self.users} users, {self.weeks} weeks, "
            f"parameters {self.values}"
        )


def run(spec: RunSpec) -> dict[str, Any]:
    """The model as a function: one run's collected outputs. Knows nothing of executors.

    With ``figures`` in ``spec.collect`` the result is that of
    :func:`experiments.calibration.measures.run_arm` (a run that runs out of memory comes back
    with empty figures, so a calibration trial fails alone); otherwise a dict with the
    collected ``summary``, ``weekly`` and ``relapse_times``.
    """
    try:
        if "figures" in spec.collect:
            from experiments.calibration.measures import run_arm

            try:
                return run_arm(spec)
            except MemoryError:
                return {
                    "key": spec.point,
                    "arm": spec.scenario.name,
                    "seed": spec.seed,
                    "figures": {},
                    "error": "MemoryError",
                }
        from sim.runner import simulate

        res = simulate(spec.scenario, spec.users, spec.weeks, spec.seed)
        out: dict[str, Any] = {}
        if "summary" in spec.collect:
            out["summary"] = res.summary
        if "weekly" in spec.collect:
            out["weekly"] = res.weekly
        if "relapse_times" in spec.collect:
            out["relapse_times"] = res.relapse_times()
        return out
    except Exception as exc:
        raise RunFailed(
            f"run {spec.experiment}/{spec.run_id} failed ({spec.describe()}): "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def run_all(
    executor,
    specs: Sequence[RunSpec],
    fn: Callable[[RunSpec], Any] = run,
    progress=None,
    longest_first: bool = False,
) -> list[Any]:
    """Run ``specs`` on ``executor`` and return the results in spec order.

    ``longest_first`` submits the largest runs (users x weeks) first, which keeps every worker
    busy to the end of a batch of unequal runs; the results do not depend on it.
    """
    specs = list(specs)
    order = list(range(len(specs)))
    if longest_first:
        order.sort(key=lambda i: -specs[i].users * specs[i].weeks)
    results: dict[int, Any] = {}
    for j, res in executor.map(fn, [specs[i] for i in order]):
        results[order[j]] = res
        if progress:
            progress(1)
    return [results[i] for i in range(len(specs))]
