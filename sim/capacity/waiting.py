"""Joining and leaving the waiting lists (ODD 7.2a), for the treatment and aftercare steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.capacity.rules import weeks_waited

if TYPE_CHECKING:
    from sim.model import RecoveryModel

# each waiting list's users' columns: since when waiting (-1: not), weeks waited in finished waits
COLUMNS = {"treatment": ("tq_since", "tq_weeks"), "aftercare": ("aq_since", "aq_weeks")}


def join(model: RecoveryModel, which: str, idx: np.ndarray) -> None:
    """``idx`` (ascending) join the tail of the waiting list ``which`` this week."""
    if len(idx) == 0:
        return
    since = getattr(model.users, COLUMNS[which][0])
    since[idx] = model.week
    getattr(model.capacity, which).push(idx)
    model.log.add(f"{which}_wait", idx)


def first_in_line(model: RecoveryModel, which: str, k: int) -> np.ndarray:
    """The first ``k`` in the waiting list ``which`` (fewer if fewer wait) leave it to start;
    their waits are counted (``weeks_waited``). Returns them, first in line first."""
    q = getattr(model.capacity, which)
    if len(q) == 0 or k <= 0:
        return np.zeros(0, np.int64)
    idx = q.pop(k)
    _count(model, which, idx)
    return idx


def stop_waiting(model: RecoveryModel, which: str, idx: np.ndarray) -> None:
    """Those of ``idx`` waiting in the list ``which`` leave it without starting (they stop using
    by their own means, relapse or die); their waits are counted, the rest keep their order."""
    if len(idx) == 0 or len(getattr(model.capacity, which)) == 0:
        return
    since = getattr(model.users, COLUMNS[which][0])
    idx = idx[since[idx] >= 0]
    if len(idx) == 0:
        return
    _count(model, which, idx)
    getattr(model.capacity, which).keep(since >= 0)


def leave_queues(model: RecoveryModel, idx: np.ndarray) -> None:
    """``idx`` leave every waiting list (the dead)."""
    for which in COLUMNS:
        stop_waiting(model, which, idx)


def _count(model: RecoveryModel, which: str, idx: np.ndarray) -> None:
    since_name, weeks_name = COLUMNS[which]
    u = model.users
    since, weeks = getattr(u, since_name), getattr(u, weeks_name)
    weeks[idx] += weeks_waited(since[idx], model.week)
    since[idx] = -1
