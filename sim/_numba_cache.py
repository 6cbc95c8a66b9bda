"""Where numba keeps compiled kernels: one folder per version of the sources.

numba's own cache checks only the time stamp of the file that holds a kernel. The rules live in
other files (``sim/*/rules.py``) and are inlined, so editing a rule would leave a stale kernel
in the cache. Keying the cache folder by a hash of every source file under ``sim/`` makes any
edit start from a fresh folder. It also keeps the cache out of the installed package, which may
be read-only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def sources_hash() -> str:
    """Short hash of the contents of every ``.py`` file in the package."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _base() -> Path:
    for variable in ("RECOVERY_SIM_CACHE", "NUMBA_CACHE_DIR"):
        if os.environ.get(variable):
            return Path(os.environ[variable])
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "recovery-sim" / "numba"


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


def configure() -> Path:
    """Point numba's cache at this version's folder (before any kernel is compiled)."""
    folder = _base() / sources_hash()
    if not _writable(folder):
        folder = Path(tempfile.gettempdir()) / "recovery-sim-numba" / sources_hash()
        folder.mkdir(parents=True, exist_ok=True)
    from numba.core import config

    config.CACHE_DIR = str(folder)
    return folder
