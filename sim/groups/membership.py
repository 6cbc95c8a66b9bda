"""Membership (process 3): users and relatives join and leave groups, within the groups' room;
attendance and roles in the members' pass.

Users drop out and join in one pass over the users (``kernel.users_membership_pass``), then
joining in numpy; relatives' drop-out, attendance and roles of all members in one pass over
the members of each kind (:func:`members_pass`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.codes import TYPE_NAMES, USER_TYPES, USING
from sim.groups.kernel import (
    GroupMeeting,
    RelativeKeys,
    RelativeMemberState,
    UserJoinState,
    UserKeys,
    UserMemberState,
    columns,
    member_counts,
    relatives_members_pass,
    users_members_pass,
    users_membership_pass,
)
from sim.groups.rules import (
    RelativeMemberParams,
    UserJoinParams,
    UserMemberParams,
    dropout_halving,
    free_places,
    tenure_gain,
)
from sim.groups.table import members
from sim.records import fill
from sim.vector import WeekTable

if TYPE_CHECKING:
    from sim.model import RecoveryModel

_HALVING = WeekTable(dropout_halving)  # drop-out by weeks of tenure (sim/vector.py)
_TENURE_GAIN = WeekTable(tenure_gain)  # attendance gain by weeks of tenure
_NO_TABLE = np.zeros(1)  # a week table that is not read (the step it belongs to was not asked for)


# ---------------------------------------------------------------------------- room and places
def pick_groups(u: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Map uniforms to group ids drawn evenly from ``candidates`` (-1 if none)."""
    if len(candidates) == 0:
        return np.full(len(u), -1, np.int32)
    idx = np.minimum((u * len(candidates)).astype(np.int64), len(candidates) - 1)
    return candidates[idx].astype(np.int32)


def room(model: RecoveryModel) -> np.ndarray:
    """Free member places per group: 1.5 x capacity (members) less members and outside veterans."""
    g = model.group_table
    return _room(g.active, g.capacity, g.members, g.ext_core, g.size)


def open_with_room(
    model: RecoveryModel, types: tuple[int, ...], free: np.ndarray | None = None
) -> np.ndarray:
    """Active groups of the given types with a free place, ascending (``free``: ``room(model)``, if known)."""
    g = model.group_table
    free = room(model) if free is None else free
    return np.flatnonzero((free > 0) & type_mask(types)[g.gtype[: g.size]])


@functools.cache
def type_mask(types: tuple[int, ...]) -> np.ndarray:
    """True for the group types in ``types`` (by type code)."""
    return np.isin(np.arange(len(TYPE_NAMES)), types)


@numba.njit(cache=True)
def _room(active, capacity, members, ext_core, n):
    free = np.zeros(n, np.int64)
    for gi in range(n):
        if active[gi]:
            free[gi] = free_places(capacity[gi], members[gi], ext_core[gi])
    return free


def free_in(model: RecoveryModel, types: tuple[int, ...], free: np.ndarray | None = None) -> int:
    """Free member places in all active groups of the given types (``free``: ``room(model)``, if known)."""
    g = model.group_table
    free = room(model) if free is None else free
    return int(free[type_mask(types)[g.gtype[: g.size]]].sum())


def within_room(
    model: RecoveryModel, gids: np.ndarray, free: np.ndarray | None = None
) -> np.ndarray:
    """Keep at most each group's free places among this week's joiners (in arrival order); -1 for the rest.
    ``free``: ``room(model)``, if known."""
    free = room(model) if free is None else free
    out = gids.copy()
    valid = np.flatnonzero(gids >= 0)
    if len(valid) == 0:
        return out
    order = valid[np.argsort(gids[valid], kind="stable")]
    g_sorted = gids[order]
    first = np.searchsorted(g_sorted, g_sorted, side="left")
    rank = np.arange(len(order)) - first
    out[order[rank >= free[g_sorted]]] = -1
    return out


def leave(model: RecoveryModel, who: str, idx: np.ndarray) -> None:
    """Members ``idx`` (users or relatives) leave their groups."""
    if len(idx) == 0:
        return
    people = model.users if who == "users" else model.relatives
    gids = people.group[idx]
    np.subtract.at(model.group_table.members, gids, 1)
    people.group[idx] = -1
    people.tenure[idx] = 0
    people.service[idx] = False
    if who == "users":
        people.sponsor[idx] = False
    model.log.add("group_leave", model.person_id(who, idx), gids)


def join(model: RecoveryModel, who: str, idx: np.ndarray, gids: np.ndarray) -> None:
    ok = gids >= 0
    idx, gids = idx[ok], gids[ok]
    if len(idx) == 0:
        return
    people = model.users if who == "users" else model.relatives
    people.group[idx] = gids
    people.tenure[idx] = 0
    people.ever_group[idx] = True
    np.add.at(model.group_table.members, gids, 1)
    model.log.add("group_join", model.person_id(who, idx), gids)


def waiting_lists(model: RecoveryModel) -> tuple[np.ndarray, np.ndarray]:
    """The users waiting for a group place (not while using) and the relatives seeking a group,
    each ascending (the order founders and course places are taken in)."""
    u, r = model.users, model.relatives
    w = np.flatnonzero(u.waiting)  # (few: the flags first, then the rest for those only)
    s = np.flatnonzero(r.seeking)
    return w[(u.group[w] < 0) & (u.status[w] != USING)], s[r.group[s] < 0]


def in_groups(
    model: RecoveryModel, who: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray]:
    """The users and the relatives in a group: ``who`` if the caller found them already."""
    return who if who is not None else (members(model.users.group), members(model.relatives.group))


