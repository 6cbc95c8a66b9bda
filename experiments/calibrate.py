"""Calibration against the published figures of TARGETS.md (issue 4).

The targets, their bands (with the reasoning for each band) and the free parameters live in
``experiments/targets.toml``. Every figure is computed from simulated people: a run of the
model is stepped week by week and the figures are read off its users, relatives and groups
(:func:`run_arm`); nothing in the targets file is ever copied into an output.

Method: Optuna's CMA-ES sampler (``CmaEsSampler``, with margin for integer parameters), started
from the registry defaults, minimises a distance over targets (TPE is available as an option),

    distance = sum_k  w_k * ((mean_k - centre_k) / half_width_k) ** 2,

where ``mean_k`` is the mean of measure ``k`` over the replications of a trial (paired seeds,
the same seeds in every trial: common random numbers), ``centre_k`` is the target's point
value (or the middle of its band) and ``half_width_k`` half the band. A measure inside its band
contributes less than ``w_k``. Trials are asked in batches and their runs spread over a
process pool (the pool pattern of :mod:`experiments.replicate`). The best trials are then
re-run on fresh seeds and the one with the lowest distance over all its replications wins;
it is written to ``DIR/calibrated.toml`` and (unless told not to) to ``sim/calibrated.toml``
with a ``[provenance]`` table.
"""

from __future__ import annotations

import json
import math
import sys
import time
import tomllib
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.compare import t_interval
from experiments.replicate import default_workers
from sim.errors import InputError
from sim.params import BY_NAME, LEVERS, PARAMS

TARGETS_FILE = Path(__file__).resolve().with_name("targets.toml")
CALIBRATED_FILE = Path(__file__).resolve().parents[1] / "sim" / "calibrated.toml"
BASE_ARM = "status-quo"

# ----------------------------------------------------------------------------- measures
# Every measure a targets file may name. ``arms``: the runs it needs besides the base arm;
# ``analysis``: needs the per-replication survival fits (lifelines), done only in validation.
MEASURES: dict[str, dict[str, Any]] = {
    "relapse_within_52w": {"doc": "share of discharged users with a first relapse within 52 weeks of discharge"},
    "continuous_abstinence_52w": {"doc": "share of discharged users with no use at all within 52 weeks"},
    "early_share_of_first_year_relapses": {"doc": "share of first-year first relapses that fall in weeks 0-12 after discharge"},
    "hazard_ratio_early_late": {"doc": "Nelson-Aalen hazard in weeks 0-13 after discharge / hazard in weeks 26-52", "analysis": True},
    "hazard_ratio_late_year2": {"doc": "Nelson-Aalen hazard in weeks 26-52 / hazard in weeks 52-104", "analysis": True},
    "aic_exponential_minus_loglogistic": {"doc": "AIC(exponential) - AIC(log-logistic) of time to first relapse (positive: log-logistic fits better)", "analysis": True},
    "loglogistic_shape": {"doc": "shape (beta) of the log-logistic fit to time to first relapse (above 1: hazard rises then falls)", "analysis": True},
    "continuous_abstinence_rr_referral": {"doc": "continuous abstinence at 52 weeks, strong-referral arm / status-quo (paired by seed)", "arms": ("referral",)},
    "referred_share": {"doc": "share of discharged users actively referred to self-help groups"},
    "positive_attitude_share": {"doc": "share of users positive to 12-step groups"},
    "relatives_per_user": {"doc": "relatives per user"},
    "relatives_in_groups_share": {"doc": "share of relatives in a self-help group (weekly point prevalence, mean over the run)"},
    "relatives_ever_in_group_share": {"doc": "share of relatives ever in a group during the run"},
    "relatives_in_groups_share_last_year": {"doc": "share of relatives in a self-help group, weekly mean over the last 52 weeks of the run"},
    "relatives_want_group_share": {"doc": "share of relatives who want (or have) a group at the end"},
    "women_share_relatives_in_groups": {"doc": "share of women among relatives ever in a group"},
    "mean_group_size": {"doc": "people present per meeting held (2 or more present), mean over weeks"},
    "share_meetings_2_20": {"doc": "share of meetings held (2+ present) with at most 20 present"},
    "share_meetings_4_8": {"doc": "share of meetings held with 4-8 present"},
    "share_group_weeks_no_meeting": {"doc": "share of active group-weeks with fewer than 2 present (no meeting held)"},
    "groups_start_surviving_share": {"doc": "share of the groups existing at the start still active at the horizon"},
    "groups_new_lasting_52w_share": {"doc": "share of groups founded in the run (52+ weeks before the horizon) that lasted 52 weeks or more"},
    "groups_per_100k_start": {"doc": "self-help groups per 100,000 inhabitants at the start (an input)"},
    "groups_per_100k_mean": {"doc": "active self-help groups per 100,000 inhabitants, mean over the run"},
    "soc13_relatives_start_mean": {"doc": "mean SOC-13 of relatives at the start"},
    "soc13_relatives_start_sd": {"doc": "SD of SOC-13 of relatives at the start"},
    "soc13_users_start_mean": {"doc": "mean SOC-13 of users at the start"},
    "soc13_relatives_minus_users_start": {"doc": "relatives' minus users' mean SOC-13 at the start (positive: users lower)"},
    "soc13_correlation_start_end_untouched_relatives": {"doc": "correlation of SOC-13 at start and horizon, relatives never in a group, course or intervention"},
    "relatives_years_to_first_help": {"doc": "years from the start of the run to first help-seeking, relatives who sought help"},
    "relatives_exhausted_at_help_share": {"doc": "share of relatives in burnout or with strain above the burnout threshold in the week they first seek help"},
    "relatives_burnout_at_help_share": {"doc": "share of relatives in burnout in the week they first seek help"},
    "good_followup_share": {"doc": "share of discharged users with good follow-up (enough aftercare contacts in the first 13 weeks)"},
    "cox_hope_hr_per10": {"doc": "Cox hazard ratio of first relapse per 10 AHS points of hope at discharge", "analysis": True},
    "relatives_offers_strain_difference": {"doc": "relatives' mean strain (weekly mean), more relatives' offers minus status-quo (paired)", "arms": ("relatives_offers",)},
    "relatives_offers_shame_difference": {"doc": "relatives' mean shame (weekly mean), more relatives' offers minus status-quo (paired)", "arms": ("relatives_offers",)},
    "relatives_offers_group_share_difference": {"doc": "relatives in groups (weekly mean), more relatives' offers minus status-quo (paired)", "arms": ("relatives_offers",)},
    "relatives_offers_user_relapse_difference": {"doc": "users' 52-week relapse, more relatives' offers minus status-quo (paired)", "arms": ("relatives_offers",)},
}


