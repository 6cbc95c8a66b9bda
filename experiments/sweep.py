"""Parameter sweeps: expand a design into runs, run what is not stored yet, store each run.

The three parts are kept apart (EMA workbench): the model is :func:`execute` (that is
:func:`experiments.runs.run`), a function of one :class:`~experiments.runs.RunSpec` returning
outcomes; the design is data (:mod:`experiments.design`); the executor is whatever
:mod:`experiments.executors` provides. Replication ``r`` of every design point uses
seed ``seed + r``, so points differ by their parameters, not by noise (common random numbers).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.design import Design, Point
from experiments.executors import Executor, SerialExecutor
from experiments.robustness import markdown as robustness_markdown
from experiments.robustness import robustness_table
from experiments.runs import RunFailed, RunSpec, run  # noqa: F401  (RunFailed: raised by a failed run)
from experiments.store import PARAM_PREFIX, Store, now
from sim.errors import InputError
from sim.summary import HEADLINE

COLLECT = ("summary", "weekly")


def execute(spec: RunSpec) -> dict[str, Any]:
    """The model as a function (:func:`experiments.runs.run`): one run's summary and weekly series."""
    return run(spec)


def run_row(spec: RunSpec, summary: dict[str, float]) -> dict[str, Any]:
    """One tidy row: the run's identity, its parameters (``param_*``) and its outcomes."""
    row: dict[str, Any] = {
        "point": spec.point,
        "replication": spec.replication,
        "seed": spec.seed,
        "scenario": spec.scenario.name,
        "users": spec.users,
        "weeks": spec.weeks,
    }
    for k, v in spec.values.items():
        row[PARAM_PREFIX + k] = v
    for k, v in summary.items():
        if k not in row:
            row[k] = float(v)
    return row


def weekly_rows(spec: RunSpec, weekly: pd.DataFrame) -> pd.DataFrame:
    w = weekly.copy()
    w.insert(0, "replication", spec.replication)
    w.insert(0, "point", spec.point)
    return w


@dataclass
class Plan:
    """A design expanded: every point and every run, and the design's fingerprint."""

    design: Design
    points: dict[str, list[Point]]
    runs: list[RunSpec]
    fingerprint: str

    def points_frame(self) -> pd.DataFrame:
        rows = []
        for exp in self.design.experiments:
            for p in self.points[exp.name]:
                rows.append(
                    {
                        "experiment": exp.name,
                        "point": p.index,
                        "scenario": p.scenario.name,
                        **{PARAM_PREFIX + k: v for k, v in p.values.items()},
                    }
                )
        return pd.DataFrame(rows)


def plan(design: Design) -> Plan:
    """Expand (and so validate) every point of every experiment; no run starts here."""
    points, runs = {}, []
    for exp in design.experiments:
        pts = exp.points()
        points[exp.name] = pts
        for p in pts:
            for r in range(exp.replications):
                runs.append(
                    RunSpec(
                        p.scenario,
                        exp.users,
                        exp.weeks,
                        exp.seed + r,
                        p.values,
                        COLLECT,
                        experiment=exp.name,
                        point=p.index,
                        replication=r,
                    )
                )
    return Plan(design, points, runs, design.fingerprint(points))


def command_line() -> str:
    """The command that is running, as the user would type it."""
    argv = list(sys.argv)
    if argv and argv[0].endswith("__main__.py"):
        argv[0] = "python -m sim"
    return " ".join(argv)


