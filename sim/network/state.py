"""The network's state: the cohort's ties (edge lists, the peer matrix in parts, the sums kept
between rebuilds), the kin matrix, and the per-user sums over each user's relatives that the
relapse hazard reads (:data:`KIN_SUMS`, ``model.network.kin_enabling``, ...), made each week by
the network's step.

The methods are in :class:`sim.network.ties.PeerTies` (adding ties, rebuilding the matrix) and
:class:`sim.network.exposure.NeighbourSums` (exposure, sober degree).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.network.exposure import NeighbourSums
from sim.network.ties import PeerTies, scene_ties
from sim.state import Column, allocate

# per user, over the user's relatives: declared here, remade each week by ``network_step``
KIN_SUMS: tuple[Column, ...] = (
    Column("n_kin", np.float64, 0.0, "number of relatives (fixed at set-up)"),
    Column("kin_enabling", np.float64, 0.0, "relatives who enable (tolerant), this week"),
    Column("kin_limit", np.float64, 0.0, "relatives who set limits with contact, this week"),
    Column(
        "kin_low_hope",
        np.float64,
        0.6,
        "mean low hope (1 - hope for the user) of the relatives, this week (0.6 before week 1)",
    ),
)


class Network(PeerTies, NeighbourSums):
    """Cohort ties as edge lists and sparse matrices, the kin matrix and the sums over kin."""

    def __init__(
        self,
        n_users: int,
        rel_user: np.ndarray,
        mean_degree: float,
        housemate_weight: float,
        rng: np.random.Generator,
    ):
        self.n = n_users
        self.housemate_weight = housemate_weight  # weight of a tie between housemates
        src, dst, kind = scene_ties(n_users, mean_degree, rng)
        self._src, self._dst, self._kind = [src], [dst], [kind]  # edge lists (appended to)
        self.dirty = True  # ties changed since the last rebuild
        self._peer: sp.csr_matrix | None = None  # plain + house, made when asked for (``peer``)
        self._house: sp.csr_matrix | None = None  # housemate ties of people living together now
        self._strength: np.ndarray | None = None  # weighted degree (row sums of the matrix)
        self._integral = True  # every tie weight a whole number (every sum exact)
        self._sober: tuple[np.ndarray, np.ndarray] | None = None  # (sober, peer @ sober) kept
        self._second: tuple[np.ndarray, np.ndarray] | None = None  # (first, peer @ first) kept
        # scene and group-peer ties only accumulate: their matrix is kept between rebuilds; ties
        # added since it was last merged wait in a small matrix (merged when it grows to 1/8)
        self._plain: sp.csr_matrix | None = None
        self._recent: sp.csr_matrix | None = None
        self._plain_strength = np.zeros(n_users)  # row sums of plain + recent (whole numbers)
        self._merged = 0  # edges merged into it so far ...
        self._merged_src: np.ndarray | None = None  # ... out of this edge array
        self.kin = sp.csr_matrix(  # users x relatives
            (np.ones(len(rel_user)), (rel_user, np.arange(len(rel_user)))),
            shape=(n_users, len(rel_user)),
        )
        if np.any(np.diff(rel_user) < 0):
            raise ValueError("relatives must be stored user after user")
        allocate(self, KIN_SUMS, n_users)
        self.n_kin = np.bincount(rel_user, minlength=n_users).astype(float)
