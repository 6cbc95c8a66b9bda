"""Self-help groups: Mesa agents backed by a column table, and the group processes (3 and 4).

Groups are few, but at 100,000 users there are thousands, so their weekly state lives in
preallocated numpy columns (:class:`GroupTable`, LASER-style: rows are never removed, a
dissolved group is a flag). Each active group is also a Mesa agent (:class:`SelfHelpGroup`)
whose attributes read the table, so Mesa tools and the teaching page see ordinary agents; the
agents are brought up to date when the model's agents are asked for (:func:`group_agents`).
Python loops run only over the groups a week's starters plan to found.

Types: 0 users' open 12-step group; 1 relatives' open group (Al-Anon-like); 2 relatives'
closed course (LMS-like); 3 self-organised mixed group (Selvhjelp Norge-like);
4 clinic-led users' group that may be handed over to its members.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import mesa
import numba
import numpy as np

from sim.codes import (
    ABSTINENT,
    CLINIC,
    MIXED,
    RELATIVE_TYPES,
    RELATIVES_COURSE,
    RELATIVES_OPEN,
    SPONSORED,
    TREATMENT,
    TWELVE_STEP,
    TYPE_NAMES,
    USER_TYPES,
    USING,
)
from sim.soc import saturating_gain
from sim.rng import (
    three_uniforms_at,
    uniform_at,
    uniform_bound,
    uniform_field,
    uniform_of_word,
    words_all,
)
from sim.vector import WeekTable

if TYPE_CHECKING:
    from sim.model import RecoveryModel



class GroupTable:
    """Column store of all groups ever founded (index = group id)."""

    COLUMNS = {
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

    def add(self, gtype: int, week: int, capacity: int, trust: float, ext_core: int, professional: bool,
            course_left: int = 0) -> int:
        return int(self.add_many(gtype, 1, week, capacity, trust, ext_core, professional, course_left)[0])

    def add_many(self, gtype: int, count: int, week: int, capacity: int, trust: float, ext_core: int,
                 professional: bool, course_left: int = 0) -> np.ndarray:
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


class SelfHelpGroup(mesa.Agent):
    """A self-help group as a Mesa agent; its state lives in the model's :class:`GroupTable`."""

    def __init__(self, model: "RecoveryModel", gid: int):
        super().__init__(model)
        self.gid = gid

    def _col(self, name):
        return getattr(self.model.group_table, name)[self.gid]

    @property
    def kind(self) -> str:
        return TYPE_NAMES[int(self._col("gtype"))]

    @property
    def size(self) -> int:
        """Members from the cohort plus outside veterans."""
        return int(self._col("members") + self._col("ext_core"))

    @property
    def attendance(self) -> int:
        return int(self._col("attendance"))

    @property
    def trust(self) -> float:
        return float(self._col("trust"))

    @property
    def service_core(self) -> int:
        return int(self._col("service"))

    @property
    def self_organised(self) -> bool:
        return not bool(self._col("professional"))


def group_agents(model: "RecoveryModel") -> dict[int, SelfHelpGroup]:
    """The active groups as Mesa agents, by group id: agents are made for groups founded and
    removed for groups ended since the last call. The model calls this whenever its agents are
    asked for (``model.agents``, ``model.agents_by_type``, ``model.group_agents``), not every
    week: a long run founds and dissolves thousands of groups, and making and removing a Mesa
    agent costs about 10-15 microseconds each (docs/performance.md)."""
    agents = model._group_agents
    g = model.group_table
    active = np.flatnonzero(g.active[:g.size]).tolist()
    keep = set(active)
    for gid in [gid for gid in agents if gid not in keep]:
        agents.pop(gid).remove()
    for gid in active:
        if gid not in agents:
            agents[gid] = SelfHelpGroup(model, gid)
    return agents


# ---------------------------------------------------------------------------- set-up
def create_initial_groups(model: "RecoveryModel") -> None:
    """Found the groups the municipality has at the start, from the density parameters (T13)."""
    p, rng = model.p, model.streams["init_groups"]
    population = model.n_users * p.population_per_user
    n12 = int(round(p.groups_12step_per_100k * population / 1e5))
    n_other = int(round(p.groups_other_per_100k * population / 1e5))
    n_rel = int(round(n_other * p.other_groups_relatives_share))
    kinds = [TWELVE_STEP] * max(n12, 1) + [RELATIVES_OPEN] * max(n_rel, 1) + [MIXED] * (n_other - n_rel)
    for gtype in kinds:
        ext = p.group_min_service + rng.poisson(max(p.group_external_core_mean - p.group_min_service, 0.0))
        found_group(model, gtype, ext_core=int(ext), trust=0.7, professional=False, founded=-int(rng.integers(0, 520)))