@dataclass(frozen=True)
class Measure:
    key: str
    low: float | None
    high: float | None
    point: float | None = None
    weight: float = 1.0
    calibrate: bool = False
    unit: str = ""
    why: str = ""
    report_only: bool = False

    def centre(self) -> float:
        if self.point is not None:
            return self.point
        return 0.5 * (self.low + self.high)

    def half_width(self) -> float:
        return 0.5 * (self.high - self.low)

    def inside(self, x: float) -> bool:
        if self.report_only:
            return True
        if x is None or not math.isfinite(x):
            return False
        return (self.low is None or x >= self.low) and (self.high is None or x <= self.high)


@dataclass(frozen=True)
class Target:
    id: str
    what: str
    figure: str
    source: str
    use: str  # "calibrate" or "check"
    measures: tuple[Measure, ...]
    note: str = ""
    if_fail: str = ""


@dataclass(frozen=True)
class FreeParam:
    name: str
    low: float
    high: float
    integer: bool
    why: str
    informs: tuple[str, ...]


@dataclass
class TargetSet:
    path: Path
    targets: tuple[Target, ...]
    parameters: tuple[FreeParam, ...]
    arms: dict[str, dict[str, float]]
    scenario: str = BASE_ARM
    raw: dict = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [t.id for t in self.targets]

    def calibration_measures(self) -> list[tuple[Target, Measure]]:
        return [(t, m) for t in self.targets for m in t.measures if m.calibrate]

    def arms_needed(self, calibration_only: bool) -> list[str]:
        arms = [BASE_ARM]
        for t in self.targets:
            for m in t.measures:
                if calibration_only and not m.calibrate:
                    continue
                for a in MEASURES[m.key].get("arms", ()):
                    if a not in arms:
                        arms.append(a)
        return arms


