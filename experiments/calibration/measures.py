"""What each target measures from a run: the figures read off the simulated people.

:data:`MEASURES` lists every measure a targets file may name. :func:`run_arm` steps one run
of the model week by week and reads every figure off its users, relatives and groups;
:func:`replication_figures` combines the arms of a replication (paired comparisons).
Nothing in the targets file is ever copied into a figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.codes import RELATIVES_COURSE
from sim.relatives.rules import GP_ROUTE

BASE_ARM = "status-quo"  # the arm every replication has; the others are compared with it

# Every measure a targets file may name. ``arms``: the runs it needs besides the base arm;
# ``analysis``: needs the per-replication survival fits (lifelines), done only in validation.
MEASURES: dict[str, dict[str, Any]] = {
    "relapse_within_52w": {
        "doc": "share of discharged users with a first relapse within 52 weeks of discharge"
    },
    "continuous_abstinence_52w": {
        "doc": "share of discharged users with no use at all within 52 weeks"
    },
    "early_share_of_first_year_relapses": {
        "doc": "share of first-year first relapses that fall in weeks 0-12 after discharge"
    },
    "hazard_ratio_early_late": {
        "doc": "Nelson-Aalen hazard in weeks 0-13 after discharge / hazard in weeks 26-52",
        "analysis": True,
    },
    "hazard_ratio_late_year2": {
        "doc": "Nelson-Aalen hazard in weeks 26-52 / hazard in weeks 52-104",
        "analysis": True,
    },
    "aic_exponential_minus_loglogistic": {
        "doc": "AIC(exponential) - AIC(log-logistic) of time to first relapse (positive: log-logistic fits better)",
        "analysis": True,
    },
    "loglogistic_shape": {
        "doc": "shape (beta) of the log-logistic fit to time to first relapse (above 1: hazard rises then falls)",
        "analysis": True,
    },
    "continuous_abstinence_rr_referral": {
        "doc": "continuous abstinence at 52 weeks, strong-referral arm / status-quo (paired by seed)",
        "arms": ("referral",),
    },
    "aftercare_relapse_odds_ratio": {
        "doc": "odds of a first relapse within 52 weeks with no aftercare / with aftercare for every "
        "discharged user (status-quo's aftercare otherwise; paired by seed)",
        "arms": ("aftercare_all", "aftercare_none"),
    },
    "aftercare_relapse_difference": {
        "doc": "52-week relapse with no aftercare minus with aftercare for every discharged user "
        "(paired by seed)",
        "arms": ("aftercare_all", "aftercare_none"),
    },
    "referred_share": {"doc": "share of discharged users actively referred to self-help groups"},
    "positive_attitude_share": {"doc": "share of users positive to 12-step groups"},
    "relatives_per_user": {"doc": "relatives per user"},
    "relatives_in_groups_share": {
        "doc": "share of relatives in a self-help group (weekly point prevalence, mean over the run)"
    },
    "relatives_ever_in_group_share": {"doc": "share of relatives ever in a group during the run"},
    "relatives_in_groups_share_last_year": {
        "doc": "share of relatives in a self-help group, weekly mean over the last 52 weeks of the run"
    },
    "relatives_want_group_share": {
        "doc": "share of relatives who want (or have) a group at the end"
    },
    "women_share_relatives_in_groups": {"doc": "share of women among relatives ever in a group"},
    "mean_group_size": {
        "doc": "people present per meeting held (2 or more present), mean over weeks"
    },
    "share_meetings_2_20": {"doc": "share of meetings held (2+ present) with at most 20 present"},
    "share_meetings_4_8": {"doc": "share of meetings held with 4-8 present"},
    "share_group_weeks_no_meeting": {
        "doc": "share of active group-weeks with fewer than 2 present (no meeting held)"
    },
    "groups_start_surviving_share": {
        "doc": "share of the groups existing at the start still active at the horizon"
    },
    "groups_new_lasting_52w_share": {
        "doc": "share of groups founded in the run (52+ weeks before the horizon) that lasted 52 weeks or more"
    },
    "groups_per_100k_start": {
        "doc": "self-help groups per 100,000 inhabitants at the start (an input)"
    },
    "deaths_per_100py": {"doc": "all-cause deaths per 100 person-years alive (ODD 7.7a)"},
    "deaths_men_women_rate_ratio": {"doc": "men's death rate over women's"},
    "deaths_first_4_weeks_rate_ratio": {
        "doc": "death rate in the first 4 weeks out of treatment after a discharge / in later weeks"
    },
    "groups_per_100k_mean": {
        "doc": "active self-help groups per 100,000 inhabitants, mean over the run"
    },
    "soc13_relatives_start_mean": {"doc": "mean SOC-13 of relatives at the start"},
    "soc13_relatives_start_sd": {"doc": "SD of SOC-13 of relatives at the start"},
    "soc13_users_start_mean": {"doc": "mean SOC-13 of users at the start"},
    "soc13_relatives_minus_users_start": {
        "doc": "relatives' minus users' mean SOC-13 at the start (positive: users lower)"
    },
    "soc13_correlation_start_end_untouched_relatives": {
        "doc": "correlation of SOC-13 at start and horizon, relatives never in a group, course or intervention"
    },
    "relatives_years_to_first_help": {
        "doc": "years lived with the problem before first seeking help (a group or the GP): years with the problem when the user entered the model + years from then to the first help-seeking, relatives who sought help"
    },
    "relatives_exhausted_at_help_share": {
        "doc": "share of relatives in burnout or with strain at or above the burnout threshold in the week they enter relatives' own treatment, relatives who entered it"
    },
    "relatives_exhausted_at_first_help_share": {
        "doc": "share of relatives in burnout or with strain at or above the burnout threshold in the week they first seek help (either route)"
    },
    "relatives_in_treatment_share": {
        "doc": "share of relatives ever in relatives' own treatment (referred by the GP) during the run"
    },
    "relatives_first_help_gp_share": {
        "doc": "share of first help-seeking by the GP route, relatives who sought help"
    },
    "relatives_burnout_at_help_share": {
        "doc": "share of relatives in burnout in the week they first seek help"
    },
    "good_followup_share": {
        "doc": "share of discharged users with good follow-up (enough aftercare contacts in the first 13 weeks)"
    },
    "cox_hope_hr_per10": {
        "doc": "Cox hazard ratio of first relapse per 10 AHS points of hope at discharge",
        "analysis": True,
    },
    "relatives_offers_strain_difference": {
        "doc": "relatives' mean strain (weekly mean), more relatives' offers minus status-quo (paired)",
        "arms": ("relatives_offers",),
    },
    "relatives_offers_shame_difference": {
        "doc": "relatives' mean shame (weekly mean), more relatives' offers minus status-quo (paired)",
        "arms": ("relatives_offers",),
    },
    "relatives_offers_group_share_difference": {
        "doc": "relatives in groups (weekly mean), more relatives' offers minus status-quo (paired)",
        "arms": ("relatives_offers",),
    },
    "relatives_offers_user_relapse_difference": {
        "doc": "users' 52-week relapse, more relatives' offers minus status-quo (paired)",
        "arms": ("relatives_offers",),
    },
}


def _interval_hazards(
    duration: np.ndarray, event: np.ndarray, cuts=(0, 13, 26, 52, 104)
) -> list[float]:
    """Mean hazard per week in each interval from the Nelson-Aalen cumulative hazard (lifelines)."""
    from lifelines import NelsonAalenFitter

    naf = NelsonAalenFitter().fit(duration, event)
    # Nelson-Aalen is a step function: H at t counts events up to and including t; event weeks
    # are whole numbers, so H(t - 0.5) gives the interval [a, b) of weeks.
    ch = np.where(
        np.asarray(cuts) > 0,
        naf.cumulative_hazard_at_times([max(c - 0.5, 0.0) for c in cuts]).to_numpy(),
        0.0,
    )
    return [(ch[i + 1] - ch[i]) / (cuts[i + 1] - cuts[i]) for i in range(len(cuts) - 1)]


def parametric_fits(t1: np.ndarray, event: np.ndarray):
    """Log-logistic and exponential fits (lifelines) of times counted from 1 (a relapse in the week
    of discharge is week 1)."""
    from lifelines import ExponentialFitter, LogLogisticFitter

    return LogLogisticFitter().fit(t1, event), ExponentialFitter().fit(t1, event)


def survival_analyses(times: pd.DataFrame) -> dict[str, float]:
    """Per-replication survival fits with lifelines: hazard by interval, AIC, Cox on hope."""
    import warnings

    from lifelines import CoxPHFitter

    out: dict[str, float] = {}
    d = times["duration"].to_numpy(float)
    e = times["event"].to_numpy(bool)
    if e.sum() < 10:
        return out
    h = _interval_hazards(d, e)
    out["hazard_0_13"], out["hazard_13_26"], out["hazard_26_52"], out["hazard_52_104"] = h
    out["hazard_ratio_early_late"] = h[0] / h[2] if h[2] > 0 else float("nan")
    out["hazard_ratio_late_year2"] = h[2] / h[3] if h[3] > 0 else float("nan")
    # parametric fits on weeks counted from 1 (a relapse in the week of discharge is week 1)
    t1 = d + 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ll, ex = parametric_fits(t1, e)
        out["aic_loglogistic"] = float(ll.AIC_)
        out["aic_exponential"] = float(ex.AIC_)
        out["aic_exponential_minus_loglogistic"] = float(ex.AIC_ - ll.AIC_)
        out["loglogistic_shape"] = float(ll.beta_)
        out["loglogistic_scale"] = float(ll.alpha_)
        df = pd.DataFrame(
            {
                "duration": t1,
                "event": e,
                "hope10": times["hope_at_discharge"].to_numpy(float) / 10.0,
            }
        )
        df = df[np.isfinite(df["hope10"])]
        try:
            cph = CoxPHFitter().fit(df, "duration", "event")
            out["cox_hope_hr_per10"] = float(np.exp(cph.params_["hope10"]))
            out["cox_hope_p"] = float(cph.summary.loc["hope10", "p"])
        except (
            ValueError,
            ZeroDivisionError,
            np.linalg.LinAlgError,
        ):  # degenerate tiny replication
            out["cox_hope_hr_per10"] = float("nan")
    return out


def run_arm(spec) -> dict[str, Any]:
    """Run one arm (a :class:`~experiments.runs.RunSpec` whose scenario is named for the arm) week
    by week and read every figure off the simulated people. ``spec.point`` names the parameter set;
    with ``detail`` in ``spec.collect``, also the survival fits and the data behind the figures."""
    from sim.model import RecoveryModel
    from sim.reporting import WEEKLY, meeting_sizes
    from sim.summary import relapse_times, summarize

    m = RecoveryModel(spec.scenario, n_users=spec.users, weeks=spec.weeks, seed=spec.seed)
    u, r, p = m.users, m.relatives, m.p
    size_hist = np.zeros(42, np.int64)  # people present per meeting held; last bin 41+
    hope_dis = np.full(u.n, np.nan)
    strain_help = np.full(r.n, np.nan)
    burnout_help = np.zeros(r.n, bool)
    strain_treat = np.full(r.n, np.nan)
    burnout_treat = np.zeros(r.n, bool)
    population = m.inhabitants
    groups_start = WEEKLY["groups_active"](m)
    while m.week < m.weeks:
        m.step()
        w = m.week - 1
        size_hist += np.bincount(np.minimum(meeting_sizes(m), 41), minlength=42)[:42]
        dis = np.flatnonzero(u.first_discharge == w)
        if len(dis):
            hope_dis[dis] = u.hope[dis]
        helped = np.flatnonzero(r.first_help_week == w)
        if len(helped):
            strain_help[helped] = r.strain[helped]
            burnout_help[helped] = r.burnout[helped]
        treated = np.flatnonzero(r.treatment_week == w)
        if len(treated):
            strain_treat[treated] = r.strain[treated]
            burnout_treat[treated] = r.burnout[treated]
    weekly = m.recorder.frame(m.week)
    s = summarize(m)
    fig: dict[str, Any] = dict(s)
    held_total = size_hist.sum()
    sizes = np.arange(42)
    fig["share_meetings_2_20"] = (
        float(size_hist[2:21].sum() / held_total) if held_total else float("nan")
    )
    fig["share_meetings_4_8"] = (
        float(size_hist[4:9].sum() / held_total) if held_total else float("nan")
    )
    fig["mean_meeting_size_pooled"] = (
        float((size_hist * sizes).sum() / held_total) if held_total else float("nan")
    )
    group_weeks = weekly["groups_active"].sum()  # counts: sums exact
    no_meeting = group_weeks - weekly["meetings_held"].sum()
    fig["share_group_weeks_no_meeting"] = (
        float(no_meeting / group_weeks) if group_weeks else float("nan")
    )
    g = m.group_table
    n = g.size
    founded, ended, active = g.founded[:n], g.ended[:n], g.active[:n]
    initial = founded < 0
    fig["groups_start_surviving_share"] = (
        float(active[initial].mean()) if initial.any() else float("nan")
    )
    eligible = (
        (founded >= 0) & (founded <= m.week - 52) & (g.gtype[:n] != RELATIVES_COURSE)
    )  # courses end by design
    lasted = np.where(ended >= 0, ended - founded, m.week - founded) >= 52
    fig["groups_new_lasting_52w_share"] = (
        float(lasted[eligible].mean()) if eligible.any() else float("nan")
    )
    fig["groups_new_founded"] = float(((founded >= 0) & (g.gtype[:n] != RELATIVES_COURSE)).sum())
    fig["groups_per_100k_start"] = groups_start / population * 1e5
    fig["groups_per_100k_mean"] = s["groups_active"] / population * 1e5
    fig["soc13_relatives_minus_users_start"] = (
        s["soc13_relatives_start_mean"] - s["soc13_users_start_mean"]
    )
    sought = r.first_help_week >= 0
    fig["relatives_sought_help_share"] = float(sought.mean())
    # years with the problem at the user's entry + years from the entry to the first help
    in_model = (r.first_help_week - u.arrival_week[r.user]) / 52.0
    fig["relatives_years_to_first_help"] = (
        float((r.years_with_problem + in_model)[sought].mean()) if sought.any() else float("nan")
    )
    fig["relatives_first_help_gp_share"] = (
        float((r.first_help_route[sought] == GP_ROUTE).mean()) if sought.any() else float("nan")
    )
    exhausted = (strain_help >= p.burnout_threshold) | burnout_help
    fig["relatives_exhausted_at_first_help_share"] = (
        float(exhausted[sought].mean()) if sought.any() else float("nan")
    )
    in_treatment = r.treatment_week >= 0
    fig["relatives_in_treatment_share"] = float(in_treatment.mean())
    exhausted_t = (strain_treat >= p.burnout_threshold) | burnout_treat
    fig["relatives_exhausted_at_help_share"] = (
        float(exhausted_t[in_treatment].mean()) if in_treatment.any() else float("nan")
    )
    fig["relatives_burnout_at_help_share"] = (
        float(burnout_help[sought].mean()) if sought.any() else float("nan")
    )
    fig["relatives_mean_strain_weekly"] = float(weekly["relatives_mean_strain"].mean())
    fig["relatives_mean_shame_weekly"] = float(weekly["relatives_mean_shame"].mean())
    fig["relatives_in_groups_share_last_year"] = float(
        weekly["relatives_in_groups_share"].iloc[-52:].mean()
    )
    out: dict[str, Any] = {
        "key": spec.point,
        "arm": spec.scenario.name,
        "seed": spec.seed,
        "figures": fig,
    }
    if "detail" in spec.collect:
        times = relapse_times(m)
        disc = u.first_discharge >= 0
        times["hope_at_discharge"] = hope_dis[disc]
        fig.update(survival_analyses(times))
        untouched = ~r.touched
        keep = np.flatnonzero(untouched)[:3000]
        out.update(
            {
                "times": times,
                "weekly": weekly,
                "size_hist": size_hist,
                "soc_pairs": np.column_stack([r.soc13_start[keep], r.soc13[keep]]),
                "soc_users_start": m.users_soc13_start.copy(),
                "soc_relatives_start": r.soc13_start.copy(),
            }
        )
    return out


def replication_figures(results: list[dict]) -> dict[tuple[int, int], dict[str, float]]:
    """Combine the arms of each (parameter set, seed) into one flat dict of figures."""
    by: dict[tuple[int, int], dict[str, dict]] = {}
    for res in results:
        by.setdefault((res["key"], res["seed"]), {})[res["arm"]] = res["figures"]
    out = {}
    for k, arms in by.items():
        base = dict(arms[BASE_ARM])
        if any(not f for f in arms.values()):  # a failed run: no figures for this replication
            out[k] = {}
            continue
        ref = arms.get("referral")
        if ref is not None:
            b = base["continuous_abstinence_52w"]
            base["continuous_abstinence_rr_referral"] = (
                ref["continuous_abstinence_52w"] / b if b > 0 else float("nan")
            )
            base["referral_arm_referred_share"] = ref["referred_share"]
            base["referral_arm_users_in_groups_share"] = ref["users_in_groups_share"]
        everyone, nobody = arms.get("aftercare_all"), arms.get("aftercare_none")
        if everyone is not None and nobody is not None:
            p_all, p_none = everyone["relapse_within_52w"], nobody["relapse_within_52w"]
            base["aftercare_relapse_difference"] = p_none - p_all
            base["aftercare_relapse_odds_ratio"] = (
                (p_none / (1 - p_none)) / (p_all / (1 - p_all))
                if 0 < p_all < 1 and 0 < p_none < 1
                else float("nan")
            )
        rel = arms.get("relatives_offers")
        if rel is not None:
            base["relatives_offers_strain_difference"] = (
                rel["relatives_mean_strain_weekly"] - base["relatives_mean_strain_weekly"]
            )
            base["relatives_offers_shame_difference"] = (
                rel["relatives_mean_shame_weekly"] - base["relatives_mean_shame_weekly"]
            )
            base["relatives_offers_group_share_difference"] = (
                rel["relatives_in_groups_share"] - base["relatives_in_groups_share"]
            )
            base["relatives_offers_user_relapse_difference"] = (
                rel["relapse_within_52w"] - base["relapse_within_52w"]
            )
        out[k] = base
    return out
