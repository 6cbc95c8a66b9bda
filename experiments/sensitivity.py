"""Global sensitivity analysis with SALib: Morris elementary effects or Sobol indices.

The design file's range factors define the SALib problem; the sample is run as a sweep (so it
is resumable and runs on any executor), then outcomes are averaged over replications at each
sample point (all points share seeds: common random numbers) and analysed. Results: a table of
indices with 95% confidence intervals (``indices.csv``, ``indices.md``) and a figure
(``morris.png`` or ``sobol.png``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.design import Design, Experiment
from experiments.executors import Executor
from experiments.store import Store
from experiments.sweep import SweepReport, run_sweep
from sim.staging import atomic_save_figure


def _outcome_matrix(runs: pd.DataFrame, exp: Experiment, scenario: str, output: str) -> np.ndarray:
    """Outcome per sample row (mean over replications) for one base scenario, in sample order."""
    n_sc = len(exp.scenarios)
    sc_index = [s.name for s in exp.scenarios].index(scenario)
    sub = runs[runs.scenario == scenario]
    means = sub.groupby("point")[output].mean()
    n_rows = len(exp.unit_samples())
    wanted = [row * n_sc + sc_index for row in range(n_rows)]
    return means.reindex(wanted).to_numpy(dtype=float)


def analyse_experiment(
    runs: pd.DataFrame, exp: Experiment, method: str
) -> tuple[pd.DataFrame, list[str]]:
    """Indices for every (base scenario, output) of one experiment; and notes on what was left out."""
    from SALib.analyze import morris, sobol

    problem = exp.problem()
    X = exp.unit_samples()
    s = exp.sensitivity
    rows, notes = [], []
    for sc in exp.scenarios:
        for output in s.outputs:
            Y = _outcome_matrix(runs, exp, sc.name, output)
            if not np.all(np.isfinite(Y)):
                notes.append(
                    f"{exp.name}/{sc.name}: {output} left out ({int((~np.isfinite(Y)).sum())} of {len(Y)} "
                    "sample points have no value, e.g. a median that is never reached)"
                )
                continue
            if method == "morris":
                res = morris.analyze(
                    problem,
                    X,
                    Y,
                    num_resamples=s.resamples,
                    conf_level=0.95,
                    num_levels=s.levels,
                    seed=exp.seed,
                )
                frame = pd.DataFrame(
                    {
                        "factor": problem["names"],
                        "mu": np.asarray(res["mu"], float),
                        "mu_star": np.asarray(res["mu_star"], float),
                        "mu_star_conf": np.asarray(res["mu_star_conf"], float),
                        "sigma": np.asarray(res["sigma"], float),
                    }
                )
                frame["mu_star_low"] = frame.mu_star - frame.mu_star_conf
                frame["mu_star_high"] = frame.mu_star + frame.mu_star_conf
                key = "mu_star"
            else:
                res = sobol.analyze(
                    problem,
                    Y,
                    calc_second_order=s.second_order,
                    num_resamples=s.resamples,
                    conf_level=0.95,
                    seed=exp.seed,
                )
                frame = pd.DataFrame(
                    {
                        "factor": problem["names"],
                        "S1": res["S1"],
                        "S1_conf": res["S1_conf"],
                        "ST": res["ST"],
                        "ST_conf": res["ST_conf"],
                    }
                )
                for k in ("S1", "ST"):
                    frame[f"{k}_low"] = frame[k] - frame[f"{k}_conf"]
                    frame[f"{k}_high"] = frame[k] + frame[f"{k}_conf"]
                key = "ST"
            frame["rank"] = frame[key].rank(ascending=False, method="min").astype(int)
            frame.insert(0, "output", output)
            frame.insert(0, "scenario", sc.name)
            frame.insert(0, "experiment", exp.name)
            rows.append(frame.sort_values("rank", kind="stable"))
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return table, notes


def markdown(table: pd.DataFrame, method: str, notes: list[str]) -> str:
    lines = [f"# Sensitivity analysis ({method})", ""]
    if method == "morris":
        lines += [
            (
                "Morris elementary effects: mu* is the mean absolute effect of moving a factor by one grid "
                "step, scaled to the factor's whole range (in the output's units), with a 95% bootstrap "
                "interval; sigma measures interaction and non-linearity. Rank 1 = most influential by mu*."
            ),
            "",
        ]
        cols = ("rank", "factor", "mu_star", "mu_star_conf", "mu", "sigma")
    else:
        lines += [
            (
                "Sobol indices: S1 is a factor's first-order share of the output's variance, ST its total "
                "share including interactions; each with a 95% bootstrap half-width. Rank 1 = largest ST."
            ),
            "",
        ]
        cols = ("rank", "factor", "S1", "S1_conf", "ST", "ST_conf")
    for (exp, sc, output), grp in table.groupby(["experiment", "scenario", "output"], sort=False):
        lines += [
            f"## {output} ({exp}, base {sc})",
            "",
            "| " + " | ".join(cols) + " |",
            "|---" * len(cols) + "|",
        ]
        for _, r in grp.iterrows():
            lines.append(
                "| "
                + " | ".join(str(r[c]) if c in ("rank", "factor") else f"{r[c]:.4g}" for c in cols)
                + " |"
            )
        lines.append("")
    if notes:
        lines += ["## Left out", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


def figure(table: pd.DataFrame, method: str, path: Path) -> None:
    """One panel per (scenario, output): factors ranked, with 95% intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    groups = list(table.groupby(["experiment", "scenario", "output"], sort=False))
    ncol = min(3, len(groups))
    nrow = int(np.ceil(len(groups) / ncol))
    k = table["factor"].nunique()
    panel_h = max(2.6, 0.32 * k + 1.3)
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.5 * ncol, panel_h * nrow + 0.8), squeeze=False)
    palette = sns.color_palette()
    for ax, ((_exp, sc, output), grp) in zip(axes.flat, groups):
        g = grp.sort_values("rank", ascending=False, kind="stable")
        y = np.arange(len(g))
        if method == "morris":
            ax.barh(y, g["mu_star"], xerr=g["mu_star_conf"], color=palette[0], capsize=2)
            ax.set_xlabel("mu* (mean |elementary effect|)")
        else:
            h = 0.4
            ax.barh(
                y + h / 2,
                g["ST"],
                h,
                xerr=g["ST_conf"],
                color=palette[0],
                capsize=2,
                label="ST (total)",
            )
            ax.barh(
                y - h / 2,
                g["S1"],
                h,
                xerr=g["S1_conf"],
                color=palette[1],
                capsize=2,
                label="S1 (first order)",
            )
            ax.set_xlabel("share of variance")
        ax.set_yticks(y)
        ax.set_yticklabels(g["factor"], fontsize="small")
        several = len({key[1] for key, _ in groups}) > 1
        title = f"{output} ({sc})" if several else output
        ax.set_title(title, fontsize="medium")
    for ax in list(axes.flat)[len(groups) :]:
        ax.set_visible(False)
    fig.suptitle(f"{'Morris screening' if method == 'morris' else 'Sobol indices'} (95% intervals)")
    fig.tight_layout()
    if method == "sobol":
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="upper right", fontsize="small")
    atomic_save_figure(path, fig, dpi=110)
    plt.close(fig)


def run_sensitivity(
    design: Design,
    method: str,
    out: Path,
    executor: Executor | None = None,
    progress: bool | None = None,
) -> tuple[SweepReport, pd.DataFrame, list[str]]:
    """Run the SALib sample as a (resumable) sweep into ``out``, then write indices and a figure."""
    out = Path(out)
    report = run_sweep(design, out, executor, progress)
    store = Store(out)
    tables, notes = [], []
    for exp in design.experiments:
        t, n = analyse_experiment(store.read_runs(exp.name), exp, method)
        tables.append(t)
        notes += n
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    store.write_frame("indices.csv", table)
    store.write_text("indices.md", markdown(table, method, notes) if len(table) else "no indices\n")
    if len(table):
        figure(table, method, out / f"{method}.png")
    return report, table, notes