def _num(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: must be a number, got {value!r}")
    return float(value)


def load_targets(path: str | Path | None = None) -> TargetSet:
    """Read and check a targets file (default ``experiments/targets.toml``)."""
    path = Path(path) if path is not None else TARGETS_FILE
    if not path.is_file():
        raise InputError(f"targets file '{path}' not found (default: experiments/targets.toml)")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"targets file '{path}': not valid TOML ({exc})") from None
    targets = []
    seen = set()
    for i, t in enumerate(data.get("targets", [])):
        where = f"{path.name}: targets[{i}]"
        tid = t.get("id")
        if not isinstance(tid, str) or not tid:
            raise InputError(f"{where}: every target needs an 'id' string")
        if tid in seen:
            raise InputError(f"{where}: duplicate target id '{tid}'")
        seen.add(tid)
        use = t.get("use", "check")
        if use not in ("calibrate", "check"):
            raise InputError(f"{where} ({tid}): 'use' must be 'calibrate' or 'check', got {use!r}")
        measures = []
        for j, m in enumerate(t.get("measures", [])):
            mwhere = f"{path.name}: {tid}.measures[{j}]"
            key = m.get("key")
            if key not in MEASURES:
                raise InputError(f"{mwhere}: unknown measure {key!r} (known: {', '.join(MEASURES)})")
            low, high = _num(m.get("low"), mwhere + ".low"), _num(m.get("high"), mwhere + ".high")
            report_only = bool(m.get("report_only", False))
            if low is None and high is None and not report_only:
                raise InputError(f"{mwhere}: a band needs 'low', 'high' or both (or report_only = true)")
            cal = bool(m.get("calibrate", False))
            if cal and report_only:
                raise InputError(f"{mwhere}: a report-only measure cannot be calibrated")
            if cal and (low is None or high is None):
                raise InputError(f"{mwhere}: a calibration measure needs both 'low' and 'high'")
            if cal and MEASURES[key].get("analysis"):
                raise InputError(f"{mwhere}: '{key}' needs survival fits and can only be a check")
            if low is not None and high is not None and low >= high:
                raise InputError(f"{mwhere}: 'low' must be below 'high'")
            measures.append(Measure(key, low, high, _num(m.get("point"), mwhere + ".point"),
                                    float(m.get("weight", 1.0)), cal, str(m.get("unit", "")), str(m.get("why", "")),
                                    report_only))
        if not measures:
            raise InputError(f"{where} ({tid}): a target needs at least one measure")
        targets.append(Target(tid, str(t.get("what", "")), str(t.get("figure", "")), str(t.get("source", "")),
                              use, tuple(measures), str(t.get("note", "")), str(t.get("if_fail", ""))))
    if not targets:
        raise InputError(f"targets file '{path}': no [[targets]]")
    params = []
    for i, p in enumerate(data.get("parameters", [])):
        name = p.get("name")
        if name not in BY_NAME:
            raise InputError(f"{path.name}: parameters[{i}]: unknown parameter {name!r} (see `python -m sim params`)")
        reg = BY_NAME[name]
        if reg.kind == "lever":
            raise InputError(f"{path.name}: parameters[{i}]: '{name}' is a scenario lever and is not calibrated")
        informs = tuple(p.get("informs", ()))
        for tid in informs:
            if tid not in seen:
                raise InputError(f"{path.name}: parameter '{name}' informs unknown target '{tid}'")
        params.append(FreeParam(name, reg.low, reg.high, reg.integer, str(p.get("why", "")), informs))
    arms = {}
    for arm, levers in data.get("arms", {}).items():
        vals = {}
        for key, value in levers.items():
            if key not in BY_NAME:
                raise InputError(f"{path.name}: [arms.{arm}]: unknown parameter '{key}'")
            vals[key] = BY_NAME[key].check(value, f"{path.name} [arms.{arm}]")
        arms[arm] = vals
    needed = {a for t in targets for m in t.measures for a in MEASURES[m.key].get("arms", ())}
    missing = needed - set(arms)
    if missing:
        raise InputError(f"{path.name}: measures need arms not defined under [arms]: {', '.join(sorted(missing))}")
    return TargetSet(path, tuple(targets), tuple(params), arms, str(data.get("scenario", BASE_ARM)), data)


def select_targets(ts: TargetSet, ids: Iterable[str] | None) -> TargetSet:
    """Keep only the targets ``ids`` (unknown ids raise :class:`InputError`)."""
    if not ids:
        return ts
    ids = list(ids)
    unknown = [i for i in ids if i not in ts.ids()]
    if unknown:
        raise InputError(f"unknown target id(s) {', '.join(unknown)} (known: {', '.join(ts.ids())})")
    return replace(ts, targets=tuple(t for t in ts.targets if t.id in ids))


def select_parameters(ts: TargetSet, names: Iterable[str] | None) -> TargetSet:
    """Fit only ``names`` (any non-lever parameter of the registry; unknown names raise InputError)."""
    if not names:
        return ts
    out = []
    known = {p.name: p for p in ts.parameters}
    for name in names:
        if name not in BY_NAME:
            raise InputError(f"unknown parameter '{name}' (see `python -m sim params`)")
        reg = BY_NAME[name]
        if reg.kind == "lever":
            raise InputError(f"'{name}' is a scenario lever and is not calibrated")
        out.append(known.get(name) or FreeParam(name, reg.low, reg.high, reg.integer, "chosen on the command line", ()))
    return replace(ts, parameters=tuple(out))


