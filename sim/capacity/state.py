"""What capacity holds: the places of each service and their waiting lists (``model.capacity``)."""

from __future__ import annotations

from types import SimpleNamespace

from sim.capacity.rules import binds, places_of
from sim.vector import Queue


class Capacity:
    """Treatment and aftercare places (whole places for this cohort) and their waiting lists."""

    def __init__(self, n_users: int, p: SimpleNamespace):
        self.n_users = n_users
        self.treatment_places = places_of(p.treatment_places_per_1000, n_users)
        self.aftercare_places = places_of(p.aftercare_places_per_1000, n_users)
        self.treatment = Queue(n_users)  # users waiting for a treatment place, first in line first
        self.aftercare = Queue(n_users)  # users waiting for an aftercare place

    def binds(self, which: str) -> bool:
        """Can the places of ``which`` ("treatment", "aftercare") run out for this cohort?"""
        return binds(getattr(self, f"{which}_places"), self.n_users)
