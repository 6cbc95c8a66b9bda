"""The planner's page's logic without a browser, and the app command's safe defaults."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from experiments.compare import compare, t_interval
from sim.app import server
from sim.app.planner import (
    Plan,
    burnout_per_100_discharged,
    fewer_per_100,
    report_markdown,
    run_plan,
)
from sim.scenario import load

ROOT = Path(__file__).resolve().parents[1]


def test_plan_levers_and_scenario_file_round_trip(tmp_path):
    """Moving a lever back to the base's value is no change; the scenario file loads to the
    plan's parameters."""
    plan = Plan("municipal")
    plan.set_lever("peer_staff", 0.6)
    plan.set_lever("aftercare_closure_weeks", 0)
    plan.set_lever("aftercare_coverage", load("municipal").values["aftercare_coverage"])
    assert plan.levers == {"peer_staff": 0.6, "aftercare_closure_weeks": 0}
    path = tmp_path / "plan.toml"
    path.write_text(plan.scenario_toml(), encoding="utf-8")
    assert load(str(path)).values == plan.scenario().values
    with pytest.raises(ValueError, match="users must be"):
        Plan(users=20_000).check()
    with pytest.raises(ValueError, match="weeks must be"):
        Plan(weeks=30).check()


def test_planner_figures_are_those_of_compare(tmp_path):
    """The page's three figures are compare's paired differences (and, for relatives per 100
    discharged, its runs with the same t interval), for the same inputs."""
    plan = Plan("institutional", {"peer_staff": 1.0}, users=300, weeks=70, replications=3, seed=5)
    result = run_plan(plan, tmp_path / "page")
    runs, _, diff = compare(
        [load("status-quo"), plan.scenario()], "status-quo", 3, 300, 70, 5, tmp_path / "cli"
    )
    assert result.runs.equals(runs) and result.diff.equals(diff)
    row = diff[(diff.scenario == "plan") & (diff.metric == "relapse_within_52w")].iloc[0]
    fig = result.relapses
    assert fig.fewer == -100 * row["difference"]
    assert (fig.low, fig.high) == (-100 * row["high"], -100 * row["low"])
    assert result.burnout_per_relatives == fewer_per_100(diff, "relatives_burnout_prevalence")
    # relatives in burnout per 100 discharged, by hand from the runs
    k = 100 * runs.relatives_per_user * runs.relatives_burnout_prevalence
    d = k[runs.scenario == "plan"].to_numpy() - k[runs.scenario == "status-quo"].to_numpy()
    mean, low, high = t_interval(d)
    assert result.burnout_per_discharged == burnout_per_100_discharged(runs)
    assert result.burnout_per_discharged.fewer == pytest.approx(-mean)
    assert (result.burnout_per_discharged.low, result.burnout_per_discharged.high) == (
        pytest.approx(-high),
        pytest.approx(-low),
    )
    for lang in ("nb", "en"):
        report = report_markdown(result, lang)
        assert plan.command() in report and "| scenario |" in report
    assert "ikke med i modellen" in report_markdown(result, "nb")


def test_app_command_line_flags_and_caps():
    """--lang and --planner are accepted; sizes above the caps are refused in one line."""
    from sim.cli import build_parser

    args = build_parser().parse_args(["app"])
    assert args.lang == "nb" and not args.planner and args.host == "127.0.0.1"
    args = build_parser().parse_args(["app", "--lang", "en", "--planner"])
    assert args.lang == "en" and args.planner
    for argv in (["--users", "5000"], ["--weeks", "9999"], ["--lang", "de"]):
        proc = subprocess.run(
            [sys.executable, "-m", "sim", "app", *argv],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert proc.returncode == 2, proc
        assert "Traceback" not in proc.stderr
        assert argv[0] in proc.stderr


def test_other_hosts_are_warned_about():
    assert server.exposure_warning("127.0.0.1") is None
    assert server.exposure_warning("localhost") is None
    warning = server.exposure_warning("0.0.0.0")
    assert "warning" in warning and "0.0.0.0" in warning