# ----------------------------------------------------------------------------- base values
def registry_values(scenario: str = BASE_ARM) -> dict[str, float]:
    """Registry defaults (ignoring sim/calibrated.toml) with the scenario's levers."""
    from sim import scenario as scn

    sc = scn.load(scenario)
    values = {p.name: p.default for p in PARAMS}
    values.update({k: sc.values[k] for k in LEVERS})
    return values


def current_values(scenario: str = BASE_ARM) -> dict[str, float]:
    """The model as users run it: defaults with sim/calibrated.toml and the scenario's levers."""
    from sim import scenario as scn

    return dict(scn.load(scenario).values)


# ----------------------------------------------------------------------------- one run
@dataclass(frozen=True)
class ArmTask:
    """One run: an arm of a parameter set, one seed. ``key`` identifies the parameter set."""

    key: int
    arm: str
    values: dict
    seed: int
    users: int
    weeks: int
    detail: bool = False


def _interval_hazards(duration: np.ndarray, event: np.ndarray, cuts=(0, 13, 26, 52, 104)) -> list[float]:
    """Mean hazard per week in each interval from the Nelson-Aalen cumulative hazard (lifelines)."""
    from lifelines import NelsonAalenFitter

    naf = NelsonAalenFitter().fit(duration, event)
    # Nelson-Aalen is a step function: H at t counts events up to and including t; event weeks
    # are whole numbers, so H(t - 0.5) gives the interval [a, b) of weeks.
    ch = np.where(np.asarray(cuts) > 0, naf.cumulative_hazard_at_times([max(c - 0.5, 0.0) for c in cuts]).to_numpy(), 0.0)
    return [(ch[i + 1] - ch[i]) / (cuts[i + 1] - cuts[i]) for i in range(len(cuts) - 1)]


def survival_analyses(times: pd.DataFrame) -> dict[str, float]:
    """Per-replication survival fits with lifelines: hazard by interval, AIC, Cox on hope."""
    import warnings

    from lifelines import CoxPHFitter, ExponentialFitter, LogLogisticFitter

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
        ll = LogLogisticFitter().fit(t1, e)
        ex = ExponentialFitter().fit(t1, e)
        out["aic_loglogistic"] = float(ll.AIC_)
        out["aic_exponential"] = float(ex.AIC_)
        out["aic_exponential_minus_loglogistic"] = float(ex.AIC_ - ll.AIC_)
        out["loglogistic_shape"] = float(ll.beta_)
        out["loglogistic_scale"] = float(ll.alpha_)
        df = pd.DataFrame({"duration": t1, "event": e, "hope10": times["hope_at_discharge"].to_numpy(float) / 10.0})
        df = df[np.isfinite(df["hope10"])]
        try:
            cph = CoxPHFitter().fit(df, "duration", "event")
            out["cox_hope_hr_per10"] = float(np.exp(cph.params_["hope10"]))
            out["cox_hope_p"] = float(cph.summary.loc["hope10", "p"])
        except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):  # degenerate tiny replication
            out["cox_hope_hr_per10"] = float("nan")
    return out


