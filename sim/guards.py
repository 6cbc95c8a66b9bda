"""Checks of paths and sizes before anything runs; each failure is one :class:`InputError` line.

- :func:`output_dir` / :func:`output_file`: an output path that names a file, lies under a file,
  is too long or is not writable is refused before any run starts (nothing is created).
- :func:`read_text`: an input file that cannot be read is named, with the reason.
- :func:`check_users`: a cohort whose memory estimate exceeds the memory available is refused,
  with the memory it would need.
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.errors import InputError

#: Memory of one run: the interpreter, numba and the libraries (measured: about 270 MB), plus
#: about 1 KB per user at 260 weeks (measured: 291 MB at 20,000 users, 332 MB at 60,000), taken
#: twice for the tie-matrix rebuilds and the tables written at the end.
BASE_BYTES = 300 * 2**20
BYTES_PER_USER = 2048
#: Users are indexed by 32-bit integers (a relative's user, the ties of the network).
MAX_USERS = 2**31 - 1


def _limits(existing: Path) -> tuple[int, int]:
    try:
        return os.pathconf(existing, "PC_NAME_MAX"), os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):
        return 255, 4096


def _first_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        try:
            candidate.stat()
            return candidate
        except NotADirectoryError:
            continue  # a file part-way along: its parent is checked next
        except FileNotFoundError:
            continue
        except OSError:
            continue
    return Path(".")


def _check_length(path: Path, field: str) -> None:
    name_max, path_max = _limits(_first_existing(path.absolute()))
    long_part = next((part for part in path.parts if len(part.encode()) > name_max), None)
    if long_part is not None:
        raise InputError(
            f"{field}: the name '{long_part[:40]}...' is too long "
            f"({len(long_part.encode())} bytes; at most {name_max} per file or folder name)"
        )
    if len(str(path.absolute()).encode()) >= path_max:
        raise InputError(f"{field}: the path is too long (at most {path_max - 1} bytes in all)")


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def output_dir(path: str | Path, field: str = "--out") -> Path:
    """``path`` as a folder the command may create or write into; else :class:`InputError`."""
    path = Path(path)
    if not str(path):
        raise InputError(f"{field}: give a folder path")
    _check_length(path, field)
    if path.exists():
        if not path.is_dir():
            raise InputError(f"{field}: '{path}' is a file, not a folder (give a folder path)")
        if not _writable(path):
            raise InputError(f"{field}: folder '{path}' is not writable (permission denied)")
        return path
    existing = _first_existing(path)
    if not existing.is_dir():
        raise InputError(
            f"{field}: '{path}' lies under '{existing}', which is a file (give a folder path)"
        )
    if not _writable(existing):
        raise InputError(
            f"{field}: cannot create '{path}': folder '{existing}' is not writable "
            "(permission denied)"
        )
    return path


def output_file(path: str | Path, field: str) -> Path:
    """``path`` as a file the command may write (its folder is checked as :func:`output_dir`)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{field}: '{path}' is a folder, not a file (give a file path)")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(f"{field}: file '{path}' is not writable (permission denied)")
    output_dir(path.parent, field)
    _check_length(path, field)
    return path


def read_text(path: str | Path, field: str) -> str:
    """The text of an input file, or one line saying why it cannot be read."""
    path = Path(path)
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise InputError(f"{field}: file '{path}' not found") from None
    except IsADirectoryError:
        raise InputError(f"{field}: '{path}' is a folder, not a file") from None
    except PermissionError:
        raise InputError(f"{field}: cannot read '{path}' (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{field}: '{path}' is not UTF-8 text (byte {exc.start}: {exc.reason})"
        ) from None
    except OSError as exc:
        raise InputError(f"{field}: cannot read '{path}' ({exc.strerror or exc})") from None


def available_memory() -> int | None:
    """Bytes of memory available now (Linux MemAvailable, else free pages), or None if unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def memory_estimate(users: int) -> int:
    """Bytes one run of ``users`` users is estimated to need (see :data:`BYTES_PER_USER`)."""
    return BASE_BYTES + BYTES_PER_USER * users


#: The weekly record: about 40 columns of 8 bytes per week (sim/record.py), with headroom.
BYTES_PER_WEEK = 512


def check_weeks(weeks: int, field: str = "--weeks") -> int:
    """``weeks`` if the weekly record of one run fits the memory available."""
    available = available_memory()
    need = BYTES_PER_WEEK * weeks
    if available is not None and need > available - BASE_BYTES:
        most = max(0, (available - BASE_BYTES) // BYTES_PER_WEEK)
        shown = f"a {len(str(weeks))}-digit number of" if weeks >= 10**15 else f"{weeks:,}"
        raise InputError(
            f"{field} {shown}: the weekly record alone would need about {_gb(need)} of memory "
            f"and {_gb(available)} is available (at most about {most:,} weeks here)"
        )
    return weeks


def _gb(n: float) -> str:
    return f"{n / 2**30:,.1f} GB"


def check_users(users: int, field: str = "--users") -> int:
    """``users`` if one run of that size fits the 32-bit indexes and the memory available."""
    if users > MAX_USERS:
        shown = f"a {len(str(users))}-digit number" if users >= 10**15 else f"{users:,}"
        raise InputError(
            f"{field} must be at most {MAX_USERS:,} (users are indexed by 32-bit integers), "
            f"got {shown}"
        )
    available = available_memory()
    need = memory_estimate(users)
    if available is not None and need > available:
        most = max(0, (available - BASE_BYTES) // BYTES_PER_USER)
        raise InputError(
            f"{field} {users:,}: a run would need about {_gb(need)} of memory and "
            f"{_gb(available)} is available (at most about {most:,} users here)"
        )
    return users
