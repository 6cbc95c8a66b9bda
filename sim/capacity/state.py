"""What capacity holds: the places of each service and their waiting lists (``model.capacity``)."""

from __future__ import annotations

from types import SimpleNamespace

from sim.capacity.rules import binds, places_of
from sim.vector import Queue


class Capacity:
    """Treatment and aftercare places (whole places per 1,000 users) and their waiting lists.

    The places are per 1,000 of ``base`` users: the cohort in a closed cohort; in a
    municipality, the users taking part, counted at the start of each year (ODD 7.1a)."""

    def __init__(self, n_users: int, p: SimpleNamespace):
        self.n_users = n_users
        self.treatment = Queue(n_users)  # users waiting for a treatment place, first in line first
        self.aftercare = Queue(n_users)  # users waiting for an aftercare place
        self.set_places(p, n_users)

    def set_places(self, p: SimpleNamespace, base: int | None = None) -> None:
        """The places of the levers ``p`` per 1,000 of ``base`` users (None: as before)."""
        self.base = self.base if base is None else int(base)
        self.treatment_places = places_of(p.treatment_places_per_1000, self.base)
        self.aftercare_places = places_of(p.aftercare_places_per_1000, self.base)

    def binds(self, which: str) -> bool:
        """Can the places of ``which`` ("treatment", "aftercare") run out for these users?"""
        return binds(getattr(self, f"{which}_places"), self.base)