def run_arm(task: ArmTask) -> dict[str, Any]:
    """Run one arm week by week and read every figure off the simulated people."""
    from sim.model import RecoveryModel
    from sim.scenario import Scenario
    from sim.summary import relapse_times, summarize

    sc = Scenario(task.arm, "", dict(task.values), [])
    m = RecoveryModel(sc, n_users=task.users, weeks=task.weeks, seed=task.seed)
    u, r, p = m.users, m.relatives, m.p
    size_hist = np.zeros(42, np.int64)  # people present per meeting held; last bin 41+
    no_meeting = 0
    group_weeks = 0
    hope_dis = np.full(u.n, np.nan)
    strain_help = np.full(r.n, np.nan)
    burnout_help = np.zeros(r.n, bool)
    population = m.n_users * p.population_per_user
    g0 = m.group_table
    groups_start = int(g0.active[: g0.size].sum())
    while m.week < m.weeks:
        m.step()
        w = m.week - 1
        g = m.group_table
        n = g.size
        att = g.attendance[:n][g.active[:n]]
        group_weeks += len(att)
        held = att[att >= 2]
        no_meeting += int((att < 2).sum())
        size_hist += np.bincount(np.minimum(held, 41), minlength=42)[:42]
        dis = np.flatnonzero(u.first_discharge == w)
        if len(dis):
            hope_dis[dis] = u.hope[dis]
        helped = np.flatnonzero(r.first_help_week == w)
        if len(helped):
            strain_help[helped] = r.strain[helped]
            burnout_help[helped] = r.burnout[helped]
    s = summarize(m)
    fig: dict[str, Any] = dict(s)
    held_total = size_hist.sum()
    sizes = np.arange(42)
    fig["share_meetings_2_20"] = float(size_hist[2:21].sum() / held_total) if held_total else float("nan")
    fig["share_meetings_4_8"] = float(size_hist[4:9].sum() / held_total) if held_total else float("nan")
    fig["mean_meeting_size_pooled"] = float((size_hist * sizes).sum() / held_total) if held_total else float("nan")
    fig["share_group_weeks_no_meeting"] = float(no_meeting / group_weeks) if group_weeks else float("nan")
    g = m.group_table
    n = g.size
    founded, ended, active = g.founded[:n], g.ended[:n], g.active[:n]
    initial = founded < 0
    fig["groups_start_surviving_share"] = float(active[initial].mean()) if initial.any() else float("nan")
    eligible = (founded >= 0) & (founded <= m.week - 52) & (g.gtype[:n] != 2)  # courses end by design
    lasted = np.where(ended >= 0, ended - founded, m.week - founded) >= 52
    fig["groups_new_lasting_52w_share"] = float(lasted[eligible].mean()) if eligible.any() else float("nan")
    fig["groups_new_founded"] = float(((founded >= 0) & (g.gtype[:n] != 2)).sum())
    fig["groups_per_100k_start"] = groups_start / population * 1e5
    fig["groups_per_100k_mean"] = s["groups_active"] / population * 1e5
    fig["soc13_relatives_minus_users_start"] = s["soc13_relatives_start_mean"] - s["soc13_users_start_mean"]
    sought = r.first_help_week >= 0
    fig["relatives_sought_help_share"] = float(sought.mean())
    fig["relatives_years_to_first_help"] = float(r.first_help_week[sought].mean() / 52.0) if sought.any() else float("nan")
    exhausted = (strain_help >= p.burnout_threshold) | burnout_help
    fig["relatives_exhausted_at_help_share"] = float(exhausted[sought].mean()) if sought.any() else float("nan")
    fig["relatives_burnout_at_help_share"] = float(burnout_help[sought].mean()) if sought.any() else float("nan")
    weekly = m.recorder.frame(m.week)
    fig["relatives_mean_strain_weekly"] = float(weekly["relatives_mean_strain"].mean())
    fig["relatives_mean_shame_weekly"] = float(weekly["relatives_mean_shame"].mean())
    fig["relatives_in_groups_share_last_year"] = float(weekly["relatives_in_groups_share"].iloc[-52:].mean())
    out: dict[str, Any] = {"key": task.key, "arm": task.arm, "seed": task.seed, "figures": fig}
    if task.detail:
        times = relapse_times(m)
        disc = u.first_discharge >= 0
        times["hope_at_discharge"] = hope_dis[disc]
        fig.update(survival_analyses(times))
        untouched = ~r.touched
        keep = np.flatnonzero(untouched)[:3000]
        out.update({
            "times": times,
            "weekly": weekly,
            "size_hist": size_hist,
            "soc_pairs": np.column_stack([r.soc13_start[keep], r.soc13[keep]]),
            "soc_users_start": m.users_soc13_start.copy(),
            "soc_relatives_start": r.soc13_start.copy(),
        })
    return out


MEMORY_LIMIT_BYTES = 6 * 1024**3  # per worker: a runaway trial fails alone instead of exhausting the machine


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def _safe_run_arm(task: ArmTask) -> dict[str, Any]:
    try:
        return run_arm(task)
    except MemoryError:
        return {"key": task.key, "arm": task.arm, "seed": task.seed, "figures": {}, "error": "MemoryError"}


class Pool:
    """A process pool kept open across batches (workers <= 1 runs in this process).

    Workers run with an address-space limit; a run that exceeds it comes back with an
    ``error`` and empty figures (its trial then counts as failed).
    """

    def __init__(self, workers: int | None = None):
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self._ex = (ProcessPoolExecutor(max_workers=self.workers, initializer=_limit_memory)
                    if self.workers > 1 else None)

    def map(self, tasks: list[ArmTask]) -> list[dict]:
        if self._ex is None:
            return [run_arm(t) for t in tasks]
        # longest runs first keeps both cores busy to the end of a batch
        order = sorted(range(len(tasks)), key=lambda i: -tasks[i].users * tasks[i].weeks)
        futures = {i: self._ex.submit(_safe_run_arm, tasks[i]) for i in order}
        return [futures[i].result() for i in range(len(tasks))]

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def arm_weeks(arm: str, weeks: int, values: dict, short_comparisons: bool) -> int:
    """Comparison arms for first-year outcomes need only discharge spread + 53 weeks."""
    if short_comparisons and arm == "referral":
        return min(weeks, int(values["discharge_spread_weeks"]) + 53)
    return weeks


