"""`sensitivity`: SALib Morris screening of many levers and Sobol indices on a small design."""

from __future__ import annotations

import pandas as pd

from sim.cli import main

LEVERS = (
    "aftercare_coverage",
    "aftercare_contacts_per_week",
    "aftercare_duration_weeks",
    "aftercare_start_delay_weeks",
    "predischarge_planning",
    "open_door_weeks",
    "peer_staff",
    "selfhelp_referral_share",
    "relatives_family_week",
    "welfare_integration",
)
# A control: it only defines the good_followup_share check figure, so it cannot move relapse.
CONTROL = "good_followup_min_contacts"


def design(tmp_path, factors: str, extra: str) -> str:
    path = tmp_path / "sa.toml"
    path.write_text(
        f'name = "sa"\nusers = 200\nweeks = 104\nseed = 2\n[factors]\n{factors}\n[sensitivity]\n{extra}\n'
    )
    return str(path)


def test_morris_ranks_ten_levers_with_a_figure(tmp_path, capsys):
    """Morris on 10 levers and a control ranks them; the control has zero effect and ranks last."""
    from sim.params import BY_NAME

    lines = [
        f"{n} = {{ low = {BY_NAME[n].low:g}, high = {BY_NAME[n].high:g} }}"
        for n in LEVERS + (CONTROL,)
    ]
    path = design(
        tmp_path,
        "\n".join(lines),
        'trajectories = 2\noutputs = ["relapse_within_52w", "relatives_burnout_prevalence"]',
    )
    out = tmp_path / "out"
    assert (
        main(
            [
                "sensitivity",
                "--method",
                "morris",
                "--design",
                path,
                "--out",
                str(out),
                "--workers",
                "2",
            ]
        )
        == 0
    )
    stdout = capsys.readouterr().out
    assert "ranking for relapse_within_52w" in stdout
    table = pd.read_csv(out / "indices.csv")
    rel = table[table.output == "relapse_within_52w"].set_index("factor")
    assert len(rel) == 11 and rel["rank"].min() == 1
    assert {"mu_star", "mu_star_conf", "sigma", "mu_star_low", "mu_star_high"} <= set(rel.columns)
    assert rel.loc[CONTROL, "mu_star"] == 0 and rel.loc[CONTROL, "rank"] == rel["rank"].max()
    assert rel.loc["aftercare_coverage", "mu_star"] > 0
    assert (rel.drop(CONTROL)["mu_star"] > 0).sum() >= 5
    assert (out / "morris.png").stat().st_size > 10_000
    assert "## relapse_within_52w" in (out / "indices.md").read_text()
    assert len(pd.read_parquet(out / "runs")) == 2 * 12


def test_sobol_small_design_with_intervals(tmp_path):
    """Sobol on 3 factors (N = 8): S1 and ST with 95% intervals; a factor without effect gets exactly zero."""
    factors = (
        "aftercare_coverage = { low = 0.0, high = 1.0 }\nselfhelp_referral_share = { low = 0.0, high = 1.0 }\n"
        f"{CONTROL} = {{ low = 1, high = 13 }}"
    )
    path = design(
        tmp_path, factors, 'samples = 8\noutputs = ["relapse_within_52w", "groups_active"]'
    )
    out = tmp_path / "out"
    assert (
        main(
            [
                "sensitivity",
                "--method",
                "sobol",
                "--design",
                path,
                "--out",
                str(out),
                "--workers",
                "2",
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "indices.csv")
    assert set(table.output) == {"relapse_within_52w", "groups_active"}
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    rel = table[table.output == "relapse_within_52w"].set_index("factor")
    assert rel.loc[CONTROL, "ST"] == 0 and rel.loc[CONTROL, "S1"] == 0
    assert rel.loc["aftercare_coverage", "ST"] > 0
    assert (out / "sobol.png").stat().st_size > 10_000
    assert len(pd.read_parquet(out / "runs")) == 8 * (3 + 2)
