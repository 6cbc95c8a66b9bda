"""Writing results so that a full disk (or any error) leaves no half-written file.

- :func:`staged`: a command's whole set of files is written into a hidden folder inside the
  output and moved into place only when every file is written (``run``, ``compare``,
  ``report``, ``validate``);
- :func:`atomic_write_bytes`, :func:`atomic_write_text`, :func:`atomic_write_parquet`: one file
  written to a temporary name and renamed over the old one (a sweep's batches, manifests);
- :func:`atomic_save_figure`: the same for a Matplotlib figure.

On an error the temporary file or folder is removed; what was in the output before is unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A hidden folder inside ``out`` to write into; on success each file is moved into ``out``
    (``os.replace``: a file is either the old one or the whole new one), on any error (a full
    disk) the folder is removed and nothing in ``out`` has changed."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out))
    try:
        yield stage
        for path in sorted(stage.iterdir()):
            os.replace(path, out / path.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """``write`` a temporary file beside ``path``, flush it to disk and rename it to ``path``;
    on any error remove the temporary file and re-raise."""
    path = Path(path)
    tmp = path.parent / f".tmp-{path.name}-{os.getpid()}"
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    _atomic(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the whole new one."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` as Parquet to ``path`` so that readers see the old file or the whole new one."""
    _atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def atomic_save_figure(path: Path, fig, **kwargs) -> None:
    """Save the Matplotlib figure ``fig`` as PNG to ``path``: the old file or the whole new one."""
    _atomic(path, lambda tmp: fig.savefig(tmp, format="png", **kwargs))
