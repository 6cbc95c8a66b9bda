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

# The version of the outputs' layout, and what each version added (columns of the weekly and
# people tables, event kinds, summary keys). A fingerprint stored at an earlier version is
# compared with the tables as they were then (the added columns, events and keys left out), so
# stored baselines stay valid and still check everything else exactly.
OUTPUTS = 2
ADDED: dict[int, dict[str, tuple[str, ...]]] = {
    2: {  # capacity: waiting lists for treatment and aftercare (ODD 7.2a)
        "weekly": ("users_waiting_treatment", "users_waiting_aftercare"),
        "events": ("treatment_wait", "aftercare_wait"),
        "people": ("treatment_wait_weeks", "aftercare_wait_weeks"),
        "summary": (
            "treatment_waiting_weeks_per_100py",
            "treatment_wait_weeks_mean",
            "aftercare_waiting_weeks_per_100py",
            "aftercare_wait_weeks_mean",
        ),
    },
}


def added_since(version: int, what: str) -> tuple[str, ...]:
    """The names of kind ``what`` ("weekly", "events", "people", "summary") added after ``version``."""
    return tuple(n for v in range(version + 1, OUTPUTS + 1) for n in ADDED.get(v, {}).get(what, ()))


def table_hashes(
    weekly: pd.DataFrame, events: pd.DataFrame, people: pd.DataFrame, version: int = OUTPUTS
) -> dict[str, str]:
    """The hashes of the three tables as they were at outputs ``version`` (what was added
    later left out: columns dropped; events of later kinds dropped, and their categories)."""
    later = added_since(version, "events")
    if later:
        cats = list(events["event"].cat.categories)
        kept = [c for c in cats if c not in later]
        new_code = np.array([kept.index(c) if c in kept else -1 for c in cats], np.int8)
        events = events[~events["event"].isin(later)].reset_index(drop=True)
        codes = new_code[np.asarray(events["event"].cat.codes)]
        events = events.assign(event=pd.Categorical.from_codes(codes, kept))
    return {
        "weekly_sha256": frame_hash(weekly.drop(columns=list(added_since(version, "weekly")))),
        "events_sha256": frame_hash(events),
        "people_sha256": frame_hash(people.drop(columns=list(added_since(version, "people")))),
    }


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
    if values is not None:  # stored values; parameters added since take today's values
        values = {**sc.values, **values}
        sc = Scenario(sc.name, sc.description, values, list(sc.sources), sc.origin)
    t0 = time.perf_counter()
    res = simulate(sc, users, weeks, seed)
    seconds = time.perf_counter() - t0
    weekly, events, people = res.weekly, res.events(), res.people()
    return {
        "scenario": name,
        "seed": seed,
        "users": users,
        "weeks": weeks,
        "parameters": dict(sc.values),
        "summary": {k: _clean(float(v)) for k, v in res.summary.items()},
        "outputs": OUTPUTS,
        **table_hashes(weekly, events, people),
        "earlier": {str(v): table_hashes(weekly, events, people, v) for v in range(1, OUTPUTS)},
        "seconds": round(seconds, 3),
    }


def same_figure(a, b) -> bool:
    """Equal, or floats within 1e-12 relative: summary figures computed by numpy (np.corrcoef) may
    differ in the last digit between numpy versions; the model's own output is compared by hash."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


def differences(old: dict, new: dict) -> list[str]:
    """What differs between two fingerprints: table hashes, then summary figures with values.
    A fingerprint ``old`` stored at an earlier outputs version (none given: version 1) is
    compared with ``new`` as of that version (what was added since left out)."""
    version = old.get("outputs", 1)
    hashes = new if version == new.get("outputs", 1) else new["earlier"][str(version)]
    diffs = [k for k in TABLES if hashes[k] != old[k]]
    diffs += [
        f"summary.{k}: {old['summary'][k]!r} -> {new['summary'].get(k)!r}"
        for k in old["summary"]
        if not same_figure(new["summary"].get(k), old["summary"][k])
    ]
    later = added_since(version, "summary")
    diffs += [
        f"summary.{k}: new" for k in new["summary"] if k not in old["summary"] and k not in later
    ]
    return diffs
