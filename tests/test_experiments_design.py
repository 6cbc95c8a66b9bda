"""Design files: parsing, expansion into points, and one-line errors (exit 2) before any run starts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from experiments import design as dsg
from experiments.sweep import plan
from sim.cli import main
from sim.errors import InputError

GOOD = """
name = "t"
scenario = "status-quo"
users = 50
weeks = 4
replications = 2
seed = 3
[factors]
aftercare_coverage = [0.2, 0.5, 0.8]
aftercare_duration_weeks = { low = 26, high = 104, steps = 3 }
public_stigma = 0.3
"""


def write(tmp_path: Path, text: str, name: str = "d.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_grid_is_full_factorial_with_constants_and_seeds(tmp_path):
    """A grid crosses every list and stepped range; constants apply to every point; replication r uses seed+r."""
    p = plan(dsg.load(write(tmp_path, GOOD)))
    pts = p.points["t"]
    assert len(pts) == 9 and len(p.runs) == 18
    assert {pt.values["aftercare_duration_weeks"] for pt in pts} == {26, 65, 104}
    assert all(isinstance(pt.values["aftercare_duration_weeks"], int) for pt in pts)
    assert all(pt.scenario.values["public_stigma"] == 0.3 for pt in pts)
    assert all(
        pt.scenario.values["aftercare_coverage"] == pt.values["aftercare_coverage"] for pt in pts
    )
    assert sorted({r.seed for r in p.runs}) == [3, 4]
    assert len({r.run_id for r in p.runs}) == 18


def test_lhs_is_deterministic_stratified_and_crosses_scenarios(tmp_path):
    """A Latin hypercube gives one value per stratum, the same for the same seed, under every base scenario."""
    text = """
    name = "l"
    scenario = ["status-quo", "municipal"]
    sampler = "lhs"
    samples = 10
    seed = 4
    [factors]
    aftercare_coverage = { low = 0.0, high = 1.0 }
    group_capacity = { low = 8, high = 40 }
    """
    a = plan(dsg.load(write(tmp_path, text)))
    b = plan(dsg.load(write(tmp_path, text, "e.toml")))
    cov = [pt.values["aftercare_coverage"] for pt in a.points["l"]]
    assert cov == [pt.values["aftercare_coverage"] for pt in b.points["l"]]
    assert len(cov) == 20 and [pt.scenario.name for pt in a.points["l"][:2]] == [
        "status-quo",
        "municipal",
    ]
    assert sorted(int(c * 10) for c in cov[::2]) == list(range(10))
    assert all(isinstance(pt.values["group_capacity"], int) for pt in a.points["l"])
    assert a.fingerprint == b.fingerprint


def test_yaml_and_several_experiments(tmp_path):
    """YAML works like TOML; [[experiments]] inherit the top-level keys and replace the factors."""
    text = """
    users: 50
    weeks: 4
    factors:
      aftercare_coverage: [0.1, 0.9]
    experiments:
      - name: first
      - name: second
        replications: 3
        factors:
          peer_staff: [0.0, 0.5, 1.0]
    """
    d = dsg.load(write(tmp_path, text, "d.yaml"))
    p = plan(d)
    assert [e.name for e in d.experiments] == ["first", "second"]
    assert len(p.points["first"]) == 2 and len(p.points["second"]) == 3
    assert len(p.runs) == 2 + 9


BAD = [
    ("[factors]\nnot_a_lever = [0.1]\n", "unknown lever or parameter 'not_a_lever'"),
    ("[factors]\naftercare_coverage = { low = 0.8, high = 0.2 }\n", "empty range"),
    ("[factors]\naftercare_coverage = { low = 0.5, high = 0.5, steps = 2 }\n", "empty range"),
    ("[factors]\naftercare_coverage = []\n", "empty list"),
    (
        '[factors]\naftercare_coverage = { low = "a", high = 0.5, steps = 2 }\n',
        "bound 'low' must be a number",
    ),
    (
        '[factors]\naftercare_coverage = { low = 0.1, high = "x" }\n',
        "bound 'high' must be a number",
    ),
    ('[factors]\naftercare_coverage = [0.1, "high"]\n', "value must be a number"),
    ("[factors]\naftercare_coverage = { low = 0.0, high = 2.0, steps = 3 }\n", "out of range"),
    ("[factors]\naftercare_coverage = { low = 0.0, high = 1.0 }\n", "needs 'steps'"),
    ("[factors]\naftercare_duration_weeks = [26.5]\n", "whole number"),
    ("[factors]\naftercare_coverage = { low = 0.0, hi = 1.0 }\n", "unknown key 'hi'"),
    ("colour = 3\n", "unknown key 'colour'"),
    ("replications = 0\n", "'replications' must be a whole number >= 1"),
    ('sampler = "sobolx"\n', "'sampler' must be one of"),
    ('sampler = "lhs"\n[factors]\npeer_staff = { low = 0.0, high = 1.0 }\n', "needs 'samples'"),
    ('scenario = "atlantis"\n', "scenario 'atlantis' not found"),
    ('name = "a b/c"\n', "'name' must be"),
    ("users = [\n", "malformed design file"),
]


@pytest.mark.parametrize("text,message", BAD)
def test_bad_design_fails_with_one_line_and_exit_2_before_any_run(tmp_path, capsys, text, message):
    """Each bad design gives exit code 2 and one stderr line naming the problem; no output directory is made."""
    path = write(tmp_path, text)
    out = tmp_path / "out"
    code = main(["sweep", "--design", str(path), "--out", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("recovery-sim: error: ")
    assert message in err, err
    assert not out.exists()


def test_sensitivity_needs_ranges(tmp_path, capsys):
    """Morris and Sobol need at least two range factors; lists are refused with exit code 2."""
    path = write(
        tmp_path,
        "[factors]\naftercare_coverage = [0.1, 0.2]\npeer_staff = { low = 0.0, high = 1.0 }\n",
    )
    assert (
        main(
            [
                "sensitivity",
                "--method",
                "morris",
                "--design",
                str(path),
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )
    assert "needs ranges" in capsys.readouterr().err
    path = write(tmp_path, "[factors]\npeer_staff = { low = 0.0, high = 1.0 }\n", "one.toml")
    assert (
        main(
            [
                "sensitivity",
                "--method",
                "sobol",
                "--design",
                str(path),
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )
    assert "at least 2 factors" in capsys.readouterr().err
    path = write(
        tmp_path,
        "[factors]\npeer_staff = { low = 0.0, high = 1.0 }\naftercare_coverage = "
        "{ low = 0.0, high = 1.0 }\n[sensitivity]\nsamples = 12\n",
        "pow.toml",
    )
    assert (
        main(
            [
                "sensitivity",
                "--method",
                "sobol",
                "--design",
                str(path),
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )
    assert "power of 2" in capsys.readouterr().err


def test_missing_design_file_and_bad_suffix(tmp_path):
    """A missing design file or a wrong suffix is an InputError."""
    with pytest.raises(InputError, match="not found"):
        dsg.load(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="must end in"):
        dsg.load(write(tmp_path, GOOD, "d.txt"))


def test_example_designs_are_valid():
    """Every design shipped under experiments/designs/ parses and expands."""
    root = Path(__file__).resolve().parents[1] / "experiments" / "designs"
    files = sorted(root.glob("*.toml")) + sorted(root.glob("*.yaml"))
    assert len(files) >= 4
    for f in files:
        assert plan(dsg.load(f)).runs
