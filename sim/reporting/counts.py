"""Counting helpers shared by the reporters: one pass over the people, the meetings held.

:class:`Tally` reads one moment of a model and counts what the reporters need once, when first
asked (two compiled passes: users and relatives); every reporter of that moment reads the same
counts. Counts are integers, exact in any order; shares divide a count by the head count.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.codes import (
    ABSENT,
    ABSTINENT,
    DEAD,
    ENGAGED,
    LIMIT,
    TOLERANT,
    TREATMENT,
    UNSTABLE,
    USING,
    WITHDRAWN,
    GroupType,
)

if TYPE_CHECKING:
    from sim.model import RecoveryModel

MEETING_MIN_PRESENT = 2  # a group-week with fewer present holds no meeting

USER_COUNTS = (
    "treatment",
    "abstinent",
    "using",
    "dead",
    "absent",
    "relapsed",
    "in_aftercare",
    "contacts",
    "in_groups",
    "attending",
    "with_activity",
    "unstable_housing",
    "waiting_treatment",
    "waiting_aftercare",
)
RELATIVE_COUNTS = (
    "present",
    "burnout",
    "in_groups",
    "seeking",
    "engaged",
    "tolerant",
    "withdrawn",
    "limit",
)


@numba.njit(cache=True)
def user_counts(
    status, relapsed, ac_left, ac_contact, group, attended, activity, housing, tq_since, aq_since
):
    """The users' counts in one pass, in the order of :data:`USER_COUNTS`."""
    n_treat = n_abst = n_using = n_dead = n_absent = n_relapsed = n_ac = n_contact = n_group = (
        n_att
    ) = n_activity = n_unstable = n_wait_t = n_wait_a = 0
    for i in range(len(status)):
        st = status[i]
        n_treat += st == TREATMENT
        n_abst += st == ABSTINENT
        n_using += st == USING
        n_dead += st == DEAD
        n_absent += st == ABSENT
        n_relapsed += relapsed[i]
        n_ac += ac_left[i] > 0
        n_contact += ac_contact[i]
        n_group += group[i] >= 0
        n_att += attended[i]
        alive = st != DEAD and st != ABSENT  # activity, housing: among the living who are here
        n_activity += alive and activity[i]
        n_unstable += alive and housing[i] == UNSTABLE
        n_wait_t += tq_since[i] >= 0
        n_wait_a += aq_since[i] >= 0
    c = np.zeros(14, np.int64)
    c[:] = (
        n_treat,
        n_abst,
        n_using,
        n_dead,
        n_absent,
        n_relapsed,
        n_ac,
        n_contact,
        n_group,
        n_att,
        n_activity,
        n_unstable,
        n_wait_t,
        n_wait_a,
    )
    return c


@numba.njit(cache=True)
def relative_counts(present, burnout, group, seeking, coping):
    """The present relatives' counts in one pass, in the order of :data:`RELATIVE_COUNTS`."""
    n_present = n_burnout = n_group = n_seeking = n_engaged = n_tolerant = n_withdrawn = 0
    n_limit = 0
    for i in range(len(burnout)):
        here = present[i]
        n_present += here
        n_burnout += here and burnout[i]
        n_group += here and group[i] >= 0
        n_seeking += here and seeking[i]
        c = coping[i]
        n_engaged += here and c == ENGAGED
        n_tolerant += here and c == TOLERANT
        n_withdrawn += here and c == WITHDRAWN
        n_limit += here and c == LIMIT
    out = np.zeros(8)
    out[:] = (
        n_present,
        n_burnout,
        n_group,
        n_seeking,
        n_engaged,
        n_tolerant,
        n_withdrawn,
        n_limit,
    )
    return out


def meeting_sizes(model: RecoveryModel) -> np.ndarray:
    """People present at each meeting held this week (active groups with 2 or more present)."""
    return Tally(model).meeting_sizes


class Tally:
    """The counts of one moment of ``model``, each made once when first asked."""

    def __init__(self, model: RecoveryModel):
        self.model = model

    @cached_property
    def users(self) -> dict[str, np.int64]:
        """User counts by name (:data:`USER_COUNTS`)."""
        u = self.model.users
        c = user_counts(
            u.status,
            u.relapsed,
            u.ac_left,
            u.ac_contact,
            u.group,
            u.attended,
            u.activity,
            u.housing,
            u.tq_since,
            u.aq_since,
        )
        return dict(zip(USER_COUNTS, c, strict=True))

    def user_share(self, name: str) -> float:
        """A user count over the users in the municipality (the dead included, those away not:
        the status shares sum to 1)."""
        return self.users[name] / max(self.model.users.n - self.users["absent"], 1)

    def living_share(self, name: str) -> float:
        """A user count over the living users in the municipality."""
        u = self.users
        return u[name] / max(self.model.users.n - u["dead"] - u["absent"], 1)

    def living_mean(self, column: str) -> float:
        """The mean of a users' column over the living users in the municipality (NaN if none)."""
        x = getattr(self.model.users, column)
        if self.users["dead"] == 0 and self.users["absent"] == 0:
            return float(x.mean())
        st = self.model.users.status
        alive = (st != DEAD) & (st != ABSENT)
        return float(x[alive].mean()) if alive.any() else float("nan")

    def present_relatives_mean(self, column: str) -> float:
        """The mean of a relatives' column over the relatives present (NaN when none is)."""
        r = self.model.relatives
        x = getattr(r, column)
        if self.relative_counts["present"] == r.n:
            return float(x.mean()) if len(x) else float("nan")
        return float(x[r.present].mean()) if r.present.any() else float("nan")

    @cached_property
    def relative_counts(self) -> dict[str, np.float64]:
        """Present relatives' counts by name (:data:`RELATIVE_COUNTS`)."""
        r = self.model.relatives
        c = relative_counts(r.present, r.burnout, r.group, r.seeking, r.coping)
        return dict(zip(RELATIVE_COUNTS, c, strict=True))

    @cached_property
    def relative_shares(self) -> dict[str, np.float64]:
        """Relative counts by name (:data:`RELATIVE_COUNTS`) over the relatives present."""
        c = self.relative_counts
        return {k: v / max(c["present"], 1) for k, v in c.items()}

    @cached_property
    def attendance(self) -> np.ndarray:
        """People present this week in each active group."""
        g = self.model.group_table
        return g.attendance[: g.size][g.active[: g.size]]

    @cached_property
    def meeting_sizes(self) -> np.ndarray:
        """People present at each meeting held (2 or more present)."""
        return self.attendance[self.attendance >= MEETING_MIN_PRESENT]

    @cached_property
    def groups_by_type(self) -> np.ndarray:
        """Active groups by type (index: :class:`sim.codes.GroupType`)."""
        g = self.model.group_table
        return np.bincount(g.gtype[: g.size][g.active[: g.size]], minlength=len(GroupType))
