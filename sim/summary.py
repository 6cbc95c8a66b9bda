"""Headline figures of one run, each computed from simulated people (never copied from targets)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

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


def relapse_times(model: RecoveryModel) -> pd.DataFrame:
    """Time from first discharge to first relapse per discharged user, censored at the horizon."""
    u = model.users
    disc = u.first_discharge >= 0
    fd = u.first_discharge[disc]
    fr = u.first_relapse[disc]
    event = fr >= 0
    duration = np.where(event, fr - fd, model.week - fd).astype(float)
    return pd.DataFrame({"duration": duration, "event": event})


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
    obs52 = (fd >= 0) & (fd + 52 <= horizon)
    relapsed52 = (u.first_relapse >= 0) & (u.first_relapse - fd < 52)
    used52 = (u.first_use >= 0) & (u.first_use - fd < 52)
    first_year = relapsed52 & obs52
    early = first_year & (u.first_relapse - fd < 13)
    obs13 = (fd >= 0) & (fd + 13 <= horizon)
    ever_rel_group = r.ever_group
    untouched = ~r.touched
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
        "positive_attitude_share": float(u.positive_attitude.mean()),
        "relatives_per_user": r.n / u.n,
        "relatives_ever_in_group_share": float(ever_rel_group.mean()),
        "relatives_want_group_share": float(r.wants_group.mean()),
        "women_share_relatives_in_groups": mean(r.female, ever_rel_group),
        "soc13_relatives_start_mean": float(r.soc13_start.mean()),
        "soc13_relatives_start_sd": float(r.soc13_start.std()),
        "soc13_users_start_mean": float(model.users_soc13_start.mean()),
        "soc13_correlation_start_end_untouched_relatives": corr,
        "users_in_groups_share": float((weekly["users_in_groups"] / u.n).mean()),
        "mean_shame_users": at_end("mean_shame_users"),
        "relatives_mean_strain": at_end("relatives_mean_strain"),
        "relatives_burnout_end": at_end("relatives_burnout_share"),
        "using_at_end": float(now.user_share("using")),
        "weeks": float(horizon),
        "users": float(u.n),
    }
    return out
