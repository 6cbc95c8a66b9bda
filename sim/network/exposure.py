"""Neighbour sums on the peer matrix: the contagion exposure the relapse hazard reads and the
sober degree support counts, kept up to date between rebuilds instead of recomputed
(docs/performance.md). :class:`NeighbourSums` is the part of :class:`sim.network.state.Network`
that does this; the formulas are :func:`sim.network.rules.using_share` and
:func:`sim.network.rules.exposure`.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.network import rules as R


class NeighbourSums:
    """Exposure and sober degree (the state is declared in :class:`sim.network.state.Network`)."""

    def exposure(self, using: np.ndarray, decay: float) -> np.ndarray:
        """Share of a user's (weighted) close ties who use now, plus the same share one step
        further out at ``decay``: relapse contagion fading with distance. 0 for the isolated.

        Between rebuilds the second step, ``peer @ first``, is updated for the users whose
        ``first`` changed since the last call (the neighbours of users who started or stopped
        using), instead of recomputed: the same sums up to rounding, recomputed in full at every
        rebuild of the matrix."""
        self._require_built()
        inv, last = self._inv, self._second
        first = None
        if self._integral and self._sober is not None:
            # with whole-number weights every sum is exact, so this equals peer @ using bit for bit
            # (one compiled pass, which also finds who moved since the last call)
            first, moved = _first_step(
                using,
                self._sober[0],
                self._strength,
                self._sober[1],
                inv,
                _NO_FIRST if last is None else last[0],
            )
        if first is None:
            first = self._times(using.astype(float)) * inv
            if last is not None:
                moved = np.flatnonzero(first != last[0])
        if last is not None and len(moved) <= len(first) // 10:
            second = last[1].copy()
            self._add_rows(moved, first[moved] - last[0][moved], second)
        else:
            second = self._times(first)
        self._second = (first, second)
        return _exposure(first, second, inv, decay)

    def sober_degree(self, sober: np.ndarray) -> np.ndarray:
        """Weighted number of each user's cohort ties who do not use now.

        While every tie weight is a whole number (so every sum is exact), last week's degrees are
        updated for the few users whose status changed since (the matrix is symmetric, so their
        rows are their columns), and at a rebuild for the ties that changed: the same numbers as
        ``peer @ sober``."""
        self._require_built()
        last = self._sober
        changed = np.flatnonzero(sober != last[0]) if last is not None and self._integral else None
        if changed is not None and len(changed) <= len(sober) // 10:
            degree = last[1].copy()
            self._add_rows(changed, np.where(sober[changed], 1.0, -1.0), degree)
        else:
            degree = self._times(sober.astype(float))
        self._sober = (sober.copy(), degree)  # kept for exposure() this week and next week's update
        return degree


_NO_FIRST = np.zeros(0)


@numba.njit(cache=True)
def _first_step(using, sober, strength, sober_degree, inv, last_first):
    """The first step of ``exposure`` from this week's sober degrees (``using_share``), and the
    users whose value differs from ``last_first`` (if not empty), ascending; or (None, None) if
    ``using`` is not ``~sober`` (the degrees are then of another week)."""
    n = len(using)
    first = np.empty(n)
    moved = np.empty(n, np.int64)
    compare = len(last_first) > 0
    k = 0
    same = True
    for i in range(n):
        f = R.using_share(strength[i], sober_degree[i], inv[i])
        first[i] = f
        same &= using[i] != sober[i]
        moved[k] = i
        k += compare and (f != last_first[i])
    if not same:
        return None, None
    return first, moved[:k]


@numba.njit(cache=True)
def _exposure(first, second, inv, decay):
    """``exposure`` element by element (the same operations as numpy's)."""
    out = np.empty(len(first))
    for i in range(len(first)):
        out[i] = R.exposure(first[i], second[i], inv[i], decay)
    return out
