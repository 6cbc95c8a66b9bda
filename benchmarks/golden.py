"""Golden-output check: optimisations of the hot path must not change any result.

Runs a few (scenario, seed) pairs at 2,000 users x 260 weeks and stores, for each, the full
parameter values used, the headline summary (as in ``summary.json``) and SHA-256 hashes of
the weekly table, the event log and the end-of-run people table. ``--check`` reruns the same
pairs *with the stored parameter values* (so a later change of a default value elsewhere
does not matter) and reports any difference.

    python benchmarks/golden.py --write     # snapshot the current code
    python benchmarks/golden.py --check     # compare the current code with the snapshot

If the check fails and ``git diff`` shows a rule change by someone else (not an
optimisation), regenerate the snapshot at the current code with ``--write``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.fingerprint import differences, fingerprint

GOLDEN = Path(__file__).with_name("golden.json")
RUNS = (("status-quo", 1), ("organisation", 2), ("institutional", 3), ("municipal", 4), ("none", 5))
USERS, WEEKS = 2000, 260


def snapshot(name: str, seed: int, values: dict | None = None) -> dict:
    """Run one (scenario, seed) pair at the golden size and return its fingerprint."""
    return fingerprint(name, seed, USERS, WEEKS, values)


def write() -> None:
    out = [snapshot(name, seed) for name, seed in RUNS]
    GOLDEN.write_text(json.dumps({"runs": out}, indent=1) + "\n")
    print(f"wrote {GOLDEN} ({len(out)} runs)")


def check() -> int:
    stored = json.loads(GOLDEN.read_text())["runs"]
    failures = 0
    for old in stored:
        new = snapshot(old["scenario"], old["seed"], old["parameters"])
        diffs = differences(old, new)
        status = "ok" if not diffs else "DIFFERENT: " + ", ".join(diffs[:8])
        print(f"{old['scenario']:14s} seed {old['seed']}: {status} ({new['seconds']:.2f} s)")
        failures += bool(diffs)
    print("golden check passed" if not failures else f"golden check FAILED for {failures} run(s)")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", action="store_true", help="snapshot the current code")
    g.add_argument(
        "--check", action="store_true", help="compare the current code with the snapshot"
    )
    args = ap.parse_args(argv)
    if args.write:
        write()
        return 0
    return check()


if __name__ == "__main__":
    sys.exit(main())
