"""The search: Optuna's CMA-ES (or TPE) over the free parameters, in batches on the one executor.

The sampler starts from the registry defaults and minimises the distance over the calibration
bands (:func:`experiments.calibration.targets.evaluate`); every trial runs on the same seeds
(common random numbers). Trials are asked in batches and their runs spread over the executor
(:func:`experiments.calibration.runner.run_figures`). The best trials are then re-run on fresh
seeds and the one with the lowest distance over all its replications wins; it is written to
``DIR/calibrated.toml`` and (unless told not to) to ``sim/calibrated.toml`` with a
``[provenance]`` table. ``DIR/trials.csv`` is rewritten after every batch (progress); a
calibration always starts afresh.
"""

from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.calibration import runner
from experiments.calibration.outputs import _rel, write_outputs
from experiments.calibration.runner import (
    arm_weeks,
    git_commit,
    make_tasks,
    registry_values,
    run_figures,
)
from experiments.calibration.targets import (
    FreeParam,
    TargetSet,
    band_row,
    evaluate,
    measure_distance,
)
from sim.errors import InputError
from sim.params import BY_NAME
from sim.staging import atomic_write_text


@dataclass
class CalibrationResult:
    fitted: dict[str, float]
    start: dict[str, float]
    distance: float
    start_distance: float
    per_measure: pd.DataFrame
    trials: pd.DataFrame
    best: pd.DataFrame
    provenance: dict[str, Any]
    out: Path


def _suggest(trial, fp: FreeParam):
    if fp.integer:
        return trial.suggest_int(fp.name, int(fp.low), int(fp.high))
    return trial.suggest_float(fp.name, fp.low, fp.high)


def _round(fp: FreeParam, x: float):
    if fp.integer:
        return int(round(x))  # noqa: RUF046 (x may be a numpy float)
    value = float(f"{x:.4g}")
    return min(max(value, fp.low), fp.high)


def make_sampler(name: str, x0: dict[str, float], seed: int, n_params: int):
    """The Optuna sampler and the sentence describing it (for the provenance)."""
    import optuna

    if name == "cmaes":
        import warnings

        # CMA-ES from the registry defaults, step 0.15 of each prior range; with margin for integers.
        # x0 and sigma0 are deprecated from Optuna 4.9 (removed in 6: pyproject pins optuna < 6).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            sampler = optuna.samplers.CmaEsSampler(x0=x0, sigma0=0.15, seed=seed, with_margin=True)
        return sampler, (
            f"Optuna {optuna.__version__} CmaEsSampler (CMA-ES with margin, seed {seed}, from the "
            "registry defaults, step 0.15 of each prior range)"
        )
    if name == "tpe":
        sampler = optuna.samplers.TPESampler(
            seed=seed, multivariate=True, n_startup_trials=max(8, 2 * n_params)
        )
        return sampler, f"Optuna {optuna.__version__} TPESampler (multivariate, seed {seed})"
    raise InputError(f"unknown sampler '{name}' (use cmaes or tpe)")


