"""Group life and ending (process 3): trust, outside veterans, handover of clinic groups,
courses counting down, and groups ending (courses after their weeks, other groups when their
service core stays too small).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import RELATIVE_TYPES, RELATIVES_COURSE, USER_TYPES
from sim.groups.kernel import GroupLife, columns, group_week_pass
from sim.groups.membership import in_groups, members_pass, type_mask
from sim.groups.rules import GroupLifeParams, groups_ending
from sim.groups.table import members_of
from sim.records import fill

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def group_life(
    model: RecoveryModel,
    who: tuple[np.ndarray, np.ndarray] | None = None,
    counts: tuple[np.ndarray, ...] | None = None,
) -> None:
    """Trust, outside veterans, handover of clinic groups, course ends and dissolution.

    Only active groups change, in one pass over them (``kernel.group_week_pass``, numba). A group's draws
    are per group and week (sim/rng.py), so they do not depend on how many groups exist.
    ``counts``: the members' counts per group from ``members_pass``, if known."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    n = g.size
    a = np.flatnonzero(g.active[:n])
    um, rm = in_groups(model, who)
    # per group: members in service roles, settled members, veterans present (``members_pass``)
    counts = counts if counts is not None else members_pass(model, um, rm)[1]
    week = model.week
    rules = fill(GroupLifeParams, p, handover_weekly=1.0 / p.clinic_handover_weeks)
    group_week_pass(
        a,
        counts,
        columns(GroupLife, g),
        rules,
        model.streams.key("group_week", week),
        model.streams.key("group_veterans_leave", week),
    )
    last = (
        len(g.veteran_share) - 1
    )  # read by meeting_effects for members of a group ended this week
    if last < n and not g.active[last]:
        g.veteran_share[last] = 0.0
    courses = g.gtype[a] == RELATIVES_COURSE
    # courses end and groups dissolve (one call: the members found once, for both)
    ending = a[groups_ending(courses, g.course_left[a], g.weeks_below[a], p)]
    course_ends = g.gtype[ending] == RELATIVES_COURSE
    end_groups(model, ending[course_ends], "course_ended", (um, rm))
    if not course_ends.all():
        still = _still_in_group(um, u.group, rm, r.group) if course_ends.any() else (um, rm)
        end_groups(model, ending[~course_ends], "group_dissolved", still)


def _still_in_group(um, ugroup, rm, rgroup) -> tuple[np.ndarray, np.ndarray]:
    """The members ``um`` and ``rm`` who are still in a group (after some groups ended)."""
    return um[ugroup[um] >= 0], rm[rgroup[rm] >= 0]


def end_groups(
    model: RecoveryModel,
    gids: np.ndarray,
    event: str,
    who: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """The groups ``gids`` (ascending) end, with the same effects and events as ending them one
    after another; their members leave (users and open-group relatives keep wanting a group).
    ``who``: the users and relatives in a group, if known."""
    if len(gids) == 0:
        return
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    gids = np.asarray(gids)
    # users are only in users' and mixed groups, relatives only in relatives' and mixed groups
    kinds = g.gtype[gids]
    none = (np.zeros(0, np.int64), np.zeros(len(gids) + 1, np.int64))
    um, rm = who if who is not None else (None, None)
    uidx, ub = members_of(u.group, gids, g.size, um) if type_mask(USER_TYPES)[kinds].any() else none
    ridx, rb = (
        members_of(r.group, gids, g.size, rm) if type_mask(RELATIVE_TYPES)[kinds].any() else none
    )
    g.active[gids] = False
    g.ended[gids] = model.week
    g.attendance[gids] = 0
    g.members[gids] -= np.diff(ub) + np.diff(rb)
    ugid, rgid = u.group[uidx], r.group[ridx]
    u.group[uidx] = -1
    u.tenure[uidx] = 0
    u.service[uidx] = False
    u.sponsor[uidx] = False
    r.group[ridx] = -1
    r.tenure[ridx] = 0
    r.service[ridx] = False
    u.waiting[uidx] = True
    if event == "course_ended":
        cont = model.draw("course_continue", ridx) < p.course_continue_prob
        r.seeking[ridx[cont]] = True
    else:
        r.seeking[ridx] = True
    # group after group: its users leaving, its relatives leaving, then the group's end
    model.log.add_interleaved(
        [
            ("group_leave", model.person_id("users", uidx), ugid),
            ("group_leave", model.person_id("relatives", ridx), rgid),
            (event, np.full(len(gids), -1), gids),
        ],
        np.column_stack([np.diff(ub), np.diff(rb), np.ones(len(gids), np.int64)]),
    )
