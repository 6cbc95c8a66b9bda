"""Calibration (issue 4): the targets file, bad input, and that calibration recovers a mis-set parameter."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from experiments.calibration import (
    MEASURES,
    calibrate,
    load_targets,
    registry_values,
    run_arm,
    select_parameters,
    select_targets,
)
from experiments.runs import RunSpec
from sim.cli import main
from sim.errors import InputError
from sim.params import BY_NAME, calibration
from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
TARGET_IDS = [f"T{i}" for i in range(1, 18)]

# the small problem: one parameter, one target, a small cohort over 70 weeks
TRUE_SCALE = 52.0  # the registry default
MISSET_SCALE = 190.0
SMALL = {"users": 300, "weeks": 70, "replications": 2, "seed": 3}


def _write_t1_targets(path: Path, centre: float, half: float) -> Path:
    path.write_text(f"""
scenario = "status-quo"
[[parameters]]
name = "relapse_scale_weeks"
informs = ["T1"]
why = "test"
[[targets]]
id = "T1"
what = "relapse within 52 weeks"
source = "test"
use = "calibrate"
  [[targets.measures]]
  key = "relapse_within_52w"
  low = {centre - half}
  high = {centre + half}
  calibrate = true
""")
    return path


def _t1_at(scale: float, seeds) -> float:
    values = registry_values() | {"relapse_scale_weeks": scale}
    return float(
        np.mean(
            [
                run_arm(
                    RunSpec(
                        Scenario("status-quo", "", dict(values), []),
                        SMALL["users"],
                        SMALL["weeks"],
                        s,
                        collect=("figures",),
                    )
                )["figures"]["relapse_within_52w"]
                for s in seeds
            ]
        )
    )


def moved_back(start: float, fitted: float, truth: float) -> bool:
    """The fitted value is at least halfway back from the mis-set start towards the truth."""
    return abs(fitted - truth) < 0.5 * abs(start - truth)


@pytest.fixture(scope="module")
def small_problem(tmp_path_factory):
    """A target made from the model at the true value; the fit starts from a mis-set value."""
    tmp = tmp_path_factory.mktemp("cal")
    seeds = [SMALL["seed"], SMALL["seed"] + 1]
    truth = _t1_at(TRUE_SCALE, seeds)
    misset = _t1_at(MISSET_SCALE, seeds)
    assert misset < truth - 0.08, "the mis-set value must move the target figure clearly"
    ts = load_targets(_write_t1_targets(tmp / "t1.toml", truth, 0.03))
    base = registry_values()
    return tmp, ts, base, truth


def _run(small_problem, trials: int):
    tmp, ts, base, _truth = small_problem
    return calibrate(
        ts,
        tmp / f"out{trials}",
        trials=trials,
        users=SMALL["users"],
        weeks=SMALL["weeks"],
        replications=SMALL["replications"],
        seed=SMALL["seed"],
        workers=1,
        batch=2,
        top=2,
        confirm_replications=1,
        start={"relapse_scale_weeks": MISSET_SCALE},
        base=base,
        install=False,
        command="test",
        log=lambda s: None,
    )


def test_calibration_moves_misset_parameter_back_towards_its_target(small_problem):
    """Starting from relapse_scale_weeks = 190 (registry 52), 16 trials bring it at least halfway back,
    the fitted run lands in the target band, and the distance falls."""
    res = _run(small_problem, trials=16)
    fitted = res.fitted["relapse_scale_weeks"]
    assert res.start["relapse_scale_weeks"] == MISSET_SCALE
    assert moved_back(MISSET_SCALE, fitted, TRUE_SCALE), fitted
    assert res.distance < res.start_distance
    row = res.per_measure.iloc[0]
    assert row["inside_band"], row
    assert (res.out / "calibrated.toml").is_file() and (res.out / "trials.csv").is_file()
    written = tomllib.loads((res.out / "calibrated.toml").read_text())
    assert written["parameters"]["relapse_scale_weeks"] == fitted
    for key in ("method", "targets", "date", "command", "git_commit", "seed", "budget"):
        assert key in written["provenance"], key


def test_the_moved_back_check_fails_when_calibration_does_nothing(small_problem):
    """The check above can fail: with a single trial (only the mis-set start) nothing moves."""
    res = _run(small_problem, trials=1)
    assert res.fitted["relapse_scale_weeks"] == MISSET_SCALE
    assert not moved_back(MISSET_SCALE, res.fitted["relapse_scale_weeks"], TRUE_SCALE)


def test_targets_file_has_every_target_with_source_band_and_reason():
    ts = load_targets()
    assert ts.ids() == TARGET_IDS
    for t in ts.targets:
        assert t.source and t.figure and t.what, t.id
        for m in t.measures:
            assert m.key in MEASURES
            assert m.why, (t.id, m.key)
            assert m.report_only or m.low is not None or m.high is not None
    calibrated = {t.id for t, _ in ts.calibration_measures()}
    assert {"T1", "T2", "T3", "T6", "T8"} <= calibrated


def test_free_parameters_are_flagged_candidates_with_reasons():
    ts = load_targets()
    assert 1 <= len(ts.parameters) <= 10
    for fp in ts.parameters:
        p = BY_NAME[fp.name]
        assert p.calibrated, f"{fp.name} is fitted but not flagged calibrated=True in sim/params/"
        assert p.kind != "lever"
        assert fp.why and fp.informs
        assert (fp.low, fp.high) == (p.low, p.high)


def test_calibrated_file_is_within_priors_and_has_provenance():
    cal = calibration()
    fitted = cal["parameters"]
    assert fitted, "sim/calibrated.toml has no fitted parameters"
    free = {fp.name for fp in load_targets().parameters}
    assert set(fitted) <= free
    for name, value in fitted.items():
        p = BY_NAME[name]
        assert p.low <= value <= p.high
    for key in ("method", "targets", "date", "command", "git_commit", "seed", "budget"):
        assert cal["provenance"].get(key), key


def test_bad_input_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_targets(tmp_path / "missing.toml")
    with pytest.raises(InputError, match="unknown target"):
        select_targets(load_targets(), ["T99"])
    with pytest.raises(InputError, match="unknown parameter"):
        select_parameters(load_targets(), ["no_such_parameter"])
    with pytest.raises(InputError, match="lever"):
        select_parameters(load_targets(), ["aftercare_coverage"])
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[parameters]]\nname = "nope"\n[[targets]]\nid = "T1"\n[[targets.measures]]\nkey = "relapse_within_52w"\nlow = 0.4\n'
    )
    with pytest.raises(InputError, match="unknown parameter"):
        load_targets(bad)
    bad.write_text(
        '[[targets]]\nid = "T1"\n[[targets.measures]]\nkey = "no_such_measure"\nlow = 0.4\n'
    )
    with pytest.raises(InputError, match="unknown measure"):
        load_targets(bad)


@pytest.mark.parametrize(
    "argv",
    [
        ["calibrate", "--targets", "/no/such/targets.toml"],
        ["calibrate", "--only", "T99"],
        ["calibrate", "--params", "no_such_parameter"],
        ["validate", "--only", "T99"],
        ["validate", "--targets", "/no/such/targets.toml"],
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(argv, tmp_path, capsys):
    assert main(argv + ["--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("recovery-sim: error:") and "\n" not in err


def test_cli_calibrate_small_run_writes_outputs(tmp_path, capsys):
    out = tmp_path / "cal"
    code = main(
        [
            "calibrate",
            "--only",
            "T1",
            "--params",
            "relapse_scale_weeks",
            "--trials",
            "2",
            "--users",
            "150",
            "--weeks",
            "70",
            "--replications",
            "1",
            "--confirm-replications",
            "0",
            "--top",
            "1",
            "--workers",
            "1",
            "--no-install",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    for name in (
        "calibrated.toml",
        "trials.csv",
        "best_trials.csv",
        "distance_per_target.csv",
        "calibration.md",
    ):
        assert (out / name).is_file(), name
    assert (
        "--no-install"
        in tomllib.loads((out / "calibrated.toml").read_text())["provenance"]["command"]
    )
