"""Fingerprints of a run: exact hashes of its tables and its headline figures.

Used by the baseline test (tests/test_baselines.py: any change of results fails until the
baseline is refreshed on purpose) and by the golden check of optimisations
(benchmarks/golden.py: the same runs at full size, with the stored parameter values).
"""

from __future__ import annotations

import hashlib
import math
import time

import numpy as np
import pandas as pd

from sim import scenario as scenarios
from sim.runner import simulate
from sim.scenario import Scenario

TABLES = ("weekly_sha256", "events_sha256", "people_sha256")


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


def fingerprint(name: str, seed: int, users: int, weeks: int, values: dict | None = None) -> dict:
    """Run one (scenario, seed) pair, with ``values`` replacing its parameters if given, and
    return its parameters, headline summary and table hashes."""
    sc = scenarios.load(name)
    if values is not None:
        # the stored values; a parameter added since takes the scenario's value
        sc = Scenario(sc.name, sc.description, {**sc.values, **values}, list(sc.sources), sc.origin)
    t0 = time.perf_counter()
    res = simulate(sc, users, weeks, seed)
    seconds = time.perf_counter() - t0
    return {
        "scenario": name,
        "seed": seed,
        "users": users,
        "weeks": weeks,
        "parameters": dict(sc.values),
        "summary": {k: _clean(float(v)) for k, v in res.summary.items()},
        "weekly_sha256": frame_hash(res.weekly),
        "events_sha256": frame_hash(res.events()),
        "people_sha256": frame_hash(res.people()),
        "seconds": round(seconds, 3),
    }


def same_figure(a, b) -> bool:
    """Equal, or floats within 1e-12 relative: summary figures computed by numpy (np.corrcoef) may
    differ in the last digit between numpy versions; the model's own output is compared by hash."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


def differences(old: dict, new: dict) -> list[str]:
    """What differs between two fingerprints: table hashes, then summary figures with values."""
    diffs = [k for k in TABLES if new[k] != old[k]]
    diffs += [
        f"summary.{k}: {old['summary'][k]!r} -> {new['summary'].get(k)!r}"
        for k in old["summary"]
        if not same_figure(new["summary"].get(k), old["summary"][k])
    ]
    diffs += [f"summary.{k}: new" for k in new["summary"] if k not in old["summary"]]
    return diffs
