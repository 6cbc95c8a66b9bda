"""The groups' column table: all groups ever founded, one row each (LASER-style).

Groups are few, but at 100,000 users there are thousands, so their weekly state lives in
preallocated numpy columns; rows are never removed (a dissolved group is a flag). Also the
members of groups, found from the people's ``group`` column.
"""

from __future__ import annotations

from typing import ClassVar

import numba
import numpy as np


class GroupTable:
    """Column store of all groups ever founded (index = group id)."""

    COLUMNS: ClassVar[dict[str, type]] = {
        "gtype": np.int8,
        "active": bool,
        "capacity": np.int32,
        "trust": float,
        "ext_core": np.int32,
        "founded": np.int32,
        "ended": np.int32,
        "professional": bool,
        "weeks_below": np.int32,
        "course_left": np.int32,
        "members": np.int32,
        "attendance": np.int32,
        "service": np.int32,
        "veteran_share": float,
        "similarity": float,
    }

    def __init__(self, capacity: int = 64):
        self.size = 0
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype))

    def add(
        self,
        gtype: int,
        week: int,
        capacity: int,
        trust: float,
        ext_core: int,
        professional: bool,
        course_left: int = 0,
    ) -> int:
        return int(
            self.add_many(gtype, 1, week, capacity, trust, ext_core, professional, course_left)[0]
        )

    def add_many(
        self,
        gtype: int,
        count: int,
        week: int,
        capacity: int,
        trust: float,
        ext_core: int,
        professional: bool,
        course_left: int = 0,
    ) -> np.ndarray:
        """Add ``count`` groups (the table doubles its columns when full).
        ``gtype``, ``capacity``, ``ext_core`` and ``professional`` may be arrays, one value per group."""
        while self.size + count > len(self.gtype):
            for name in self.COLUMNS:
                col = getattr(self, name)
                setattr(self, name, np.concatenate([col, np.zeros_like(col)]))
        gids = np.arange(self.size, self.size + count)
        self.size += count
        self.gtype[gids] = gtype
        self.active[gids] = True
        self.capacity[gids] = capacity
        self.trust[gids] = trust
        self.ext_core[gids] = ext_core
        self.founded[gids] = week
        self.ended[gids] = -1
        self.professional[gids] = professional
        self.course_left[gids] = course_left
        self.similarity[gids] = 1.0
        return gids


@numba.njit(cache=True)
def members(group: np.ndarray) -> np.ndarray:
    """Indices of the people in a group (``np.flatnonzero(group >= 0)``, without a branch per person)."""
    out = np.empty(len(group), np.int64)
    n = 0
    for i in range(len(group)):
        out[n] = i
        n += group[i] >= 0
    return out[:n]


def members_of(
    group: np.ndarray, gids: np.ndarray, n_groups: int, idx: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Members of the groups ``gids`` (ascending): their indices sorted by group (ascending
    within a group) and each group's slice bounds. ``idx``: everyone in a group, if known."""
    idx = members(group) if idx is None else idx
    return _members_of(group, np.asarray(gids, np.int64), n_groups, idx)


@numba.njit(cache=True)
def _members_of(group, gids, n_groups, idx):
    """A counting sort by group of those of ``idx`` (ascending) who are in one of the groups ``gids``."""
    slot = np.full(n_groups, -1, np.int64)  # position of each group in gids
    for k in range(len(gids)):
        slot[gids[k]] = k
    bounds = np.zeros(len(gids) + 1, np.int64)
    for i in idx:
        g = group[np.uint32(i)]
        k = slot[np.uint32(g)] if g >= 0 else -1
        if k >= 0:
            bounds[k + 1] += 1
    bounds = np.cumsum(bounds)
    fill = bounds[:-1].copy()
    out = np.empty(bounds[-1], np.int64)
    for i in idx:
        g = group[np.uint32(i)]
        k = slot[np.uint32(g)] if g >= 0 else -1
        if k >= 0:
            out[fill[k]] = i
            fill[k] += 1
    return out, bounds
