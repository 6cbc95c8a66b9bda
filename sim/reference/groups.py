"""The reference model's groups (processes 3 and 4), one person and one group at a time.

Founding takes the longest-waiting people first (the waiting lists in index order), with the
weekly counts of starters, veterans' new groups and courses drawn from the same Generator
streams as sim/groups/founding.py, in the same order. Joiners pick a group among those with
room with their uniform (``sim.groups.pick_groups``), in index order, while places last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import (
    CLINIC,
    GROUP_PEER,
    MIXED,
    RELATIVE_OPEN_TYPES,
    RELATIVES_COURSE,
    RELATIVES_OPEN,
    TWELVE_STEP,
    USER_TYPES,
    USING,
)
from sim.groups import pick_groups
from sim.groups import rules as G
from sim.reference.group import Group

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def found(
    model: ReferenceModel,
    gtype: int,
    ext_core: int,
    trust: float,
    professional: bool,
    course_left: int = 0,
) -> Group:
    p = model.p
    state = {
        "gtype": gtype,
        "active": True,
        "capacity": p.course_capacity if gtype == RELATIVES_COURSE else p.group_capacity,
        "trust": trust,
        "ext_core": ext_core,
        "founded": model.week,
        "ended": -1,
        "professional": professional,
        "weeks_below": 0,
        "course_left": course_left,
        "members": 0,
        "attendance": 0,
        "service": 0,
        "veteran_share": 0.0,
        "similarity": p.mixed_group_similarity if gtype == MIXED else 1.0,
    }
    group = Group(model, len(model.groups), state)
    model.groups.append(group)
    return group


def join(group: Group, person) -> None:
    person.group, person.tenure, person.ever_group = group.gid, 0, True
    group.members += 1


def leave(model: ReferenceModel, person) -> None:
    model.groups[person.group].members -= 1
    person.group, person.tenure, person.service = -1, 0, False
    if hasattr(person, "sponsor"):
        person.sponsor = False


def waiting_lists(model: ReferenceModel) -> tuple[list, list]:
    users = [u for u in model.users if u.waiting and u.group < 0 and u.status != USING]
    return users, [r for r in model.relatives if r.seeking and r.group < 0]


def free_in(model: ReferenceModel, types: tuple[int, ...]) -> int:
    """Free member places in the active groups of ``types``."""
    return sum(g.room() for g in model.groups if g.gtype in types)


def formation(model: ReferenceModel, waiting_u: list, waiting_r: list) -> tuple[list, list]:
    """Each starter this week founds a users' group (clinic-led, 12-step or mixed) if enough
    users wait for a place (beyond the free places at the start), no fewer than relatives,
    else a relatives' group if enough relatives wait for a place in an open group."""
    p, rng = model.p, model.streams["groups"]
    starters = int(rng.poisson(G.starter_rate(model.inhabitants, p)))
    half = p.group_capacity // 2
    free_u, free_r = free_in(model, USER_TYPES), free_in(model, RELATIVE_OPEN_TYPES)
    for _ in range(starters):
        n_u = G.waiting_for_place(len(waiting_u), free_u)
        n_r = G.waiting_for_place(len(waiting_r), free_r)
        if n_u >= p.group_min_founders and n_u >= n_r:
            professional = bool(rng.random() < G.CLINIC_LED_SHARE)
            gtype = (
                CLINIC
                if professional
                else (TWELVE_STEP if rng.random() < G.TWELVE_STEP_SHARE else MIXED)
            )
            group = found(model, gtype, 0 if professional else 1, 0.4, professional)
            founders, waiting_u = waiting_u[:half], waiting_u[half:]
            for user in founders:
                join(group, user)
                user.waiting = False
            if founders and not professional:
                founders[0].service = True  # a founder chairs (not in clinic-led groups)
        elif n_r >= p.group_min_founders:
            group = found(model, RELATIVES_OPEN, 1, 0.4, False)
            founders, waiting_r = waiting_r[:half], waiting_r[half:]
            for rel in founders:
                join(group, rel)
                rel.seeking = False
            if founders:
                founders[0].service = True
    return waiting_u, waiting_r


