"""Helpers that keep the weekly loop fast (docs/performance.md).

* Relatives of some users. The users x relatives matrix (``Network.kin``) lists each user's
  relatives, so the relatives of the few users with an event this week are a lookup, not a
  pass over all relatives.
* Functions of whole weeks. Quantities that depend only on a count of weeks (the baseline
  relapse probability, relatives' hope for an abstinent user) are computed once per count.
* Memory. Freed arrays are reused rather than handed back to the kernel.
* Waiting lists. A first-in, first-out :class:`Queue` of people is preallocated once, one slot
  per person; joining, leaving at the head and leaving from the middle are slices and one mask.

The per-person passes compiled with numba live beside the rules they implement.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp


def rows_of(matrix: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """Column indices of the given rows of a CSR matrix, row after row (e.g. relatives of users)."""
    ptr = matrix.indptr
    lo = ptr[rows]
    counts = ptr[np.asarray(rows) + 1] - lo
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, matrix.indices.dtype)
    starts = np.cumsum(counts) - counts
    return matrix.indices[np.repeat(lo - starts, counts) + np.arange(total)]


class WeekTable:
    """``f(weeks, *args)`` for whole numbers of weeks, computed once per count and looked up after.

    ``f`` must be elementwise (each value depends only on its own count, so a value is the same
    bit for bit whether computed in the table or for everyone); the table is rebuilt when
    ``args`` (the parameter values ``f`` uses) change or a larger count is asked for.
    """

    def __init__(self, f: Callable[..., np.ndarray]):
        self.f = f
        self.args: tuple | None = None
        self.values = np.zeros(0)

    def __call__(self, weeks: np.ndarray, *args) -> np.ndarray:
        if len(weeks) == 0 or weeks.min() < 0:
            return self.f(weeks, *args)
        top = int(weeks.max()) + 1
        if args != self.args:
            # new parameter values: start afresh (never grow with the number of parameter sets seen)
            self.values = self.f(np.arange(max(top, 64), dtype=weeks.dtype), *args)
            self.args = args
        elif top > len(self.values):
            self.values = self.f(
                np.arange(max(top, 2 * len(self.values)), dtype=weeks.dtype), *args
            )
        return self.values[weeks]

    def covering(self, counts: np.ndarray, *args) -> np.ndarray:
        """The table for 0, 1, ..., the largest of ``counts`` (for a compiled pass to index)."""
        return self(np.arange(int(counts.max(initial=0)) + 1, dtype=np.int64), *args)


_ALLOCATOR_TUNED: bool | None = None


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse rather than give it back at once.

    The weekly loop makes and drops many arrays of a few megabytes (one number per relative).
    By default glibc returns such blocks to the kernel when they are freed, so every new array
    costs page faults: at 100,000 users about a quarter of the run time. With a fixed mmap
    threshold of 32 MB and a trim threshold of 512 MB, freed blocks are reused instead. Called
    once per process by the model; nothing happens off glibc (macOS, Windows, musl) or when the
    environment variable ``RECOVERY_SIM_MALLOC=system`` is set. Returns whether it was applied.
    """
    global _ALLOCATOR_TUNED
    if _ALLOCATOR_TUNED is None:
        _ALLOCATOR_TUNED = False
        if (
            sys.platform.startswith("linux")
            and os.environ.get("RECOVERY_SIM_MALLOC", "") != "system"
        ):
            try:
                mallopt = ctypes.CDLL(None).mallopt
                m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
                _ALLOCATOR_TUNED = bool(mallopt(m_mmap_threshold, 32 << 20)) and bool(
                    mallopt(m_trim_threshold, 512 << 20)
                )
            except (OSError, AttributeError):
                pass
    return _ALLOCATOR_TUNED


class Queue:
    """A first-in, first-out queue of people, preallocated once for everyone (a waiting list).

    Each person is in the queue at most once, so ``capacity`` places (the number of people) are
    enough and nothing is appended inside the weekly loop: people join at the tail in the order
    given (ascending index within a week), the first ``k`` leave at the head, and those who leave
    from the middle (death, quitting, relapse) are dropped by :meth:`keep`, which keeps the order
    of the rest. Every operation is a slice or one mask over the waiting people only.
    """

    def __init__(self, capacity: int):
        self.items = np.zeros(capacity, np.int64)
        self.head = 0
        self.tail = 0

    def __len__(self) -> int:
        return self.tail - self.head

    def waiting(self) -> np.ndarray:
        """The people waiting, first in line first (a view: copy before changing the queue)."""
        return self.items[self.head : self.tail]

    def push(self, idx: np.ndarray) -> None:
        """``idx`` join at the tail, in the order given."""
        k = len(idx)
        if k == 0:
            return
        if self.tail + k > len(self.items):  # move the waiting people to the front first
            n = len(self)
            self.items[:n] = self.items[self.head : self.tail]
            self.head, self.tail = 0, n
        if self.tail + k > len(self.items):
            raise ValueError("Queue.push: more people than the queue's capacity")
        self.items[self.tail : self.tail + k] = idx
        self.tail += k

    def pop(self, k: int) -> np.ndarray:
        """The first ``k`` in line (fewer if fewer wait) leave at the head; returns them in order."""
        k = max(min(int(k), len(self)), 0)
        out = self.items[self.head : self.head + k].copy()
        self.head += k
        if self.head == self.tail:
            self.head = self.tail = 0
        return out

    def keep(self, still: np.ndarray) -> None:
        """Keep those waiting whose entry of the per-person mask ``still`` is True, in order."""
        live = self.items[self.head : self.tail]
        kept = live[still[live]]
        self.items[: len(kept)] = kept
        self.head, self.tail = 0, len(kept)