def make_tasks(key: int, values: dict, ts: TargetSet, arms: list[str], seeds: list[int], users: int, weeks: int,
               detail: bool = False, short_comparisons: bool = False) -> list[ArmTask]:
    tasks = []
    for seed in seeds:
        for arm in arms:
            v = dict(values)
            if arm != BASE_ARM:
                v.update(ts.arms[arm])
            tasks.append(ArmTask(key, arm, v, seed, users, arm_weeks(arm, weeks, v, short_comparisons), detail))
    return tasks


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
            base["continuous_abstinence_rr_referral"] = ref["continuous_abstinence_52w"] / b if b > 0 else float("nan")
            base["referral_arm_referred_share"] = ref["referred_share"]
            base["referral_arm_users_in_groups_share"] = ref["users_in_groups_share"]
        rel = arms.get("relatives_offers")
        if rel is not None:
            base["relatives_offers_strain_difference"] = rel["relatives_mean_strain_weekly"] - base["relatives_mean_strain_weekly"]
            base["relatives_offers_shame_difference"] = rel["relatives_mean_shame_weekly"] - base["relatives_mean_shame_weekly"]
            base["relatives_offers_group_share_difference"] = rel["relatives_in_groups_share"] - base["relatives_in_groups_share"]
            base["relatives_offers_user_relapse_difference"] = rel["relapse_within_52w"] - base["relapse_within_52w"]
        out[k] = base
    return out


def measure_distance(m: Measure, mean: float) -> float:
    if mean is None or not math.isfinite(mean):
        return 1e3
    return m.weight * ((mean - m.centre()) / m.half_width()) ** 2


def evaluate(ts: TargetSet, reps: list[dict[str, float]]) -> tuple[float, dict[str, dict[str, float]]]:
    """Distance of a parameter set from its replications' figures, and per-measure detail."""
    total = 0.0
    detail = {}
    for t, m in ts.calibration_measures():
        mean = t_interval([r.get(m.key, float("nan")) for r in reps])[0]
        d = measure_distance(m, mean)
        total += d
        detail[f"{t.id}:{m.key}"] = {"simulated": mean, "distance": d, "inside": m.inside(mean)}
    return total, detail


# ----------------------------------------------------------------------------- calibration
@dataclass
class CalibrationResult:
    fitted: dict[str, float]
    start: dict[str, float]
    distance: float
    start_distance: float
    per_measure: pd.DataFrame
    trials: pd.DataFrame
    best: pd.DataFrame
    provenance: dict[str, Any]
    out: Path


def _suggest(trial, fp: FreeParam):
    if fp.integer:
        return trial.suggest_int(fp.name, int(fp.low), int(fp.high))
    return trial.suggest_float(fp.name, fp.low, fp.high)


def _round(fp: FreeParam, x: float):
    if fp.integer:
        return int(round(x))
    value = float(f"{x:.4g}")
    return min(max(value, fp.low), fp.high)


