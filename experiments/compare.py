"""Paired scenario comparison: replications share seeds (common random numbers) across arms.

For each headline figure: mean and 95% interval per scenario (t interval over replications),
and the difference versus the baseline with a paired 95% interval (differences within a seed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from experiments.replicate import Task, TaskResult, run_tasks
from experiments.runs import RunSpec
from sim.scenario import Scenario
from sim.staging import atomic_write_text, staged
from sim.summary import HEADLINE


def t_interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t interval of ``x`` (NaNs dropped)."""
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return float("nan"), float("nan"), float("nan")
    m = float(x.mean())
    if len(x) < 2:
        return m, float("nan"), float("nan")
    h = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return m, m - h, m + h


def summaries_frame(results: list[TaskResult]) -> pd.DataFrame:
    rows = [
        {
            "scenario": r.task.scenario.name,
            "replication": r.task.replication,
            "seed": r.task.seed,
            **r.summary,
        }
        for r in results
    ]
    return pd.DataFrame(rows)


def per_scenario_table(runs: pd.DataFrame, metrics=HEADLINE) -> pd.DataFrame:
    rows = []
    for sc, grp in runs.groupby("scenario", sort=False):
        for m in metrics:
            mean, lo, hi = t_interval(grp[m].to_numpy())
            rows.append(
                {
                    "scenario": sc,
                    "metric": m,
                    "mean": mean,
                    "low": lo,
                    "high": hi,
                    "n": int(grp[m].notna().sum()),
                }
            )
    return pd.DataFrame(rows)


def difference_table(runs: pd.DataFrame, baseline: str, metrics=HEADLINE) -> pd.DataFrame:
    """Paired differences (scenario - baseline) by seed, and unpaired intervals for contrast."""
    base = runs[runs.scenario == baseline].set_index("seed")
    rows = []
    for sc, grp in runs.groupby("scenario", sort=False):
        if sc == baseline:
            continue
        g = grp.set_index("seed")
        common = g.index.intersection(base.index)
        for m in metrics:
            d = (g.loc[common, m] - base.loc[common, m]).to_numpy()
            # a difference is reported only when every paired replication has it (no silent subsetting)
            mean, lo, hi = t_interval(d) if np.isfinite(d).all() else (float("nan"),) * 3
            a, b = g[m].dropna().to_numpy(), base[m].dropna().to_numpy()
            if len(a) > 1 and len(b) > 1:
                se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
                dof = len(a) + len(b) - 2
                half = float(stats.t.ppf(0.975, dof) * se)
            else:
                half = float("nan")
            rows.append(
                {
                    "scenario": sc,
                    "baseline": baseline,
                    "metric": m,
                    "difference": mean,
                    "low": lo,
                    "high": hi,
                    "unpaired_low": mean - half,
                    "unpaired_high": mean + half,
                    "paired_width": hi - lo,
                    "unpaired_width": 2 * half,
                }
            )
    return pd.DataFrame(rows)


def make_tasks(
    scenarios: list[Scenario], replications: int, users: int, weeks: int, seed: int
) -> list[RunSpec]:
    """Replication i of every scenario uses seed ``seed + i`` (paired arms)."""
    return [Task(sc, i, seed + i, users, weeks) for i in range(replications) for sc in scenarios]


def weekly_long(results: list[TaskResult]) -> pd.DataFrame:
    frames = []
    for r in results:
        w = r.weekly.copy()
        w.insert(0, "replication", r.task.replication)
        w.insert(0, "scenario", r.task.scenario.name)
        frames.append(w)
    return pd.concat(frames, ignore_index=True)


def _fmt(x: float, metric: str) -> str:
    if not np.isfinite(x):
        return "n/a"
    if "share" in metric or "prevalence" in metric or "52w" in metric:
        return f"{100 * x:.1f}%"
    return f"{x:.2f}"


def markdown_tables(per: pd.DataFrame, diff: pd.DataFrame) -> str:
    """Per-scenario means with intervals, then paired differences. A figure that some replications
    could not compute (a median survival time not reached within the horizon) is shown as such
    rather than averaged over the replications that reached it."""
    lines = ["| scenario | " + " | ".join(HEADLINE) + " |", "|---" * (len(HEADLINE) + 1) + "|"]
    runs_per = per.groupby("scenario", sort=False)["n"].max()
    for sc, grp in per.groupby("scenario", sort=False):
        g = grp.set_index("metric")
        cells = []
        for m in HEADLINE:
            missing = int(runs_per[sc] - g.loc[m, "n"])
            if missing:
                cells.append(f"not reached in {missing} of {int(runs_per[sc])} runs")
            else:
                cells.append(
                    f"{_fmt(g.loc[m, 'mean'], m)} ({_fmt(g.loc[m, 'low'], m)} to {_fmt(g.loc[m, 'high'], m)})"
                )
        lines.append(f"| {sc} | " + " | ".join(cells) + " |")
    out = "\n".join(lines) + "\n"
    if len(diff):
        base = diff["baseline"].iloc[0]
        lines = [
            "",
            f"Differences versus `{base}` (paired by seed; 95% interval):",
            "",
            "| scenario | metric | difference | 95% interval | unpaired 95% interval |",
            "|---|---|---|---|---|",
        ]
        for _, row in diff.iterrows():
            m = row["metric"]
            if not np.isfinite(row["difference"]):
                continue  # not computable in every replication (see the table above)
            lines.append(
                f"| {row['scenario']} | {m} | {_fmt(row['difference'], m)} | {_fmt(row['low'], m)} to "
                f"{_fmt(row['high'], m)} | {_fmt(row['unpaired_low'], m)} to {_fmt(row['unpaired_high'], m)} |"
            )
        out += "\n".join(lines)
    return out + "\n"