def found_group(model: "RecoveryModel", gtype: int, ext_core: int, trust: float, professional: bool,
                founded: int | None = None, course_left: int = 0) -> int:
    p = model.p
    capacity = p.course_capacity if gtype == RELATIVES_COURSE else p.group_capacity
    week = model.week if founded is None else founded
    gid = model.group_table.add(gtype, week, capacity, trust, ext_core, professional, course_left)
    model.group_table.similarity[gid] = p.mixed_group_similarity if gtype == MIXED else 1.0
    model.group_table.members[gid] = 0
    if founded is None:
        model.log.add("group_formed", np.array([-1]), np.array([gid]))
    return gid


def found_groups(model: "RecoveryModel", who: str, gtype: int, founders: np.ndarray, ext_core: int, trust: float,
                 professional: bool) -> np.ndarray:
    """Found one group per row of ``founders`` (users or relatives, who join it at once): the same
    groups, memberships and events as :func:`found_group` then :func:`join`, group after group."""
    p, g = model.p, model.group_table
    k, m = founders.shape
    capacity = p.course_capacity if gtype == RELATIVES_COURSE else p.group_capacity
    gids = g.add_many(gtype, k, model.week, capacity, trust, ext_core, professional)
    g.similarity[gids] = p.mixed_group_similarity if gtype == MIXED else 1.0
    people = model.users if who == "users" else model.relatives
    idx = founders.ravel()
    per_person = np.repeat(gids, m).astype(np.int32)
    people.group[idx] = per_person
    people.tenure[idx] = 0
    people.ever_group[idx] = True
    g.members[gids] = m
    log_founding(model, gids, model.person_id(who, idx), np.full(k, m, np.int64))
    return gids


# ---------------------------------------------------------------------------- helpers
@numba.njit(cache=True)
def members(group: np.ndarray) -> np.ndarray:
    """Indices of the people in a group (``np.flatnonzero(group >= 0)``, without a branch per person)."""
    out = np.empty(len(group), np.int64)
    n = 0
    for i in range(len(group)):
        out[n] = i
        n += group[i] >= 0
    return out[:n]