def _versions() -> dict[str, str]:
    from importlib import metadata

    from sim.runner import versions

    out = versions()
    for pkg in ("SALib", "dask", "distributed"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


@dataclass
class SweepReport:
    out: Path
    total: int
    stored_before: int
    ran: int


def _progress(total: int, initial: int, desc: str, enabled: bool | None):
    from tqdm import tqdm

    from sim.cli import thread_lock_for_tqdm

    thread_lock_for_tqdm()

    disable = not sys.stderr.isatty() if enabled is None else not enabled
    bar = tqdm(
        total=total,
        initial=initial,
        desc=desc,
        disable=disable,
        unit="run",
        leave=False,
        # tqdm puts ", " before a postfix itself
        bar_format="{desc}: {n_fmt}/{total_fmt} runs done{postfix} [{elapsed} elapsed, {remaining} left]",
    )
    bar.set_postfix_str(f"{total - initial} to go", refresh=False)
    return bar


def _advance(bar, left: int) -> None:
    """One more run done, ``left`` to go (the count first: ``update`` redraws the bar)."""
    bar.set_postfix_str(f"{left} to go", refresh=False)
    bar.update(1)


def run_sweep(
    design: Design,
    out: Path,
    executor: Executor | None = None,
    progress: bool | None = None,
    command: str | None = None,
) -> SweepReport:
    """Run every design point not stored yet in ``out``; resumable; returns counts.

    Raises:
        InputError: ``out`` holds results of a different design, or another sweep writes there.
    """
    out = Path(out)
    p = plan(design)
    executor = executor or SerialExecutor()
    store = Store(out)
    with store.lock():
        old = store.read_manifest()
        if old is not None and old.get("fingerprint") != p.fingerprint:
            raise InputError(
                f"--out {out}: holds results of a different design ({old.get('design_file')}, "
                f"fingerprint {old.get('fingerprint')}); use a new --out directory"
            )
        store.clean_tmp()
        for exp in design.experiments:  # runs a killed sweep stored one by one
            store.consolidate(exp.name)
        from sim.runner import git_commit

        session = {
            "started": now(),
            "executor": executor.description,
            "git_commit": git_commit(),
            "command": command or command_line(),
        }
        manifest = old or {
            "kind": "sweep",
            "design_file": design.path,
            "fingerprint": p.fingerprint,
            "experiments": [e.normalized() for e in design.experiments],
            "points": {name: len(pts) for name, pts in p.points.items()},
            "runs": len(p.runs),
            "created": now(),
            "versions": _versions(),
            "git_commit": session["git_commit"],
            "sessions": [],
        }
        if old is not None and old.get("git_commit") != session["git_commit"]:
            sys.stderr.write(
                f"recovery-sim: warning: {out} was started at commit {old.get('git_commit')}, "
                f"now {session['git_commit']}\n"
            )
        manifest["sessions"].append(session)
        manifest["status"] = "running"
        store.write_manifest(manifest)
        suffix = (
            Path(design.path).suffix
            if Path(design.path).suffix in (".toml", ".yaml", ".yml")
            else ".toml"
        )
        if not (out / f"design{suffix}").exists():
            store.write_text(f"design{suffix}", design.text)
        if not (out / "points.parquet").exists():
            store.write_frame("points.parquet", p.points_frame())

        done = {exp.name: store.done(exp.name) for exp in design.experiments}
        pending = [r for r in p.runs if r.run_id not in done[r.experiment]]
        stored_before = len(p.runs) - len(pending)
        bar = _progress(len(p.runs), stored_before, f"sweep {out.name}", progress)
        ran = 0
        status = "stopped"
        try:
            for i, result in executor.map(execute, pending):
                spec = pending[i]
                store.write_run(
                    spec.experiment,
                    spec.run_id,
                    run_row(spec, result["summary"]),
                    weekly_rows(spec, result["weekly"]),
                )
                ran += 1
                _advance(bar, len(pending) - ran)
            status = "complete"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        except BaseException:
            status = "failed"
            raise
        finally:
            bar.close()
            session.update(finished=now(), runs=ran, status=status)
            manifest["status"] = status
            store.write_manifest(manifest)
        for exp in design.experiments:
            store.consolidate(exp.name)
        summary = point_summary(store.read_runs())
        store.write_frame("summary.csv", summary)
        robust = robustness_table(
            summary, design
        )  # designs with [levers] (experiments/robustness.py)
        if len(robust):
            store.write_frame("robustness.csv", robust)
            store.write_text("robustness.md", robustness_markdown(robust))
    return SweepReport(out, len(p.runs), stored_before, ran)


def point_summary(runs: pd.DataFrame, metrics=HEADLINE) -> pd.DataFrame:
    """Mean of each headline figure per design point (over replications), with the parameters."""
    if runs.empty:
        return pd.DataFrame()
    keys = ["experiment", "point", "scenario"] + [
        c for c in runs.columns if c.startswith(PARAM_PREFIX)
    ]
    cols = [m for m in metrics if m in runs.columns]
    g = runs.groupby(["experiment", "point"], sort=True)
    first = g[keys[2:]].first()
    means = g[cols].mean()
    n = g.size().rename("replications")
    return pd.concat([first, n, means], axis=1).reset_index()


def clear(out: Path) -> None:
    """Remove a sweep's output directory (used by tests and `--fresh`)."""
    if out.exists():
        shutil.rmtree(out)
