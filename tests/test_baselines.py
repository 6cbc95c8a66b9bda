"""Baseline test: any change of the model's results fails here until it is refreshed on purpose.

Each of the five built-in scenarios runs at 300 users x 104 weeks with its own seed, with the
parameter values of today's code (so a changed default fails too, unlike the golden check of
optimisations in benchmarks/golden.py). The weekly table, event log and people table must
hash to the stored values, and the headline figures must match.

When a change of results is intended (a rule or a default changed), refresh and say why in
CHANGELOG.md:

    python tests/test_baselines.py --refresh
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sim.fingerprint import differences, fingerprint

BASELINES = Path(__file__).with_name("baselines.json")
RUNS = (
    ("none", 11),
    ("status-quo", 12),
    ("municipal", 13),
    ("organisation", 14),
    ("institutional", 15),
)
USERS, WEEKS = 300, 104
REFRESH = "python tests/test_baselines.py --refresh"


def _stored() -> dict[str, dict]:
    return {run["scenario"]: run for run in json.loads(BASELINES.read_text())["runs"]}


@pytest.mark.parametrize(("name", "seed"), RUNS, ids=[name for name, _ in RUNS])
def test_results_equal_the_baseline(name: str, seed: int) -> None:
    old = _stored()[name]
    assert (old["seed"], old["users"], old["weeks"]) == (seed, USERS, WEEKS)
    new = fingerprint(name, seed, USERS, WEEKS)
    changed = sorted(
        k for k in old["parameters"] if new["parameters"].get(k) != old["parameters"][k]
    )
    changed += sorted(f"{k} (new)" for k in new["parameters"] if k not in old["parameters"])
    diffs = differences(old, new)
    assert not diffs, (
        f"{name}: results differ from tests/baselines.json: {diffs[:10]}"
        + (f"; parameters changed: {changed[:10]}" if changed else "")
        + f". If intended, run `{REFRESH}` and explain the change in CHANGELOG.md."
    )


def test_every_scenario_has_a_baseline() -> None:
    from sim import scenario as scenarios

    assert set(_stored()) == set(scenarios.BUILTIN) == {name for name, _ in RUNS}


def refresh() -> None:
    runs = [fingerprint(name, seed, USERS, WEEKS) for name, seed in RUNS]
    for run in runs:
        run.pop("seconds")
    BASELINES.write_text(json.dumps({"runs": runs}, indent=1) + "\n")
    print(f"wrote {BASELINES} ({len(runs)} runs at {USERS} users x {WEEKS} weeks)")


if __name__ == "__main__":
    if sys.argv[1:] != ["--refresh"]:
        sys.exit(f"usage: {REFRESH}")
    refresh()
