"""``python -m sim municipality``: a municipality over the years, per scenario and calendar year.

Writes, into ``--out``:
- ``years.csv``: every figure of :data:`sim.municipality.YEAR_COLUMNS` per scenario, seed and
  calendar year of the horizon, and ``years.md``: the mean over seeds per scenario and year;
- ``burn_in.csv`` and ``settled.png``: the status-quo municipality year by year from week 0
  through the burn-in and the horizon (mean over seeds), to see that it has settled;
- ``steady_state.md``: the horizon's year-on-year changes of the steady-state figures;
- ``strata.csv`` and ``strata.md``: the horizon by gender and by age group at entry;
- ``manifest.json``: the command's inputs, versions and git commit.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd

from sim.municipality import (
    STEADY,
    YEAR_COLUMNS,
    Municipality,
    run_arms,
    strata_table,
    year_table,
    yearly_change,
)

SHOWN = (
    "users_present",
    "newcomers",
    "deaths",
    "relapses",
    "person_years_abstinent",
    "relatives_in_burnout",
    "relatives_in_groups",
    "groups_per_100k",
    "relapse_within_52w_of_discharge_cohort",
)


def simulate_town(
    town: Municipality, arms: list[str], seeds: list[int], progress=None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The horizon's year table and strata table of every arm and seed, and the status-quo
    arm's year table from week 0 (burn-in included)."""
    horizon, whole, strata = [], [], []
    for seed in seeds:
        models = run_arms(town, arms, seed, progress)
        for name, model in models.items():
            t = year_table(model, town.burn_in_weeks, town.years)
            horizon.append(t.assign(scenario=name, seed=seed))
            s = strata_table(model, town.burn_in_weeks, town.years * 52)
            strata.append(s.assign(scenario=name, seed=seed))
            if name == "status-quo":
                w = year_table(model, 0, town.burn_in_years + town.years)
                whole.append(w.assign(seed=seed))
    cols = ["scenario", "seed", "year", *YEAR_COLUMNS]
    years = pd.concat(horizon, ignore_index=True)[cols]
    burn = pd.concat(whole, ignore_index=True) if whole else pd.DataFrame()
    by = pd.concat(strata, ignore_index=True)
    by = by[["scenario", "seed", *[c for c in by.columns if c not in ("scenario", "seed")]]]
    return years, burn, by


def markdown_strata(strata: pd.DataFrame) -> str:
    """The horizon by gender and age group at entry, summed over seeds per scenario."""
    counts = ["users", "person_years", "deaths", "relapses"]
    lines = []
    for name, t in strata.groupby("scenario", sort=False):
        g = t.groupby("stratum", sort=False)
        s = g[counts].sum()
        s["deaths_per_100py"] = 100 * s.deaths / s.person_years
        s["relapses_per_100py"] = 100 * s.relapses / s.person_years
        s["relapse_within_52w"] = g["relapse_within_52w"].mean()
        lines += [f"### {name}", "", md_table(s.reset_index()), ""]
    return "\n".join(lines)


TITLES = {
    "users_present": "living users in the municipality",
    "groups_per_100k": "self-help groups per 100,000 inhabitants",
    "relatives_in_groups": "relatives in a group or course",
    "relatives_in_burnout": "relatives in burnout",
    "person_years_abstinent": "person-years abstinent (out of treatment)",
    "deaths": "deaths a year (all causes)",
}