def _in_groups(model: "RecoveryModel", who: tuple[np.ndarray, np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:
    """The users and the relatives in a group: ``who`` if the caller found them already."""
    return who if who is not None else (members(model.users.group), members(model.relatives.group))


def pick_groups(u: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Map uniforms to group ids drawn evenly from ``candidates`` (-1 if none)."""
    if len(candidates) == 0:
        return np.full(len(u), -1, np.int32)
    idx = np.minimum((u * len(candidates)).astype(np.int64), len(candidates) - 1)
    return candidates[idx].astype(np.int32)


MEMBERSHIP_PER_SEAT = 1.5  # members per seat at a meeting: about two in three attend in a week


def room(model: "RecoveryModel") -> np.ndarray:
    """Free member places per group: 1.5 x capacity (members) less members and outside veterans."""
    g = model.group_table
    return _room(g.active, g.capacity, g.members, g.ext_core, g.size)


def open_with_room(model: "RecoveryModel", types: tuple[int, ...], free: np.ndarray | None = None) -> np.ndarray:
    """Active groups of the given types with a free place, ascending (``free``: ``room(model)``, if known)."""
    g = model.group_table
    free = room(model) if free is None else free
    return np.flatnonzero((free > 0) & _type_mask(types)[g.gtype[:g.size]])


@functools.cache
def _type_mask(types: tuple[int, ...]) -> np.ndarray:
    """True for the group types in ``types`` (by type code)."""
    return np.isin(np.arange(len(TYPE_NAMES)), types)


@numba.njit(cache=True)
def _room(active, capacity, members, ext_core, n):
    free = np.zeros(n, np.int64)
    for gi in range(n):
        if active[gi]:
            free[gi] = max(np.int64(np.floor(MEMBERSHIP_PER_SEAT * capacity[gi])) - members[gi] - ext_core[gi], 0)
    return free


def within_room(model: "RecoveryModel", gids: np.ndarray, free: np.ndarray | None = None) -> np.ndarray:
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


def leave(model: "RecoveryModel", who: str, idx: np.ndarray) -> None:
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


def join(model: "RecoveryModel", who: str, idx: np.ndarray, gids: np.ndarray) -> None:
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


# ---------------------------------------------------------------------------- process 3
def users_membership(model: "RecoveryModel") -> None:
    """Users join (referral at discharge, own initiative) and drop out (early drop-out falls with tenure).

    Members drop out with dropout_newcomer x 0.5 ** (tenure / halving) x (1.5 - trust); relapse
    never ends membership. Others join with user_group_join_rate x attitude factor (x 0.5 while
    using, x (1 + peer_staff) with an aftercare contact), at least referral_join_prob x attitude
    x (1 + peer_staff / 2) in the week of a referred discharge, never while in treatment; those
    waiting for a place keep trying. One pass over the users (numba), then joining in numpy."""
    p, u, g = model.p, model.users, model.group_table
    halving = _HALVING.covering(u.tenure, p.dropout_tenure_halving_weeks)
    drops, wants = _users_membership(
        u.group, u.tenure, u.status, u.waiting, u.last_discharge, u.positive_attitude, u.ac_contact, u.referred,
        g.trust, model.week, p.dropout_newcomer * halving, p.user_group_join_rate, p.negative_attitude_join_factor,
        p.peer_staff, p.referral_join_prob, model.streams.key("users_membership", model.week))
    leave(model, "users", drops)
    free = room(model)
    cand = open_with_room(model, USER_TYPES, free)
    gids = within_room(model, pick_groups(model.draw("users_assign", wants), cand), free)
    join(model, "users", wants, gids)
    u.waiting[wants] = gids < 0


@numba.njit(cache=True)
def _users_membership(group, tenure, status, waiting, last_discharge, positive_attitude, ac_contact, referred,
                      trust, week, p_drop_by_tenure, join_rate, negative_factor, peer_staff, referral_prob, key):
    """The members who drop out and the others who want a group this week (each ascending).

    The users whose draw can matter are found first without branches (members with a draw below
    the largest drop-out chance, those waiting, and others with a draw below the largest joining
    chance or discharged this week); the rules then run for those only."""
    n = len(group)
    words = words_all(key, n)
    # the largest chances: 1.5 - trust is at most 1.5 - min(lowest trust, 0)
    t_drop = uniform_bound(p_drop_by_tenure.max() * (1.5 - min(trust.min(), 0.0)) if len(trust) else 0.0)
    t_join = uniform_bound(join_rate * max(1.0, negative_factor) * (1.0 + max(peer_staff, 0.0)))
    found = np.empty(n, np.int64)
    n_found = 0
    for i in range(n):
        f = uniform_field(words[i])
        member = group[i] >= 0
        found[n_found] = i
        n_found += (member & (f < t_drop)) | (~member & (waiting[i] | ((status[i] != TREATMENT) & (
            (f < t_join) | (last_discharge[i] == week)))))
    drops = np.empty(n_found, np.int64)
    wants = np.empty(n_found, np.int64)
    n_drops = 0
    n_wants = 0
    for i in found[:n_found]:
        g = group[i]
        d = uniform_of_word(words[i])
        if g >= 0:
            if d < p_drop_by_tenure[np.uint32(tenure[i])] * (1.5 - trust[np.uint32(g)]):
                drops[n_drops] = i
                n_drops += 1
        elif waiting[i]:
            wants[n_wants] = i
            n_wants += 1
        else:
            st = status[i]
            if st == TREATMENT:
                continue  # not while in treatment
            attitude = 1.0 if positive_attitude[i] else negative_factor
            p_join = join_rate * attitude * (0.5 if st == USING else 1.0)
            p_join = p_join * (1.0 + peer_staff * ac_contact[i])
            if last_discharge[i] == week and referred[i]:
                p_join = max(p_join, referral_prob * attitude * (1.0 + 0.5 * peer_staff))
            if d < p_join:
                wants[n_wants] = i
                n_wants += 1
    return drops[:n_drops], wants[:n_wants]


def relatives_membership(model: "RecoveryModel") -> np.ndarray:
    """Relatives drop out of open groups (not courses). Returns the relatives still in a group."""
    return _members_pass(model, None, members(model.relatives.group), drop=True)[0]


def attendance(model: "RecoveryModel", who: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Members attend this week's meeting: more with tenure, trust and in crises, less while using.

    Users attend with probability (attend_base + attend_tenure_gain (1 - exp(-tenure / 52))
    + attend_crisis_gain [used in the last 4 weeks]) x (0.8 + 0.4 trust) x (0.6 if using), at most
    0.98; relatives with ``relatives_attend`` (0.9 in a course). Only active groups meet. One
    pass over the members of each kind (numba), which also counts members and attendance."""
    _members_pass(model, *_in_groups(model, who), attend=True)


def roles(model: "RecoveryModel", who: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Role progression: newcomer, regular, service role (helper principle); 12-step sponsors.

    Abstinent members with 13 weeks' tenure and 26 weeks abstinent take a service role with
    ``service_uptake`` a week and give it up while using; members of 12-step and clinic groups
    with 4 weeks' tenure find a sponsor with ``sponsor_prob`` / 8 a week; relatives in open groups
    take rotating service roles after 13 weeks (Al-Anon: seed 000, L3198-3202). One pass over
    the members of each kind (numba); a draw is only made where it can matter."""
    _members_pass(model, *_in_groups(model, who), take_roles=True)


def members_week(model: "RecoveryModel") -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, ...]]:
    """Relatives' drop-out, attendance and roles of every member, as one pass over the members of
    each kind (the same draws and results as ``relatives_membership``, ``attendance`` and
    ``roles`` one after another). Returns the users and relatives still in a group, and the
    per-group counts ``group_life`` needs."""
    um = members(model.users.group)
    rm, counts = _members_pass(model, um, members(model.relatives.group), drop=True, attend=True, take_roles=True)
    return (um, rm), counts


def _members_pass(model: "RecoveryModel", um: np.ndarray | None, rm: np.ndarray, drop: bool = False,
                  attend: bool = False, take_roles: bool = False) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The week of the members ``um`` (users; None: none) and ``rm`` (relatives), in the order
    relatives' drop-out, attendance, roles (each only if asked), as one compiled pass over each
    kind. Returns the relatives still in a group (ascending) and the per-group counts of members
    in service roles, settled members (13 weeks or more) and veterans at the meeting (attending
    with a service role or a year's tenure; relatives by tenure only)."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    n = g.size
    streams, week = model.streams, model.week
    n_att = np.zeros(n, np.int64)
    n_mem = np.zeros(n, np.int64)
    n_service = np.zeros(n, np.int64)
    n_settled = np.zeros(n, np.int64)
    n_vets = np.zeros(n, np.int64)
    if attend:
        u.attended = np.zeros(u.n, bool)
        u.met_in = np.full(u.n, -1, np.int32)  # the meeting's group, even if it ends this week
        r.attended = np.zeros(r.n, bool)
        r.met_in = np.full(r.n, -1, np.int32)
    if take_roles:
        u.service &= u.group >= 0
    if um is not None:
        gain = _TENURE_GAIN.covering(u.tenure, p.attend_tenure_gain) if attend else _NO_TABLE
        _users_members(um, u.group, u.tenure, u.last_use, u.status, u.weeks_in_status, g.trust, g.active, g.gtype,
                       SPONSORED, week, p.attend_base, gain, p.attend_crisis_gain, p.service_uptake,
                       p.sponsor_prob / 8.0, streams.key("users_attend", week), streams.key("roles_service", week),
                       streams.key("roles_sponsor", week), attend, take_roles, u.attended, u.met_in, u.meetings,
                       u.service, u.sponsor, n_att, n_mem, n_service, n_settled, n_vets)
    p_drop = (p.relatives_dropout * _HALVING.covering(r.tenure, p.dropout_tenure_halving_weeks) if drop
              else _NO_TABLE)
    drops, stay = _relatives_members(
        rm, r.group, r.tenure, r.service, r.attended, r.met_in, g.gtype, g.active, p_drop, p.relatives_attend,
        p.service_uptake, streams.key("relatives_membership", week), streams.key("relatives_attend", week),
        streams.key("relatives_roles_service", week), drop, attend, take_roles, n_att, n_mem, n_service, n_settled,
        n_vets)
    if drop:
        leave(model, "relatives", drops)  # (leave counts them out of the groups' members; attendance recounts anyway)
    if attend:
        a = np.flatnonzero(g.active[:n])  # ended groups keep no members and no attendance
        g.members[a] = n_mem[a]
        g.attendance[a] = n_att[a] + g.ext_core[a]
    return stay, (n_service, n_settled, n_vets)


_NO_TABLE = np.zeros(1)  # a week table that is not read (the step it belongs to was not asked for)


@numba.njit(cache=True)
def _users_members(idx, group, tenure, last_use, status, weeks_in_status, trust, active, gtype, sponsored, week,
                   base, gain, crisis_gain, uptake, p_sponsor, k_attend, k_service, k_sponsor, attend, take_roles,
                   attended, met_in, meetings, service, sponsor, n_att, n_mem, n_service, n_settled, n_vets):
    """Users in a group: attendance (see ``attendance``), then roles (see ``roles``), each if
    asked; then the counts per group (see ``_members_pass``)."""
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        g = np.uint32(group[i])
        t = tenure[i]
        st = status[i]
        if attend:
            p = (base + gain[np.uint32(t)] + crisis_gain * ((week - last_use[i]) <= 4)) * (0.8 + 0.4 * trust[g])
            p = p * 0.6 if st == USING else p
            came = active[g] & (uniform_at(k_attend, i) < min(p, 0.98))  # (a coin toss: no branch)
            attended[i] |= came
            met_in[i] = g if came else met_in[i]
            n_att[g] += came
            meetings[i] += came
            t += 1
            tenure[i] = t
            n_mem[g] += 1
        if take_roles:
            if st == USING:
                service[i] = False
            elif (not service[i] and t >= 13 and st == ABSTINENT and weeks_in_status[i] >= 26
                  and uniform_at(k_service, i) < uptake):
                service[i] = True
            if not sponsor[i] and t >= 4 and sponsored[gtype[g]] and uniform_at(k_sponsor, i) < p_sponsor:
                sponsor[i] = True
        svc = service[i]
        n_service[g] += svc
        n_settled[g] += t >= 13
        n_vets[g] += attended[i] & ((t >= 52) | svc)


@numba.njit(cache=True)
def _relatives_members(idx, group, tenure, service, attended, met_in, gtype, active, p_drop, p_open, uptake,
                       k_drop, k_attend, k_service, drop, attend, take_roles, n_att, n_mem, n_service, n_settled,
                       n_vets):
    """Relatives in a group: drop-out from open groups (not courses), then for those who stay
    attendance (``relatives_attend``; 0.9 in a course) and rotating service roles in open groups
    (see ``roles``), each if asked; then the counts per group (see ``_members_pass``). Returns
    those who drop out and those who stay, each ascending."""
    out = np.empty(len(idx), np.int64)
    stay = np.empty(len(idx), np.int64)
    n = n_stay = 0
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        g = np.uint32(group[i])
        course = gtype[g] == RELATIVES_COURSE
        t = tenure[i]
        if drop and not course and uniform_at(k_drop, i) < p_drop[np.uint32(t)]:
            out[n] = i
            n += 1
            continue
        stay[n_stay] = i
        n_stay += 1
        if attend:
            came = active[g] & (uniform_at(k_attend, i) < (0.9 if course else p_open))  # (a coin toss: no branch)
            attended[i] |= came
            met_in[i] = g if came else met_in[i]
            n_att[g] += came
            t += 1
            tenure[i] = t
            n_mem[g] += 1
        if take_roles and not service[i] and t >= 13 and not course and uniform_at(k_service, i) < uptake:
            service[i] = True
        n_service[g] += service[i]
        n_settled[g] += t >= 13
        n_vets[g] += attended[i] & (t >= 52)
    return out[:n].copy(), stay[:n_stay]


def _halving(weeks: np.ndarray, half_weeks: float) -> np.ndarray:
    return 0.5 ** (weeks / half_weeks)


_HALVING = WeekTable(_halving)  # drop-out falls by half every half_weeks of tenure (sim/vector.py)


def schedule_courses(model: "RecoveryModel", seekers: np.ndarray | None = None) -> None:
    """Relatives' courses start at the scenario's rate and take help-seeking relatives first.
    ``seekers``: the relatives seeking a group (``waiting_lists``), if known."""
    p, r = model.p, model.relatives
    rate = p.relatives_courses_per_year_per_1000 * model.n_users / 1000.0 / 52.0
    n_new = model.streams["courses"].poisson(rate)
    if n_new == 0:
        return
    seekers = waiting_lists(model)[1] if seekers is None else seekers
    for _ in range(int(n_new)):
        if len(seekers) < 3:
            break
        take, seekers = seekers[: p.course_capacity], seekers[p.course_capacity:]
        gid = found_group(model, RELATIVES_COURSE, ext_core=1, trust=0.5, professional=True,
                          course_left=p.course_weeks)
        join(model, "relatives", take, np.full(len(take), gid, np.int32))
        r.seeking[take] = False


def waiting_lists(model: "RecoveryModel") -> tuple[np.ndarray, np.ndarray]:
    """The users waiting for a group place (not while using) and the relatives seeking a group,
    each ascending (the order founders and course places are taken in)."""
    u, r = model.users, model.relatives
    w = np.flatnonzero(u.waiting)  # (few: the flags first, then the rest for those only)
    s = np.flatnonzero(r.seeking)
    return w[(u.group[w] < 0) & (u.status[w] != USING)], s[r.group[s] < 0]


def _tenure_gain(weeks: np.ndarray, gain: float) -> np.ndarray:
    return gain * (1 - np.exp(-weeks / 52.0))


_TENURE_GAIN = WeekTable(_tenure_gain)  # attendance gain by weeks of tenure (sim/vector.py)


def group_life(model: "RecoveryModel", who: tuple[np.ndarray, np.ndarray] | None = None,
               counts: tuple[np.ndarray, ...] | None = None) -> None:
    """Trust, outside veterans, handover of clinic groups, course ends and dissolution.

    Only active groups change, in one pass over them (``_group_week``, numba). A group's draws
    are per group and week (sim/rng.py), so they do not depend on how many groups exist.
    ``counts``: the members' counts per group from ``_members_pass``, if known."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    n = g.size
    a = np.flatnonzero(g.active[:n])
    um, rm = _in_groups(model, who)
    # per group: members in service roles, settled members, veterans present (``_members_pass``)
    n_service, n_settled, n_vets = counts if counts is not None else _members_pass(model, um, rm)[1]
    week = model.week
    _group_week(a, n_service, n_settled, n_vets, g.ext_core, g.members, g.trust,
                g.gtype, g.professional, g.attendance, g.course_left, g.weeks_below, g.service, g.veteran_share,
                p.trust_gain, p.group_shock_rate, p.external_core_attrition, p.external_core_recruitment,
                1.0 / p.clinic_handover_weeks, p.group_min_service, model.streams.key("group_week", week),
                model.streams.key("group_veterans_leave", week))
    last = len(g.veteran_share) - 1  # read by meeting_effects for members of a group ended this week
    if last < n and not g.active[last]:
        g.veteran_share[last] = 0.0
    courses = g.gtype[a] == RELATIVES_COURSE
    # courses end and groups dissolve (one call: the members found once, for both)
    ending = a[(courses & (g.course_left[a] <= 0)) | (~courses & (g.weeks_below[a] >= p.group_dissolve_grace_weeks))]
    course_ends = g.gtype[ending] == RELATIVES_COURSE
    end_groups(model, ending[course_ends], "course_ended", (um, rm))
    if not course_ends.all():
        still = _still_in_group(um, u.group, rm, r.group) if course_ends.any() else (um, rm)
        end_groups(model, ending[~course_ends], "group_dissolved", still)


@numba.njit(cache=True)
def _binomial_at(n, p, u):
    """The Binomial(n, p) value at uniform ``u`` (inverse of the distribution function; n is small)."""
    if p <= 0.0 or n <= 0:
        return 0
    if p >= 1.0:
        return n
    q = (1.0 - p) ** n
    cdf = q
    k = 0
    ratio = p / (1.0 - p)
    while u >= cdf and k < n:
        q *= (n - k) / (k + 1) * ratio
        k += 1
        cdf += q
    return k


@numba.njit(cache=True)
def _group_week(active, cohort_service, settled, cohort_vets, ext_core, members, trust, gtype, professional,
                attendance, course_left, weeks_below, service, veteran_share, trust_gain, shock_rate, attrition,
                recruitment, p_handover, min_service, key, key_leave):
    """One week of each active group: its service core (members in service roles, outside
    veterans, two for professional backing); trust moves towards the share of settled members and
    halves in a shock; outside veterans leave (each with ``attrition``) and arrive (with
    ``recruitment`` x trust, not to courses); the share of veterans at the meeting; clinic groups
    handed over; courses count down; weeks with too small a service core (courses exempt)."""
    for gi in active:
        ext = ext_core[gi]
        kind = gtype[gi]
        svc = cohort_service[gi] + ext + 2 * professional[gi]
        service[gi] = svc
        target = 0.3 + 0.7 * (settled[gi] + ext) / max(members[gi] + ext, 1)
        t = trust[gi]
        t += trust_gain * (target - t)
        d_shock, d_arrive, d_handover = three_uniforms_at(key, gi)
        if d_shock < shock_rate:
            t *= 0.5
        trust[gi] = t
        leaving = _binomial_at(ext, attrition, uniform_at(key_leave, gi)) if ext > 0 else 0
        arriving = (d_arrive < recruitment * t) and kind != RELATIVES_COURSE
        ext = ext - leaving + arriving
        ext_core[gi] = ext
        att = attendance[gi]
        veteran_share[gi] = (cohort_vets[gi] + ext) / att if att > 0 else 0.0
        if d_handover < p_handover and professional[gi] and kind == CLINIC:
            professional[gi] = False
        if kind == RELATIVES_COURSE:
            course_left[gi] -= 1
            weeks_below[gi] = 0
        elif svc < min_service:
            weeks_below[gi] += 1
        else:
            weeks_below[gi] = 0


def _still_in_group(um, ugroup, rm, rgroup) -> tuple[np.ndarray, np.ndarray]:
    """The members ``um`` and ``rm`` who are still in a group (after some groups ended)."""
    return um[ugroup[um] >= 0], rm[rgroup[rm] >= 0]


def members_of(group: np.ndarray, gids: np.ndarray, n_groups: int,
               idx: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
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


def end_groups(model: "RecoveryModel", gids: np.ndarray, event: str,
               who: tuple[np.ndarray, np.ndarray] | None = None) -> None:
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
    uidx, ub = members_of(u.group, gids, g.size, um) if _type_mask(USER_TYPES)[kinds].any() else none
    ridx, rb = members_of(r.group, gids, g.size, rm) if _type_mask(RELATIVE_TYPES)[kinds].any() else none
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
        [("group_leave", model.person_id("users", uidx), ugid),
         ("group_leave", model.person_id("relatives", ridx), rgid),
         (event, np.full(len(gids), -1), gids)],
        np.column_stack([np.diff(ub), np.diff(rb), np.ones(len(gids), np.int64)]))


def formation(model: "RecoveryModel", waiting: tuple[np.ndarray, np.ndarray] | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """New groups need a starter (professional or organisation) and enough interested people.

    Each starter this week (Poisson) founds a users' group if at least ``group_min_founders``
    users wait and they are no fewer than the waiting relatives (clinic-led with probability
    1/2, else 12-step with probability 0.7 or mixed), otherwise a relatives' group if enough
    relatives seek one; up to half a group's capacity of the longest waiting join as founders
    and one of them chairs (not in clinic-led groups). The week's groups are planned starter
    after starter, then founded together (the same groups, members and events in the same order
    as founding them one at a time). ``waiting``: the lists of ``waiting_lists``, if known;
    returns them without the founders."""
    p = model.p
    rng = model.streams["groups"]
    population = model.n_users * p.population_per_user
    rate = p.starter_rate * population / 1e5 * (1.0 + 4.0 * p.group_starter_support)
    starters = int(rng.poisson(rate))
    waiting = waiting_lists(model) if waiting is None else waiting
    if starters == 0:
        return waiting
    # who waits; founders taken below leave the front of these lists
    waiting_u, waiting_r = waiting
    half = p.group_capacity // 2
    plan: list[tuple[bool, int, bool, np.ndarray]] = []  # (users?, type, professional, founders)
    for _ in range(starters):
        if len(waiting_u) >= p.group_min_founders and len(waiting_u) >= len(waiting_r):
            professional = rng.random() < 0.5
            gtype = CLINIC if professional else (TWELVE_STEP if rng.random() < 0.7 else MIXED)
            plan.append((True, gtype, professional, waiting_u[:half]))
            waiting_u = waiting_u[half:]
        elif len(waiting_r) >= p.group_min_founders:
            plan.append((False, RELATIVES_OPEN, False, waiting_r[:half]))
            waiting_r = waiting_r[half:]
    if plan:
        _found_planned(model, plan)
    return waiting_u, waiting_r


def _found_planned(model: "RecoveryModel", plan: list[tuple[bool, int, bool, np.ndarray]]) -> None:
    """Found the planned groups: table rows, founders joining, chairs, and the events in plan
    order (each group formed, then its founders joining)."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    gtypes = np.array([t for _, t, _, _ in plan])
    professional = np.array([pro for _, _, pro, _ in plan])
    gids = g.add_many(gtypes, len(plan), model.week, p.group_capacity, 0.4, np.where(professional, 0, 1), professional)
    g.similarity[gids] = np.where(gtypes == MIXED, p.mixed_group_similarity, 1.0)
    sizes = np.array([len(take) for _, _, _, take in plan], np.int64)
    g.members[gids] = sizes
    for users, people in ((True, u), (False, r)):
        ks = [k for k, step in enumerate(plan) if step[0] == users]
        if not ks:
            continue
        take = np.concatenate([plan[k][3] for k in ks])
        people.group[take] = np.repeat(gids[ks], sizes[ks])
        people.tenure[take] = 0
        people.ever_group[take] = True
        (u.waiting if users else r.seeking)[take] = False
        chairs = [plan[k][3][0] for k in ks if not plan[k][2] and len(plan[k][3])]
        people.service[chairs] = True  # a founder chairs (not in clinic-led groups)
    person = np.concatenate([model.person_id("users" if users else "relatives", take) for users, _, _, take in plan])
    log_founding(model, gids, person, sizes)


def log_founding(model: "RecoveryModel", gids: np.ndarray, person: np.ndarray, sizes: np.ndarray) -> None:
    """The events of founding the groups ``gids``, group after group: formed, then its ``sizes[k]``
    founders (``person``, in group order) joining."""
    model.log.add_interleaved(
        [("group_formed", np.full(len(gids), -1), gids), ("group_join", person, np.repeat(gids, sizes))],
        np.column_stack([np.ones(len(gids), np.int64), sizes]))


def member_founding(model: "RecoveryModel", waiting: tuple[np.ndarray, np.ndarray] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Open 12-step and relatives' groups are easy to found from existing ones (seed 002, L57): when
    people wait for a place, veterans of existing groups start new groups at ``group_split_rate``
    per week per full group's worth of waiting people. Mixed and clinic groups need a starter.
    ``waiting``: the lists of ``waiting_lists``, if known; returns them without the founders."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    rng = model.streams["groups"]
    n = g.size
    lists = list(waiting_lists(model) if waiting is None else waiting)
    for k, (who, gtype) in enumerate((("users", TWELVE_STEP), ("relatives", RELATIVES_OPEN))):
        if not (g.active[:n] & (g.gtype[:n] == gtype)).any():
            continue
        waiting_k = lists[k]
        if len(waiting_k) < p.group_min_founders:
            continue
        n_new = min(int(rng.poisson(p.group_split_rate * len(waiting_k) / p.group_capacity)),
                    len(waiting_k) // p.group_min_founders)
        if n_new == 0:
            continue
        take, lists[k] = waiting_k[: n_new * p.group_min_founders], waiting_k[n_new * p.group_min_founders:]
        founders = take.reshape(n_new, p.group_min_founders)
        found_groups(model, who, gtype, founders, ext_core=1, trust=0.5, professional=False)
        people = u if who == "users" else r
        people.service[founders[:, 0]] = True  # a founder chairs, beside the founding veteran
        if who == "users":
            u.waiting[take] = False
        else:
            r.seeking[take] = False
    return lists[0], lists[1]


def groups_step(model: "RecoveryModel") -> None:
    """Process 3: formation, membership, attendance, roles, group life and dissolution."""
    # the lists of who waits for a group are found once; founders and course places take from their front
    waiting = member_founding(model, formation(model))
    schedule_courses(model, waiting[1])
    users_membership(model)
    # relatives' drop-out, attendance and roles in one pass over the members (``members_week``);
    # membership does not change again until groups end at the close of group life
    who, counts = members_week(model)
    group_life(model, who, counts)


# ---------------------------------------------------------------------------- process 4
def meeting_effects(model: "RecoveryModel") -> None:
    """Process 4: effects of each meeting attended (direction from the seeds, sizes parameters).

    Shame falls (normalisation, more among similar members); hope rises with veterans present
    (experiential power); comprehensibility with insight, manageability with coping and support,
    meaningfulness with belonging and helping others (doubled with a service role); integration
    deepens (working the programme); and a meeting may give a new sober tie to a co-member.
    """
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    a = members(u.met_in)  # the users who met this week
    _users_meeting(a, u.met_in, g.similarity, g.veteran_share, u.service, u.shame, u.hope, u.comp, u.manage,
                   u.meaning, u.integration, p.meeting_shame_drop, p.meeting_hope_gain,
                   p.meeting_comprehensibility_gain, p.meeting_manageability_gain, p.meeting_meaningfulness_gain,
                   p.meeting_integration_gain)
    chosen = a[model.draw("meeting_ties", a) < p.meeting_tie_prob]
    model.network.add_meeting_ties(a, u.met_in, chosen, model.draw("meeting_tie_partner", chosen))
    soc_gain = (p.meeting_comprehensibility_gain + p.meeting_manageability_gain + p.meeting_meaningfulness_gain)
    _relatives_meeting(members(r.met_in), r.met_in, g.similarity, g.veteran_share, r.shame, r.hope_self, r.soc13,
                       p.meeting_shame_drop, p.relatives_hope_self_gain, soc_gain / 3.0)


@numba.njit(cache=True)
def _users_meeting(idx, met_in, similarity, veteran_share, service, shame, hope, comp, manage, meaning, integration,
                   shame_drop, hope_gain, comp_gain, manage_gain, meaning_gain, integration_gain):
    """Users who met this week: shame falls (more among similar members), hope rises with
    veterans present, the SOC components rise (``saturating_gain``;
    meaningfulness doubled with a service role), integration deepens."""
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        g = np.uint32(met_in[i])
        shame[i] = min(max(shame[i] - shame_drop * similarity[g], 0.0), 1.0)
        hope[i] = min(max(hope[i] + hope_gain * veteran_share[g], 8.0), 64.0)
        c, m, me = comp[i], manage[i], meaning[i]
        comp[i] = c + saturating_gain(c, comp_gain)
        manage[i] = m + saturating_gain(m, manage_gain)
        meaning[i] = me + saturating_gain(me, meaning_gain * (1.0 + service[i]))
        integration[i] += integration_gain * (1.0 - integration[i])


@numba.njit(cache=True)
def _relatives_meeting(idx, met_in, similarity, veteran_share, shame, hope_self, soc13, shame_drop, hope_gain, soc_gain):
    """Relatives who met this week: shame falls (more among similar members), hope for oneself
    rises with veterans present, SOC-13 rises (``saturating_gain``)."""
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        g = np.uint32(met_in[i])
        shame[i] = min(max(shame[i] - shame_drop * similarity[g], 0.0), 1.0)
        hope_self[i] = min(max(hope_self[i] + hope_gain * veteran_share[g], 0.0), 1.0)
        soc13[i] += 13.0 * saturating_gain(soc13[i] / 13.0, soc_gain)
