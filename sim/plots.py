"""Figures (seaborn/matplotlib, written as PNG without a display)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

PANELS = (
    ("Users' recovery status", ["users_in_treatment", "users_abstinent", "users_using"], "users"),
    ("Relatives' burden", ["relatives_mean_strain", "relatives_burnout_share"], "share / 0-1"),
    ("Group life", ["users_in_groups", "groups_active", "mean_group_size"], "count"),
    (
        "Sense of coherence and hope (users)",
        ["mean_comprehensibility", "mean_manageability", "mean_meaningfulness"],
        "item mean (1-7)",
    ),
)


def timeseries_figure(weekly: pd.DataFrame, path: Path, title: str = "") -> None:
    """Four panels of the main weekly series."""
    sns.set_theme(style="whitegrid", context="notebook")
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), sharex=True)
    for ax, (name, cols, ylabel) in zip(axes.ravel(), PANELS):
        long = weekly.melt(id_vars="week", value_vars=cols, var_name="series", value_name="value")
        sns.lineplot(data=long, x="week", y="value", hue="series", ax=ax)
        ax.set_title(name)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def survival_figure(times_by_label: dict[str, pd.DataFrame], path: Path, title: str = "") -> None:
    """Kaplan-Meier curves of time from first discharge to first relapse (lifelines)."""
    from lifelines import KaplanMeierFitter

    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(8, 5))
    for label, times in times_by_label.items():
        if len(times):
            KaplanMeierFitter(label=label).fit(
                times["duration"], times["event"]
            ).plot_survival_function(ax=ax)
    ax.set_xlabel("weeks since discharge")
    ax.set_ylabel("share without relapse")
    ax.set_title(title or "Time to first relapse")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
