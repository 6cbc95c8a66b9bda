"""A municipality over the years: a burn-in to a steady state, scenario arms branched from it,
and the figures per calendar year (ODD 7.1a; docs/municipality.md).

The burn-in runs the municipality under status quo until groups, relatives' participation,
networks and stigma have settled; it is computed once per seed. Every arm of a comparison is a
copy of that state with the arm's levers set, so all arms share the same people and the same
random numbers from the branch on (the draws are keyed by seed, decision, week and person:
sim/rng.py). The horizon's calendar years follow the burn-in.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from sim import scenario as scenarios
from sim.errors import InputError
from sim.model import RecoveryModel
from sim.population import arrivals_mean
from sim.scenario import Scenario
from sim.summary import first_year_relapse, weeks_lived

WEEKS_PER_YEAR = 52

#: Figures per calendar year, with their meaning (the columns of :func:`year_table`).
YEAR_COLUMNS = {
    "inhabitants": "inhabitants of the municipality",
    "users_present": "living users in the municipality (mean over the year)",
    "newcomers": "users entering specialised treatment for the first time",
    "treatment_episodes": "treatment episodes started (newcomers and re-entries)",
    "discharges": "discharges from treatment",
    "relapses": "relapses",
    "deaths": "deaths (all causes)",
    "moved_away": "users who moved away",
    "person_years_abstinent": "person-years out of treatment and abstinent",
    "weeks_waiting_treatment": "weeks users waited for a treatment place (summed over users)",
    "weeks_waiting_aftercare": "weeks users waited for an aftercare place (summed over users)",
    "relatives_present": "relatives in the municipality (mean over the year)",
    "relatives_in_burnout": "relatives in burnout (mean over the year)",
    "relatives_in_groups": "relatives in a group or course (mean over the year)",
    "groups_active": "active self-help groups (mean over the year)",
    "groups_per_100k": "active self-help groups per 100,000 inhabitants",
    "relapses_per_1000_discharged": "relapses per 1,000 discharges in the year",
    "deaths_per_1000_discharged": "deaths per 1,000 discharges in the year",
    "relapse_within_52w_of_discharge_cohort": "share of the year's first discharges relapsing "
    "within 52 weeks (observed for 52 weeks; deaths and moves before relapse not counted)",
}

#: The figures the steady-state check follows (issue 12, criterion 1).
STEADY = (
    "groups_per_100k",
    "relatives_in_groups",
    "relatives_in_burnout",
    "person_years_abstinent",
    "deaths",
)


#: The allowed range of each field of :class:`Municipality` (the command line checks the same).
LIMITS = {"inhabitants": (1_000, 1_000_000), "burn_in_years": (0, 100), "years": (1, 50)}


@dataclass(frozen=True)
class Municipality:
    """The municipality and its timeline: inhabitants, years of burn-in, years reported."""

    inhabitants: float = 50_000
    burn_in_years: int = 40
    years: int = 10
    initial_users: int | None = None  # users in treatment at week 0 (None: a year's newcomers)

    def __post_init__(self) -> None:
        from sim.cli import plain

        for field, (low, high) in LIMITS.items():
            value = getattr(self, field)
            if not low <= value <= high:
                raise InputError(
                    f"{field} must be from {plain(low)} to {plain(high)}, got {value:g}"
                )

    @property
    def burn_in_weeks(self) -> int:
        return self.burn_in_years * WEEKS_PER_YEAR

    @property
    def weeks(self) -> int:
        return (self.burn_in_years + self.years) * WEEKS_PER_YEAR

    def first_users(self, p) -> int:
        """Users in treatment at week 0: given, or one year's expected newcomers."""
        if self.initial_users is not None:
            return int(self.initial_users)
        return max(int(round(arrivals_mean(self.inhabitants, p) * WEEKS_PER_YEAR)), 1)


def _values(scenario: Scenario | str | dict | None) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        from sim.params import defaults

        return Scenario("custom", "", {**defaults(), **scenario})
    return scenarios.load(scenario or "status-quo")


