"""Ties between people of the cohort: edge lists (``src``, ``dst``, ``kind``: sim.codes.Tie) and
the symmetric weighted peer matrix built from them (scipy.sparse CSR, in one compiled pass).

Scene and group-peer ties (weight 1) only accumulate: their matrix is kept between rebuilds and
new ties are added to it; housemate ties (weight ``housemate_weight``) count only while both
live in the same aftercare flat, so they are weighed anew at each rebuild, in a small matrix of
their own. :class:`PeerTies` is the part of :class:`sim.network.state.Network` that does this.
"""

from __future__ import annotations

import numba
import numpy as np
import scipy.sparse as sp

from sim.codes import GROUP_PEER, HOUSEMATE, SCENE

SCENE_SIZE = 8  # people per drug scene from which cohort acquaintances are drawn


def scene_ties(
    n_users: int, mean_degree: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The drug-scene acquaintances at set-up, as (src, dst, kind): users drawn into scenes of
    ``SCENE_SIZE``; ``n_users * mean_degree / 2`` pairs within a scene (pick a person, then
    another from the same scene), a pair of one person dropped."""
    m = int(round(n_users * mean_degree / 2.0))
    scene = rng.integers(0, max(n_users // SCENE_SIZE, 1), n_users)
    order = np.argsort(scene, kind="stable")
    # pairs within a scene: pick a person, then another from the same scene block
    starts = np.searchsorted(scene[order], np.arange(scene.max() + 1))
    counts = np.bincount(scene, minlength=scene.max() + 1)
    a = rng.integers(0, n_users, m)
    sa = scene[a]
    b = order[starts[sa] + (rng.random(m) * counts[sa]).astype(np.int64)]
    keep = a != b
    return (
        a[keep].astype(np.int32),
        b[keep].astype(np.int32),
        np.full(int(keep.sum()), SCENE, np.int8),
    )


class PeerTies:
    """Adding ties and (re)building the peer matrix (the state is declared in
    :class:`sim.network.state.Network`)."""

    def add(self, a: np.ndarray, b: np.ndarray, kind: int) -> None:
        keep = a != b
        if keep.any():
            self._src.append(a[keep].astype(np.int32))
            self._dst.append(b[keep].astype(np.int32))
            self._kind.append(np.full(int(keep.sum()), kind, np.int8))
            self.dirty = True

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All ties added so far as (src, dst, kind)."""
        if len(self._src) > 1:
            self._src = [np.concatenate(self._src)]
            self._dst = [np.concatenate(self._dst)]
            self._kind = [np.concatenate(self._kind)]
        return self._src[0], self._dst[0], self._kind[0]

    def add_meeting_ties(
        self, attendees: np.ndarray, group: np.ndarray, chosen: np.ndarray, u_partner: np.ndarray
    ) -> None:
        """Each of the ``chosen`` attendees (ascending) gains a tie to a co-attendee of the same
        meeting, picked by its uniform ``u_partner`` (possibly itself: then no tie)."""
        if len(attendees) < 2 or len(chosen) == 0:
            return
        self.add(
            chosen,
            _partners(
                np.asarray(attendees, np.int64),
                group,
                np.asarray(chosen, np.int64),
                u_partner,
                int(group[attendees].max()) + 1,
            ),
            GROUP_PEER,
        )

    def _symmetric(self, a: np.ndarray, b: np.ndarray, weight: float) -> sp.csr_matrix:
        """The symmetric matrix of ties a-b, each of the same ``weight`` (repeated ties add up), in
        canonical form (sorted column indices, no duplicates): what scipy builds from the same
        triplets, built in one compiled pass (``_csr_symmetric``)."""
        indptr, indices, data = _csr_symmetric(
            np.asarray(a, np.int64), np.asarray(b, np.int64), float(weight), self.n
        )
        m = sp.csr_matrix((data, indices, indptr), shape=(self.n, self.n))
        m.has_sorted_indices = True
        m.has_canonical_format = True
        return m

    def rebuild(self, house: np.ndarray) -> None:
        """Rebuild the symmetric weighted peer matrix; housemate ties count only while both live there.

        Scene and group-peer ties (weight 1) are kept in a matrix that new ties are added to (the
        same sums as rebuilding it from all ties), with their row sums; housemate ties are weighed
        anew each time, in a small matrix of their own.
        """
        fresh = self._plain is None or self._src[0] is not self._merged_src  # edge lists replaced
        old_house, old_sober, was_integral = self._house, self._sober, self._integral
        src, dst, kind = self.edges()
        start = 0 if fresh else self._merged
        new = kind[start:] != HOUSEMATE
        a, b = src[start:][new], dst[start:][new]
        added = self._symmetric(a, b, 1.0)
        ends = np.concatenate([a, b])
        if fresh:
            self._plain, self._recent = added, None
            self._plain_strength = np.bincount(ends, minlength=self.n).astype(float)
        else:
            self._recent = added if self._recent is None else self._recent + added
            self._plain_strength += np.bincount(ends, minlength=self.n)
            if self._recent.nnz > self._plain.nnz // 8:
                self._plain, self._recent = self._plain + self._recent, None
        self._merged, self._merged_src = len(src), src
        is_house = kind == HOUSEMATE
        hs, hd = src[is_house], dst[is_house]
        same = (house[hs] == house[hd]) & (house[hs] >= 0)
        hs, hd = hs[same], hd[same]
        w = np.full(len(hs), self.housemate_weight)
        self._house = self._symmetric(hs, hd, self.housemate_weight) if len(hs) else None
        self._strength = self._plain_strength.copy()
        if len(hs):
            self._strength += np.bincount(
                np.concatenate([hs, hd]), weights=np.concatenate([w, w]), minlength=self.n
            )
        self._integral = self._house is None or float(self.housemate_weight).is_integer()
        self._inv = np.where(self._strength > 0, 1.0 / np.maximum(self._strength, 1e-12), 0.0)
        self._sober = None
        if not fresh and old_sober is not None and was_integral and self._integral:
            # the kept sober degrees follow the matrix: plus the new ties, minus the old housemate
            # ties, plus the new ones (whole numbers: exactly ``peer @ sober`` of the new matrix)
            s = old_sober[0].astype(float)
            degree = old_sober[1] + added @ s
            if old_house is not None:
                degree -= old_house @ s
            if self._house is not None:
                degree += self._house @ s
            self._sober = (old_sober[0], degree)
        self._second = None  # (first, peer @ first) of the last exposure() on this matrix
        self._peer = None
        self.dirty = False

    @property
    def built(self) -> bool:
        return self._plain is not None

    def _parts(self) -> list[sp.csr_matrix]:
        return [m for m in (self._plain, self._recent, self._house) if m is not None]

    @property
    def peer(self) -> sp.csr_matrix | None:
        """The symmetric weighted peer matrix (scene, group-peer and housemate ties)."""
        if self._peer is None and self._plain is not None:
            parts = self._parts()
            self._peer = parts[0] if len(parts) == 1 else sum(parts[1:], parts[0])
        return self._peer

    def _times(self, x: np.ndarray) -> np.ndarray:
        """``peer @ x`` from its parts."""
        parts = self._parts()
        y = parts[0] @ x
        for m in parts[1:]:
            y += m @ x
        return y

    def _add_rows(self, rows: np.ndarray, sign: np.ndarray, out: np.ndarray) -> None:
        """``out += peer[rows].T @ sign`` (= ``peer[:, rows] @ sign``: the matrix is symmetric)."""
        for m in self._parts():
            _add_rows(m.indptr, m.indices, m.data, rows, sign, out)

    def _require_built(self) -> None:
        if self._plain is None:
            raise RuntimeError("the peer matrix has not been built (call rebuild)")


@numba.njit(cache=True)
def _partners(attendees, group, chosen, u_partner, n_groups):
    """For each chosen attendee, the co-attendee of its meeting at position floor(u n) among the
    meeting's n attendees in ascending order (a counting sort of the attendees by meeting)."""
    count = np.zeros(n_groups + 1, np.int64)
    for i in attendees:
        count[group[i] + 1] += 1
    start = np.cumsum(count)
    fill = start[:-1].copy()
    by_meeting = np.empty(len(attendees), np.int64)
    for i in attendees:
        g = group[i]
        by_meeting[fill[g]] = i
        fill[g] += 1
    out = np.empty(len(chosen), np.int64)
    for k in range(len(chosen)):
        g = group[chosen[k]]
        n = start[g + 1] - start[g]
        out[k] = by_meeting[start[g] + min(int(np.float64(u_partner[k]) * n), n - 1)]
    return out


@numba.njit(cache=True)
def _csr_symmetric(a, b, weight, n):
    """CSR arrays (indptr, indices, data) of the symmetric n x n matrix with ``weight`` at (a, b)
    and (b, a) for each tie, repeated entries added up, column indices ascending in each row."""
    m = len(a)
    count = np.zeros(n + 1, np.int64)
    for k in range(m):
        count[a[k] + 1] += 1
        count[b[k] + 1] += 1
    ptr = np.cumsum(count)
    fill = ptr[:-1].copy()
    cols = np.empty(2 * m, np.int32)
    for k in range(m):
        cols[fill[a[k]]] = b[k]
        fill[a[k]] += 1
        cols[fill[b[k]]] = a[k]
        fill[b[k]] += 1
    # sort each row, then keep each column once with its multiplicity times the weight
    indptr = np.zeros(n + 1, np.int32)
    indices = np.empty(2 * m, np.int32)
    data = np.empty(2 * m)
    q = 0
    for r in range(n):
        lo, hi = ptr[r], ptr[r + 1]
        for k in range(lo + 1, hi):  # insertion sort: rows are short
            c = cols[k]
            t = k
            while t > lo and cols[t - 1] > c:
                cols[t] = cols[t - 1]
                t -= 1
            cols[t] = c
        k = lo
        while k < hi:
            c = cols[k]
            total = weight
            k += 1
            while k < hi and cols[k] == c:
                total += weight
                k += 1
            indices[q] = c
            data[q] = total
            q += 1
        indptr[r + 1] = q
    return indptr, indices[:q].copy(), data[:q].copy()


@numba.njit(cache=True)
def _add_rows(indptr, indices, data, rows, sign, out):
    """``out += sign[k] * row rows[k]`` of a CSR matrix, for each k."""
    for k in range(len(rows)):
        r = np.uint32(
            rows[k]
        )  # (unsigned indices need no check for negative ones: docs/performance.md)
        for q in range(indptr[r], indptr[r + np.uint32(1)]):
            out[np.uint32(indices[q])] += sign[k] * data[q]
