"""The robustness table of a design with [levers] and [uncertainties] (EMA-workbench style).

For each lever bundle (a combination of lever values) and each outcome: the outcome over the
uncertainty points (each point's mean over its replications), summarised by its mean, minimum,
10th, 50th and 90th percentiles and maximum. Every bundle is run at the same uncertainty points
with the same seeds, so the bundles' rows differ only by the levers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.design import Design
from experiments.store import PARAM_PREFIX
from sim.summary import HEADLINE

STATISTICS = ("mean", "min", "p10", "p50", "p90", "max")


def robustness_table(summary: pd.DataFrame, design: Design, metrics=HEADLINE) -> pd.DataFrame:
    """One row per experiment, base scenario, lever bundle and outcome: the outcome's
    :data:`STATISTICS` over the uncertainty points (``summary``: one row per point, as in
    summary.csv). Empty when no experiment has levers."""
    rows = []
    for exp in design.experiments:
        if not exp.levers or summary.empty:
            continue
        mine = summary[summary.experiment == exp.name]
        levers = [PARAM_PREFIX + f.name for f in exp.levers]
        for (scenario, *values), g in mine.groupby(["scenario", *levers], sort=True):
            bundle = dict(zip([f.name for f in exp.levers], values))
            for m in metrics:
                if m not in g:
                    continue
                x = g[m].to_numpy(float)
                x = x[np.isfinite(x)]
                stats = (
                    dict(
                        zip(
                            STATISTICS,
                            (x.mean(), x.min(), *np.percentile(x, [10, 50, 90]), x.max()),
                        )
                    )
                    if len(x)
                    else dict.fromkeys(STATISTICS, float("nan"))
                )
                rows.append(
                    {
                        "experiment": exp.name,
                        "scenario": scenario,
                        **bundle,
                        "outcome": m,
                        "uncertainty_points": len(x),
                        **stats,
                    }
                )
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    """The robustness table as Markdown: one table per experiment and outcome."""
    if table.empty:
        return "no lever bundles\n"
    fixed = {"experiment", "scenario", "outcome", "uncertainty_points", *STATISTICS}
    lines = [
        "# Robustness of the lever bundles",
        "",
        "Each row is one lever bundle; the figures are its outcome over the uncertainty points "
        "(each point the mean of its replications; every bundle at the same points and seeds).",
    ]
    for (exp, outcome), g in table.groupby(["experiment", "outcome"], sort=False):
        levers = [c for c in g.columns if c not in fixed and g[c].notna().any()]
        head = ["scenario", *levers, "points", "mean", "min", "p10", "median", "p90", "max"]
        lines += ["", f"## {exp}: {outcome}", "", "| " + " | ".join(head) + " |"]
        lines.append("|" + "---|" * len(head))
        for _, r in g.iterrows():
            cells = [str(r.scenario), *(f"{r[c]:g}" for c in levers), str(r.uncertainty_points)]
            cells += [f"{r[s]:.4g}" for s in STATISTICS]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
