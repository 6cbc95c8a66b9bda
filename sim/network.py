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

from sim.agents.relatives import LIMIT, TOLERANT, WITHDRAWN
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
        self.house = None
        self.dirty = True
        self.peer: sp.csr_matrix | None = None
        self._strength: np.ndarray | None = None
        self.kin = sp.csr_matrix(
            (np.ones(len(rel_user)), (rel_user, np.arange(len(rel_user)))), shape=(n_users, len(rel_user))
        )

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
        gi = group[attendees]
        order = np.argsort(gi, kind="stable")
        sorted_att, sorted_g = attendees[order], gi[order]
        uniq, start, count = np.unique(sorted_g, return_index=True, return_counts=True)
        pos = np.searchsorted(uniq, gi)
        pick = u_tie[attendees] < prob
        if not pick.any():
            return
        partner = sorted_att[start[pos] + (u_partner[attendees] * count[pos]).astype(np.int64).clip(0, count[pos] - 1)]
        self.add(attendees[pick], partner[pick], GROUP_PEER)

    def set_house(self, house: np.ndarray) -> None:
        self.house = house
        self.dirty = True

    def rebuild(self, house: np.ndarray) -> None:
        """Rebuild the symmetric weighted peer matrix; housemate ties count only while both live there."""
        src, dst, kind = self.edges()
        w = np.ones(len(src))
        is_house = kind == HOUSEMATE
        same = (house[src] == house[dst]) & (house[src] >= 0)
        w = np.where(is_house, np.where(same, self.housemate_weight, 0.0), w)
        rows = np.concatenate([src, dst])
        cols = np.concatenate([dst, src])
        vals = np.concatenate([w, w])
        self.peer = sp.csr_matrix((vals, (rows, cols)), shape=(self.n, self.n))
        self.peer.sum_duplicates()
        self._strength = None
        self.dirty = False

    # ------------------------------------------------------------------ neighbour sums
    def exposure(self, using: np.ndarray, decay: float) -> np.ndarray:
        """Share of a user's (weighted) close ties who use now, plus the same share one step
        further out at ``decay``: relapse contagion fading with distance. 0 for the isolated."""
        if self._strength is None:
            self._strength = np.asarray(self.peer.sum(axis=1)).ravel()
        inv = np.where(self._strength > 0, 1.0 / np.maximum(self._strength, 1e-12), 0.0)
        first = (self.peer @ using.astype(float)) * inv
        return first + decay * (self.peer @ first) * inv

    def sober_degree(self, sober: np.ndarray) -> np.ndarray:
        return self.peer @ sober.astype(float)


def network_step(model: "RecoveryModel") -> None:
    """Process 5: ties change, resources are gained or lost, and support is recomputed."""
    p, u, r = model.p, model.users, model.relatives
    abst = u.status == ABSTINENT
    using = u.status == USING
    in_house = u.housing == AFTERCARE_HOUSING
    # old using ties are cut or fade while abstinent, regrow while using
    fade = p.using_tie_fade * (1.0 + in_house + u.integration)
    u.using_ties = np.where(abst, u.using_ties * (1.0 - np.minimum(fade, 1.0)), u.using_ties)
    u.using_ties = np.where(using, u.using_ties + p.using_tie_regain * (u.base_using_ties - u.using_ties), u.using_ties)
    # sober ties: pre-addiction friends return slowly; work, activities and aftercare housing add ties
    gain = p.sober_tie_return * (1.0 - 0.5 * p.public_stigma) + p.activity_tie_gain * (u.activity + in_house)
    u.sober_ties = u.sober_ties * (1.0 - p.sober_tie_fade) + np.where(abst, gain, 0.0)
    _resources(model, abst, using)
    if model.network.dirty and (model.week % REBUILD_INTERVAL == 0 or model.network.peer is None):
        model.network.rebuild(u.house)
    # support: sober ties, sober cohort peers, relatives (depleted by strain; withdrawn ones condemn),
    # the group this week and an aftercare contact
    kin_w = np.select([r.coping == WITHDRAWN, r.coping == TOLERANT], [p.withdrawn_support, 0.6], 1.0)
    kin_w = np.where(r.burnout, 0.0, kin_w * p.support_weight_relative * (1.0 - p.support_depletion * r.strain))
    from_kin = model.network.kin @ kin_w
    peers = model.network.sober_degree(u.status != USING)
    raw = u.sober_ties + peers + from_kin + p.support_weight_group * u.attended + u.ac_contact
    raw = np.maximum(raw, 0.0)
    u.support = raw / (raw + p.support_half_ties)
    u.lonely = (u.support < 0.25) & (u.sober_ties + peers < 1.0)
    model.kin_enabling = model.network.kin @ (r.coping == TOLERANT).astype(float)
    model.kin_limit = model.network.kin @ (r.coping == LIMIT).astype(float)
    model.kin_low_hope = (model.network.kin @ (1.0 - r.hope_user)) / np.maximum(model.n_kin, 1.0)


def _resources(model: "RecoveryModel", abst: np.ndarray, using: np.ndarray) -> None:
    """Meaningful activity and housing: gained while abstinent (less under structural stigma), lost while using."""
    p, u = model.p, model.users
    da = model.streams.uniform("activity", u.n)
    dh = model.streams.uniform("housing", u.n)
    barrier = 1.0 - 0.6 * p.structural_stigma
    boost = 1.0 + p.welfare_integration
    gain_act = abst & ~u.activity & (da < p.gain_activity_rate * barrier * boost)
    lose_act = using & u.activity & (da < p.lose_on_relapse)
    u.activity = (u.activity | gain_act) & ~lose_act
    gain_house = abst & (u.housing == UNSTABLE) & (dh < p.gain_housing_rate * barrier * boost)
    lose_house = using & (u.housing == STABLE) & (dh < p.lose_on_relapse)
    u.housing[gain_house] = STABLE
    u.housing[lose_house] = UNSTABLE
