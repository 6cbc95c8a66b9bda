"""The social network (brief section 3) and process 5, network support.

Ties between people of the simulated cohort are edge lists (``src``, ``dst``, ``kind``) that
are turned into scipy.sparse CSR matrices: ``peer`` (users x users: scene acquaintances,
group peers, housemates) and ``kin`` (users x relatives). Ties to people outside the cohort
are counts per user (``using_ties``, ``sober_ties``). Neighbour sums are sparse products.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np
import scipy.sparse as sp

from sim.codes import (
    ABSTINENT,
    AFTERCARE_HOUSING,
    GROUP_PEER,
    HOUSEMATE,
    LIMIT,
    SCENE,
    STABLE,
    TOLERANT,
    UNSTABLE,
    USING,
)
from sim.rng import uniform_bound, uniform_field_at

if TYPE_CHECKING:
    from sim.model import RecoveryModel

SCENE_SIZE = 8  # people per drug scene from which cohort acquaintances are drawn
REBUILD_INTERVAL = 4  # weeks between rebuilds of the peer matrix when ties changed


class Network:
    """Cohort ties as edge lists and sparse matrices."""

    def __init__(
        self,
        n_users: int,
        rel_user: np.ndarray,
        mean_degree: float,
        housemate_weight: float,
        rng: np.random.Generator,
    ):
        self.n = n_users
        self.housemate_weight = housemate_weight
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
        self._src = [a[keep].astype(np.int32)]
        self._dst = [b[keep].astype(np.int32)]
        self._kind = [np.full(int(keep.sum()), SCENE, np.int8)]
        self.dirty = True
        self._peer: sp.csr_matrix | None = None  # plain + house, made when asked for (``peer``)
        self._house: sp.csr_matrix | None = None  # housemate ties of people living together now
        self._strength: np.ndarray | None = None
        self._integral = True
        self._sober: tuple[np.ndarray, np.ndarray] | None = None
        self._second: tuple[np.ndarray, np.ndarray] | None = None
        # scene and group-peer ties only accumulate: their matrix is kept between rebuilds; ties
        # added since it was last merged wait in a small matrix (merged when it grows to 1/8)
        self._plain: sp.csr_matrix | None = None
        self._recent: sp.csr_matrix | None = None
        self._plain_strength = np.zeros(n_users)  # row sums of plain + recent (whole numbers)
        self._merged = 0  # edges merged into it so far ...
        self._merged_src: np.ndarray | None = None  # ... out of this edge array
        self.kin = sp.csr_matrix(
            (np.ones(len(rel_user)), (rel_user, np.arange(len(rel_user)))),
            shape=(n_users, len(rel_user)),
        )
        if np.any(np.diff(rel_user) < 0):
            raise ValueError("relatives must be stored user after user")

    # ------------------------------------------------------------------ edges
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

    # ------------------------------------------------------------------ neighbour sums
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

    def _require_built(self) -> None:
        if self._plain is None:
            raise RuntimeError("the peer matrix has not been built (call rebuild)")


def network_step(model: RecoveryModel) -> None:
    """Process 5: ties change, resources are gained or lost, and support is recomputed."""
    p, u, r = model.p, model.users, model.relatives
    _ties_week(
        u.status,
        u.housing,
        u.integration,
        u.activity,
        u.base_using_ties,
        u.using_ties,
        u.sober_ties,
        p.using_tie_fade,
        p.using_tie_regain,
        p.sober_tie_fade,
        p.sober_tie_return * (1.0 - 0.5 * p.public_stigma),
        p.activity_tie_gain,
    )
    _resources(model)
    if model.network.dirty and (model.week % REBUILD_INTERVAL == 0 or not model.network.built):
        model.network.rebuild(u.house)
    # support: sober ties, sober cohort peers, relatives (depleted by strain; withdrawn ones condemn),
    # the group this week and an aftercare contact
    by_coping = (
        np.array([1.0, 0.6, p.withdrawn_support, 1.0]) * p.support_weight_relative
    )  # ENGAGED, TOLERANT, WITHDRAWN, LIMIT
    from_kin, model.kin_enabling, model.kin_limit, model.kin_low_hope = _kin_sums(
        model.n_kin,
        r.user,
        r.coping,
        r.strain,
        r.burnout,
        r.hope_user,
        by_coping,
        p.support_depletion,
    )
    peers = model.network.sober_degree(u.status != USING)
    _support(
        u.sober_ties,
        peers,
        from_kin,
        u.attended,
        u.ac_contact,
        p.support_weight_group,
        p.support_half_ties,
        u.support,
        u.lonely,
    )


@numba.njit(cache=True)
def _ties_week(
    status,
    housing,
    integration,
    activity,
    base_using_ties,
    using_ties,
    sober_ties,
    using_fade,
    using_regain,
    sober_fade,
    sober_return,
    activity_gain,
):
    """Each user's ties outside the cohort, one week: old using ties are cut or fade while
    abstinent (faster in aftercare housing and with integration) and regrow while using; sober
    ties fade slowly, and while abstinent pre-addiction friends return and work, activities or
    aftercare housing add ties."""
    for i in range(
        len(status)
    ):  # (selects, not branches: the compiler runs it on several users at once)
        st = status[i]
        in_house = housing[i] == AFTERCARE_HOUSING
        u0 = using_ties[i]
        s = sober_ties[i] * (1.0 - sober_fade)
        cut = u0 * (1.0 - min(using_fade * (1.0 + in_house + integration[i]), 1.0))
        regrown = u0 + using_regain * (base_using_ties[i] - u0)
        using_ties[i] = cut if st == ABSTINENT else (regrown if st == USING else u0)
        sober_ties[i] = (
            s + (sober_return + activity_gain * (activity[i] + in_house)) if st == ABSTINENT else s
        )


# error_model="numpy": no check for a zero divisor (``half`` is at least 1), so the loop is vectorised
@numba.njit(cache=True, error_model="numpy")
def _support(sober_ties, peers, from_kin, attended, contact, group_weight, half, support, lonely):
    """Support: sober ties, sober cohort peers, relatives, the group met this week and an
    aftercare contact, saturating (half at ``half`` weighted ties); lonely with little support
    and under one sober tie."""
    for i in range(
        len(sober_ties)
    ):  # (values kept in locals, not read back from the arrays: 4x faster)
        raw = max(
            sober_ties[i] + peers[i] + from_kin[i] + group_weight * attended[i] + contact[i], 0.0
        )
        s = raw / (raw + half)
        support[i] = s
        lonely[i] = (s < 0.25) and (sober_ties[i] + peers[i] < 1.0)


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


_NO_FIRST = np.zeros(0)


@numba.njit(cache=True)
def _first_step(using, sober, strength, sober_degree, inv, last_first):
    """The first step of ``exposure`` from this week's sober degrees, ``(strength - sober degree)
    x inv``, and the users whose value differs from ``last_first`` (if not empty), ascending; or
    (None, None) if ``using`` is not ``~sober`` (the degrees are then of another week)."""
    n = len(using)
    first = np.empty(n)
    moved = np.empty(n, np.int64)
    compare = len(last_first) > 0
    k = 0
    same = True
    for i in range(n):
        f = (strength[i] - sober_degree[i]) * inv[i]
        first[i] = f
        same &= using[i] != sober[i]
        moved[k] = i
        k += compare and (f != last_first[i])
    if not same:
        return None, None
    return first, moved[:k]


@numba.njit(cache=True)
def _exposure(first, second, inv, decay):
    """``first + decay * second * inv``, element by element (the same operations as numpy's)."""
    out = np.empty(len(first))
    for i in range(len(first)):
        out[i] = first[i] + decay * second[i] * inv[i]
    return out


@numba.njit(cache=True)
def _add_rows(indptr, indices, data, rows, sign, out):
    """``out += sign[k] * row rows[k]`` of a CSR matrix, for each k."""
    for k in range(len(rows)):
        r = np.uint32(
            rows[k]
        )  # (unsigned indices need no check for negative ones: docs/performance.md)
        for q in range(indptr[r], indptr[r + np.uint32(1)]):
            out[np.uint32(indices[q])] += sign[k] * data[q]


@numba.njit(cache=True)
def _kin_sums(n_kin, user, coping, strain, burnout, hope_user, by_coping, depletion):
    """Per user, summed over the user's relatives in index order (as ``Network.kin @ x``): the
    support from relatives (by coping position, depleted by strain, none in burnout), the
    number who enable (tolerant) and who set limits, and the mean low hope (1 - hope; the sum
    over ``max(n_kin, 1)``). One flat pass over the relatives (a loop per user costs a
    mispredicted exit per user), then one over the users."""
    n_users = len(n_kin)
    support = np.zeros(n_users)
    low_hope = np.zeros(n_users)
    counts = np.zeros(
        n_users, np.int64
    )  # enabling in the low 32 bits, limit-setting above (one sum, not two)
    for i in range(len(user)):
        j = np.uint32(
            user[i]
        )  # (unsigned indices need no check for negative ones: docs/performance.md)
        c = np.uint8(coping[i])
        if not burnout[i]:
            support[j] += by_coping[c] * (1.0 - depletion * strain[i])
        counts[j] += (c == TOLERANT) + ((c == LIMIT) << 32)
        low_hope[j] += 1.0 - hope_user[i]
    enabling = np.empty(n_users)
    limit = np.empty(n_users)
    for j in range(n_users):
        enabling[j] = counts[j] & 0xFFFFFFFF
        limit[j] = counts[j] >> 32
        low_hope[j] = low_hope[j] / max(n_kin[j], 1.0)
    return support, enabling, limit, low_hope


def _resources(model: RecoveryModel) -> None:
    """Meaningful activity and housing: gained while abstinent (less under structural stigma,
    more with welfare integration), lost while using. One pass over the users (numba); each
    user's draws are per decision and week (sim/rng.py)."""
    p, u, week = model.p, model.users, model.week
    barrier = 1.0 - 0.6 * p.structural_stigma
    boost = 1.0 + p.welfare_integration
    _resources_week(
        u.status,
        u.activity,
        u.housing,
        p.gain_activity_rate * barrier * boost,
        p.gain_housing_rate * barrier * boost,
        p.lose_on_relapse,
        model.streams.key("activity", week),
        model.streams.key("housing", week),
    )


@numba.njit(cache=True)
def _resources_week(
    status, activity, housing, p_activity, p_housing, p_lose, k_activity, k_housing
):
    """Without branches (a user's state decides which draw counts, so both are made for everyone
    and compared as whole numbers: sim/rng.py): abstinent users gain an activity and leave
    unstable housing, users who use lose them."""
    t_activity, t_housing, t_lose = (
        uniform_bound(p_activity),
        uniform_bound(p_housing),
        uniform_bound(p_lose),
    )
    for i in range(len(status)):
        st = status[i]
        abstinent = st == ABSTINENT
        using = st == USING
        f_activity = uniform_field_at(k_activity, i)
        f_housing = uniform_field_at(k_housing, i)
        activity[i] = (activity[i] & ~(using & (f_activity < t_lose))) | (
            abstinent & (f_activity < t_activity)
        )
        h = housing[i]
        if abstinent & (h == UNSTABLE) & (f_housing < t_housing):
            h = STABLE
        elif using & (h == STABLE) & (f_housing < t_lose):
            h = UNSTABLE
        housing[i] = h
