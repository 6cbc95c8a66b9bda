"""Founding (process 3): the groups at the start, groups founded by starters (professionals or
organisations) and by members of existing groups, and relatives' courses scheduled.

The lists of who waits for a group (``membership.waiting_lists``) are found once a week;
founders and course places are taken from their front.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import (
    CLINIC,
    MIXED,
    RELATIVE_OPEN_TYPES,
    RELATIVES_COURSE,
    RELATIVES_OPEN,
    TWELVE_STEP,
    USER_TYPES,
)
from sim.groups.membership import free_in, join, room, waiting_lists
from sim.groups.rules import (
    CLINIC_LED_SHARE,
    TWELVE_STEP_SHARE,
    course_rate,
    member_founding_rate,
    starter_rate,
    waiting_for_place,
)

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def create_initial_groups(model: RecoveryModel) -> None:
    """Found the groups the municipality has at the start, from the density parameters (T13)."""
    p, rng = model.p, model.streams["init_groups"]
    population = model.inhabitants
    n12 = int(round(p.groups_12step_per_100k * population / 1e5))  # noqa: RUF046 (parameters may be numpy numbers)
    n_other = int(round(p.groups_other_per_100k * population / 1e5))  # noqa: RUF046
    n_rel = int(round(n_other * p.other_groups_relatives_share))  # noqa: RUF046
    kinds = (
        [TWELVE_STEP] * max(n12, 1) + [RELATIVES_OPEN] * max(n_rel, 1) + [MIXED] * (n_other - n_rel)
    )
    for gtype in kinds:
        ext = p.group_min_service + rng.poisson(
            max(p.group_external_core_mean - p.group_min_service, 0.0)
        )
        found_group(
            model,
            gtype,
            ext_core=int(ext),
            trust=0.7,
            professional=False,
            founded=-int(rng.integers(0, 520)),
        )


def found_group(
    model: RecoveryModel,
    gtype: int,
    ext_core: int,
    trust: float,
    professional: bool,
    founded: int | None = None,
    course_left: int = 0,
) -> int:
    p = model.p
    capacity = p.course_capacity if gtype == RELATIVES_COURSE else p.group_capacity
    week = model.week if founded is None else founded
    gid = model.group_table.add(gtype, week, capacity, trust, ext_core, professional, course_left)
    model.group_table.similarity[gid] = p.mixed_group_similarity if gtype == MIXED else 1.0
    model.group_table.members[gid] = 0
    if founded is None:
        model.log.add("group_formed", np.array([-1]), np.array([gid]))
    return gid


def found_groups(
    model: RecoveryModel,
    who: str,
    gtype: int,
    founders: np.ndarray,
    ext_core: int,
    trust: float,
    professional: bool,
) -> np.ndarray:
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


def formation(
    model: RecoveryModel, waiting: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """New groups need a starter (professional or organisation) and enough interested people.

    Each starter this week (Poisson) founds a users' group if at least ``group_min_founders``
    users wait for a place (beyond the free places of the users' groups at the start of the
    week's founding: ``waiting_for_place``) and they are no fewer than the relatives waiting
    for a place (clinic-led with probability 1/2, else 12-step with probability 0.7 or mixed),
    otherwise a relatives' group if enough relatives wait for a place in an open relatives' or
    mixed group; up to half a group's capacity of the longest waiting join as founders
    and one of them chairs (not in clinic-led groups). The week's groups are planned starter
    after starter, then founded together (the same groups, members and events in the same order
    as founding them one at a time). ``waiting``: the lists of ``waiting_lists``, if known;
    returns them without the founders."""
    p = model.p
    rng = model.streams["groups"]
    population = model.inhabitants
    starters = int(rng.poisson(starter_rate(population, p)))
    waiting = waiting_lists(model) if waiting is None else waiting
    if starters == 0:
        return waiting
    # who waits; founders taken below leave the front of these lists
    waiting_u, waiting_r = waiting
    free = room(model)
    free_u, free_r = free_in(model, USER_TYPES, free), free_in(model, RELATIVE_OPEN_TYPES, free)
    half = p.group_capacity // 2
    plan: list[tuple[bool, int, bool, np.ndarray]] = []  # (users?, type, professional, founders)
    for _ in range(starters):
        n_u = waiting_for_place(len(waiting_u), free_u)
        n_r = waiting_for_place(len(waiting_r), free_r)
        if n_u >= p.group_min_founders and n_u >= n_r:
            professional = rng.random() < CLINIC_LED_SHARE
            gtype = (
                CLINIC
                if professional
                else (TWELVE_STEP if rng.random() < TWELVE_STEP_SHARE else MIXED)
            )
            plan.append((True, gtype, professional, waiting_u[:half]))
            waiting_u = waiting_u[half:]
        elif n_r >= p.group_min_founders:
            plan.append((False, RELATIVES_OPEN, False, waiting_r[:half]))
            waiting_r = waiting_r[half:]
    if plan:
        _found_planned(model, plan)
    return waiting_u, waiting_r


def _found_planned(model: RecoveryModel, plan: list[tuple[bool, int, bool, np.ndarray]]) -> None:
    """Found the planned groups: table rows, founders joining, chairs, and the events in plan
    order (each group formed, then its founders joining)."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    gtypes = np.array([t for _, t, _, _ in plan])
    professional = np.array([pro for _, _, pro, _ in plan])
    gids = g.add_many(
        gtypes,
        len(plan),
        model.week,
        p.group_capacity,
        0.4,
        np.where(professional, 0, 1),
        professional,
    )
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
    person = np.concatenate(
        [model.person_id("users" if users else "relatives", take) for users, _, _, take in plan]
    )
    log_founding(model, gids, person, sizes)


def log_founding(
    model: RecoveryModel, gids: np.ndarray, person: np.ndarray, sizes: np.ndarray
) -> None:
    """The events of founding the groups ``gids``, group after group: formed, then its ``sizes[k]``
    founders (``person``, in group order) joining."""
    model.log.add_interleaved(
        [
            ("group_formed", np.full(len(gids), -1), gids),
            ("group_join", person, np.repeat(gids, sizes)),
        ],
        np.column_stack([np.ones(len(gids), np.int64), sizes]),
    )


def member_founding(
    model: RecoveryModel, waiting: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Open 12-step and relatives' groups are easy to found from existing ones (seed 002, L57): when
    people wait for a place (beyond the free places of the groups they could join, at the start
    of this step: ``waiting_for_place``), veterans of existing groups start new groups at
    ``group_split_rate`` per week per full group's worth of them. Mixed and clinic groups need
    a starter. ``waiting``: the lists of ``waiting_lists``, if known; returns them without the
    founders."""
    p, u, r, g = model.p, model.users, model.relatives, model.group_table
    rng = model.streams["groups"]
    n = g.size
    lists = list(waiting_lists(model) if waiting is None else waiting)
    free = room(model)
    free_k = (free_in(model, USER_TYPES, free), free_in(model, RELATIVE_OPEN_TYPES, free))
    for k, (who, gtype) in enumerate((("users", TWELVE_STEP), ("relatives", RELATIVES_OPEN))):
        if not (g.active[:n] & (g.gtype[:n] == gtype)).any():
            continue
        waiting_k = lists[k]
        n_wait = waiting_for_place(len(waiting_k), free_k[k])
        if n_wait < p.group_min_founders:
            continue
        n_new = min(
            int(rng.poisson(member_founding_rate(n_wait, p))),
            n_wait // p.group_min_founders,
        )
        if n_new == 0:
            continue
        take, lists[k] = (
            waiting_k[: n_new * p.group_min_founders],
            waiting_k[n_new * p.group_min_founders :],
        )
        founders = take.reshape(n_new, p.group_min_founders)
        found_groups(model, who, gtype, founders, ext_core=1, trust=0.5, professional=False)
        people = u if who == "users" else r
        people.service[founders[:, 0]] = True  # a founder chairs, beside the founding veteran
        if who == "users":
            u.waiting[take] = False
        else:
            r.seeking[take] = False
    return lists[0], lists[1]


def schedule_courses(model: RecoveryModel, seekers: np.ndarray | None = None) -> None:
    """Relatives' courses start at the scenario's rate and take help-seeking relatives first.
    ``seekers``: the relatives seeking a group (``waiting_lists``), if known."""
    p, r = model.p, model.relatives
    n_new = model.streams["courses"].poisson(course_rate(model.n_users, p))
    if n_new == 0:
        return
    seekers = waiting_lists(model)[1] if seekers is None else seekers
    for _ in range(int(n_new)):
        if len(seekers) < 3:
            break
        take, seekers = seekers[: p.course_capacity], seekers[p.course_capacity :]
        gid = found_group(
            model,
            RELATIVES_COURSE,
            ext_core=1,
            trust=0.5,
            professional=True,
            course_left=p.course_weeks,
        )
        join(model, "relatives", take, np.full(len(take), gid, np.int32))
        r.seeking[take] = False
