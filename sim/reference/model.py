"""The reference model: the weekly rules of sim/model.py, one agent at a time.

Same parameters (sim.params), same formulas and the same weekly order as the vectorised
model, written for one agent at a time with plain Python numbers. It is slow on purpose
(no arrays): the test in tests/test_reference_agreement.py checks that both give the same
headline figures, and ``python -m sim bench`` times it as the speed baseline.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

import mesa
import numpy as np
import pandas as pd

from sim.aftercare import CLOSURE_ORDER
from sim.codes import (
    AFTERCARE_HOUSING,
    CLINIC,
    MIXED,
    RELATIVE_OPEN_TYPES,
    RELATIVES_COURSE,
    RELATIVES_OPEN,
    TWELVE_STEP,
    USER_TYPES,
    USING,
)
from sim.network import REBUILD_INTERVAL, SCENE_SIZE
from sim.params import defaults
from sim.reference.agents import Group, Relative, User
from sim.scenario import Scenario
from sim.summary import summarize


class Ties:
    """Ties between users of the cohort: one neighbour -> weight dictionary per user.

    As in sim/network.py, new ties and moves in or out of aftercare housing take effect when the
    ties are re-weighed, every 4 weeks; a housemate tie weighs ``housemate_tie_weight`` while
    both live in the flat, else 0.
    """

    def __init__(self, model: ReferenceModel):
        n, coin = model.n_users, model.coin
        scene = [coin.randrange(max(n // SCENE_SIZE, 1)) for _ in range(n)]
        scenes: dict[int, list[int]] = {}
        for person, s in enumerate(scene):
            scenes.setdefault(s, []).append(person)
        self.counts: list[dict[int, int]] = [{} for _ in range(n)]  # scene and group-peer ties
        self.new: list[tuple[int, int]] = []
        for _ in range(round(n * model.p.users_cohort_ties_mean / 2.0)):
            a = coin.randrange(n)
            self.add(a, coin.choice(scenes[scene[a]]))
        self.housemates: list[tuple[int, int]] = []
        self.weights: list[dict[int, float]] = [{} for _ in range(n)]
        self.dirty = True

    def add(self, a: int, b: int) -> None:
        if a != b:
            self.new.append((a, b))
            self.dirty = True

    def add_housemates(self, a: int, b: int) -> None:
        if a != b:
            self.housemates.append((a, b))
            self.dirty = True

    def reweigh(self, model: ReferenceModel) -> None:
        for a, b in self.new:
            self.counts[a][b] = self.counts[a].get(b, 0) + 1
            self.counts[b][a] = self.counts[b].get(a, 0) + 1
        self.new = []
        self.weights = [{j: float(c) for j, c in row.items()} for row in self.counts]
        for a, b in self.housemates:
            house = model.users[a].house
            w = (
                model.p.housemate_tie_weight
                if house >= 0 and house == model.users[b].house
                else 0.0
            )
            self.weights[a][b] = self.weights[a].get(b, 0.0) + w
            self.weights[b][a] = self.weights[b].get(a, 0.0) + w
        self.dirty = False


class ReferenceModel(mesa.Model):
    """Users, relatives and groups as Mesa agents, stepping one at a time.

    Args: as :class:`sim.model.RecoveryModel`.
    """

    RECORDED = (
        "relatives_burnout_share",
        "relatives_in_groups_share",
        "groups_active",
        "mean_group_size",
        "users_in_groups",
    )

    def __init__(
        self,
        scenario: Scenario | dict | None = None,
        n_users: int = 2000,
        weeks: int = 260,
        seed: int = 0,
    ):
        super().__init__(rng=seed)
        if isinstance(scenario, Scenario):
            values = dict(scenario.values)
        else:
            values = defaults()
            values.update(scenario or {})
        self.p = p = SimpleNamespace(**values)
        self.n_users, self.weeks, self.week = int(n_users), int(weeks), 0
        self.coin = random.Random(
            int(self.rng.integers(2**62))
        )  # fast scalar draws, derived from model.rng
        self.users = [User(self, i) for i in range(self.n_users)]
        self.relatives: list[Relative] = []
        for user in self.users:
            for _ in range(1 + int(self.rng.poisson(max(p.relatives_per_user_mean - 1.0, 0.0)))):
                user.relatives.append(Relative(self, user))
            self.relatives.extend(user.relatives)
        self.ties = Ties(self)
        self.ties.reweigh(self)
        self.groups: list[Group] = []  # active groups
        self.initial_groups()
        self.service_open = self.programme_open = True
        self.house_slots: list[User] = []  # residents of aftercare housing, in order of moving in
        self.meeting_groups: list[Group] = []
        self.relative_places: tuple[list[Group], dict[Group, int]] = ([], {})
        self.weekly: dict[str, list[float]] = {k: [] for k in self.RECORDED}

    def initial_groups(self) -> None:
        p = self.p
        population = self.n_users * p.population_per_user
        n12 = int(round(p.groups_12step_per_100k * population / 1e5))
        n_other = int(round(p.groups_other_per_100k * population / 1e5))
        n_rel = int(round(n_other * p.other_groups_relatives_share))
        for gtype in (
            [TWELVE_STEP] * max(n12, 1)
            + [RELATIVES_OPEN] * max(n_rel, 1)
            + [MIXED] * (n_other - n_rel)
        ):
            ext = p.group_min_service + int(
                self.rng.poisson(max(p.group_external_core_mean - p.group_min_service, 0.0))
            )
            Group(self, gtype, ext_core=ext, trust=0.7, professional=False)

    # ------------------------------------------------------------------ the week
    def step(self) -> None:
        """One week in the order of sim/model.py."""
        self.environment()
        for user in self.users:
            user.treatment()
        for user in self.users:
            user.aftercare()
        self.groups_step()
        for group in self.meeting_groups:
            for user in group.attendees:
                user.meeting(group)
            for rel in group.relative_attendees:
                rel.meeting(group)
        if self.ties.dirty and self.week % REBUILD_INTERVAL == 0:
            self.ties.reweigh(self)
        for user in self.users:
            user.observe()
        for user in self.users:
            user.step()
        self.relative_places = self.open_groups(RELATIVE_OPEN_TYPES)
        for rel in self.relatives:
            rel.step()
        self.record()
        for user in self.users:
            user.weeks_in_status += 1
        self.week += 1

    def run(self) -> ReferenceModel:
        while self.week < self.weeks:
            self.step()
        return self

    def environment(self) -> None:
        """Process 1: is the service open this week; does the programme close for good."""
        p = self.p
        for user in self.users:
            user.crisis = user.relapsed = False
        self.service_open = (self.week % 52) not in CLOSURE_ORDER[: p.aftercare_closure_weeks]
        if self.programme_open and self.coin.random() < p.programme_closure_per_year / 52.0:
            self.programme_open = False
            for user in self.users:
                if user.ac_left > 0:
                    user.end_aftercare()

    def move_in(self, user: User) -> None:
        """Residents fill shared flats of ``housing_unit_size`` in order; housemates are tied."""
        size = self.p.housing_unit_size
        slot = len(self.house_slots)
        self.house_slots.append(user)
        user.housing, user.house = AFTERCARE_HOUSING, slot // size
        for other in self.house_slots[slot - slot % size : slot]:
            self.ties.add_housemates(user.index, other.index)
        self.ties.dirty = True

    # ------------------------------------------------------------------ groups (process 3)
    def groups_step(self) -> None:
        self.formation()
        self.member_founding()
        self.schedule_courses()
        for user in self.users:
            user.drop_out()
        open_groups, free = self.open_groups(USER_TYPES)
        for user in self.users:
            user.join_group(open_groups, free)
        for rel in self.relatives:
            rel.drop_out()
        for group in self.groups:
            group.attendees, group.relative_attendees = [], []
        for person in self.users + self.relatives:
            person.attend()
        for user in self.users:
            user.take_roles()
        for rel in self.relatives:
            rel.take_roles()
        self.meeting_groups = [g for g in self.groups if g.attendees or g.relative_attendees]
        for group in list(self.groups):
            group.step()

    def open_groups(self, types: tuple[int, ...]) -> tuple[list[Group], dict[Group, int]]:
        """Groups of these types with room, and their free places."""
        groups = [g for g in self.groups if g.gtype in types and g.room() > 0]
        return groups, {g: g.room() for g in groups}

    def waiting(self) -> tuple[list[User], list[Relative]]:
        users = [u for u in self.users if u.waiting and u.group is None and u.status != USING]
        return users, [r for r in self.relatives if r.seeking and r.group is None]

    def formation(self) -> None:
        """New groups need a starter (professional or organisation) and enough interested people."""
        p = self.p
        rate = (
            p.starter_rate
            * self.n_users
            * p.population_per_user
            / 1e5
            * (1.0 + 4.0 * p.group_starter_support)
        )
        for _ in range(int(self.rng.poisson(rate))):
            users, relatives = self.waiting()
            if len(users) >= p.group_min_founders and len(users) >= len(relatives):
                professional = self.coin.random() < 0.5
                gtype = (
                    CLINIC if professional else (TWELVE_STEP if self.coin.random() < 0.7 else MIXED)
                )
                group = Group(
                    self,
                    gtype,
                    ext_core=0 if professional else 1,
                    trust=0.4,
                    professional=professional,
                )
                founders = users[: p.group_capacity // 2]
                for user in founders:
                    group.join(user)
                    user.waiting = False
                if not professional:
                    founders[0].service = True  # a founder chairs
            elif len(relatives) >= p.group_min_founders:
                group = Group(self, RELATIVES_OPEN, ext_core=1, trust=0.4, professional=False)
                founders = relatives[: p.group_capacity // 2]
                for rel in founders:
                    group.join(rel)
                    rel.seeking = False
                founders[0].service = True  # a founder chairs

    def member_founding(self) -> None:
        """Veterans of open 12-step and relatives' groups start new groups when people wait."""
        p = self.p
        for gtype, waiting in zip((TWELVE_STEP, RELATIVES_OPEN), self.waiting()):
            if (
                not any(g.gtype == gtype for g in self.groups)
                or len(waiting) < p.group_min_founders
            ):
                continue
            n_new = min(
                int(self.rng.poisson(p.group_split_rate * len(waiting) / p.group_capacity)),
                len(waiting) // p.group_min_founders,
            )
            for k in range(n_new):
                group = Group(self, gtype, ext_core=1, trust=0.5, professional=False)
                founders = waiting[k * p.group_min_founders : (k + 1) * p.group_min_founders]
                for person in founders:
                    group.join(person)
                    if gtype == TWELVE_STEP:
                        person.waiting = False
                    else:
                        person.seeking = False
                founders[0].service = True  # a founder chairs, beside the founding veteran

    def schedule_courses(self) -> None:
        """Relatives' courses start at the scenario's rate and take help-seeking relatives first."""
        p = self.p
        for _ in range(
            int(
                self.rng.poisson(
                    p.relatives_courses_per_year_per_1000 * self.n_users / 1000.0 / 52.0
                )
            )
        ):
            seekers = self.waiting()[1]
            if len(seekers) < 3:
                break
            course = Group(
                self,
                RELATIVES_COURSE,
                ext_core=1,
                trust=0.5,
                professional=True,
                course_left=p.course_weeks,
            )
            for rel in seekers[: p.course_capacity]:
                course.join(rel)
                rel.seeking = False

    # ------------------------------------------------------------------ record and summary
    def record(self) -> None:
        held = [g.attendance for g in self.groups if g.attendance >= 2]
        w = self.weekly
        w["relatives_burnout_share"].append(
            sum(r.burnout for r in self.relatives) / len(self.relatives)
        )
        w["relatives_in_groups_share"].append(
            sum(r.group is not None for r in self.relatives) / len(self.relatives)
        )
        w["groups_active"].append(float(len(self.groups)))
        w["mean_group_size"].append(sum(held) / len(held) if held else float("nan"))
        w["users_in_groups"].append(float(sum(u.group is not None for u in self.users)))

    def as_arrays(self) -> SimpleNamespace:
        """A view with the vectorised model's attribute names (arrays), for sim.summary."""

        def columns(agents: list) -> SimpleNamespace:
            names = [k for k, v in vars(agents[0]).items() if isinstance(v, (bool, int, float))]
            cols = {k: np.array([getattr(a, k) for a in agents]) for k in names}
            # the group as its Mesa id (-1: none), as the vectorised model holds it
            cols["group"] = np.array([-1 if a.group is None else a.group.unique_id for a in agents])
            return SimpleNamespace(n=len(agents), **cols)

        frame = pd.DataFrame(self.weekly)
        return SimpleNamespace(
            users=columns(self.users),
            relatives=columns(self.relatives),
            p=self.p,
            week=self.week,
            users_soc13_start=np.array([u.soc13_start for u in self.users]),
            recorder=SimpleNamespace(frame=lambda upto: frame.iloc[:upto]),
        )

    def summary(self) -> dict[str, float]:
        """The headline figures, computed by the same code as for the vectorised model."""
        return summarize(self.as_arrays())


def simulate_reference(
    scenario: Scenario | dict | None = None, n_users: int = 2000, weeks: int = 260, seed: int = 0
) -> dict[str, float]:
    """Build and run the reference model; return its summary."""
    return ReferenceModel(scenario, n_users, weeks, seed).run().summary()
