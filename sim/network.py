"""The social network (brief section 3) and process 5, network support.

Ties between people of the simulated cohort are edge lists (``src``, ``dst``, ``kind``) that
are turned into scipy.sparse CSR matrices: ``peer`` (users x users: scene acquaintances,
group peers, housemates) and ``kin`` (users x relatives). Ties to people outside the cohort
are counts per user (``using_ties``, ``sober_ties``). Neighbour sums are sparse products.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from sim.agents.relatives import LIMIT, TOLERANT
from sim.agents.users import ABSTINENT, AFTERCARE_HOUSING, STABLE, UNSTABLE, USING

if TYPE_CHECKING:
    from sim.model import RecoveryModel

SCENE, GROUP_PEER, HOUSEMATE = 0, 1, 2
TIE_NAMES = ("scene", "group-peer", "housemate")
SCENE_SIZE = 8  # people per drug scene from which cohort acquaintances are drawn
REBUILD_INTERVAL = 4  # weeks between rebuilds of the peer matrix when ties changed


class Network:
    """Cohort ties as edge lists and sparse matrices."""

    def __init__(self, n_users: int, rel_user: np.ndarray, mean_degree: float, housemate_weight: float,
                 rng: np.random.Generator):
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
        self.peer: sp.csr_matrix | None = None
        self._strength: np.ndarray | None = None
        # scene and group-peer ties only accumulate: their matrix is kept between rebuilds
        self._plain: sp.csr_matrix | None = None
        self._merged = 0  # edges merged into it so far ...
        self._merged_src: np.ndarray | None = None  # ... out of this edge array
        self.kin = sp.csr_matrix(
            (np.ones(len(rel_user)), (rel_user, np.arange(len(rel_user)))), shape=(n_users, len(rel_user))
        )
        self._kin_in_order = bool(np.all(np.diff(rel_user) >= 0))  # relatives stored user after user

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

    def add_meeting_ties(self, attendees: np.ndarray, group: np.ndarray, u_tie: np.ndarray,
                         u_partner: np.ndarray, prob: float) -> None:
        """Each attendee gains, with ``prob``, a tie to a random co-attendee of the same meeting."""
        if len(attendees) < 2:
            return
        pick = u_tie[attendees] < prob
        if not pick.any():
            return
        gi = group[attendees]
        order = np.argsort(gi, kind="stable")
        sorted_att, sorted_g = attendees[order], gi[order]
        start = np.flatnonzero(np.concatenate(([True], sorted_g[1:] != sorted_g[:-1])))  # each meeting's first
        count = np.diff(np.append(start, len(sorted_g)))
        chosen = attendees[pick]
        pos = np.searchsorted(sorted_g[start], gi[pick])
        n = count[pos]
        self.add(chosen, sorted_att[start[pos] + (u_partner[chosen] * n).astype(np.int64).clip(0, n - 1)], GROUP_PEER)

    def _symmetric(self, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> sp.csr_matrix:
        """The symmetric matrix of ties a-b with weights w (repeated ties add up)."""
        rows = np.concatenate([a, b])
        cols = np.concatenate([b, a])
        vals = np.concatenate([w, w])
        return sp.csr_matrix((vals, (rows, cols)), shape=(self.n, self.n))

    def rebuild(self, house: np.ndarray) -> None:
        """Rebuild the symmetric weighted peer matrix; housemate ties count only while both live there.

        Scene and group-peer ties (weight 1) are merged into a kept matrix as they are added
        (the same sums as rebuilding it from all ties); housemate ties are weighed anew.
        """
        fresh = self._plain is None or self._src[0] is not self._merged_src  # edge lists replaced
        src, dst, kind = self.edges()
        start = 0 if fresh else self._merged
        plain = kind[start:] != HOUSEMATE
        added = self._symmetric(src[start:][plain], dst[start:][plain], np.ones(int(plain.sum())))
        self._plain = added if fresh else self._plain + added
        self._merged, self._merged_src = len(src), src
        is_house = kind == HOUSEMATE
        hs, hd = src[is_house], dst[is_house]
        same = (house[hs] == house[hd]) & (house[hs] >= 0)
        self.peer = self._plain + self._symmetric(hs, hd, np.where(same, self.housemate_weight, 0.0))
        self._strength = None
        self.dirty = False

    # ------------------------------------------------------------------ neighbour sums
    def exposure(self, using: np.ndarray, decay: float) -> np.ndarray:
        """Share of a user's (weighted) close ties who use now, plus the same share one step
        further out at ``decay``: relapse contagion fading with distance. 0 for the isolated."""
        self._weigh()
        inv = self._inv
        if self._integral and self._sober is not None and np.array_equal(using, ~self._sober[0]):
            # with whole-number weights every sum is exact, so this equals peer @ using bit for bit
            first = (self._strength - self._sober[1]) * inv
        else:
            first = (self.peer @ using.astype(float)) * inv
        return first + decay * (self.peer @ first) * inv

    def sober_degree(self, sober: np.ndarray) -> np.ndarray:
        """Weighted number of each user's cohort ties who do not use now."""
        self._weigh()
        degree = self.peer @ sober.astype(float)
        self._sober = (sober.copy(), degree)  # kept for exposure() this week
        return degree

    def kin_count(self, mask: np.ndarray) -> np.ndarray:
        """How many of each user's relatives have ``mask``, as floats (equal to ``kin @ mask``).

        Relatives are stored user after user, so a user's count is a difference of running sums.
        """
        if not self._kin_in_order:
            return self.kin @ mask.astype(float)
        running = np.zeros(len(mask) + 1, np.int64)
        np.cumsum(mask, out=running[1:])
        ptr = self.kin.indptr
        return (running[ptr[1:]] - running[ptr[:-1]]).astype(float)

    def _weigh(self) -> None:
        """Row sums of the peer matrix and their inverses, once per rebuild."""
        if self._strength is None:
            self._strength = np.asarray(self.peer.sum(axis=1)).ravel()
            self._inv = np.where(self._strength > 0, 1.0 / np.maximum(self._strength, 1e-12), 0.0)
            self._integral = bool(np.all(self.peer.data == np.floor(self.peer.data)))
            self._sober = None


