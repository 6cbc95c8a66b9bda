"""A full disk while `run` writes its files: one line, exit 2, and no half-written file."""

from __future__ import annotations

import errno

import pandas as pd

from sim.cli import main


def _full_disk_after(n_ok: int, monkeypatch) -> None:
    """Let ``n_ok`` Parquet writes through, then write half a file and fail as a full disk does."""
    real = pd.DataFrame.to_parquet
    calls = {"n": 0}

    def to_parquet(self, path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= n_ok:
            return real(self, path, *args, **kwargs)
        with open(path, "wb") as f:
            f.write(b"PAR1 half a file")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)


def test_full_disk_leaves_the_folder_as_it_was(tmp_path, monkeypatch, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "weekly.parquet").write_bytes(b"an earlier run's file")
    _full_disk_after(1, monkeypatch)  # weekly written, events fails half-way
    args = ["run", "--scenario", "none", "--users", "100", "--weeks", "8", "--out", str(out)]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "No space left on device" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["weekly.parquet"]  # no partial folder left
    assert (out / "weekly.parquet").read_bytes() == b"an earlier run's file"


def test_run_writes_every_file_when_the_disk_has_room(tmp_path):
    out = tmp_path / "run"
    assert (
        main(["run", "--scenario", "none", "--users", "100", "--weeks", "8", "--out", str(out)])
        == 0
    )
    names = {p.name for p in out.iterdir()}
    assert {"weekly.parquet", "events.parquet", "people.parquet", "summary.json"} <= names
    assert not [n for n in names if n.startswith(".")]
