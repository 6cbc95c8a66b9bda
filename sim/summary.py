"""Headline figures of one run, each computed from simulated people (never copied from targets)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.capacity.rules import weeks_waited
from sim.reporting import WEEKLY, Tally

if TYPE_CHECKING:
    from sim.model import RecoveryModel

HEADLINE = (
    "relapse_within_52w",
    "continuous_abstinence_52w",
    "median_weeks_to_first_relapse",
    "relatives_burnout_prevalence",
    "relatives_in_groups_share",
    "groups_active",
    "mean_group_size",
    "mean_soc13_users",
    "mean_hope_users",
)


def left_week(u) -> np.ndarray:
    """The week each user stopped taking part: died or moved away (-1: still here)."""
    return np.where(u.death_week >= 0, u.death_week, u.moved_week)


def weeks_lived(u, start: int, end: int) -> np.ndarray:
    """Weeks each user lived in the municipality within weeks ``start .. end - 1``: a user who
    arrives in week a and dies in week w lived weeks a..w; one who moves away in week m, weeks
    a..m-1."""
    out = np.where(
        u.death_week >= 0, u.death_week + 1, np.where(u.moved_week >= 0, u.moved_week, end)
    )
    return np.maximum(np.minimum(out, end) - np.maximum(u.arrival_week, start), 0)


def first_year_relapse(u) -> tuple[np.ndarray, np.ndarray]:
    """Per user: a first relapse within 52 weeks of the first discharge; and censored, i.e.
    died or moved away within those 52 weeks before relapsing (not in the 52-week
    denominators)."""
    fd, fr, gone = u.first_discharge, u.first_relapse, left_week(u)
    relapsed = (fr >= 0) & (fr - fd < 52)
    censored = (gone >= 0) & (gone - fd < 52) & ((fr < 0) | (fr > gone))
    return relapsed, censored


def relapse_times(model: RecoveryModel) -> pd.DataFrame:
    """Time from first discharge to first relapse per discharged user, censored at the horizon,
    at death or at a move away (in that week)."""
    u = model.users
    disc = u.first_discharge >= 0
    fd = u.first_discharge[disc]
    fr = u.first_relapse[disc]
    dw = left_week(u)[disc]
    event = fr >= 0
    end = np.where(dw >= 0, dw, model.week)
    duration = np.where(event, fr - fd, end - fd).astype(float)
    return pd.DataFrame({"duration": duration, "event": event})


def death_rates(u, horizon: int) -> dict[str, float]:
    """All-cause deaths per 100 person-years alive in the municipality (a user who arrives in
    week a and dies in week w lived weeks a..w; one who moves away in week m, weeks a..m-1);
    men's rate over women's; the rate in the first 4 weeks out of treatment after a
    discharge over the rate in the other weeks after the first discharge (Ravndal & Amundsen
    2010's contrast); and the person-time mean of the rate ratio ``risk_ratio`` (the figure the
    base rate is calibrated by: docs/ODD.md 7.7a)."""
    dead = u.death_week >= 0
    alive_weeks = weeks_lived(u, 0, horizon).astype(float)
    arrived = u.arrival_week < horizon

    def per_100py(deaths, weeks) -> float:
        w = float(np.sum(weeks))
        return 100.0 * float(np.sum(deaths)) / (w / 52.0) if w > 0 else float("nan")

    def ratio(a: float, b: float) -> float:
        return a / b if b > 0 else float("nan")

    fd = u.first_discharge
    after = (fd >= 0) & (~dead | (u.death_week >= fd))
    weeks_after = np.where(after, alive_weeks - np.maximum(fd, 0), 0.0)
    early_deaths = u.died_after_discharge
    rate_early = per_100py(early_deaths, u.weeks_after_discharge)
    rate_later = per_100py(dead & after & ~early_deaths, weeks_after - u.weeks_after_discharge)
    return {
        "deaths_per_100py": per_100py(dead, alive_weeks),
        "deaths_men_women_rate_ratio": ratio(
            per_100py(dead[u.male], alive_weeks[u.male]),
            per_100py(dead[~u.male], alive_weeks[~u.male]),
        ),
        "deaths_first_4_weeks_rate_ratio": ratio(rate_early, rate_later),
        "deaths_share": float(dead[arrived].mean()) if arrived.any() else float("nan"),
        "mortality_mean_risk_ratio": float(u.risk_weeks.sum() / alive_weeks.sum()),
    }


def wait_weeks(weeks: np.ndarray, since: np.ndarray, horizon: int) -> np.ndarray:
    """Each user's weeks waited in a queue: finished waits, and a wait still going on counted to
    the horizon (``weeks_waited``)."""
    ongoing = np.where(since >= 0, weeks_waited(since, horizon), 0)
    return (weeks + ongoing).astype(np.int32)


def waiting(u, horizon: int) -> dict[str, float]:
    """Waiting for places (ODD 7.2a): weeks waited per 100 person-years alive (as in
    ``death_rates``), and the mean weeks waited per decided re-entry to treatment (per offer of
    aftercare), a start at once counting 0 weeks and a wait still going on counted to the
    horizon (NaN: none decided)."""
    dead = u.death_week >= 0
    years = float(np.sum(np.where(dead, u.death_week + 1, horizon))) / 52.0
    out = {}
    for which, weeks, since, asks in (
        ("treatment", u.tq_weeks, u.tq_since, u.tq_asks),
        ("aftercare", u.aq_weeks, u.aq_since, u.aq_offers),
    ):
        total = float(np.sum(wait_weeks(weeks, since, horizon), dtype=np.int64))
        n = int(np.sum(asks, dtype=np.int64))
        out[f"{which}_waiting_weeks_per_100py"] = 100.0 * total / years if years > 0 else math.nan
        out[f"{which}_wait_weeks_mean"] = total / n if n else math.nan
    return out


def km_median(times: pd.DataFrame) -> float:
    """Kaplan-Meier median time to first relapse (lifelines); NaN if survival stays above one half."""
    from lifelines import KaplanMeierFitter

    if len(times) == 0:
        return float("nan")
    kmf = KaplanMeierFitter().fit(times["duration"], times["event"])
    median = float(kmf.median_survival_time_)
    return median if math.isfinite(median) else float("nan")


def summarize(model: RecoveryModel) -> dict[str, float]:
    """Headline and check figures of a finished (or stopped) run: weekly means from the recorded
    columns, the state at the end from the same reporters (sim/reporting/weekly.py)."""
    u, r, p = model.users, model.relatives, model.p
    weekly = model.recorder.frame(model.week)
    now = Tally(model)

    def at_end(name: str) -> float:
        return float(WEEKLY[name].read(now))

    horizon = model.week
    fd = u.first_discharge
    relapsed52, died_first = first_year_relapse(u)
    obs52 = (fd >= 0) & (fd + 52 <= horizon) & ~died_first
    used52 = (u.first_use >= 0) & (u.first_use - fd < 52)
    first_year = relapsed52 & obs52
    early = first_year & (u.first_relapse - fd < 13)
    obs13 = (fd >= 0) & (fd + 13 <= horizon)
    # the people who have been in the municipality (everyone, in a closed cohort)
    arrived = u.arrival_week < max(horizon, 1)
    kin_arrived = arrived[r.user]
    ever_rel_group = r.ever_group
    untouched = ~r.touched & kin_arrived
    corr = (
        float(np.corrcoef(r.soc13_start[untouched], r.soc13[untouched])[0, 1])
        if untouched.sum() > 10
        else float("nan")
    )

    def mean(mask_values, mask=None):
        x = mask_values if mask is None else mask_values[mask]
        return float(np.mean(x)) if len(x) else float("nan")

    out = {
        "relapse_within_52w": mean(relapsed52, obs52),
        "continuous_abstinence_52w": mean(~used52, obs52),
        "median_weeks_to_first_relapse": km_median(relapse_times(model)),
        "relatives_burnout_prevalence": float(weekly["relatives_burnout_share"].mean()),
        "relatives_in_groups_share": float(weekly["relatives_in_groups_share"].mean()),
        "groups_active": float(weekly["groups_active"].mean()),
        "mean_group_size": float(weekly["mean_group_size"].mean()),
        "mean_soc13_users": at_end("mean_soc13_users"),
        "mean_hope_users": at_end("mean_hope_users"),
        # checks against TARGETS.md
        "early_share_of_first_year_relapses": float(early.sum() / first_year.sum())
        if first_year.any()
        else float("nan"),
        "good_followup_share": mean(u.ac_contacts_13 >= p.good_followup_min_contacts, obs13),
        "referred_share": mean(u.ever_referred, fd >= 0),
        "positive_attitude_share": mean(u.positive_attitude, arrived),
        "relatives_per_user": r.n / u.n,
        "relatives_ever_in_group_share": mean(ever_rel_group, kin_arrived),
        "relatives_want_group_share": mean(r.wants_group, kin_arrived),
        "women_share_relatives_in_groups": mean(r.female, ever_rel_group),
        "soc13_relatives_start_mean": mean(r.soc13_start, kin_arrived),
        "soc13_relatives_start_sd": float(r.soc13_start[kin_arrived].std()),
        "soc13_users_start_mean": mean(model.users_soc13_start, arrived),
        "soc13_correlation_start_end_untouched_relatives": corr,
        # over the users in the municipality, the dead included (as the status shares)
        "users_in_groups_share": float(
            (weekly["users_in_groups"] / (weekly["users_present"] + weekly["users_dead"])).mean()
        ),
        "mean_shame_users": at_end("mean_shame_users"),
        "relatives_mean_strain": at_end("relatives_mean_strain"),
        "relatives_burnout_end": at_end("relatives_burnout_share"),
        "using_at_end": float(now.user_share("using")),
        **death_rates(u, horizon),
        **waiting(u, horizon),
        "weeks": float(horizon),
        "users": float(u.n),
    }
    return out
