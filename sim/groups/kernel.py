"""The compiled passes of the groups' week: the loops and their speed tricks, the rules in ``rules.py``.

A pass receives the parameters as a named record (``rules.py``) and the columns it reads and
writes grouped in records of arrays (below; a namedtuple of arrays, which numba passes by
value and whose arrays it writes in place). :func:`columns` gathers a record's arrays from the
people or group table by field name.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import CLINIC, RELATIVES_COURSE, TREATMENT
from sim.groups.rules import (
    binomial_at,
    gives_up_service,
    handover_chance,
    is_settled,
    is_veteran_present,
    relative_attendance_chance,
    relative_dropout_chance,
    relative_service_chance,
    service_core,
    sponsor_chance,
    trust_after_week,
    user_attendance_chance,
    user_dropout_bound,
    user_dropout_chance,
    user_join_bound,
    user_join_chance,
    user_service_chance,
    veteran_arrival_chance,
    veteran_share,
)
from sim.records import record
from sim.rng import (
    three_uniforms_at,
    uniform_at,
    uniform_bound,
    uniform_field,
    uniform_of_word,
    words_all,
)

UserJoinState = record(
    "UserJoinState",
    "group tenure status waiting last_discharge positive_attitude ac_contact referred",
)
UserMemberState = record(
    "UserMemberState",
    "group tenure last_use status weeks_in_status attended met_in meetings service sponsor",
)
RelativeMemberState = record("RelativeMemberState", "group tenure service attended met_in")
GroupMeeting = record(
    "GroupMeeting", "gtype active trust"
)  # what a member's week reads of the group
GroupLife = record(
    "GroupLife",
    (
        "ext_core members trust gtype professional attendance course_left weeks_below service "
        "veteran_share"
    ),
)
MemberCounts = record("MemberCounts", "attendance members service settled veterans")  # per group
UserKeys = record("UserKeys", "attend service sponsor")
RelativeKeys = record("RelativeKeys", "drop attend service")


def columns(kind: type, source) -> tuple:
    """A ``kind`` record of ``source``'s arrays of the same names."""
    return kind(*(getattr(source, name) for name in kind._fields))


def member_counts(n: int) -> tuple:
    """Zero counts for ``n`` groups."""
    return MemberCounts(*(np.zeros(n, np.int64) for _ in MemberCounts._fields))


@numba.njit(cache=True)
def users_membership_pass(u, trust, p, week, key):
    """The members who drop out and the others who want a group this week (each ascending).

    The users whose draw can matter are found first without branches (members with a draw below
    the largest drop-out chance, those waiting, and others with a draw below the largest joining
    chance or discharged this week); the rules then run for those only."""
    # (the arrays taken out of their records once: a record's array read in the loop costs a reference count)
    group, tenure, status, waiting, last_discharge, positive_attitude, ac_contact, referred = u
    n = len(group)
    words = words_all(key, n)
    t_drop = uniform_bound(user_dropout_bound(p, trust.min()) if len(trust) else 0.0)
    t_join = uniform_bound(user_join_bound(p))
    found = np.empty(n, np.int64)
    n_found = 0
    for i in range(n):
        f = uniform_field(words[i])
        member = group[i] >= 0
        found[n_found] = i
        n_found += (member & (f < t_drop)) | (
            ~member
            & (
                waiting[i]
                | ((status[i] != TREATMENT) & ((f < t_join) | (last_discharge[i] == week)))
            )
        )
    drops = np.empty(n_found, np.int64)
    wants = np.empty(n_found, np.int64)
    n_drops = 0
    n_wants = 0
    for i in found[:n_found]:
        g = group[i]
        d = uniform_of_word(words[i])
        if g >= 0:
            if d < user_dropout_chance(tenure[i], trust[np.uint32(g)], p):
                drops[n_drops] = i
                n_drops += 1
        elif waiting[i] or d < user_join_chance(
            status[i],
            positive_attitude[i],
            ac_contact[i],
            last_discharge[i] == week and referred[i],
            p,
        ):  # (waiting: keep trying)
            wants[n_wants] = i
            n_wants += 1
    return drops[:n_drops], wants[:n_wants]


