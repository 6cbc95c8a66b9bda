"""The planner's page's logic, testable without a browser: a plan (a built-in aftercare model
with some levers moved, and a municipality's size), its paired comparison against status quo
run by :func:`experiments.compare.compare` itself, and the answer per 100 discharged.

The figures shown are the comparison's own paired differences (``differences.csv``), turned
into "fewer per 100": relapse within a year of discharge, and relatives in burnout in an average
week, per 100 relatives (``relatives_burnout_prevalence``) and per 100 discharged (each seed's
prevalence times its relatives per discharged person, paired by seed, with the same t interval
as ``compare``). Deaths and costs are not in the model yet; the page says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.app.planner_texts import PLANNER_LEVERS, planner_text
from sim.app.texts import lever_label, scenario_label
from sim.params import BY_NAME
from sim.scenario import BUILTIN, Scenario, load

BASELINE = "status-quo"
PLAN_NAME = "plan"
DEFAULT_USERS, MAX_USERS = 2000, 10_000
DEFAULT_WEEKS, MIN_WEEKS, MAX_WEEKS = 260, 65, 520
DEFAULT_REPLICATIONS, MAX_REPLICATIONS = 10, 30
PLANNER_LEVER_NAMES = tuple(t.name for t in PLANNER_LEVERS)


@dataclass
class Plan:
    """What the planner chose. ``levers`` holds only the levers moved away from ``base``."""

    base: str = "institutional"
    levers: dict[str, float] = field(default_factory=dict)
    users: int = DEFAULT_USERS
    weeks: int = DEFAULT_WEEKS
    replications: int = DEFAULT_REPLICATIONS
    seed: int = 1

    def check(self) -> None:
        """Refuse a plan outside the page's caps (one line naming the field)."""
        if self.base not in BUILTIN:
            raise ValueError(f"base must be one of {', '.join(BUILTIN)}, got {self.base!r}")
        for name, low, high, value in (
            ("users", 1, MAX_USERS, self.users),
            ("weeks", MIN_WEEKS, MAX_WEEKS, self.weeks),
            ("replications", 2, MAX_REPLICATIONS, self.replications),
        ):
            if not low <= int(value) <= high:
                raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value}")
        for name in self.levers:
            if name not in PLANNER_LEVER_NAMES:
                raise ValueError(f"{name!r} is not one of the planner's levers")

    def set_lever(self, name: str, value: float) -> None:
        """Move a lever; a lever moved back to the base's value is no longer a change."""
        if name not in PLANNER_LEVER_NAMES:
            raise ValueError(f"{name!r} is not one of the planner's levers")
        value = BY_NAME[name].check(value, "planner")
        if value == load(self.base).values[name]:
            self.levers.pop(name, None)
        else:
            self.levers[name] = value

    def values(self) -> dict[str, float]:
        """Every planner lever's value in the plan (base values where not moved)."""
        base = load(self.base).values
        return {name: self.levers.get(name, base[name]) for name in PLANNER_LEVER_NAMES}

    def scenario(self) -> Scenario:
        sc = load(self.base).with_overrides(self.levers, "planner")
        sc.name, sc.origin = PLAN_NAME, "planner's page"
        sc.description = f"{self.base} with {len(self.levers)} levers changed on the planner's page"
        return sc

    def scenario_toml(self) -> str:
        """The plan as a scenario file (``python -m sim run --scenario plan.toml``)."""
        lines = [
            f'name = "{PLAN_NAME}"',
            f'description = "{self.scenario().description}"',
            f'base = "{self.base}"',
            "",
            "[levers]",
        ]
        for name, value in self.levers.items():
            number = int(value) if BY_NAME[name].integer else float(value)
            lines.append(f"{name} = {number!r}")
        return "\n".join(lines) + "\n"

    def command(self) -> str:
        """The command line that gives the same comparison."""
        return (
            f"python -m sim compare --scenarios plan.toml --baseline {BASELINE} "
            f"--replications {self.replications} --users {self.users} --weeks {self.weeks} "
            f"--seed {self.seed}"
        )


@dataclass
class Figure:
    """One answer: how many fewer (negative: more) per 100, with its paired 95% interval."""

    fewer: float
    low: float
    high: float

    @property
    def sure(self) -> bool:
        return bool(np.isfinite(self.low) and (self.low > 0 or self.high < 0))