def member_founding(model: ReferenceModel, waiting_u: list, waiting_r: list) -> tuple[list, list]:
    """Veterans of open 12-step and relatives' groups found new ones when people wait for a
    place (beyond the free places at the start of this step)."""
    p, rng = model.p, model.streams["groups"]
    lists = [waiting_u, waiting_r]
    existing = list(model.groups)
    free = [free_in(model, USER_TYPES), free_in(model, RELATIVE_OPEN_TYPES)]
    for k, gtype in enumerate((TWELVE_STEP, RELATIVES_OPEN)):
        if not any(g.active and g.gtype == gtype for g in existing):
            continue
        waiting = lists[k]
        size = p.group_min_founders
        n_wait = G.waiting_for_place(len(waiting), free[k])
        if n_wait < size:
            continue
        n_new = min(int(rng.poisson(G.member_founding_rate(n_wait, p))), n_wait // size)
        for j in range(n_new):
            group = found(model, gtype, 1, 0.5, False)
            founders = waiting[j * size : (j + 1) * size]
            for person in founders:
                join(group, person)
                if k == 0:
                    person.waiting = False
                else:
                    person.seeking = False
            founders[0].service = True  # a founder chairs, beside the founding veteran
        lists[k] = waiting[n_new * size :]
    return lists[0], lists[1]


def schedule_courses(model: ReferenceModel, seekers: list) -> None:
    p = model.p
    n_new = model.streams["courses"].poisson(G.course_rate(model.n_users, p))
    for _ in range(int(n_new)):
        if len(seekers) < 3:
            break
        take, seekers = seekers[: p.course_capacity], seekers[p.course_capacity :]
        course = found(model, RELATIVES_COURSE, 1, 0.5, True, course_left=p.course_weeks)
        for rel in take:
            join(course, rel)
            rel.seeking = False


def place(model: ReferenceModel, people: list, types: tuple[int, ...], assign: str) -> list[bool]:
    """Each of ``people`` (in index order) picks one of the groups of ``types`` with room with
    its uniform of decision ``assign`` and joins it while it has places. Returns who joined."""
    open_groups = [g for g in model.groups if g.gtype in types and g.room() > 0]
    free = {g.gid: g.room() for g in open_groups}
    candidates = np.array([g.gid for g in open_groups], np.int64)
    out = []
    for person in people:
        gid = int(pick_groups(model.draw(assign, person.index), candidates)[0])
        ok = gid >= 0 and free[gid] > 0
        if ok:
            free[gid] -= 1
            join(model.groups[gid], person)
        out.append(ok)
    return out


def users_membership(model: ReferenceModel) -> None:
    """Members drop out, others who want a group join one with room (or keep waiting)."""
    wants = []
    decisions = [(u, u.drops_or_wants()) for u in model.users]
    for user, what in decisions:
        if what == "drop":
            leave(model, user)
        elif what == "want":
            wants.append(user)
    for user, joined in zip(wants, place(model, wants, USER_TYPES, "users_assign")):
        user.waiting = not joined


def groups_step(model: ReferenceModel) -> None:
    """Process 3: founding, membership, the members' week, group life and endings."""
    waiting = member_founding(model, *formation(model, *waiting_lists(model)))
    schedule_courses(model, waiting[1])
    users_membership(model)
    for person in model.users + model.relatives:
        person.attended, person.met_in = False, -1
    for g in model.groups:
        g.reset_counts()
    for user in model.users:
        if user.group >= 0:
            user.member_week()
    for rel in model.relatives:
        if rel.group >= 0 and rel.member_week():
            leave(model, rel)
    active = [g for g in model.groups if g.active]
    for g in active:
        g.members = g.count_members
        g.attendance = g.count_attendance + g.ext_core
    for g in active:
        g.week()
    for g in active:
        if g.gtype == RELATIVES_COURSE and g.course_left <= 0:
            end(model, g, course=True)
    for g in active:
        if g.gtype != RELATIVES_COURSE and g.weeks_below >= model.p.group_dissolve_grace_weeks:
            end(model, g, course=False)


def end(model: ReferenceModel, group: Group, course: bool) -> None:
    """The group ends; its users keep wanting a group, its relatives too (after a course, some)."""
    p = model.p
    group.active, group.ended, group.attendance = False, model.week, 0
    for user in model.users:
        if user.group == group.gid:
            leave(model, user)
            user.waiting = True
    for rel in model.relatives:
        if rel.group == group.gid:
            leave(model, rel)
            if not course or model.uniform("course_continue", rel.index) < p.course_continue_prob:
                rel.seeking = True
    group.remove()  # no longer among the model's Mesa agents (its row stays, as in the table)


def meeting_effects(model: ReferenceModel) -> None:
    """Process 4: each user and relative who met this week; a meeting may give a sober tie to a
    co-attendee (picked by its uniform among the meeting's attendees in index order)."""
    p = model.p
    met = [u for u in model.users if u.met_in >= 0]
    for user in met:
        user.meeting()
    if len(met) >= 2:
        by_meeting: dict[int, list[int]] = {}
        for user in met:
            by_meeting.setdefault(user.met_in, []).append(user.index)
        for user in met:
            if model.uniform("meeting_ties", user.index) < p.meeting_tie_prob:
                peers = by_meeting[user.met_in]
                u = np.float64(model.uniform("meeting_tie_partner", user.index))
                partner = peers[min(int(u * len(peers)), len(peers) - 1)]
                model.ties.add(user.index, partner, GROUP_PEER)
    for rel in model.relatives:
        if rel.met_in >= 0:
            rel.meeting()
