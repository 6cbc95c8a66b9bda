"""recovery-sim: agent-based simulation of recovery from addiction, next of kin and self-help groups."""

from sim._numba_cache import configure as _configure_numba_cache

__version__ = "0.1.0"

_configure_numba_cache()