def git_commit() -> str:
    """HEAD of the repository holding this file, marked when the model code has uncommitted changes."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, cwd=root,
                              check=False)
        commit = head.stdout.strip() or "unknown"
        # model code only: the command line, the teaching page and the calibration file itself do not count
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "sim", ":!sim/cli.py", ":!sim/app",
                                ":!sim/calibrated.toml"], capture_output=True, timeout=5, cwd=root, check=False)
        return commit + (" (model code with uncommitted changes)" if dirty.returncode == 1 else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def calibrate(ts: TargetSet, out: Path, trials: int = 160, users: int = 1000, weeks: int = 260,
              replications: int = 2, seed: int = 1, workers: int | None = None, batch: int | None = None,
              top: int = 5, confirm_replications: int = 4, start: dict[str, float] | None = None,
              base: dict[str, float] | None = None, install: bool = True, command: str | None = None,
              sampler_name: str = "cmaes", log=print) -> CalibrationResult:
    """Fit ``ts.parameters`` to the calibration measures of ``ts`` with Optuna (CMA-ES by default, or TPE).

    ``base``: values of every parameter that is not fitted (default: registry defaults with
    the status-quo levers, so a calibration never starts from a previous one). ``start``: the
    first trial (default: the free parameters' values in ``base``).
    """
    import optuna

    if not ts.parameters:
        raise InputError("no parameters to calibrate (targets file [[parameters]] or --params)")
    if not ts.calibration_measures():
        raise InputError("no calibration measures among the selected targets (measures with calibrate = true)")
    t0 = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    base = dict(base) if base is not None else registry_values(ts.scenario)
    start = {fp.name: base[fp.name] for fp in ts.parameters} | dict(start or {})
    for name, value in start.items():
        BY_NAME[name].check(value, "calibration start")
    arms = ts.arms_needed(calibration_only=True)
    seeds = [seed + i for i in range(replications)]
    confirm_seeds = [seed + 10_000 + i for i in range(confirm_replications)]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    x0 = {fp.name: start[fp.name] for fp in ts.parameters}
    if sampler_name == "cmaes":
        import warnings

        # CMA-ES from the registry defaults, step 0.15 of each prior range; with margin for integers.
        # x0 and sigma0 are deprecated from Optuna 4.9 (removed in 6: pyproject pins optuna < 6).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            sampler = optuna.samplers.CmaEsSampler(x0=x0, sigma0=0.15, seed=seed, with_margin=True)
        method = (f"Optuna {optuna.__version__} CmaEsSampler (CMA-ES with margin, seed {seed}, from the registry "
                  "defaults, step 0.15 of each prior range)")
    elif sampler_name == "tpe":
        sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True, n_startup_trials=max(8, 2 * len(ts.parameters)))
        method = f"Optuna {optuna.__version__} TPESampler (multivariate, seed {seed})"
    else:
        raise InputError(f"unknown sampler '{sampler_name}' (use cmaes or tpe)")
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.enqueue_trial(x0)
    rows = []
    reps_by_trial: dict[int, list[dict]] = {}
    with Pool(workers) as pool:
        batch = batch or max(2, pool.workers)
        done = 0
        while done < trials:
            asked = []
            for _ in range(min(batch, trials - done)):
                tr = study.ask()
                params = {fp.name: _suggest(tr, fp) for fp in ts.parameters}
                asked.append((tr, params))
            tasks = []
            for tr, params in asked:
                tasks += make_tasks(tr.number, base | params, ts, arms, seeds, users, weeks, short_comparisons=True)
            figs = replication_figures(pool.map(tasks))
            for tr, params in asked:
                reps = [figs[(tr.number, s)] for s in seeds]
                reps_by_trial[tr.number] = reps
                dist, detail = evaluate(ts, reps)
                study.tell(tr, dist)
                row = {"trial": tr.number, "distance": dist, **params}
                for k, v in detail.items():
                    row[f"sim:{k}"] = v["simulated"]
                    row[f"dist:{k}"] = v["distance"]
                rows.append(row)
            done += len(asked)
            best = min(rows, key=lambda r: r["distance"])
            last = rows[-len(asked):]
            failed = sum(1 for r in last if r["distance"] >= 1e3)
            note = f" ({failed} with failed runs)" if failed else ""
            log(f"  trials {done}/{trials}: last " + ", ".join(f"{r['distance']:.2f}" for r in last)
                + f"{note}; best {best['distance']:.3f} (trial {best['trial']}), {time.time() - t0:.0f} s")
            pd.DataFrame(rows).to_csv(out / "trials.csv", index=False)  # progress, rewritten at the end
        trials_df = pd.DataFrame(rows).sort_values("trial")
        # re-run the best trials on fresh seeds; choose on all replications (less winner's curse)
        ranked = trials_df.sort_values("distance").head(top)
        tasks = []
        for _, row in ranked.iterrows():
            params = {fp.name: (int(row[fp.name]) if fp.integer else float(row[fp.name])) for fp in ts.parameters}
            tasks += make_tasks(int(row["trial"]), base | params, ts, arms, confirm_seeds, users, weeks,
                                short_comparisons=True)
        figs = replication_figures(pool.map(tasks)) if tasks else {}
    best_rows = []
    for _, row in ranked.iterrows():
        k = int(row["trial"])
        reps = reps_by_trial[k] + [figs[(k, s)] for s in confirm_seeds]
        dist, detail = evaluate(ts, reps)
        confirm_only = evaluate(ts, [figs[(k, s)] for s in confirm_seeds])[0] if confirm_seeds else float("nan")
        best_rows.append({"trial": k, "search_distance": row["distance"], "confirm_distance": confirm_only,
                          "combined_distance": dist, **{fp.name: row[fp.name] for fp in ts.parameters},
                          **{f"sim:{kk}": v["simulated"] for kk, v in detail.items()}})
    best_df = pd.DataFrame(best_rows).sort_values("combined_distance")
    winner = best_df.iloc[0]
    fitted = {fp.name: _round(fp, winner[fp.name]) for fp in ts.parameters}
    start_key = 0  # the enqueued start is trial 0
    start_distance = float(trials_df.loc[trials_df.trial == start_key, "distance"].iloc[0])
    win_reps = reps_by_trial[int(winner["trial"])] + [figs[(int(winner["trial"]), s)] for s in confirm_seeds]
    per = []
    for t, m in ts.calibration_measures():
        vals = [r.get(m.key, float("nan")) for r in win_reps]
        mean, lo, hi = t_interval(vals)
        per.append({"target": t.id, "measure": m.key, "simulated": mean, "low": lo, "high": hi,
                    "target_low": m.low, "target_high": m.high, "centre": m.centre(), "weight": m.weight,
                    "distance": measure_distance(m, mean), "inside_band": m.inside(mean)})
    per_df = pd.DataFrame(per)
    wall = time.time() - t0
    provenance = {
        "method": f"{method} minimising a weighted squared distance over target bands (each measure's distance "
                  "((mean - centre) / half-width)^2); the best trials re-run on fresh seeds",
        "targets": [t.id for t in ts.targets if any(m.calibrate for m in t.measures)],
        "targets_file": _rel(ts.path),
        "date": date.today().isoformat(),
        "command": command or " ".join(["python -m sim"] + sys.argv[1:]),
        "git_commit": git_commit(),
        "seed": seed,
        "budget": (f"{trials} trials x {replications} replications (seeds {seeds[0]}-{seeds[-1]}) + top {len(best_df)} "
                   f"re-run x {confirm_replications} replications; {users} users, {weeks} weeks "
                   f"(referral arm {arm_weeks('referral', weeks, base, True)} weeks); {pool.workers} workers; "
                   f"{wall / 60:.1f} min wall"),
        "distance": round(float(winner["combined_distance"]), 4),
        "start_distance": round(start_distance, 4),
        "scenario": ts.scenario,
    }
    _write_outputs(out, ts, fitted, start, per_df, trials_df, best_df, provenance, install)
    return CalibrationResult(fitted, start, float(winner["combined_distance"]), start_distance, per_df, trials_df,
                             best_df, provenance, out)


def _rel(path: Path) -> str:
    """A path relative to the repository root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path(__file__).resolve().parents[1]))
    except ValueError:
        return str(path)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def calibrated_toml(fitted: dict[str, float], start: dict[str, float], ts: TargetSet, provenance: dict) -> str:
    lines = [
        "# Calibrated parameter values, layered over the defaults in sim/params.py.",
        "# Written by `python -m sim calibrate`; see docs/validation.md. Do not edit by hand:",
        "# re-run the calibration (the command is under [provenance]).",
        "",
        "[parameters]",
    ]
    why = {fp.name: fp for fp in ts.parameters}
    for name, value in fitted.items():
        fp = why[name]
        lines.append(f"{name} = {_toml_value(value)}  # prior range {fp.low:g} to {fp.high:g}; "
                     f"start {start[name]:g}; informs {', '.join(fp.informs) or '-'}")
    lines += ["", "[provenance]"]
    for k, v in provenance.items():
        lines.append(f"{k} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


def _write_outputs(out: Path, ts: TargetSet, fitted, start, per_df, trials_df, best_df, provenance, install) -> None:
    text = calibrated_toml(fitted, start, ts, provenance)
    tomllib.loads(text)  # must parse
    (out / "calibrated.toml").write_text(text)
    trials_df.to_csv(out / "trials.csv", index=False)
    best_df.to_csv(out / "best_trials.csv", index=False)
    per_df.to_csv(out / "distance_per_target.csv", index=False)
    (out / "calibration.json").write_text(json.dumps(
        {"fitted": fitted, "start": start, "provenance": provenance,
         "per_measure": json.loads(per_df.to_json(orient="records"))}, indent=2) + "\n")
    lines = ["# Calibration", "", f"Method: {provenance['method']}.", "",
             f"Budget: {provenance['budget']}.", "",
             f"Distance {provenance['start_distance']} at the start, {provenance['distance']} fitted.", "",
             "| parameter | start | fitted | prior range | informs |", "|---|---|---|---|---|"]
    for fp in ts.parameters:
        lines.append(f"| `{fp.name}` | {start[fp.name]:g} | {fitted[fp.name]:g} | {fp.low:g} to {fp.high:g} | "
                     f"{', '.join(fp.informs)} |")
    lines += ["", "| target | measure | simulated (95% interval) | band | distance |", "|---|---|---|---|---|"]
    for _, r in per_df.iterrows():
        lines.append(f"| {r.target} | {r.measure} | {r.simulated:.4g} ({r.low:.4g} to {r.high:.4g}) | "
                     f"{r.target_low:g} to {r.target_high:g} | {r.distance:.3f} |")
    (out / "calibration.md").write_text("\n".join(lines) + "\n")
    if install:
        CALIBRATED_FILE.write_text(text)
