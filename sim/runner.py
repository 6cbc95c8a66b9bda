"""One run of the model as a function of (scenario, size, seed), and writing its files.

``simulate`` is what experiments call (the model does not know which executor runs it);
``write_run`` writes the files of ``python -m sim run``.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from sim.codes import COPING_NAMES, RELATION_NAMES, STATUS_NAMES
from sim.model import RecoveryModel
from sim.scenario import Scenario
from sim.soc import soc13
from sim.staging import staged
from sim.summary import relapse_times, summarize, wait_weeks


@dataclass
class RunResult:
    """What one run produced."""

    scenario: Scenario
    n_users: int
    weeks: int
    seed: int
    summary: dict[str, float]
    weekly: pd.DataFrame
    model: RecoveryModel

    def events(self) -> pd.DataFrame:
        return self.model.log.frame(self.n_users)

    def people(self) -> pd.DataFrame:
        return people_table(self.model)

    def relapse_times(self) -> pd.DataFrame:
        return relapse_times(self.model)


def simulate(
    scenario: Scenario,
    n_users: int = 2000,
    weeks: int = 260,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Build and run the model; return its summary, weekly table and the model."""
    model = RecoveryModel(scenario, n_users=n_users, weeks=weeks, seed=seed)
    model.run(progress)
    return RunResult(
        scenario, n_users, weeks, seed, summarize(model), model.recorder.frame(model.week), model
    )


def people_table(model: RecoveryModel) -> pd.DataFrame:
    """End-of-run table: one row per person (users, then relatives)."""
    u, r = model.users, model.relatives
    users = pd.DataFrame(
        {
            "person": np.arange(u.n, dtype=np.int64),
            "kind": "user",
            "status": pd.Categorical.from_codes(u.status, list(STATUS_NAMES)),
            "male": u.male,
            "age": u.age.round(1),
            "comorbid": u.comorbid,
            "housing": pd.Categorical.from_codes(u.housing, ["stable", "unstable", "aftercare"]),
            "activity": u.activity,
            "positive_attitude": u.positive_attitude,
            "first_discharge": u.first_discharge,
            "first_use": u.first_use,
            "first_relapse": u.first_relapse,
            "relapses": u.n_relapses,
            "death_week": u.death_week,
            "lapses": u.n_lapses,
            "ever_aftercare": u.ever_aftercare,
            "ever_referred": u.ever_referred,
            "aftercare_contacts_first_13w": u.ac_contacts_13,
            "treatment_wait_weeks": wait_weeks(u.tq_weeks, u.tq_since, model.week),
            "aftercare_wait_weeks": wait_weeks(u.aq_weeks, u.aq_since, model.week),
            "group": u.group,
            "ever_group": u.ever_group,
            "meetings": u.meetings,
            "service_role": u.service,
            "sponsor": u.sponsor,
            "integration": u.integration,
            "comprehensibility": u.comp,
            "manageability": u.manage,
            "meaningfulness": u.meaning,
            "soc13": soc13(u.comp, u.manage, u.meaning),
            "hope": u.hope,
            "shame": u.shame,
            "support": u.support,
            "using_ties": u.using_ties,
            "sober_ties": u.sober_ties,
        }
    )
    relatives = pd.DataFrame(
        {
            "person": np.arange(r.n, dtype=np.int64) + u.n,
            "kind": "relative",
            "user": r.user.astype(np.int64),
            "relation": pd.Categorical.from_codes(r.relation, RELATION_NAMES),
            "female": r.female,
            "strain": r.strain,
            "burnout": r.burnout,
            "coping": pd.Categorical.from_codes(r.coping, COPING_NAMES),
            "hope_user": r.hope_user,
            "hope_self": r.hope_self,
            "shame": r.shame,
            "soc13": r.soc13,
            "group": r.group,
            "ever_group": r.ever_group,
            "first_help_week": r.first_help_week,
        }
    )
    return pd.concat([users, relatives], ignore_index=True)


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in (
        "recovery-sim",
        "mesa",
        "numpy",
        "scipy",
        "pandas",
        "pyarrow",
        "networkx",
        "seaborn",
        "lifelines",
    ):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def manifest(scenario: Scenario, n_users: int, weeks: int, seed: int) -> dict:
    return {
        "scenario": scenario.name,
        "scenario_origin": scenario.origin,
        "scenario_description": scenario.description,
        "scenario_sources": scenario.sources,
        "users": n_users,
        "weeks": weeks,
        "seed": seed,
        "parameters": scenario.values,
        "versions": versions(),
        "git_commit": git_commit(),
        "command": " ".join(sys.argv),
    }


def _json(obj) -> str:
    def clean(x):
        if isinstance(x, float) and not np.isfinite(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x

    return json.dumps(clean(obj), indent=2, sort_keys=False) + "\n"


def write_run(result: RunResult, out: Path, figures: bool = True) -> None:
    """Write weekly/events/people Parquet, manifest and summary JSON, and figures to ``out``."""
    from sim.plots import survival_figure, timeseries_figure

    out.mkdir(parents=True, exist_ok=True)
    with staged(out) as stage:
        result.weekly.to_parquet(stage / "weekly.parquet", index=False)
        result.events().to_parquet(stage / "events.parquet", index=False)
        result.people().to_parquet(stage / "people.parquet", index=False)
        (stage / "manifest.json").write_text(
            _json(manifest(result.scenario, result.n_users, result.weeks, result.seed))
        )
        (stage / "summary.json").write_text(_json(result.summary))
        if figures:
            title = f"{result.scenario.name}: {result.n_users} users, seed {result.seed}"
            timeseries_figure(result.weekly, stage / "timeseries.png", title)
            times = {result.scenario.name: result.relapse_times()}
            survival_figure(times, stage / "survival.png", title)