def _t_band(x) -> tuple[float, float]:
    _, lo, hi = t_interval(np.asarray(x))
    return lo, hi


def figures(results: list[TaskResult], out: Path) -> list[str]:
    """Survival curves, relatives' burnout and group numbers over time, with uncertainty bands."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns
    from lifelines import KaplanMeierFitter

    sns.set_theme(style="whitegrid", context="notebook")
    names = []
    # survival: pooled Kaplan-Meier per scenario with its confidence band
    fig, ax = plt.subplots(figsize=(8, 5))
    by = {}
    for r in results:
        by.setdefault(r.task.scenario.name, []).append(r.relapse_times)
    for sc, frames in by.items():
        t = pd.concat(frames, ignore_index=True)
        KaplanMeierFitter(label=sc).fit(t["duration"], t["event"]).plot_survival_function(ax=ax)
    ax.set_xlabel("weeks since discharge")
    ax.set_ylabel("share without relapse")
    ax.set_title("Time to first relapse (Kaplan-Meier, pooled replications, 95% band)")
    fig.tight_layout()
    fig.savefig(out / "survival.png", dpi=110)
    plt.close(fig)
    names.append("survival.png")
    long = weekly_long(results)
    for col, title, fname in (
        (
            "relatives_burnout_share",
            "Relatives in burnout (mean and 95% band over replications)",
            "relatives_burnout.png",
        ),
        ("groups_active", "Active self-help groups (mean and 95% band)", "groups.png"),
        ("users_using", "Users using (mean and 95% band)", "users_using.png"),
    ):
        fig, ax = plt.subplots(figsize=(8, 5))
        # 95% t interval of the mean over replications (as in the tables; faster than bootstrapping)
        sns.lineplot(data=long, x="week", y=col, hue="scenario", errorbar=_t_band, ax=ax)
        ax.set_title(title)
        fig.tight_layout()
        fig.savefig(out / fname, dpi=110)
        plt.close(fig)
        names.append(fname)
    return names


def width_note(diff: pd.DataFrame) -> str:
    """One paragraph comparing paired and unpaired interval widths (what common random numbers buy)."""
    if diff.empty:
        return ""
    ok = diff[np.isfinite(diff["paired_width"]) & np.isfinite(diff["unpaired_width"])]
    if ok.empty:
        return ""
    narrower = int((ok["paired_width"] < ok["unpaired_width"]).sum())
    ratio = (ok["paired_width"] / ok["unpaired_width"]).median()
    return (
        f"\nPaired intervals are narrower than unpaired ones in {narrower} of {len(ok)} scenario-metric "
        f"differences; the median paired width is {100 * ratio:.0f}% of the unpaired width "
        "(replication i of every scenario shares seed i: common random numbers).\n"
    )


def write_manifest(
    out: Path,
    scenarios: list[Scenario],
    baseline: str,
    replications: int,
    users: int,
    weeks: int,
    seed: int,
    executor: str,
) -> None:
    """manifest.json of a comparison: the scenarios' parameters, sizes, seeds, versions and git commit."""
    import json

    from experiments.store import _clean, now
    from experiments.sweep import _versions, command_line
    from sim.runner import git_commit

    manifest = {
        "kind": "compare",
        "created": now(),
        "baseline": baseline,
        "replications": replications,
        "users": users,
        "weeks": weeks,
        "seeds": [seed + i for i in range(replications)],
        "scenarios": {
            sc.name: {"origin": sc.origin, "description": sc.description, "parameters": sc.values}
            for sc in scenarios
        },
        "executor": executor,
        "versions": _versions(),
        "git_commit": git_commit(),
        "command": command_line(),
    }
    atomic_write_text(out / "manifest.json", json.dumps(_clean(manifest), indent=2) + "\n")


def compare(
    scenarios: list[Scenario],
    baseline: str,
    replications: int,
    users: int,
    weeks: int,
    seed: int,
    out: Path,
    workers: int | None = None,
    progress=None,
    executor=None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Run the paired comparison and write runs.csv, summary tables (CSV, Markdown) and figures to ``out``.

    ``executor`` (an :class:`experiments.executors.Executor`, e.g. Dask); without one, the
    executor ``workers`` asks for.
    """
    out.mkdir(parents=True, exist_ok=True)
    results = run_tasks(
        make_tasks(scenarios, replications, users, weeks, seed), workers, progress, executor
    )
    runs = summaries_frame(results)
    per = per_scenario_table(runs)
    diff = difference_table(runs, baseline) if baseline in set(runs.scenario) else pd.DataFrame()
    with staged(out) as stage:  # a full disk leaves no half-written file (sim/staging.py)
        runs.to_csv(stage / "runs.csv", index=False)
        per.to_csv(stage / "scenarios.csv", index=False)
        diff.to_csv(stage / "differences.csv", index=False)
        (stage / "tables.md").write_text(markdown_tables(per, diff) + width_note(diff))
        figures(results, stage)
    return runs, per, diff