def md_table(frame: pd.DataFrame) -> str:
    """A frame as a Markdown table (numbers to 4 significant figures; NaN as "-")."""

    def cell(x) -> str:
        if isinstance(x, float):
            return "-" if x != x else f"{x:.4g}"
        return str(x)

    head = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += [
        "| " + " | ".join(cell(x) for x in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines)


def markdown_years(years: pd.DataFrame) -> str:
    """Mean over seeds per scenario and year, the headline columns, as Markdown."""
    mean = years.groupby(["scenario", "year"], sort=False)[list(SHOWN)].mean().reset_index()
    lines = []
    for name, t in mean.groupby("scenario", sort=False):
        lines += [
            f"### {name}",
            "",
            md_table(t.drop(columns="scenario")),
            "",
        ]
    return "\n".join(lines)


def steady_markdown(years: pd.DataFrame) -> str:
    """The status-quo horizon: year-on-year change of each steady-state figure (mean over seeds)
    and the trend (least-squares slope over the years, relative to the mean) per year."""
    sq = years[years.scenario == "status-quo"]
    mean = sq.groupby("year")[list(STEADY)].mean().reset_index()
    change = yearly_change(mean)
    trend = {}
    for c in STEADY:
        y = mean[c].astype(float)
        slope = ((mean.year - mean.year.mean()) * (y - y.mean())).sum() / (
            (mean.year - mean.year.mean()) ** 2
        ).sum()
        trend[c] = abs(slope) / y.mean() if y.mean() else float("nan")
    rows = [
        {
            "figure": c,
            "mean": mean[c].mean(),
            "largest year-on-year change": change[c].max(),
            "trend per year (|slope| / mean)": trend[c],
            "below 5% a year (trend)": "yes" if trend[c] < 0.05 else "no",
        }
        for c in STEADY
    ]
    return md_table(pd.DataFrame(rows)) + "\n"


def settled_figure(burn: pd.DataFrame, town: Municipality, path: Path) -> None:
    """The status-quo municipality year by year from week 0 (mean over seeds), with the end of
    the burn-in marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.staging import atomic_save_figure

    mean = burn.groupby("year")[list(STEADY) + ["users_present"]].mean()
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), sharex=True)
    for ax, col in zip(axes.flat, ("users_present", *STEADY), strict=True):
        ax.plot(mean.index, mean[col], color="#1f5f8b")
        ax.axvline(town.burn_in_years + 0.5, color="grey", ls="--", lw=1)
        ax.set_title(TITLES[col], fontsize=9)
        ax.set_xlabel("year from the start (dashed: end of burn-in)")
        ax.grid(alpha=0.3)
    fig.suptitle(
        f"Status quo, {town.inhabitants:,.0f} inhabitants: does the municipality settle?",
        fontsize=11,
    )
    fig.tight_layout()
    atomic_save_figure(path, fig, dpi=110)
    plt.close(fig)


def cmd_municipality(args) -> int:
    from sim import scenario as scenarios
    from sim.cli import progress_bar
    from sim.errors import InputError
    from sim.runner import git_commit, versions
    from sim.staging import staged

    arms = [a.strip() for a in args.scenarios.split(",") if a.strip()]
    if not arms:
        raise InputError(f"--scenarios: name at least one of {', '.join(scenarios.BUILTIN)}")
    for arm in arms:
        scenarios.load(arm)  # an unknown name or a bad file: one line naming it
    if "status-quo" not in arms:
        arms = ["status-quo", *arms]  # the reference arm, and the one the burn-in runs
    town = Municipality(args.inhabitants, args.burn_in_years, args.years)
    seeds = list(range(args.seed, args.seed + args.seeds))
    per_seed = town.burn_in_weeks + len(arms) * town.years * 52
    update, close = progress_bar(per_seed * len(seeds), "weeks")

    def progress(week: int) -> None:  # called once per week stepped, burn-in and arms alike
        update(1)

    t0 = time.perf_counter()
    years, burn, strata = simulate_town(town, arms, seeds, progress)
    close()
    out = Path(args.out)
    with staged(out) as stage:
        years.to_csv(stage / "years.csv", index=False)
        (stage / "years.md").write_text(
            f"# {town.inhabitants:,.0f} inhabitants: figures per calendar year\n\n"
            f"Mean over {len(seeds)} seed(s); {town.burn_in_years} years of status-quo burn-in "
            "before year 1, every arm branched from the same burn-in state.\n\n"
            + markdown_years(years)
        )
        (stage / "steady_state.md").write_text(
            "# Status quo after the burn-in: does it move?\n\n" + steady_markdown(years)
        )
        burn.to_csv(stage / "burn_in.csv", index=False)
        strata.to_csv(stage / "strata.csv", index=False)
        (stage / "strata.md").write_text(
            "# The horizon by gender and age group at entry\n\n"
            f"Users, person-years, deaths and relapses summed over {len(seeds)} seed(s) (users "
            "count once per seed); the 52-week relapse is the mean over seeds. The model has no "
            "substance, so there is no stratum for it.\n\n" + markdown_strata(strata)
        )
        settled_figure(burn, town, stage / "settled.png")
        (stage / "manifest.json").write_text(
            json.dumps(
                {
                    "command": "municipality",
                    "inhabitants": town.inhabitants,
                    "burn_in_years": town.burn_in_years,
                    "years": town.years,
                    "scenarios": arms,
                    "seeds": seeds,
                    "seconds": round(time.perf_counter() - t0, 1),
                    "git_commit": git_commit(),
                    "versions": versions(),
                },
                indent=2,
            )
        )
    print(
        f"{town.inhabitants:,.0f} inhabitants, {town.burn_in_years} years burn-in + {town.years} "
        f"years, {len(arms)} arm(s) x {len(seeds)} seed(s) -> {out}",
        file=sys.stdout,
    )
    return 0


def add_commands(sub) -> None:
    from sim.cli import nonneg_int, number_between, positive_int
    from sim.municipality import LIMITS

    def limited(field: str, whole: bool):
        return number_between("--" + field.replace("_", "-"), *LIMITS[field], whole=whole)

    m = sub.add_parser(
        "municipality",
        help="a municipality over the years: burn-in, scenario arms, figures per calendar year",
    )
    m.add_argument("--inhabitants", type=limited("inhabitants", False), default=50_000.0)
    m.add_argument("--burn-in-years", type=limited("burn_in_years", True), default=40)
    m.add_argument("--years", type=limited("years", True), default=10)
    m.add_argument(
        "--scenarios",
        default="status-quo,municipal,organisation,institutional,none",
        help="comma-separated arms (status-quo is always run: it is the burn-in's and the reference)",
    )
    m.add_argument("--seed", type=nonneg_int("--seed"), default=1)
    m.add_argument("--seeds", type=positive_int("--seeds"), default=3)
    m.add_argument("--out", default="results/municipality")
    m.set_defaults(func=cmd_municipality)