def network_step(model: "RecoveryModel") -> None:
    """Process 5: ties change, resources are gained or lost, and support is recomputed."""
    p, u, r = model.p, model.users, model.relatives
    abst = np.flatnonzero(u.status == ABSTINENT)
    using = np.flatnonzero(u.status == USING)
    in_house = u.housing == AFTERCARE_HOUSING
    # old using ties are cut or fade while abstinent, regrow while using
    fade = p.using_tie_fade * (1.0 + in_house[abst] + u.integration[abst])
    u.using_ties[abst] *= 1.0 - np.minimum(fade, 1.0)
    ties = u.using_ties[using]
    u.using_ties[using] = ties + p.using_tie_regain * (u.base_using_ties[using] - ties)
    # sober ties: pre-addiction friends return slowly; work or activities or aftercare housing add ties
    u.sober_ties *= 1.0 - p.sober_tie_fade
    u.sober_ties[abst] += p.sober_tie_return * (1.0 - 0.5 * p.public_stigma) + p.activity_tie_gain * (u.activity[abst].astype(float) + in_house[abst])
    _resources(model, abst, using)
    if model.network.dirty and (model.week % REBUILD_INTERVAL == 0 or model.network.peer is None):
        model.network.rebuild(u.house)
    # support: sober ties, sober cohort peers, relatives (depleted by strain; withdrawn ones condemn),
    # the group this week and an aftercare contact
    by_coping = np.array([1.0, 0.6, p.withdrawn_support, 1.0]) * p.support_weight_relative  # ENGAGED, TOLERANT, WITHDRAWN, LIMIT
    kin_w = by_coping[r.coping]
    depleted = p.support_depletion * r.strain
    kin_w *= np.subtract(1.0, depleted, out=depleted)
    kin_w[r.burnout] = 0.0
    from_kin = kin_sum(model, kin_w)
    peers = model.network.sober_degree(u.status != USING)
    raw = u.sober_ties + peers
    raw += from_kin
    raw[np.flatnonzero(u.attended)] += p.support_weight_group
    raw[np.flatnonzero(u.ac_contact)] += 1.0
    raw = np.maximum(raw, 0.0, out=raw)
    u.support = raw / (raw + p.support_half_ties)
    u.lonely = (u.support < 0.25) & (u.sober_ties + peers < 1.0)
    model.kin_enabling = model.network.kin_count(r.coping == TOLERANT)
    model.kin_limit = model.network.kin_count(r.coping == LIMIT)
    model.kin_low_hope = kin_sum(model, np.subtract(1.0, r.hope_user, out=depleted)) / np.maximum(model.n_kin, 1.0)


def kin_sum(model: "RecoveryModel", values: np.ndarray) -> np.ndarray:
    """Sum of a value over each user's relatives (as ``Network.kin @ values``, summed in the same order)."""
    return np.bincount(model.relatives.user, weights=values, minlength=model.n_users)


def _resources(model: "RecoveryModel", abst: np.ndarray, using: np.ndarray) -> None:
    """Meaningful activity and housing: gained while abstinent (less under structural stigma), lost while using.

    ``abst`` and ``using``: the indices of abstinent and using users."""
    p, u = model.p, model.users
    da = model.streams.uniform("activity", u.n)
    dh = model.streams.uniform("housing", u.n)
    barrier = 1.0 - 0.6 * p.structural_stigma
    boost = 1.0 + p.welfare_integration
    gain_act = abst[~u.activity[abst] & (da[abst] < p.gain_activity_rate * barrier * boost)]
    lose_act = using[u.activity[using] & (da[using] < p.lose_on_relapse)]
    u.activity[gain_act] = True
    u.activity[lose_act] = False
    gain_house = abst[(u.housing[abst] == UNSTABLE) & (dh[abst] < p.gain_housing_rate * barrier * boost)]
    lose_house = using[(u.housing[using] == STABLE) & (dh[using] < p.lose_on_relapse)]
    u.housing[gain_house] = STABLE
    u.housing[lose_house] = UNSTABLE
