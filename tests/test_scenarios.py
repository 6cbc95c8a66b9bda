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
