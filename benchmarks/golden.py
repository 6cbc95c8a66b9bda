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
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim import scenario as scn
from sim.runner import simulate
from sim.scenario import Scenario

GOLDEN = Path(__file__).with_name("golden.json")
RUNS = (("status-quo", 1), ("organisation", 2), ("institutional", 3), ("municipal", 4), ("none", 5))
USERS, WEEKS = 2000, 260


def frame_hash(df: pd.DataFrame) -> str:
    """Hash of a table's column names, dtypes and exact values (NaN-safe, bitwise)."""
    h = hashlib.sha256()
    for col in df.columns:
        s = df[col]
        h.update(f"{col}:{s.dtype}".encode())
        if isinstance(s.dtype, pd.CategoricalDtype):
            h.update(np.asarray(s.cat.codes).tobytes())
            h.update(repr(list(s.cat.categories)).encode())
        elif s.dtype == object:
            h.update("\x00".join(map(str, s.tolist())).encode())
        else:
            h.update(np.ascontiguousarray(s.to_numpy()).tobytes())
    return h.hexdigest()


def _clean(x: float) -> float | None:
    return None if isinstance(x, float) and not math.isfinite(x) else x


def snapshot(name: str, seed: int, values: dict | None = None) -> dict:
    """Run one (scenario, seed) pair and return its fingerprint."""
    sc = scn.load(name)
    if values is not None:
        sc = Scenario(sc.name, sc.description, dict(values), list(sc.sources), sc.origin)
    t0 = time.perf_counter()
    res = simulate(sc, USERS, WEEKS, seed)
    seconds = time.perf_counter() - t0
    return {
        "scenario": name,
        "seed": seed,
        "users": USERS,
        "weeks": WEEKS,
        "parameters": dict(sc.values),
        "summary": {k: _clean(float(v)) for k, v in res.summary.items()},
        "weekly_sha256": frame_hash(res.weekly),
        "events_sha256": frame_hash(res.events()),
        "people_sha256": frame_hash(res.people()),
        "seconds": round(seconds, 3),
    }


def write() -> None:
    out = [snapshot(name, seed) for name, seed in RUNS]
    GOLDEN.write_text(json.dumps({"runs": out}, indent=1) + "\n")
    print(f"wrote {GOLDEN} ({len(out)} runs)")


def _same(a, b) -> bool:
    """Equal, or floats within 1e-12 relative: summary figures computed by numpy (np.corrcoef) may
    differ in the last digit between numpy versions; the model's own output is compared by hash."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


def check() -> int:
    stored = json.loads(GOLDEN.read_text())["runs"]
    failures = 0
    for old in stored:
        new = snapshot(old["scenario"], old["seed"], old["parameters"])
        diffs = [k for k in ("weekly_sha256", "events_sha256", "people_sha256") if new[k] != old[k]]
        diffs += [
            f"summary.{k}"
            for k in old["summary"]
            if not _same(new["summary"].get(k), old["summary"][k])
        ]
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
