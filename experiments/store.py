"""Where a sweep keeps its results: tidy Parquet, one file per run, each written atomically.

Layout of an output directory::

    manifest.json                       design, fingerprint, versions, git commit, sessions
    design.toml (or .yaml)              the design file as given
    points.parquet                      every design point: experiment, point, scenario, param_*
    runs/experiment=NAME/p000012-r003.parquet     one row per run (the run's identity + outcomes)
    weekly/experiment=NAME/p000012-r003.parquet   that run's weekly series
    summary.csv                         mean of each headline figure per design point

A run counts as stored when its file under ``runs/`` exists. Files are written to a hidden
temporary name (``.tmp-...``, which Parquet readers skip) and renamed into place, the weekly
file before the run file, so a killed sweep leaves either a whole run or nothing that counts.
The file name is the run's identity (design point and replication), so a run can never be
stored twice. Read everything with :func:`read_runs` / :func:`read_weekly`, or one experiment
with ``pandas.read_parquet("OUT/runs/experiment=NAME")``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError

PARAM_PREFIX = "param_"
ID_COLUMNS = ("experiment", "point", "replication", "seed", "scenario", "users", "weeks")


@lru_cache(maxsize=1)
def outcome_names() -> tuple[str, ...]:
    """Names of the figures a run's summary holds (read off a tiny run, so it follows sim.summary)."""
    from sim.runner import simulate
    from sim.scenario import load

    keys = simulate(load("status-quo"), 5, 1, 0).summary.keys()
    return tuple(k for k in keys if k not in ID_COLUMNS)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean(x: Any) -> Any:
    if isinstance(x, float) and not np.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, np.generic):
        return _clean(x.item())
    return x


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    tmp = path.parent / f".tmp-{path.name}-{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def atomic_write_parquet(path: Path, frame: pd.DataFrame) -> None:
    tmp = path.parent / f".tmp-{path.name}-{os.getpid()}"
    frame.to_parquet(tmp, index=False)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class Store:
    """The results directory of one sweep."""

    def __init__(self, out: Path):
        self.out = Path(out)

    # ------------------------------------------------------------------ housekeeping
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold an exclusive lock on the directory (released when the process ends, even if killed)."""
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # Windows: no lock
            yield
            return
        fh = open(self.out / ".lock", "w")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise InputError(f"--out {self.out}: another sweep is writing there now") from None
            yield
        finally:
            fh.close()

    def clean_tmp(self) -> int:
        """Remove temporary files left by a killed sweep; return how many."""
        n = 0
        for sub in ("runs", "weekly"):
            for tmp in (self.out / sub).glob("*/.tmp-*"):
                tmp.unlink(missing_ok=True)
                n += 1
        for tmp in self.out.glob(".tmp-*"):
            tmp.unlink(missing_ok=True)
            n += 1
        return n

    def _dir(self, kind: str, experiment: str) -> Path:
        return self.out / kind / f"experiment={experiment}"

    # ------------------------------------------------------------------ manifest
    def read_manifest(self) -> dict | None:
        path = self.out / "manifest.json"
        if not path.exists():
            return None
        return json.loads(path.read_text("utf-8"))

    def write_manifest(self, manifest: dict) -> None:
        text = json.dumps(_clean(manifest), indent=2) + "\n"
        atomic_write_bytes(self.out / "manifest.json", text.encode("utf-8"))

    def write_text(self, name: str, text: str) -> None:
        atomic_write_bytes(self.out / name, text.encode("utf-8"))

    def write_frame(self, name: str, frame: pd.DataFrame) -> None:
        if name.endswith(".csv"):
            atomic_write_bytes(self.out / name, frame.to_csv(index=False).encode("utf-8"))
        else:
            atomic_write_parquet(self.out / name, frame)

    # ------------------------------------------------------------------ runs
    def done(self, experiment: str) -> set[str]:
        """Run ids already stored for ``experiment``."""
        d = self._dir("runs", experiment)
        if not d.exists():
            return set()
        return {p.stem for p in d.glob("*.parquet") if not p.name.startswith((".", "_"))}

    def write_run(
        self, experiment: str, run_id: str, row: dict[str, Any], weekly: pd.DataFrame
    ) -> None:
        """Store one run: its weekly series, then its row (the row's file marks the run as stored)."""
        wdir, rdir = self._dir("weekly", experiment), self._dir("runs", experiment)
        wdir.mkdir(parents=True, exist_ok=True)
        rdir.mkdir(parents=True, exist_ok=True)
        atomic_write_parquet(wdir / f"{run_id}.parquet", weekly)
        atomic_write_parquet(rdir / f"{run_id}.parquet", pd.DataFrame([row]))

    def experiments(self, kind: str = "runs") -> list[str]:
        base = self.out / kind
        if not base.exists():
            return []
        return sorted(p.name.split("=", 1)[1] for p in base.glob("experiment=*") if p.is_dir())

    def _read(self, kind: str, experiment: str | None) -> pd.DataFrame:
        import pyarrow.dataset as ds

        names = [experiment] if experiment else self.experiments(kind)
        frames = []
        for name in names:
            d = self._dir(kind, name)
            if not d.exists() or not any(d.glob("*.parquet")):
                continue
            table = ds.dataset(str(d), format="parquet").to_table()
            frame = table.to_pandas()
            frame.insert(0, "experiment", name)
            frames.append(frame)
        if not frames:
            return pd.DataFrame(columns=list(ID_COLUMNS))
        out = pd.concat(frames, ignore_index=True)
        keys = ["experiment", "point", "replication"] + (["week"] if kind == "weekly" else [])
        return out.sort_values(keys, kind="stable").reset_index(drop=True)

    def read_runs(self, experiment: str | None = None) -> pd.DataFrame:
        """One row per stored run (all experiments, or one), sorted by experiment, point, replication."""
        return self._read("runs", experiment)

    def read_weekly(self, experiment: str | None = None) -> pd.DataFrame:
        """The weekly series of every stored run, sorted by experiment, point, replication, week."""
        return self._read("weekly", experiment)


def read_runs(out: str | Path, experiment: str | None = None) -> pd.DataFrame:
    """Read the run table of a sweep's output directory."""
    return Store(Path(out)).read_runs(experiment)


def read_weekly(out: str | Path, experiment: str | None = None) -> pd.DataFrame:
    """Read the weekly series of a sweep's output directory."""
    return Store(Path(out)).read_weekly(experiment)