def calibrate(
    ts: TargetSet,
    out: Path,
    trials: int = 160,
    users: int = 1000,
    weeks: int = 260,
    replications: int = 2,
    seed: int = 1,
    workers: int | None = None,
    batch: int | None = None,
    top: int = 5,
    confirm_replications: int = 4,
    start: dict[str, float] | None = None,
    base: dict[str, float] | None = None,
    install: bool = True,
    command: str | None = None,
    sampler_name: str = "cmaes",
    log=print,
    executor=None,
) -> CalibrationResult:
    """Fit ``ts.parameters`` to the calibration measures of ``ts`` with Optuna (CMA-ES by default, or TPE).

    ``base``: values of every parameter that is not fitted (default: registry defaults with
    the status-quo levers, so a calibration never starts from a previous one). ``start``: the
    first trial (default: the free parameters' values in ``base``). ``executor``: where the runs
    go (default: :func:`experiments.calibration.runner.executor` with ``workers``).
    """
    import optuna

    if not ts.parameters:
        raise InputError("no parameters to calibrate (targets file [[parameters]] or --params)")
    if not ts.calibration_measures():
        raise InputError(
            "no calibration measures among the selected targets (measures with calibrate = true)"
        )
    t0 = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    base = dict(base) if base is not None else registry_values(ts.scenario)
    start = {fp.name: base[fp.name] for fp in ts.parameters} | dict(start or {})
    for name, value in start.items():
        BY_NAME[name].check(value, "calibration start")
    arms = ts.arms_needed(calibration_only=True)
    seeds = [seed + i for i in range(replications)]
    confirm_seeds = [seed + 10_000 + i for i in range(confirm_replications)]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    x0 = {fp.name: start[fp.name] for fp in ts.parameters}
    sampler, method = make_sampler(sampler_name, x0, seed, len(ts.parameters))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.enqueue_trial(x0)
    rows = []
    reps_by_trial: dict[int, list[dict]] = {}
    own = runner.executor(workers) if executor is None else contextlib.nullcontext(executor)
    with own as pool:
        batch = batch or max(2, pool.workers)
        done = 0
        while done < trials:
            asked = []
            for _ in range(min(batch, trials - done)):
                tr = study.ask()
                params = {fp.name: _suggest(tr, fp) for fp in ts.parameters}
                asked.append((tr, params))
            tasks = []
            for tr, params in asked:
                tasks += make_tasks(
                    tr.number, base | params, ts, arms, seeds, users, weeks, short_comparisons=True
                )
            figs = run_figures(pool, tasks)[1]
            for tr, params in asked:
                reps = [figs[(tr.number, s)] for s in seeds]
                reps_by_trial[tr.number] = reps
                dist, detail = evaluate(ts, reps)
                study.tell(tr, dist)
                row = {"trial": tr.number, "distance": dist, **params}
                for k, v in detail.items():
                    row[f"sim:{k}"] = v["simulated"]
                    row[f"dist:{k}"] = v["distance"]
                rows.append(row)
            done += len(asked)
            best = min(rows, key=lambda r: r["distance"])
            last = rows[-len(asked) :]
            failed = sum(1 for r in last if r["distance"] >= 1e3)
            note = f" ({failed} with failed runs)" if failed else ""
            log(
                f"  trials {done}/{trials}: last "
                + ", ".join(f"{r['distance']:.2f}" for r in last)
                + f"{note}; best {best['distance']:.3f} (trial {best['trial']}), {time.time() - t0:.0f} s"
            )
            # progress, rewritten at the end (the old file or the whole new one)
            atomic_write_text(out / "trials.csv", pd.DataFrame(rows).to_csv(index=False))
        trials_df = pd.DataFrame(rows).sort_values("trial")
        # re-run the best trials on fresh seeds; choose on all replications (less winner's curse)
        ranked = trials_df.sort_values("distance").head(top)
        tasks = []
        for _, row in ranked.iterrows():
            params = {
                fp.name: (int(row[fp.name]) if fp.integer else float(row[fp.name]))
                for fp in ts.parameters
            }
            tasks += make_tasks(
                int(row["trial"]),
                base | params,
                ts,
                arms,
                confirm_seeds,
                users,
                weeks,
                short_comparisons=True,
            )
        figs = run_figures(pool, tasks)[1] if tasks else {}
    best_rows = []
    for _, row in ranked.iterrows():
        k = int(row["trial"])
        reps = reps_by_trial[k] + [figs[(k, s)] for s in confirm_seeds]
        dist, detail = evaluate(ts, reps)
        confirm_only = (
            evaluate(ts, [figs[(k, s)] for s in confirm_seeds])[0]
            if confirm_seeds
            else float("nan")
        )
        best_rows.append(
            {
                "trial": k,
                "search_distance": row["distance"],
                "confirm_distance": confirm_only,
                "combined_distance": dist,
                **{fp.name: row[fp.name] for fp in ts.parameters},
                **{f"sim:{kk}": v["simulated"] for kk, v in detail.items()},
            }
        )
    best_df = pd.DataFrame(best_rows).sort_values("combined_distance")
    winner = best_df.iloc[0]
    fitted = {fp.name: _round(fp, winner[fp.name]) for fp in ts.parameters}
    start_key = 0  # the enqueued start is trial 0
    start_distance = float(trials_df.loc[trials_df.trial == start_key, "distance"].iloc[0])
    win_reps = reps_by_trial[int(winner["trial"])] + [
        figs[(int(winner["trial"]), s)] for s in confirm_seeds
    ]
    per = []
    for t, m in ts.calibration_measures():
        row = band_row(t, m, [r.get(m.key, float("nan")) for r in win_reps])
        mean = row["simulated"]
        per.append(
            row
            | {
                "centre": m.centre(),
                "weight": m.weight,
                "distance": measure_distance(m, mean),
                "inside_band": m.inside(mean),
            }
        )
    per_df = pd.DataFrame(per)
    wall = time.time() - t0
    provenance = {
        "method": f"{method} minimising a weighted squared distance over target bands (each measure's distance "
        "((mean - centre) / half-width)^2); the best trials re-run on fresh seeds",
        "targets": [t.id for t in ts.targets if any(m.calibrate for m in t.measures)],
        "targets_file": _rel(ts.path),
        "date": date.today().isoformat(),
        "command": command or " ".join(["python -m sim"] + sys.argv[1:]),
        "git_commit": git_commit(),
        "seed": seed,
        "budget": (
            f"{trials} trials x {replications} replications (seeds {seeds[0]}-{seeds[-1]}) + top {len(best_df)} "
            f"re-run x {confirm_replications} replications; {users} users, {weeks} weeks "
            f"(referral arm {arm_weeks('referral', weeks, base, True)} weeks); {pool.workers} workers; "
            f"{wall / 60:.1f} min wall"
        ),
        "distance": round(float(winner["combined_distance"]), 4),
        "start_distance": round(start_distance, 4),
        "scenario": ts.scenario,
    }
    write_outputs(out, ts, fitted, start, per_df, trials_df, best_df, provenance, install)
    return CalibrationResult(
        fitted,
        start,
        float(winner["combined_distance"]),
        start_distance,
        per_df,
        trials_df,
        best_df,
        provenance,
        out,
    )
