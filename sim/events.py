"""The event log: what happened to whom, and when."""

from __future__ import annotations

import numpy as np
import pandas as pd

EVENT_KINDS = (
    "discharge",
    "aftercare_start",
    "aftercare_end",
    "lapse",
    "relapse",
    "death",
    "treatment_entry",
    "quit",
    "group_join",
    "group_leave",
    "group_formed",
    "group_dissolved",
    "course_ended",
    "burnout_onset",
    "burnout_recovery",
    "programme_closed",
    "arrival",
    "moved",
    "treatment_wait",  # joined the treatment queue (ODD 7.2a)
    "aftercare_wait",  # joined the aftercare queue
)
_CODE = {k: i for i, k in enumerate(EVENT_KINDS)}


class EventLog:
    """Collects events as numpy chunks; turned into a table at the end of a run."""

    def __init__(self):
        self.week = 0
        self._chunks: list[tuple[int, int, np.ndarray, np.ndarray]] = []

    def add(self, kind: str, person: np.ndarray, group: np.ndarray | None = None) -> None:
        if len(person) == 0:
            return
        if group is None:
            group = np.full(len(person), -1, np.int32)
        # copies: a view would keep its whole base array alive (and change with it)
        self._chunks.append(
            (self.week, _CODE[kind], np.array(person, np.int64), np.array(group, np.int32))
        )

    def add_interleaved(
        self, streams: list[tuple[str, np.ndarray, np.ndarray]], counts: np.ndarray
    ) -> None:
        """Events of several streams, interleaved block by block: the same rows in the same order
        as ``add`` called for block 0 of each stream in turn, then for block 1 of each, and so on.
        Each stream is (kind, person, group) with its rows in block order; ``counts[k, j]`` is the
        number of rows of stream ``j`` in block ``k``. One call where a week founds or ends dozens
        of groups (a block per group), instead of two or three per group."""
        counts = np.asarray(counts, np.int64)
        total = int(counts.sum())
        if total == 0:
            return
        # where each row goes: the start of its block, plus the rows of earlier streams in the block
        block_start = np.cumsum(counts.sum(axis=1)) - counts.sum(axis=1)
        offset = np.cumsum(counts, axis=1) - counts
        code = np.empty(total, np.int8)
        person = np.empty(total, np.int64)
        group = np.empty(total, np.int32)
        for j, (kind, p, g) in enumerate(streams):
            c = counts[:, j]
            first = np.cumsum(c) - c  # the first row of each block within this stream's rows
            at = np.repeat(block_start + offset[:, j] - first, c) + np.arange(int(c.sum()))
            code[at] = _CODE[kind]
            person[at] = p
            group[at] = g
        self._chunks.append((self.week, code, person, group))

    def frame(self, n_users: int) -> pd.DataFrame:
        if not self._chunks:
            return pd.DataFrame(
                {"week": [], "event": [], "person": [], "person_kind": [], "group": []}
            )
        week = np.concatenate([np.full(len(p), w, np.int32) for w, _, p, _ in self._chunks])
        code = np.concatenate(
            [np.full(len(p), c, np.int8) if np.isscalar(c) else c for _, c, p, _ in self._chunks]
        )
        person = np.concatenate([p for _, _, p, _ in self._chunks])
        group = np.concatenate([g for _, _, _, g in self._chunks])
        kind = np.where(person < 0, "none", np.where(person < n_users, "user", "relative"))
        return pd.DataFrame(
            {
                "week": week,
                "event": pd.Categorical.from_codes(code, EVENT_KINDS),
                "person": person,
                "person_kind": kind,
                "group": group,
            }
        )
