"""The population's columns and the arrival schedule drawn at set-up.

``arrival_week`` and ``moved_week`` are users' columns; ``present`` is a relatives' column (a
relative takes part while their user is in the municipality, alive or dead). The schedule
(:class:`Arrivals`) is drawn once from the ``arrivals`` stream, before anything else about the
newcomers, and does not depend on the scenario: every arm of a comparison has the same people.
"""

from __future__ import annotations

import numpy as np

from sim.state import Column

USER_COLUMNS = (
    Column("arrival_week", np.int32, 0, "week the user entered treatment in the municipality"),
    Column("moved_week", np.int32, -1, "week the user moved away (-1: has not)"),
)

RELATIVE_COLUMNS = (
    Column("present", np.bool_, True, "the relative's user is in the municipality (alive or dead)"),
)


class Arrivals:
    """The weekly number of newcomers, drawn at set-up: week ``w``'s newcomers are the users
    ``first[w] .. first[w + 1] - 1`` (after the ``initial`` users there from week 0)."""

    def __init__(self, initial: int, weekly_mean: float, weeks: int, rng: np.random.Generator):
        self.initial = int(initial)
        self.weekly_mean = float(weekly_mean)
        self.per_week = (
            rng.poisson(weekly_mean, weeks).astype(np.int64) if weeks else np.zeros(0, np.int64)
        )
        self.first = self.initial + np.concatenate([[0], np.cumsum(self.per_week)])
        self.total = int(self.first[-1])

    @classmethod
    def none(cls, initial: int) -> Arrivals:
        """A closed cohort: the ``initial`` users and nobody after."""
        return cls(initial, 0.0, 0, np.random.default_rng(0))

    def at(self, week: int) -> np.ndarray:
        """The users arriving in ``week`` (ascending; empty after the schedule ends)."""
        if week >= len(self.per_week):
            return np.zeros(0, np.int64)
        return np.arange(self.first[week], self.first[week + 1], dtype=np.int64)

    def week_of(self) -> np.ndarray:
        """Every user's arrival week (0 for the users there from the start)."""
        weeks = np.zeros(self.total, np.int32)
        weeks[self.initial :] = np.repeat(
            np.arange(len(self.per_week), dtype=np.int32), self.per_week
        )
        return weeks
