"""Where a sweep keeps its results: tidy Parquet, written atomically, gathered into batches.

Layout of an output directory::

    manifest.json                       design, fingerprint, versions, git commit, sessions
    design.toml (or .yaml)              the design file as given
    points.parquet                      every design point: experiment, point, scenario, param_*
    runs/experiment=NAME/batch-00000.parquet     up to 1,000 runs, one row each (identity + outcomes)
    weekly/experiment=NAME/batch-00000.parquet   those runs' weekly series
    runs/experiment=NAME/p000012-r003.parquet    while a sweep runs: one file per run ...
    weekly/experiment=NAME/p000012-r003.parquet  ... and its weekly series
    summary.csv                         mean of each headline figure per design point

While a sweep runs, each run is stored in its own file: written to a hidden temporary name
(``.tmp-...``, which Parquet readers skip) and renamed into place, the weekly file before the run
file, so a killed sweep leaves either a whole run or nothing that counts. A run counts as stored
when its run file exists or a batch file holds its row. When a sweep completes (and when one
resumes), :meth:`Store.consolidate` gathers the one-run files into batch files of at most
:data:`BATCH_RUNS` runs, so a finished sweep of 10,000 runs keeps 20 files per experiment, not
20,000. A batch is written before the files it replaces are removed; a run found twice is read
once. Read everything with :func:`read_runs` / :func:`read_weekly`, or one experiment with
``pandas.read_parquet("OUT/runs/experiment=NAME")``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.staging import atomic_write_bytes, atomic_write_parquet

PARAM_PREFIX = "param_"
#: Batch files (``batch-00000.parquet``) hold many runs; a finished sweep gathers its one-run
#: files into batches of at most this many runs.
BATCH = "batch-"
BATCH_RUNS = 1000
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
    def _files(self, kind: str, experiment: str, batches: bool) -> list[Path]:
        """The run files (``batches=False``) or batch files of ``kind`` for ``experiment``."""
        d = self._dir(kind, experiment)
        if not d.exists():
            return []
        files = [p for p in d.glob("*.parquet") if not p.name.startswith((".", "_"))]
        return sorted(p for p in files if p.name.startswith(BATCH) == batches)

    def _batched(self, experiment: str) -> set[str]:
        import pyarrow.parquet as pq

        ids = set()
        for f in self._files("runs", experiment, batches=True):
            t = pq.read_table(f, columns=["point", "replication"]).to_pydict()
            ids |= {f"p{p:06d}-r{r:03d}" for p, r in zip(t["point"], t["replication"])}
        return ids

    def done(self, experiment: str) -> set[str]:
        """Run ids already stored for ``experiment`` (in run files or in batch files)."""
        singles = {p.stem for p in self._files("runs", experiment, batches=False)}
        return singles | self._batched(experiment)

    def consolidate(self, experiment: str, per_file: int | None = None) -> int:
        """Gather the one-run files of ``experiment`` into batch files of at most ``per_file``
        runs (default :data:`BATCH_RUNS`), filling up the last batch first (so a resumed sweep
        keeps as few files as an uninterrupted one); returns the number of runs moved.

        Each batch is written like a run (weekly file, then run file, each atomically) before the
        one-run files it holds are removed, so a kill at any point leaves every run stored, at
        most twice; readers and the next consolidation drop the second copy.
        """
        per_file = per_file or BATCH_RUNS
        self.clean_tmp()
        batched = self._batched(experiment)
        wdir, rdir = self._dir("weekly", experiment), self._dir("runs", experiment)
        todo = []
        for f in self._files("runs", experiment, batches=False):
            if f.stem in batched:  # left by a consolidation that was killed
                f.unlink(missing_ok=True)
                (wdir / f.name).unlink(missing_ok=True)
            else:
                todo.append(f)
        if not todo:
            return 0
        import pyarrow.parquet as pq

        existing = self._files("runs", experiment, batches=True)
        index = 1 + max((int(f.stem.split("-")[1]) for f in existing), default=-1)
        head: list[pd.DataFrame] = []  # a last batch with room left is filled up and rewritten
        if existing and pq.ParquetFile(existing[-1]).metadata.num_rows < per_file:
            last = existing[-1]
            index -= 1
            head = [pd.read_parquet(last), pd.read_parquet(wdir / last.name)]
        start = 0
        while start < len(todo):
            room = per_file - (len(head[0]) if head else 0)
            chunk = todo[start : start + room]
            runs = pd.concat(head[:1] + [pd.read_parquet(f) for f in chunk], ignore_index=True)
            weekly = pd.concat(
                head[1:] + [pd.read_parquet(wdir / f.name) for f in chunk], ignore_index=True
            )
            runs = runs.drop_duplicates(["point", "replication"])  # after a killed rewrite
            weekly = weekly.drop_duplicates(["point", "replication", "week"])
            name = f"{BATCH}{index:05d}.parquet"
            atomic_write_parquet(wdir / name, weekly)
            atomic_write_parquet(rdir / name, runs)
            for f in chunk:
                f.unlink(missing_ok=True)
                (wdir / f.name).unlink(missing_ok=True)
            start += len(chunk)
            index += 1
            head = []
        return len(todo)

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
        out = out.drop_duplicates(
            keys
        )  # a run both in a batch and in its own file (see consolidate)
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
