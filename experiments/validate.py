"""Validation against the published figures (issue 4): ``python -m sim validate --out DIR``.

Runs the model as users run it (registry defaults with ``sim/calibrated.toml``, status-quo
levers) with paired replications of the base arm and the comparison arms of
``experiments/targets.toml``, computes every target's measures from the simulated people
(:func:`experiments.calibration.measures.run_arm`), and writes

- ``DIR/validation.md``: for every target the simulated mean and 95% interval beside the target
  band and a pass/fail mark, the calibration's provenance and fitted values, the time-to-relapse
  analysis (lifelines) and the explanation of every failing target;
- ``DIR/validation.json``: one entry per target id
  ``{"id", "simulated", "low", "high", "target_low", "target_high", "pass", ...}`` (the fields are
  those of the target's first measure; ``measures`` lists all of them; ``pass`` needs every one);
- ``DIR/measures.csv``, ``DIR/replications.csv`` and the figures.
"""

from __future__ import annotations

import contextlib
import json
import time
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration import runner
from experiments.calibration.measures import BASE_ARM
from experiments.calibration.targets import Measure, Target, TargetSet, band_row
from experiments.validate_figures import _pooled_times, figures, pooled_survival
from experiments.validate_report import _finite, write_report
from sim.staging import staged

QUICK = {"users": 400, "weeks": 260, "replications": 3}
FIGURES = ("targets.png", "survival.png", "soc.png", "group_sizes.png", "timeseries.png")


@dataclass
class ValidationResult:
    entries: list[dict[str, Any]]
    measures: pd.DataFrame
    replications: pd.DataFrame
    out: Path


def measure_row(t: Target, m: Measure, values: list[float]) -> dict[str, Any]:
    row = band_row(t, m, values)
    return row | {
        "pass": bool(m.inside(row["simulated"])),
        "report_only": m.report_only,
        "calibrated": m.calibrate,
        "unit": m.unit,
        "n": int(np.isfinite(np.asarray(values, float)).sum()),
        "interval_inside": bool(m.report_only or (m.inside(row["low"]) and m.inside(row["high"]))),
    }


def entries_from(ts: TargetSet, rows: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for t in ts.targets:
        sub = rows[rows.target == t.id]
        first = sub.iloc[0]
        measures = []
        for _, r in sub.iterrows():
            measures.append(
                {
                    "id": f"{t.id}.{r.measure}",
                    "measure": r.measure,
                    "simulated": _finite(r.simulated),
                    "low": _finite(r.low),
                    "high": _finite(r.high),
                    "target_low": _finite(r.target_low),
                    "target_high": _finite(r.target_high),
                    "pass": bool(r["pass"]),
                    "report_only": bool(r.report_only),
                    "calibrated": bool(r.calibrated),
                }
            )
        out.append(
            {
                "id": t.id,
                "measure": first.measure,
                "simulated": _finite(first.simulated),
                "low": _finite(first.low),
                "high": _finite(first.high),
                "target_low": _finite(first.target_low),
                "target_high": _finite(first.target_high),
                "pass": bool(all(m["pass"] for m in measures if not m["report_only"])),
                "role": "calibrated" if any(m["calibrated"] for m in measures) else "check",
                "what": t.what,
                "figure": t.figure,
                "source": t.source,
                "measures": measures,
            }
        )
    return out


def validate(
    ts: TargetSet,
    out: Path,
    replications: int = 10,
    users: int = 2000,
    weeks: int = 260,
    seed: int = 1,
    workers: int | None = None,
    quick: bool = False,
    doc: Path | None = None,
    log=print,
    command: str | None = None,
    executor=None,
) -> ValidationResult:
    """Run the replications, compute every target, write the report, JSON and figures to ``out``.

    ``executor``: where the runs go (default: :func:`experiments.calibration.runner.executor`
    with ``workers``)."""
    t0 = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    values = runner.current_values(ts.scenario)
    arms = ts.arms_needed(calibration_only=False)
    seeds = [seed + i for i in range(replications)]
    tasks = runner.make_tasks(0, values, ts, arms, seeds, users, weeks, detail_arms=(BASE_ARM,))
    log(
        f"validating {len(ts.targets)} targets: {len(tasks)} runs ({', '.join(arms)} x {replications} seeds), "
        f"{users} users, {weeks} weeks"
    )
    with runner.executor(workers) if executor is None else contextlib.nullcontext(executor) as ex:
        results, reps = runner.run_figures(ex, tasks)
    rep_list = [reps[(0, s)] for s in seeds]
    rows = pd.DataFrame(
        [
            measure_row(t, m, [r.get(m.key, float("nan")) for r in rep_list])
            for t in ts.targets
            for m in t.measures
        ]
    )
    entries = entries_from(ts, rows)
    times = _pooled_times(results)
    pooled = pooled_survival(times)
    with staged(out) as stage:  # a full disk leaves no half-written file (sim/staging.py)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            made = figures(stage, ts, rows, results, times, pooled)
        reps_df = pd.DataFrame(
            [
                {"seed": s, **{k: v for k, v in reps[(0, s)].items() if np.isscalar(v)}}
                for s in seeds
            ]
        )
        reps_df.to_csv(stage / "replications.csv", index=False)
        rows.to_csv(stage / "measures.csv", index=False)
        (stage / "validation.json").write_text(json.dumps(entries, indent=2) + "\n")
        meta = {
            "command": command or _command(out, quick, replications, users, weeks, seed, doc),
            "date": date.today().isoformat(),
            "git_commit": runner.git_commit(),
            "wall_min": (time.time() - t0) / 60,
            "replications": replications,
            "seeds": f"{seeds[0]}-{seeds[-1]}",
            "users": users,
            "weeks": weeks,
            "arms": arms,
            "quick": quick,
            "calibration_dir": (out / "calibration").is_dir(),
        }
        write_report(stage / "validation.md", ts, entries, rows, pooled, meta, made)
    if doc is not None:
        doc = Path(doc)
        doc.parent.mkdir(parents=True, exist_ok=True)
        try:
            prefix = str(out.resolve().relative_to(doc.parent.resolve())) + "/"
        except ValueError:
            prefix = str(out.resolve()) + "/"
        write_report(doc, ts, entries, rows, pooled, meta, made, prefix=prefix)
    return ValidationResult(entries, rows, reps_df, out)


def _command(
    out: Path, quick: bool, replications: int, users: int, weeks: int, seed: int, doc: Path | None
) -> str:
    parts = ["python -m sim validate", f"--out {out}"]
    if quick:
        parts.append("--quick")
    parts += [
        f"--replications {replications}",
        f"--users {users}",
        f"--weeks {weeks}",
        f"--seed {seed}",
    ]
    if doc is not None:
        parts.append(f"--doc {doc}")
    return " ".join(parts)
