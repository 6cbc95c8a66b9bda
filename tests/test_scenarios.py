"""Built-in scenarios and validation of users' scenario files."""

import pytest

from sim import scenario as scn
from sim.errors import InputError
from sim.params import BY_NAME, LEVERS


def test_builtin_scenarios_load_with_sources():
    """Each built-in scenario loads, sets levers within range, and cites its sources."""
    for name in scn.BUILTIN:
        sc = scn.load(name)
        assert sc.description and sc.sources, name
        for lever in LEVERS:
            p = BY_NAME[lever]
            assert p.low <= sc.values[lever] <= p.high


def test_none_offers_no_aftercare_and_status_quo_refers_15_percent():
    """`none` is the counterfactual; status-quo refers 15% to self-help (seed 002, L73)."""
    none = scn.load("none").values
    assert none["aftercare_coverage"] == 0 and none["selfhelp_referral_share"] == 0
    assert scn.load("status-quo").values["selfhelp_referral_share"] == pytest.approx(0.15)


def test_user_file_overrides_and_inherits(tmp_path):
    """A TOML file with `base` inherits a built-in and overrides levers and parameters."""
    f = tmp_path / "mine.toml"
    f.write_text(
        'name = "mine"\nbase = "municipal"\n[levers]\naftercare_coverage = 0.9\n[parameters]\nrelapse_shape = 0.6\n'
    )
    sc = scn.load(str(f))
    assert sc.values["aftercare_coverage"] == 0.9
    assert sc.values["relapse_shape"] == 0.6
    assert sc.values["welfare_integration"] == scn.load("municipal").values["welfare_integration"]


def test_yaml_file(tmp_path):
    """YAML scenario files work like TOML."""
    f = tmp_path / "mine.yaml"
    f.write_text("name: y\nlevers:\n  peer_staff: 1.0\n")
    assert scn.load(str(f)).values["peer_staff"] == 1.0


