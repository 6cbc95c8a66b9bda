"""The capacity rules (ODD 7.2a), one function per sentence."""

from __future__ import annotations

import math


def places_of(places_per_1000: float, n_users: int) -> int:
    """Places are ``places_per_1000`` per 1,000 users of the simulated cohort, rounded to the
    nearest whole place (halves up): 1.5 per 1,000 users of 1,000 users is 2 places."""
    return int(math.floor(places_per_1000 * n_users / 1000.0 + 0.5))


def has_place(occupied: int, places: int) -> bool:
    """A place is free while fewer than ``places`` are occupied."""
    return occupied < places


def free_places(occupied: int, places: int) -> int:
    """How many can start one after another while a place is free (``has_place``):
    ``places - occupied``, none when all are occupied (or more: a full start)."""
    return max(places - occupied, 0)


def binds(places: int, n_users: int) -> bool:
    """Places can run out only if there are fewer than users (at 1,000 per 1,000 never)."""
    return places < n_users


def weeks_waited(since: int, week: int) -> int:
    """A user who joined a queue in week ``since`` and leaves it in week ``week`` (starts, stops
    by own means, relapses, dies) waited ``week - since`` weeks: the weeks recorded as waiting
    (the weekly records of weeks since..week-1). Still waiting at the horizon: counted to it."""
    return week - since