def burn_in(
    town: Municipality,
    seed: int,
    base: Scenario | str | dict | None = "status-quo",
    progress: Callable[[int], None] | None = None,
) -> RecoveryModel:
    """The municipality run under ``base`` (status quo) up to the end of the burn-in."""
    sc = _values(base)
    p = SimpleNamespace(**sc.values)
    model = RecoveryModel(
        sc, n_users=town.first_users(p), weeks=town.weeks, seed=seed, inhabitants=town.inhabitants
    )
    while model.week < town.burn_in_weeks:
        model.step()
        if progress is not None:
            progress(model.week)
    return model


def branch(model: RecoveryModel, scenario: Scenario | str) -> RecoveryModel:
    """A copy of ``model`` from which the arm ``scenario`` runs on: the values in which
    ``scenario`` differs from the model's base scenario replace the model's (so parameter
    overrides of the base, e.g. calibrated ones, stay). ``model`` is not changed."""
    target = _values(scenario)
    base = _values(model.scenario_name) if model.scenario_name != "custom" else None
    arm = copy.deepcopy(model)
    if base is None:
        changed = dict(target.values)
    else:
        changed = {k: v for k, v in target.values.items() if base.values.get(k) != v}
    arm.values = {**arm.values, **changed}
    arm.p = SimpleNamespace(**arm.values)
    arm.scenario_name = target.name
    arm.capacity.set_places(arm.p)  # the arm's places, per 1,000 of the same users
    return arm


