"""Designs with [levers] and [uncertainties] (EMA-workbench style) and their robustness table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import design as dsg
from experiments.executors import SerialExecutor
from experiments.robustness import robustness_table
from experiments.store import read_runs
from experiments.sweep import plan, point_summary, run_sweep
from sim.cli import main
from sim.errors import InputError

DESIGN = """
name = "rb"
users = 80
weeks = 66
replications = 2
seed = 5
sampler = "lhs"
samples = 3
[levers]
aftercare_coverage = [0.2, 0.8]
selfhelp_referral_share = { low = 0.1, high = 0.5, steps = 2 }
[uncertainties]
public_stigma = { low = 0.2, high = 0.8 }
relapse_scale_weeks = { low = 40, high = 70 }
self_quit_rate = 0.004
"""


def test_every_lever_bundle_meets_every_uncertainty_point_with_the_same_seeds():
    d = dsg.parse(DESIGN)
    (exp,) = d.experiments
    assert [f.name for f in exp.levers] == ["aftercare_coverage", "selfhelp_referral_share"]
    assert [f.name for f in exp.factors] == ["public_stigma", "relapse_scale_weeks"]
    p = plan(d)
    pts = pd.DataFrame([{**pt.values, "point": pt.index} for pt in p.points["rb"]])
    assert len(pts) == 4 * 3  # 2 x 2 bundles at 3 uncertainty points
    assert (pts.self_quit_rate == 0.004).all()  # a constant under [uncertainties]
    unc = pts.groupby(["aftercare_coverage", "selfhelp_referral_share"])
    same = [sorted(zip(g.public_stigma, g.relapse_scale_weeks)) for _, g in unc]
    assert all(s == same[0] for s in same) and len(same) == 4
    assert len(set(same[0])) == 3
    seeds = {(r.point, r.replication): r.seed for r in p.runs}
    assert {s for (_, rep), s in seeds.items() if rep == 0} == {5}
    assert {s for (_, rep), s in seeds.items() if rep == 1} == {6}


HEAD = 'name = "x"\nusers = 50\nweeks = 2\nsampler = "lhs"\nsamples = 2\n'
UNC = "[uncertainties]\npublic_stigma = { low = 0.2, high = 0.8 }\n"
LEV = "[levers]\naftercare_coverage = [0.2, 0.8]\n"


@pytest.mark.parametrize(
    "text, needle",
    [
        (HEAD + LEV + UNC + "[factors]\npeer_staff = [0.0, 1.0]\n", "not both"),
        (
            HEAD + "[levers]\ntreatment_weeks = [8, 12]\n" + UNC,
            "'treatment_weeks' is not a policy lever",
        ),
        (HEAD + "[levers]\npeer_staff = { low = 0.0, high = 1.0 }\n" + UNC, "need 'steps'"),
        (
            HEAD + "[levers]\npublic_stigma = [0.1, 0.9]\n" + UNC,
            "in both [levers] and [uncertainties]",
        ),
        (HEAD + UNC, "[uncertainties] needs [levers]"),
    ],
)
def test_a_confused_split_is_one_clear_error(text, needle):
    with pytest.raises(InputError) as err:
        dsg.parse(text)
    assert needle in str(err.value), str(err.value)
    assert "\n" not in str(err.value)


def test_the_robustness_table_is_each_bundles_spread_over_the_uncertainties(tmp_path):
    d = dsg.parse(DESIGN)
    run_sweep(d, tmp_path / "out", SerialExecutor(), progress=False)
    runs = read_runs(tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "robustness.csv")
    pd.testing.assert_frame_equal(
        table, robustness_table(point_summary(runs), d), check_dtype=False, rtol=1e-12
    )
    # by hand: the mean over replications at each point, then the spread over the points
    one = table[
        (table.outcome == "relapse_within_52w")
        & (table.aftercare_coverage == 0.8)
        & (table.selfhelp_referral_share == 0.5)
    ].iloc[0]
    mine = runs[
        (runs.param_aftercare_coverage == 0.8) & (runs.param_selfhelp_referral_share == 0.5)
    ]
    per_point = mine.groupby("point")["relapse_within_52w"].mean().to_numpy()
    assert len(per_point) == 3 and np.isfinite(per_point).all()
    assert one.uncertainty_points == 3
    assert one["mean"] == pytest.approx(per_point.mean(), rel=1e-12)
    assert one["min"] == pytest.approx(per_point.min(), rel=1e-12)
    assert one["p50"] == pytest.approx(np.median(per_point), rel=1e-12)
    assert one["p90"] == pytest.approx(np.percentile(per_point, 90), rel=1e-12)
    assert one["max"] == pytest.approx(per_point.max(), rel=1e-12)
    relapse = table[table.outcome == "relapse_within_52w"]
    assert len(relapse) == 4 and (relapse.uncertainty_points == 3).all()
    assert (relapse["min"] <= relapse["p10"]).all() and (relapse["p10"] <= relapse["p50"]).all()
    assert (relapse["p50"] <= relapse["p90"]).all() and (relapse["p90"] <= relapse["max"]).all()
    assert (relapse["min"] < relapse["max"]).all()  # the uncertainties move the outcome
    md = (tmp_path / "out" / "robustness.md").read_text()
    assert "## rb: relapse_within_52w" in md and "| status-quo | 0.8 | 0.5 | " in md


def test_the_sweep_command_names_the_robustness_files(tmp_path, capsys):
    (tmp_path / "d.toml").write_text(DESIGN)
    args = ["sweep", "--design", str(tmp_path / "d.toml"), "--out", str(tmp_path / "o")]
    assert main([*args, "--workers", "1"]) == 0
    assert "robustness.csv, robustness.md" in capsys.readouterr().out
    assert (tmp_path / "o" / "robustness.md").exists()


def test_a_design_without_levers_writes_no_robustness_table(tmp_path):
    text = 'name = "plain"\nusers = 40\nweeks = 3\n[factors]\npeer_staff = [0.0, 1.0]\n'
    run_sweep(dsg.parse(text), tmp_path / "o", SerialExecutor(), progress=False)
    assert not (tmp_path / "o" / "robustness.csv").exists()