@pytest.mark.parametrize(
    "text, words",
    [
        ("[levers]\nfoo = 1\n", ["unknown lever 'foo'", "aftercare_coverage"]),
        (
            '[levers]\naftercare_coverage = "high"\n',
            ["aftercare_coverage", "must be a number", "[0, 1]"],
        ),
        ("[levers]\naftercare_coverage = 1.5\n", ["aftercare_coverage", "out of range", "[0, 1]"]),
        (
            "[levers]\naftercare_duration_weeks = 2.5\n",
            ["aftercare_duration_weeks", "whole number"],
        ),
        ('colour = "red"\n', ["unknown key 'colour'"]),
        (
            "[parameters]\naftercare_coverage = 0.5\n",
            ["unknown parameter 'aftercare_coverage'", "[levers]"],
        ),
        ('base = "utopia"\n', ["'base' must be one of"]),
        ("[levers\naftercare_coverage = 1\n", ["malformed scenario file"]),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path, text, words):
    """Unknown keys, wrong types, out-of-range values and malformed files name the field and allowed values."""
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(InputError) as err:
        scn.load(str(f))
    msg = str(err.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg


def test_unknown_scenario_name():
    """A name that is neither built in nor a file lists the allowed names."""
    with pytest.raises(InputError, match="status-quo"):
        scn.load("utopia")


# --- lever sources and plausible ranges (issue 13, item 1) ----------------------------------

SOURCE_KINDS = ("seed ", "paper", "assumption", "definition")


def _file_table(name: str) -> dict:
    import tomllib

    return tomllib.loads(scn._builtin_text(name))


@pytest.mark.parametrize("name", scn.BUILTIN)
def test_every_lever_in_every_scenario_file_has_a_source_and_every_assumption_a_range(name):
    """Each lever a built-in file sets has a source string (a seed line, a paper, an assumption or
    a definition); every assumption has a plausible range containing the value."""
    data = _file_table(name)
    sc = scn.load(name)
    assert set(data["lever_sources"]) == set(data["levers"]), name
    for lever, value in data["levers"].items():
        source = sc.lever_sources[lever]
        assert source.startswith(SOURCE_KINDS), (name, lever, source)
        if source.startswith("assumption"):
            low, high = sc.ranges[lever]
            assert low <= value <= high, (name, lever)
            p = BY_NAME[lever]
            assert p.low <= low < high <= p.high, (name, lever)


def test_the_contradicted_values_of_issue_13_are_gone():
    """Issue 13, item 1: the values the seeds contradict are replaced by assumptions whose ranges
    come from the seed reading (docs/evidence/seed_readings_issue13.md)."""
    mun, org, ins = (scn.load(n) for n in ("municipal", "organisation", "institutional"))
    assert mun.ranges["aftercare_coverage"] == (0.3, 0.6)
    assert mun.ranges["aftercare_contacts_per_week"] == (0.3, 0.7)
    assert mun.ranges["aftercare_closure_weeks"] == (2, 8)
    assert org.ranges["selfhelp_referral_share"] == (0.15, 0.5)  # Norwegian, not the US 75%
    assert org.ranges["aftercare_duration_weeks"] == (52, 104)
    assert "L3636-3638" in ins.lever_sources["aftercare_duration_weeks"]
    assert "L3636-3638" not in org.lever_sources["aftercare_duration_weeks"].split("(")[0]
    assert ins.ranges["relatives_family_week"] == (0.2, 0.6)
    assert ins.ranges["welfare_integration"] == (0.2, 0.5)
    for sc in (mun, org, ins):
        assert sc.lever_sources["welfare_integration"].startswith("assumption")
        # a value moved for issue 13 sits at the centre of its range
    for sc, lever in [
        (mun, "aftercare_coverage"),
        (mun, "aftercare_contacts_per_week"),
        (mun, "aftercare_closure_weeks"),
        (mun, "welfare_integration"),
        (org, "selfhelp_referral_share"),
        (org, "aftercare_duration_weeks"),
        (ins, "relatives_family_week"),
        (ins, "welfare_integration"),
    ]:
        low, high = sc.ranges[lever]
        assert sc.values[lever] == pytest.approx((low + high) / 2), (sc.name, lever)


def test_ranges_are_uncertainties_a_design_accepts(tmp_path):
    """Scenario.uncertainties() is in the form of a design's [uncertainties]; a design built from
    it validates and samples inside the ranges."""
    from experiments import design

    sc = scn.load("municipal")
    unc = sc.uncertainties()
    assert unc["aftercare_coverage"] == {"low": 0.3, "high": 0.6}
    lines = [
        'scenario = "municipal"',
        "users = 50",
        "weeks = 10",
        'sampler = "lhs"',
        "samples = 4",
        "[levers]",
        "predischarge_planning = [0.1, 0.5]",
        "[uncertainties]",
    ]
    lines += [f"{k} = {{ low = {v['low']}, high = {v['high']} }}" for k, v in unc.items()]
    lines.remove("predischarge_planning = { low = 0.1, high = 0.5 }")
    f = tmp_path / "d.toml"
    f.write_text("\n".join(lines) + "\n")
    exp = design.load(str(f)).experiments[0]
    for pt in exp.points():
        for k, (low, high) in sc.ranges.items():
            if k != "predischarge_planning":
                assert low <= pt.values[k] <= high, k


def test_base_inherits_ranges_and_a_changed_value_drops_them(tmp_path):
    """A file with `base` inherits sources and ranges; a lever it sets loses the base's."""
    f = tmp_path / "mine.toml"
    f.write_text('base = "municipal"\n[levers]\naftercare_coverage = 0.9\n')
    sc = scn.load(str(f))
    base = scn.load("municipal")
    assert "aftercare_coverage" not in sc.ranges and "aftercare_coverage" not in sc.lever_sources
    assert sc.ranges["welfare_integration"] == base.ranges["welfare_integration"]
    over = base.with_overrides({"welfare_integration": 0.1})
    assert "welfare_integration" not in over.ranges
    assert over.ranges["aftercare_coverage"] == base.ranges["aftercare_coverage"]


def test_a_user_file_with_sources_and_ranges(tmp_path):
    """A user's file may give its own sources and ranges ({low, high} works as in a design)."""
    f = tmp_path / "mine.toml"
    f.write_text(
        "[levers]\naftercare_coverage = 0.8\npeer_staff = 0.5\n"
        '[lever_sources]\naftercare_coverage = "assumption: our plan"\n'
        'peer_staff = "seed 003, L474-478"\n'
        "[ranges]\naftercare_coverage = { low = 0.6, high = 0.9 }\n"
    )
    sc = scn.load(str(f))
    assert sc.ranges == {"aftercare_coverage": (0.6, 0.9)}
    assert sc.lever_sources["peer_staff"] == "seed 003, L474-478"


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "[levers]\naftercare_coverage = 0.5\n[ranges]\naftercare_coverage = [0.2, 1.5]\n",
            ["[ranges]", "aftercare_coverage", "out of range", "[0, 1]"],
        ),
        (
            "[levers]\naftercare_coverage = 0.5\n[ranges]\naftercare_coverage = [0.6, 0.9]\n",
            ["[ranges]", "aftercare_coverage", "does not contain", "0.5", "[0, 1]"],
        ),
        (
            "[levers]\naftercare_coverage = 0.5\n[ranges]\naftercare_coverage = [0.6, 0.2]\n",
            ["[ranges]", "aftercare_coverage", "empty range"],
        ),
        (
            "[levers]\naftercare_coverage = 0.5\n[ranges]\naftercare_coverage = 0.5\n",
            ["[ranges]", "aftercare_coverage", "[low, high]", "[0, 1]"],
        ),
        (
            "[ranges]\naftercare_coverage = [0.1, 0.2, 0.3]\n",
            ["[ranges]", "aftercare_coverage", "[low, high]"],
        ),
        (
            '[ranges]\naftercare_coverage = ["a", 0.5]\n',
            ["[ranges]", "aftercare_coverage", "must be a number", "[0, 1]"],
        ),
        (
            "[ranges]\naftercare_duration_weeks = [26.5, 104]\n",
            ["[ranges]", "aftercare_duration_weeks", "whole number"],
        ),
        ("[ranges]\nmagic_wand = [0, 1]\n", ["[ranges]", "unknown", "'magic_wand'"]),
        ("ranges = 3\n", ["[ranges] must be a table"]),
        (
            '[lever_sources]\naftercare_coverage = "assumption: a guess"\n',
            ["aftercare_coverage", "assumption", "needs a range", "[ranges]", "[0, 1]"],
        ),
        (
            "[lever_sources]\naftercare_coverage = 3\n",
            ["[lever_sources]", "aftercare_coverage", "non-empty string"],
        ),
        ('[lever_sources]\nmagic_wand = "seed 003"\n', ["[lever_sources]", "'magic_wand'"]),
    ],
)
def test_bad_ranges_and_sources_give_one_clear_line(tmp_path, text, words):
    """A bad range or source names the field and the allowed values in one line."""
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(InputError) as err:
        scn.load(str(f))
    msg = str(err.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, (w, msg)


def test_bad_range_from_the_cli_exits_2(tmp_path):
    """From the command line a bad range is one line on stderr and exit code 2."""
    import subprocess
    import sys

    f = tmp_path / "bad.toml"
    f.write_text(
        "[levers]\nwelfare_integration = 0.5\n[ranges]\nwelfare_integration = [0.6, 0.9]\n"
    )
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            "--scenario",
            str(f),
            "--users",
            "10",
            "--weeks",
            "2",
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "welfare_integration" in r.stderr and "[ranges]" in r.stderr


def test_docs_scenarios_md_is_generated_from_the_files():
    """docs/scenarios.md is exactly what `python -m sim scenarios --markdown` prints."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[1] / "docs" / "scenarios.md"
    assert doc.read_text("utf-8") == scn.markdown_table()
