"""The reference model's cohort ties: per user, a neighbour -> weight dictionary.

As in sim/network.py, new ties (scene, group peers, housemates) take effect when the ties are
re-weighed (every 4 weeks if any changed); a housemate tie weighs ``housemate_tie_weight``
while both live in the same flat, else nothing. Neighbour sums run over each user's neighbours
in ascending order (the order of a CSR row).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.codes import HOUSEMATE

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


class Ties:
    """Ties between users of the cohort."""

    def __init__(self, n_users: int, src, dst, kind, housemate_weight: float):
        self.n = n_users
        self.housemate_weight = float(housemate_weight)
        self.counts: list[dict[int, int]] = [{} for _ in range(n_users)]  # scene and group peers
        self.housemates: list[tuple[int, int]] = []
        self.new: list[tuple[int, int]] = []
        for a, b, k in zip(src.tolist(), dst.tolist(), kind.tolist()):
            self.add(a, b, k)
        self.weights: list[list[tuple[int, float]]] = [[] for _ in range(n_users)]
        self.strength = [0.0] * n_users
        self.dirty = True
        self.built = False

    def add(self, a: int, b: int, kind: int) -> None:
        """A tie a-b of this kind (none to oneself), counted from the next re-weighing."""
        if a == b:
            return
        if kind == HOUSEMATE:
            self.housemates.append((a, b))
        else:
            self.new.append((a, b))
        self.dirty = True

    def reweigh(self, model: ReferenceModel) -> None:
        """Each user's neighbours (ascending) and weights, and the sum of the weights."""
        for a, b in self.new:
            self.counts[a][b] = self.counts[a].get(b, 0) + 1
            self.counts[b][a] = self.counts[b].get(a, 0) + 1
        self.new = []
        rows = [{j: float(c) for j, c in row.items()} for row in self.counts]
        users = model.users
        for a, b in self.housemates:
            house = users[a].house
            if house >= 0 and house == users[b].house:
                rows[a][b] = rows[a].get(b, 0.0) + self.housemate_weight
                rows[b][a] = rows[b].get(a, 0.0) + self.housemate_weight
        self.weights = [sorted(row.items()) for row in rows]
        self.strength = [sum(w for _, w in row) for row in self.weights]
        self.dirty, self.built = False, True

    def neighbour_sum(self, i: int, value: list[float]) -> float:
        """Sum over user ``i``'s ties of weight x ``value`` of the neighbour."""
        total = 0.0
        for j, w in self.weights[i]:
            total += w * value[j]
        return total

    def inverse_strength(self, i: int) -> float:
        s = self.strength[i]
        return 1.0 / max(s, 1e-12) if s > 0 else 0.0
