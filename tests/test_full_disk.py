"""A full disk while a command writes its files: one line, exit 2, and no half-written file.

The disk "fills" after ``n`` successful writes: the next write (a Parquet or CSV table, a
figure, a text file) puts half a file on disk and fails as a full disk does (ENOSPC). Every
count of successful writes is tried, so the disk fills at every file a command writes.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import matplotlib.figure
import pandas as pd
import pytest

from experiments.store import read_runs
from sim.cli import main

SMALL = ["--users", "40", "--weeks", "3"]
COMMANDS = {
    "run": ["run", "--scenario", "none", *SMALL],
    "compare": ["compare", "--scenarios", "none,status-quo", "--replications", "1", *SMALL],
    "report": ["report", "--replications", "1", *SMALL],
    "validate": ["validate", "--only", "T1,T13", "--replications", "1", *SMALL],
    "calibrate": [
        "calibrate",
        "--trials",
        "1",
        "--replications",
        "1",
        "--confirm-replications",
        "1",
        "--top",
        "1",
        "--no-install",
        *SMALL,
    ],
}
SWEEP = 'name = "d"\nusers = 40\nweeks = 3\n[factors]\npeer_staff = [0.0, 1.0]\n'
MORRIS = """
name = "d"
users = 40
weeks = 3
[factors]
peer_staff = { low = 0.0, high = 1.0 }
public_stigma = { low = 0.2, high = 0.6 }
[sensitivity]
trajectories = 2
levels = 2
outputs = ["mean_hope_users"]
"""


class FullDisk:
    """Counts writes; after ``room`` of them, each write leaves half a file and raises ENOSPC."""

    def __init__(self, monkeypatch):
        self.room = None  # None: the disk never fills
        self.writes = 0
        for cls, name in (
            (pd.DataFrame, "to_parquet"),
            (pd.DataFrame, "to_csv"),
            (matplotlib.figure.Figure, "savefig"),
            (Path, "write_text"),
            (Path, "write_bytes"),
        ):
            monkeypatch.setattr(cls, name, self._wrap(getattr(cls, name)))

    def _wrap(self, real):
        def write(obj, target=None, *args, **kwargs):
            table_or_figure = isinstance(obj, pd.DataFrame | matplotlib.figure.Figure)
            path = target if table_or_figure else obj
            if isinstance(path, str | Path):  # not a buffer, not to a string
                self.writes += 1
                if self.room is not None and self.writes > self.room:
                    with open(path, "wb") as f:
                        f.write(b"half a file")
                    raise OSError(errno.ENOSPC, "No space left on device", str(path))
            if target is None:
                return real(obj, *args, **kwargs)
            return real(obj, target, *args, **kwargs)

        return write


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def _args(command: str) -> list[str]:
    args = COMMANDS[command]
    return args if command == "run" else [*args, "--workers", "1"]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_full_disk_at_any_file_leaves_the_folder_as_it_was(
    command, tmp_path, monkeypatch, capsys
):
    """``run``, ``compare``, ``report``, ``validate`` and ``calibrate`` write into a hidden
    folder and move the files into place at the end: wherever the disk fills, the output folder
    keeps what it held before (an earlier result), with no hidden folder or temporary file left
    (calibrate's progress table, rewritten atomically after each batch of trials, stays whole)."""
    disk = FullDisk(monkeypatch)
    assert main([*_args(command), "--out", str(tmp_path / "roomy")]) == 0
    total = disk.writes
    assert total >= 3
    capsys.readouterr()
    for room in range(total):
        out = tmp_path / f"full-{room}"
        out.mkdir()
        (out / "summary.json").write_text('{"an": "earlier result"}')
        before = _snapshot(out)
        disk.room, disk.writes = room, 0
        code = main([*_args(command), "--out", str(out)])
        err = capsys.readouterr().err
        disk.room = None
        assert code == 2, (room, err)
        assert err.count("\n") == 1 and "No space left on device" in err, err
        assert "Traceback" not in err
        after = _snapshot(out)
        assert {k: after.get(k) for k in before} == before, f"{command}: full after {room} writes"
        new = set(after) - set(before)
        # only calibrate leaves a file of its own: its progress table, whole (rewritten atomically)
        assert new <= ({"trials.csv"} if command == "calibrate" else set()), new
        for name in new:
            assert len(pd.read_csv(out / name)) >= 1


@pytest.mark.parametrize(
    "command, design", [(["sweep"], SWEEP), (["sensitivity", "--method", "morris"], MORRIS)]
)
def test_a_full_disk_during_a_sweep_leaves_whole_files_and_the_sweep_resumes(
    command, design, tmp_path, monkeypatch, capsys
):
    """A sweep (and a sensitivity analysis, a sweep then its indices and figure) writes each
    batch, table and figure atomically: wherever the disk fills, every
    file left is whole (no temporary file), and the sweep, run again with room, completes
    with each run once."""
    (tmp_path / "design.toml").write_text(design)
    args = [*command, "--design", str(tmp_path / "design.toml"), "--workers", "1"]
    disk = FullDisk(monkeypatch)
    assert main([*args, "--out", str(tmp_path / "roomy")]) == 0
    total = disk.writes
    want = read_runs(tmp_path / "roomy")
    capsys.readouterr()
    assert total >= 2
    for room in range(total):
        out = tmp_path / f"full-{room}"
        disk.room, disk.writes = room, 0
        code = main([*args, "--out", str(out)])
        err = capsys.readouterr().err
        disk.room = None
        assert code == 2 and err.count("\n") == 1 and "No space left on device" in err, err
        left = [p for p in out.rglob("*") if p.is_file() and p.name != ".lock"]
        assert not [p for p in left if p.name.startswith(".tmp-")], left
        for p in left:  # every file left is whole
            if p.suffix == ".parquet":
                pd.read_parquet(p)
            elif p.suffix == ".json":
                json.loads(p.read_text())
            elif p.suffix == ".csv":
                pd.read_csv(p)
            elif p.suffix == ".png":
                assert p.read_bytes()[:4] == b"\x89PNG"
        assert main([*args, "--out", str(out)]) == 0  # resumed with room
        got = read_runs(out)
        assert len(got) == len(want)
        assert not got.duplicated(["experiment", "point", "replication"]).any()


def test_run_writes_every_file_when_the_disk_has_room(tmp_path):
    out = tmp_path / "run"
    assert (
        main(["run", "--scenario", "none", "--users", "100", "--weeks", "8", "--out", str(out)])
        == 0
    )
    names = {p.name for p in out.iterdir()}
    assert {"weekly.parquet", "events.parquet", "people.parquet", "summary.json"} <= names
    assert not [n for n in names if n.startswith(".")]
