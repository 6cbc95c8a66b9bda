"""Validation (issue 4): the quick report, the JSON entries, the survival analysis, the checked-in report."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.calibration import Measure, load_targets, select_targets, survival_analyses
from experiments.validate import validate
from sim.cli import main
from sim.params import calibration

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"id", "simulated", "low", "high", "target_low", "target_high", "pass"}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """`python -m sim validate --quick` end to end (one worker, as in CI)."""
    out = tmp_path_factory.mktemp("val") / "quick"
    assert main(["validate", "--quick", "--workers", "1", "--out", str(out)]) == 0
    return out


def test_quick_validation_writes_report_json_and_figures(quick):
    for name in (
        "validation.md",
        "validation.json",
        "measures.csv",
        "replications.csv",
        "targets.png",
        "survival.png",
    ):
        assert (quick / name).is_file(), name
    entries = json.loads((quick / "validation.json").read_text())
    ids = [e["id"] for e in entries]
    assert ids == [f"T{i}" for i in range(1, 18)]
    for e in entries:
        assert KEYS <= set(e), e["id"]
        assert isinstance(e["pass"], bool)
        assert e["pass"] == all(m["pass"] for m in e["measures"] if not m["report_only"])
    md = (quick / "validation.md").read_text()
    for i in ids:
        assert f"**{i}**" in md
    assert "Quick size" in md and "## Failing targets" in md


def test_every_figure_comes_from_the_simulation_not_the_targets(tmp_path):
    """Moving every band changes pass/fail but never a simulated figure."""
    ts = select_targets(load_targets(), ["T1", "T6", "T9"])
    shifted = replace(
        ts,
        targets=tuple(
            replace(
                t,
                measures=tuple(
                    replace(
                        m,
                        low=None if m.low is None else m.low + 0.5,
                        high=None if m.high is None else m.high + 0.5,
                        point=None,
                    )
                    for m in t.measures
                ),
            )
            for t in ts.targets
        ),
    )
    a = validate(
        ts, tmp_path / "a", replications=2, users=200, weeks=60, workers=1, log=lambda s: None
    )
    b = validate(
        shifted, tmp_path / "b", replications=2, users=200, weeks=60, workers=1, log=lambda s: None
    )
    pd.testing.assert_series_equal(a.measures["simulated"], b.measures["simulated"])
    assert not a.measures["target_low"].equals(b.measures["target_low"])


def test_survival_analyses_tell_loglogistic_from_exponential():
    """The lifelines analysis prefers the log-logistic for log-logistic times, finds a falling hazard,
    and the Cox model finds the protective covariate."""
    rng = np.random.default_rng(0)
    n = 4000
    hope = rng.normal(40, 8, n)
    # log-logistic times (shape 0.7: hazard falls), scale shortened by low hope
    u = rng.random(n)
    scale = 40.0 * np.exp(0.04 * (hope - 40))
    t = scale * (u / (1 - u)) ** (1 / 0.7)
    dur = np.minimum(np.floor(t), 260.0)
    times = pd.DataFrame({"duration": dur, "event": t < 260, "hope_at_discharge": hope})
    out = survival_analyses(times)
    assert out["aic_exponential_minus_loglogistic"] > 0
    assert out["hazard_ratio_early_late"] > 1.5
    assert out["cox_hope_hr_per10"] < 1
    # exponential times: the hazard is flat
    t = rng.exponential(60, n)
    flat = survival_analyses(
        pd.DataFrame(
            {
                "duration": np.minimum(np.floor(t), 260.0),
                "event": t < 260,
                "hope_at_discharge": hope,
            }
        )
    )
    assert 0.7 < flat["hazard_ratio_early_late"] < 1.4


def test_open_bands_and_report_only_measures():
    m = Measure("x", 1.0, None)
    assert m.inside(2.0) and not m.inside(0.5) and not m.inside(float("nan"))
    assert Measure("x", None, None, report_only=True).inside(float("nan"))


def test_checked_in_report_is_full_size_and_matches_the_calibration():
    """docs/validation.md is the full-size report of the calibration in sim/calibrated.toml."""
    doc = ROOT / "docs" / "validation.md"
    assert doc.is_file(), (
        "run: python -m sim validate --out docs/validation --doc docs/validation.md"
    )
    text = doc.read_text()
    assert "Quick size" not in text
    assert "2000 users" in text and "260 weeks" in text
    prov = calibration()["provenance"]
    assert prov["command"] in text, (
        "docs/validation.md predates the calibration in sim/calibrated.toml"
    )
    for i in range(1, 16):
        assert f"**T{i}**" in text
    for link in ("targets.png", "survival.png"):
        assert (doc.parent / "validation" / link).is_file(), link


def test_t16_figures_are_the_paired_odds_ratio_and_difference_of_the_two_arms():
    """T16 combines the arms with aftercare for all and for none of one replication: the odds
    ratio none/all of a 52-week relapse and the difference in points."""
    from experiments.calibration.measures import replication_figures

    def run(arm, p):
        return {"key": 0, "seed": 3, "arm": arm, "figures": {"relapse_within_52w": p}}

    fig = replication_figures(
        [run("status-quo", 0.5), run("aftercare_all", 0.4), run("aftercare_none", 0.55)]
    )[(0, 3)]
    assert fig["aftercare_relapse_difference"] == pytest.approx(0.15)
    assert fig["aftercare_relapse_odds_ratio"] == pytest.approx((0.55 / 0.45) / (0.4 / 0.6))
