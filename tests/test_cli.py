"""End-to-end tests of the README's commands, including bad input (one line, exit 2, no traceback)."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from sim.scenario import load


def sim(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_scenarios_lists_the_five_builtins():
    """`python -m sim scenarios` lists each built-in with a description."""
    out = sim("scenarios")
    assert out.returncode == 0
    lines = out.stdout.strip().splitlines()
    assert [ln.split()[0] for ln in lines] == [
        "none",
        "status-quo",
        "municipal",
        "organisation",
        "institutional",
    ]


def test_run_writes_every_file(tmp_path):
    """`run` writes the Parquet tables, manifest, summary and figures."""
    out = sim(
        "run",
        "--scenario",
        "municipal",
        "--users",
        "300",
        "--weeks",
        "70",
        "--seed",
        "2",
        "--out",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    for f in (
        "weekly.parquet",
        "events.parquet",
        "people.parquet",
        "manifest.json",
        "summary.json",
        "timeseries.png",
        "survival.png",
    ):
        assert (tmp_path / f).stat().st_size > 0, f
    summary = json.loads((tmp_path / "summary.json").read_text())
    for key in (
        "relapse_within_52w",
        "continuous_abstinence_52w",
        "median_weeks_to_first_relapse",
        "relatives_burnout_prevalence",
        "relatives_in_groups_share",
        "groups_active",
        "mean_group_size",
        "mean_soc13_users",
        "mean_hope_users",
    ):
        assert key in summary
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    coverage = load("municipal").values["aftercare_coverage"]
    assert manifest["seed"] == 2 and manifest["parameters"]["aftercare_coverage"] == coverage
    assert "numpy" in manifest["versions"] and manifest["git_commit"]
    weekly = pd.read_parquet(tmp_path / "weekly.parquet")
    assert len(weekly) == 70
    events = pd.read_parquet(tmp_path / "events.parquet")
    assert {
        "relapse",
        "treatment_entry",
        "group_join",
        "group_leave",
        "group_formed",
        "burnout_onset",
        "burnout_recovery",
    } <= set(events.event.astype(str))
    people = pd.read_parquet(tmp_path / "people.parquet")
    assert set(people.kind) == {"user", "relative"}


def test_same_seed_gives_byte_identical_files_and_different_seeds_differ(tmp_path):
    """Same seed twice: byte-identical weekly.parquet and summary.json; another seed differs."""
    outs = []
    for i, seed in enumerate(("5", "5", "6")):
        d = tmp_path / str(i)
        r = sim(
            "run",
            "--users",
            "250",
            "--weeks",
            "60",
            "--seed",
            seed,
            "--out",
            str(d),
            "--no-figures",
        )
        assert r.returncode == 0, r.stderr
        outs.append(((d / "weekly.parquet").read_bytes(), (d / "summary.json").read_bytes()))
    assert outs[0] == outs[1]
    assert outs[0][0] != outs[2][0] and outs[0][1] != outs[2][1]


def _one_line_error(r):
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.mark.parametrize(
    "content, expect",
    [
        ("[levers]\nmagic_wand = 1\n", "unknown lever 'magic_wand'"),
        ("[levers\n", "malformed scenario file"),
        ("[levers]\naftercare_coverage = 2\n", "out of range"),
        ("[levers]\ntreatment_places_per_1000 = 1001\n", "out of range"),
        ("[levers]\naftercare_places_per_1000 = -5\n", "out of range"),
    ],
)
def test_bad_scenario_files(tmp_path, content, expect):
    """Bad scenario files: one clear line and exit code 2."""
    f = tmp_path / "s.toml"
    f.write_text(content)
    line = _one_line_error(
        sim(
            "run",
            "--scenario",
            str(f),
            "--users",
            "10",
            "--weeks",
            "2",
            "--out",
            str(tmp_path / "o"),
        )
    )
    assert expect in line


def test_negative_users_and_unknown_scenario(tmp_path):
    """A negative --users or a scenario that does not exist: one line naming the field, exit code 2."""
    assert "--users" in _one_line_error(sim("run", "--users", "-5", "--out", str(tmp_path)))
    line = _one_line_error(sim("run", "--scenario", "utopia", "--out", str(tmp_path)))
    assert "utopia" in line and "status-quo" in line
    assert "--weeks" in _one_line_error(sim("run", "--weeks", "many", "--out", str(tmp_path)))


def test_report_compares_the_five_scenarios(tmp_path):
    """The main job (small size here) writes a report comparing the five built-in scenarios."""
    r = sim(
        "report",
        "--replications",
        "2",
        "--users",
        "200",
        "--weeks",
        "60",
        "--workers",
        "2",
        "--out",
        str(tmp_path),
    )
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "report.md").read_text()
    for name in ("none", "status-quo", "municipal", "organisation", "institutional"):
        assert name in text
    assert "Differences versus `status-quo`" in text
    assert (tmp_path / "survival.png").exists() and (tmp_path / "runs.csv").exists()


def test_params_command_prints_the_table():
    """`python -m sim params --markdown` prints the parameter table."""
    r = sim("params", "--markdown")
    assert r.returncode == 0 and "| `relapse_shape` |" in r.stdout


def test_municipality_writes_its_tables_and_figure(tmp_path):
    """`municipality`: the year table per arm, the burn-in table, the steady-state table and the
    figure, from one burn-in per seed."""
    out = sim(
        "municipality",
        "--inhabitants",
        "10000",
        "--burn-in-years",
        "2",
        "--years",
        "2",
        "--scenarios",
        "none",
        "--seeds",
        "1",
        "--out",
        str(tmp_path / "town"),
    )
    assert out.returncode == 0, out.stderr
    town = tmp_path / "town"
    for name in (
        "years.csv",
        "years.md",
        "burn_in.csv",
        "steady_state.md",
        "settled.png",
        "strata.md",
    ):
        assert (town / name).stat().st_size > 0, name
    years = pd.read_csv(town / "years.csv")
    assert sorted(years.scenario.unique()) == ["none", "status-quo"]  # the reference arm added
    assert list(years.year.unique()) == [1, 2]
    burn = pd.read_csv(town / "burn_in.csv")
    assert list(burn.year) == [1, 2, 3, 4]  # burn-in and horizon, from week 0
    manifest = json.loads((town / "manifest.json").read_text())
    assert manifest["burn_in_years"] == 2 and manifest["scenarios"] == ["status-quo", "none"]


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (("--inhabitants", "12"), "--inhabitants must be a number from 1000 to 1000000"),
        (("--inhabitants", "many"), "--inhabitants must be a number from 1000 to 1000000"),
        (("--years", "0"), "--years must be a whole number from 1 to 50"),
        (("--burn-in-years", "-1"), "--burn-in-years must be a whole number from 0 to 100"),
        (("--scenarios", "nowhere"), "scenario 'nowhere' not found"),
        (("--scenarios", ","), "--scenarios: name at least one of"),
    ],
)
def test_municipality_bad_input_is_one_line(tmp_path, args, expect):
    out = sim("municipality", *args, "--out", str(tmp_path / "t"))
    assert out.returncode == 2
    assert expect in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "t").exists() or not any((tmp_path / "t").iterdir())