def run_arms(
    town: Municipality,
    arms: list[str | Scenario],
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> dict[str, RecoveryModel]:
    """The burn-in once, then each arm from it to the end of the horizon (by arm name)."""
    start = burn_in(town, seed, progress=progress)
    out = {}
    for arm in arms:
        model = branch(start, arm)
        while model.week < town.weeks:
            model.step()
            if progress is not None:
                progress(model.week)
        out[model.scenario_name] = model
    return out


def _per_year(weeks: np.ndarray, first_week: int, years: int) -> np.ndarray:
    """Counts of events by calendar year of the horizon (weeks before it are left out)."""
    y = (np.asarray(weeks) - first_week) // WEEKS_PER_YEAR
    y = y[(y >= 0) & (y < years)]
    return np.bincount(y, minlength=years)[:years]


def year_table(model: RecoveryModel, first_week: int, years: int) -> pd.DataFrame:
    """Every figure of :data:`YEAR_COLUMNS` per calendar year from ``first_week`` on (year 1 is
    the first year after the burn-in), computed from the run's weekly records, events and
    people."""
    weekly = model.recorder.frame(model.week)
    horizon = weekly[(weekly.week >= first_week) & (weekly.week < first_week + years * 52)]
    year = (horizon.week - first_week) // WEEKS_PER_YEAR
    ev = model.log.frame(model.n_users)

    def events(kind: str) -> np.ndarray:
        return _per_year(ev.loc[ev.event == kind, "week"].to_numpy(), first_week, years)

    mean = horizon.groupby(year).mean()
    total = horizon.groupby(year).sum()
    n = len(mean)
    rel = mean["relatives_present"]
    u = model.users
    out = pd.DataFrame(
        {
            "year": np.arange(1, n + 1),
            "inhabitants": model.inhabitants,
            "users_present": mean["users_present"].to_numpy(),
            "newcomers": events("arrival")[:n],
            "treatment_episodes": (events("arrival") + events("treatment_entry"))[:n],
            "discharges": events("discharge")[:n],
            "relapses": events("relapse")[:n],
            "deaths": events("death")[:n],
            "moved_away": events("moved")[:n],
            "person_years_abstinent": (total["users_abstinent"] / WEEKS_PER_YEAR).to_numpy(),
            "weeks_waiting_treatment": total["users_waiting_treatment"].to_numpy(),
            "weeks_waiting_aftercare": total["users_waiting_aftercare"].to_numpy(),
            "relatives_present": rel.to_numpy(),
            "relatives_in_burnout": _weekly_count(horizon, year, "relatives_burnout_share"),
            "relatives_in_groups": _weekly_count(horizon, year, "relatives_in_groups_share"),
            "groups_active": mean["groups_active"].to_numpy(),
        }
    )
    out["groups_per_100k"] = out["groups_active"] / model.inhabitants * 1e5
    disc = out["discharges"].replace(0, np.nan)
    out["relapses_per_1000_discharged"] = 1000.0 * out["relapses"] / disc
    out["deaths_per_1000_discharged"] = 1000.0 * out["deaths"] / disc
    out["relapse_within_52w_of_discharge_cohort"] = _cohort_relapse(u, first_week, n, model.week)
    return out


def _weekly_count(horizon: pd.DataFrame, year: pd.Series, share: str) -> np.ndarray:
    """A weekly share of the relatives present turned into a count, averaged by year."""
    count = horizon[share] * horizon["relatives_present"]
    return count.groupby(year).mean().to_numpy()


def _cohort_relapse(u, first_week: int, years: int, horizon: int) -> np.ndarray:
    """Per calendar year: the share of users first discharged in it who relapse within 52
    weeks, among those not dead or moved away before relapsing (T1); NaN for a year whose
    cohort is not yet followed for 52 weeks."""
    fd = u.first_discharge
    relapsed, censored = first_year_relapse(u)
    out = np.full(years, np.nan)
    for y in range(years):
        start = first_week + y * WEEKS_PER_YEAR
        if start + WEEKS_PER_YEAR + 52 > horizon:
            break  # the year's whole cohort is not yet followed for 52 weeks
        cohort = (fd >= start) & (fd < start + WEEKS_PER_YEAR) & ~censored
        if cohort.any():
            out[y] = float(relapsed[cohort].mean())
    return out


def yearly_change(table: pd.DataFrame, columns: tuple[str, ...] = STEADY) -> pd.DataFrame:
    """The relative change of each figure from one year to the next (year 2 on): |x_y / x_{y-1}
    - 1|. The steady-state check asks each to stay below 5% a year."""
    x = table.set_index("year")[list(columns)].astype(float)
    return (x / x.shift(1) - 1.0).abs().iloc[1:]


AGE_GROUPS = ((18, 30, "18-29"), (30, 45, "30-44"), (45, 200, "45+"))


def strata_table(model: RecoveryModel, first_week: int, weeks: int) -> pd.DataFrame:
    """Figures of the horizon ``first_week .. first_week + weeks - 1`` by gender and by age
    group at entry: users who took part, person-years lived in the municipality, deaths and
    relapses with their rates per 100 person-years, and the 52-week relapse of first discharges
    in the horizon followed for 52 weeks. (The model has no substance: no stratum for it.)"""
    u = model.users
    end_week = first_week + weeks
    lived = weeks_lived(u, first_week, end_week)
    ev = model.log.frame(model.n_users)
    in_horizon = (ev.week >= first_week) & (ev.week < end_week)

    def per_user(kind: str) -> np.ndarray:
        who = ev.loc[in_horizon & (ev.event == kind), "person"].to_numpy(np.int64)
        return np.bincount(who, minlength=u.n)[: u.n]

    deaths, relapses = per_user("death"), per_user("relapse")
    fd = u.first_discharge
    relapsed, censored = first_year_relapse(u)
    followed = (fd >= first_week) & (fd + 52 <= min(model.week, end_week)) & ~censored
    strata = [("all", np.ones(u.n, bool)), ("men", u.male), ("women", ~u.male)]
    strata += [(f"age {name}", (u.age >= lo) & (u.age < hi)) for lo, hi, name in AGE_GROUPS]
    rows = []
    for name, mask in strata:
        py = lived[mask].sum() / WEEKS_PER_YEAR
        cohort = mask & followed
        rows.append(
            {
                "stratum": name,
                "users": int((mask & (lived > 0)).sum()),
                "person_years": py,
                "deaths": int(deaths[mask].sum()),
                "deaths_per_100py": 100 * deaths[mask].sum() / py if py else np.nan,
                "relapses": int(relapses[mask].sum()),
                "relapses_per_100py": 100 * relapses[mask].sum() / py if py else np.nan,
                "relapse_within_52w": float(relapsed[cohort].mean()) if cohort.any() else np.nan,
            }
        )
    return pd.DataFrame(rows)