@numba.njit(cache=True)
def users_members_pass(idx, u, g, counts, p, keys, week, attend, take_roles):
    """Users in a group: attendance, then roles, each if asked; then the counts per group
    (see ``membership.members_pass``)."""
    # (the arrays taken out of their records once: a record's array read in the loop costs a reference count)
    (
        group,
        tenure,
        last_use,
        status,
        weeks_in_status,
        attended,
        met_in,
        meetings,
        service,
        sponsor,
    ) = u
    gtype, active, trust = g
    n_att, n_mem, n_service, n_settled, n_vets = counts
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        gi = np.uint32(group[i])
        t = tenure[i]
        st = status[i]
        if attend:
            chance = user_attendance_chance(t, week - last_use[i], trust[gi], st, p)
            came = active[gi] & (uniform_at(keys.attend, i) < chance)  # (a coin toss: no branch)
            attended[i] |= came
            met_in[i] = gi if came else met_in[i]
            n_att[gi] += came
            meetings[i] += came
            t += 1
            tenure[i] = t
            n_mem[gi] += 1
        if take_roles:
            if gives_up_service(st):
                service[i] = False
            elif not service[i]:
                c = user_service_chance(t, st, weeks_in_status[i], p)
                if c > 0.0 and uniform_at(keys.service, i) < c:  # (a draw only where it can matter)
                    service[i] = True
            if not sponsor[i]:
                c = sponsor_chance(t, gtype[gi], p)
                if c > 0.0 and uniform_at(keys.sponsor, i) < c:
                    sponsor[i] = True
        svc = service[i]
        n_service[gi] += svc
        n_settled[gi] += is_settled(t)
        n_vets[gi] += is_veteran_present(attended[i], t, svc)


@numba.njit(cache=True)
def relatives_members_pass(idx, r, g, counts, p, keys, drop, attend, take_roles):
    """Relatives in a group: drop-out, then for those who stay attendance and rotating service
    roles, each if asked; then the counts per group (see ``membership.members_pass``). Returns
    those who drop out and those who stay, each ascending."""
    group, tenure, service, attended, met_in = r  # (out of the record once, as above)
    gtype, active, _ = g
    n_att, n_mem, n_service, n_settled, n_vets = counts
    out = np.empty(len(idx), np.int64)
    stay = np.empty(len(idx), np.int64)
    n = n_stay = 0
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        gi = np.uint32(group[i])
        course = gtype[gi] == RELATIVES_COURSE
        t = tenure[i]
        if drop and uniform_at(keys.drop, i) < relative_dropout_chance(t, course, p):
            out[n] = i
            n += 1
            continue
        stay[n_stay] = i
        n_stay += 1
        if attend:
            came = active[gi] & (uniform_at(keys.attend, i) < relative_attendance_chance(course, p))
            attended[i] |= came
            met_in[i] = gi if came else met_in[i]
            n_att[gi] += came
            t += 1
            tenure[i] = t
            n_mem[gi] += 1
        if take_roles and not service[i]:
            c = relative_service_chance(t, course, p)
            if c > 0.0 and uniform_at(keys.service, i) < c:
                service[i] = True
        n_service[gi] += service[i]
        n_settled[gi] += is_settled(t)
        n_vets[gi] += is_veteran_present(attended[i], t, False)
    return out[:n].copy(), stay[:n_stay]


@numba.njit(cache=True)
def group_week_pass(active, counts, g, p, key, key_leave):
    """One week of each active group (see ``life.group_life``): service core, trust, outside
    veterans leaving (each with external_core_attrition) and arriving, the veterans' share at
    the meeting, handover, courses counting down, weeks with too small a service core."""
    (
        ext_core,
        members,
        trust,
        gtype,
        professional,
        attendance,
        course_left,
        weeks_below,
        service,
        shares,
    ) = g
    cohort_service, settled, cohort_vets = counts.service, counts.settled, counts.veterans
    for gi in active:
        ext = ext_core[gi]
        kind = gtype[gi]
        svc = service_core(cohort_service[gi], ext, professional[gi])
        service[gi] = svc
        d_shock, d_arrive, d_handover = three_uniforms_at(key, gi)
        t = trust_after_week(
            trust[gi], settled[gi], ext, members[gi], d_shock < p.group_shock_rate, p
        )
        trust[gi] = t
        leaving = (
            binomial_at(ext, p.external_core_attrition, uniform_at(key_leave, gi)) if ext > 0 else 0
        )
        arriving = d_arrive < veteran_arrival_chance(t, kind, p)
        ext = ext - leaving + arriving
        ext_core[gi] = ext
        shares[gi] = veteran_share(cohort_vets[gi], ext, attendance[gi])
        if d_handover < handover_chance(professional[gi], kind == CLINIC, p):
            professional[gi] = False
        if kind == RELATIVES_COURSE:
            course_left[gi] -= 1
            weeks_below[gi] = 0
        elif svc < p.group_min_service:
            weeks_below[gi] += 1
        else:
            weeks_below[gi] = 0