@dataclass
class PlanResult:
    plan: Plan
    runs: pd.DataFrame
    per: pd.DataFrame
    diff: pd.DataFrame
    relapses: Figure
    burnout_per_discharged: Figure
    burnout_per_relatives: Figure
    seconds: float
    tables_md: str


def fewer_per_100(diff: pd.DataFrame, metric: str) -> Figure:
    """A share's paired difference (plan - status quo) from ``compare``, as fewer per 100."""
    row = diff[(diff.scenario == PLAN_NAME) & (diff.metric == metric)].iloc[0]
    return Figure(-100.0 * row["difference"], -100.0 * row["high"], -100.0 * row["low"])


def burnout_per_100_discharged(runs: pd.DataFrame) -> Figure:
    """Relatives in burnout per 100 discharged, paired by seed, as fewer per 100."""
    from experiments.compare import t_interval

    x = runs.assign(k=100.0 * runs.relatives_per_user * runs.relatives_burnout_prevalence)
    plan = x[x.scenario == PLAN_NAME].set_index("seed")["k"]
    base = x[x.scenario == BASELINE].set_index("seed")["k"]
    common = plan.index.intersection(base.index)
    mean, low, high = t_interval((plan.loc[common] - base.loc[common]).to_numpy())
    return Figure(-mean, -high, -low)


def run_plan(plan: Plan, out: Path, progress=None, workers: int = 1) -> PlanResult:
    """Compare the plan with status quo by :func:`experiments.compare.compare` (its files go
    to ``out``). ``progress(1)`` is called as each run finishes."""
    from experiments.compare import compare

    plan.check()
    started = time.perf_counter()
    scenarios = [load(BASELINE), plan.scenario()]
    runs, per, diff = compare(
        scenarios, BASELINE, plan.replications, plan.users, plan.weeks, plan.seed, out, workers,
        progress,
    )  # fmt: skip
    return PlanResult(
        plan,
        runs,
        per,
        diff,
        fewer_per_100(diff, "relapse_within_52w"),
        burnout_per_100_discharged(runs),
        fewer_per_100(diff, "relatives_burnout_prevalence"),
        time.perf_counter() - started,
        (out / "tables.md").read_text(encoding="utf-8"),
    )


def fmt(x: float) -> str:
    return "–" if not np.isfinite(x) else f"{x:.1f}"


def figure_text(fig: Figure, lang: str) -> str:
    value = fmt(fig.fewer)
    return planner_text("value_interval", lang, value=value, low=fmt(fig.low), high=fmt(fig.high))


def changes_text(plan: Plan, lang: str) -> str:
    base = load(plan.base).values
    base_name = scenario_label(plan.base, lang)
    if not plan.levers:
        return planner_text("no_changes", lang, base=base_name)
    items = "; ".join(f"{lever_label(k, lang)} {base[k]:g} → {v:g}" for k, v in plan.levers.items())
    return planner_text("changed_levers", lang, base=base_name, items=items)


def report_markdown(result: PlanResult, lang: str) -> str:
    """The planner's report: inputs, the answer per 100 discharged, caveats, compare's tables."""
    p, t = result.plan, lambda key, **kw: planner_text(key, lang, **kw)
    lines = [
        f"# {t('report_title')}",
        "",
        t(
            "report_inputs",
            base=scenario_label(p.base, lang),
            users=p.users,
            weeks=p.weeks,
            reps=p.replications,
            seed=p.seed,
        ),
        "",
        changes_text(p, lang),
        "",
        f"## {t('result_title')}",
        "",
    ]
    for key, fig in (
        ("fewer_relapses", result.relapses),
        ("fewer_burnout", result.burnout_per_discharged),
        ("fewer_burnout_relatives", result.burnout_per_relatives),
    ):
        sure = t("sure_yes") if fig.sure else t("sure_no")
        lines.append(f"- **{t(key)}**: {figure_text(fig, lang)}. {sure}")
    lines += [
        "",
        t("negative_note"),
        "",
        t("not_modelled"),
        "",
        t("caveat"),
        "",
        t("report_command"),
        "",
        "```",
        p.command(),
        "```",
        "",
        f"## {t('report_tables')}",
        "",
        result.tables_md,
    ]
    return "\n".join(lines)