# ---------------------------------------------------------------------------- the week's membership
def users_membership(model: RecoveryModel) -> None:
    """Users join (referral at discharge, own initiative) and drop out (early drop-out falls with tenure).

    Members drop out with dropout_newcomer x 0.5 ** (tenure / halving) x (1.5 - trust); relapse
    never ends membership. Others join with user_group_join_rate x attitude factor (x 0.5 while
    using, x (1 + peer_staff) with an aftercare contact), at least referral_join_prob x attitude
    x (1 + peer_staff / 2) in the week of a referred discharge, never while in treatment; those
    waiting for a place keep trying. One pass over the users (numba), then joining in numpy."""
    p, u, g = model.p, model.users, model.group_table
    rules = fill(
        UserJoinParams,
        p,
        dropout_by_tenure=p.dropout_newcomer
        * _HALVING.covering(u.tenure, p.dropout_tenure_halving_weeks),
    )
    drops, wants = users_membership_pass(
        columns(UserJoinState, u),
        g.trust,
        rules,
        model.week,
        model.streams.key("users_membership", model.week),
    )
    leave(model, "users", drops)
    free = room(model)
    cand = open_with_room(model, USER_TYPES, free)
    gids = within_room(model, pick_groups(model.draw("users_assign", wants), cand), free)
    join(model, "users", wants, gids)
    u.waiting[wants] = gids < 0


def relatives_membership(model: RecoveryModel) -> np.ndarray:
    """Relatives drop out of open groups (not courses). Returns the relatives still in a group."""
    return members_pass(model, None, members(model.relatives.group), drop=True)[0]


def attendance(model: RecoveryModel, who: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Members attend this week's meeting: more with tenure, trust and in crises, less while using.

    Users attend with probability (attend_base + attend_tenure_gain (1 - exp(-tenure / 52))
    + attend_crisis_gain [used in the last 4 weeks]) x (0.8 + 0.4 trust) x (0.6 if using), at most
    0.98; relatives with ``relatives_attend`` (0.9 in a course). Only active groups meet. One
    pass over the members of each kind (numba), which also counts members and attendance."""
    members_pass(model, *in_groups(model, who), attend=True)


def roles(model: RecoveryModel, who: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Role progression: newcomer, regular, service role (helper principle); 12-step sponsors.

    Abstinent members with 13 weeks' tenure and 26 weeks abstinent take a service role with
    ``service_uptake`` a week and give it up while using; members of 12-step and clinic groups
    with 4 weeks' tenure find a sponsor with ``sponsor_prob`` / 8 a week; relatives in open groups
    take rotating service roles after 13 weeks (Al-Anon: seed 000, L3198-3202). One pass over
    the members of each kind (numba); a draw is only made where it can matter."""
    members_pass(model, *in_groups(model, who), take_roles=True)


def members_week(model: RecoveryModel) -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Relatives' drop-out, attendance and roles of every member, as one pass over the members of
    each kind (the same draws and results as ``relatives_membership``, ``attendance`` and
    ``roles`` one after another). Returns the users and relatives still in a group, and the
    per-group counts ``group_life`` needs."""
    um = members(model.users.group)
    rm, counts = members_pass(
        model, um, members(model.relatives.group), drop=True, attend=True, take_roles=True
    )
    return (um, rm), counts


def members_pass(
    model: RecoveryModel,
    um: np.ndarray | None,
    rm: np.ndarray,
    drop: bool = False,
    attend: bool = False,
    take_roles: bool = False,
) -> tuple[np.ndarray, tuple]:
    """The week of the members ``um`` (users; None: none) and ``rm`` (relatives), in the order
    relatives' drop-out, attendance, roles (each only if asked), as one compiled pass over each
    kind. Returns the relatives still in a group (ascending) and the per-group counts
    (``kernel.MemberCounts``: attendance, members, members in service roles, settled members and
    veterans at the meeting)."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    n = g.size
    streams, week = model.streams, model.week
    counts = member_counts(n)
    if attend:
        u.attended = np.zeros(u.n, bool)
        u.met_in = np.full(u.n, -1, np.int32)  # the meeting's group, even if it ends this week
        r.attended = np.zeros(r.n, bool)
        r.met_in = np.full(r.n, -1, np.int32)
    if take_roles:
        u.service &= u.group >= 0
    groups = columns(GroupMeeting, g)
    if um is not None:
        gain = _TENURE_GAIN.covering(u.tenure, p.attend_tenure_gain) if attend else _NO_TABLE
        rules = fill(UserMemberParams, p, tenure_gain=gain, sponsor_weekly=p.sponsor_prob / 8.0)
        keys = UserKeys(
            streams.key("users_attend", week),
            streams.key("roles_service", week),
            streams.key("roles_sponsor", week),
        )
        users_members_pass(
            um, columns(UserMemberState, u), groups, counts, rules, keys, week, attend, take_roles
        )
    p_drop = (
        p.relatives_dropout * _HALVING.covering(r.tenure, p.dropout_tenure_halving_weeks)
        if drop
        else _NO_TABLE
    )
    keys = RelativeKeys(
        streams.key("relatives_membership", week),
        streams.key("relatives_attend", week),
        streams.key("relatives_roles_service", week),
    )
    drops, stay = relatives_members_pass(
        rm,
        columns(RelativeMemberState, r),
        groups,
        counts,
        fill(RelativeMemberParams, p, dropout_by_tenure=p_drop),
        keys,
        drop,
        attend,
        take_roles,
    )
    if drop:
        leave(
            model, "relatives", drops
        )  # (leave counts them out of the groups' members; attendance recounts anyway)
    if attend:
        a = np.flatnonzero(g.active[:n])  # ended groups keep no members and no attendance
        g.members[a] = counts.members[a]
        g.attendance[a] = counts.attendance[a] + g.ext_core[a]
    return stay, counts
