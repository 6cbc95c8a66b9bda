"""The model: a Mesa 3 ``Model`` shell around array-based people and a fixed weekly order.

Each week runs the nine processes of the brief, always in this order:

1. environment: this week's levers (service closed for holidays; programme closes for good)
1a. population (a municipality only): newcomers enter treatment; people move away
2. treatment and discharge: discharges with aftercare offers; re-entry; weekly aftercare contacts
3. groups: formation, membership, attendance, roles, group life and dissolution
4. meeting effects
5. network: ties change, resources gained or lost, support recomputed
6. users' relapse
7. relatives: stress, strain, coping, burnout, hope, help-seeking and joining
8. slow psychosocial drift
9. record aggregates (events are logged as they happen)
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import mesa
import numpy as np

from sim.aftercare import Aftercare, aftercare_step, environment
from sim.agents.users import Users
from sim.capacity import Capacity
from sim.codes import ABSENT
from sim.collector import WeeklyCollector
from sim.drift import drift_step
from sim.events import EventLog
from sim.groups import (
    GroupTable,
    create_initial_groups,
    group_agents,
    groups_step,
    meeting_effects,
)
from sim.mortality import mortality_step
from sim.network import Network, network_step
from sim.params import defaults
from sim.population import Arrivals, arrivals_mean
from sim.population.step import population_step
from sim.record import Recorder
from sim.relapse import relapse_step
from sim.relatives import Relatives, relatives_step
from sim.rng import Streams
from sim.scenario import Scenario
from sim.scenario import load as load_scenario
from sim.soc import soc13
from sim.treatment import treatment_step
from sim.vector import keep_freed_memory

WEEKLY_ORDER: tuple[tuple[str, Callable], ...] = (
    ("environment", environment),
    ("population", population_step),
    ("treatment", treatment_step),
    ("aftercare", aftercare_step),
    ("groups", groups_step),
    ("meetings", meeting_effects),
    ("network", network_step),
    ("relapse", relapse_step),
    ("mortality", mortality_step),
    ("relatives", relatives_step),
    ("drift", drift_step),
)


class RecoveryModel(mesa.Model):
    """Users, their relatives and self-help groups on a social network, under one scenario.

    Args:
        scenario: a resolved :class:`Scenario`, a built-in name or scenario file, or a dict of
            parameter values (missing ones take their defaults).
        n_users: users leaving specialised treatment (the cohort); in a municipality, the users
            in treatment at week 0.
        weeks: horizon in weeks; ``running`` turns False when it is reached.
        seed: the one seed every random stream derives from (None: a fresh one, kept in
            ``seed``, as Mesa does when ``batch_run`` gives no seed).
        inhabitants: None (default) for a closed cohort; a number of inhabitants for a
            municipality over the years, where new users enter treatment every week and users
            move away (sim/population, ODD 7.1a).
        **overrides: parameter values replacing the scenario's (checked against the registry),
            so that ``mesa.batch_run`` can vary them (docs/api.md).
    """

    def __init__(
        self,
        scenario: Scenario | str | dict | None = None,
        n_users: int = 2000,
        weeks: int = 260,
        seed: int | None = 0,
        inhabitants: float | None = None,
        **overrides: float,
    ):
        if seed is None:  # Mesa's convention: no seed, a fresh one (kept in ``self.seed``)
            seed = int(np.random.SeedSequence().generate_state(1)[0])
        super().__init__(rng=seed)
        keep_freed_memory()  # reuse freed arrays rather than page-fault new ones (docs/performance.md)
        if isinstance(scenario, str):
            scenario = load_scenario(scenario)
        if overrides:
            if not isinstance(scenario, Scenario):
                scenario = Scenario("custom", "", {**defaults(), **(scenario or {})})
            scenario = scenario.with_overrides(overrides, "RecoveryModel")
        if isinstance(scenario, Scenario):
            values = dict(scenario.values)
            self.scenario_name = scenario.name
        else:
            values = defaults()
            values.update(scenario or {})
            self.scenario_name = "custom"
        self.values = values
        self.p = SimpleNamespace(**values)
        self.weeks = int(weeks)
        self.seed = int(seed)
        self.week = 0
        self.streams = Streams(seed)
        self.log = EventLog()
        self.municipality = inhabitants is not None
        if self.municipality:  # everyone who will arrive is allocated now (sim/population)
            self.inhabitants = float(inhabitants)
            self.arrivals = Arrivals(
                n_users,
                arrivals_mean(self.inhabitants, self.p),
                self.weeks,
                self.streams["arrivals"],
            )
        else:
            self.inhabitants = float(n_users * self.p.population_per_user)
            self.arrivals = Arrivals.none(n_users)
        self.n_users = self.arrivals.total
        self.users = Users(self.n_users, self.p, self.streams["init_users"])
        self.relatives = Relatives(
            self.n_users, self.p, self.streams["init_relatives"], self.users.age
        )
        if self.municipality:
            later = np.arange(self.arrivals.initial, self.n_users)
            self.users.status[later] = ABSENT
            self.users.arrival_week[:] = self.arrivals.week_of()
            self.relatives.present[self.relatives.of(later)] = False
        self.network = Network(
            self.n_users,
            self.relatives.user,
            self.p.users_cohort_ties_mean,
            self.p.housemate_tie_weight,
            self.streams["init_network"],
        )
        self.group_table = GroupTable()
        self._group_agents: dict[int, mesa.Agent] = {}  # made when asked for (``group_agents``)
        create_initial_groups(self)
        self.recorder = Recorder(self.weeks)
        # per-week flags shared between processes
        self.aftercare = Aftercare(
            self.n_users
        )  # contact strength, service, housing slots (sim/aftercare)
        self.capacity = Capacity(self.n_users, self.p)  # places and waiting lists (sim/capacity)
        self.network.rebuild(self.users.house)
        self.users_soc13_start = soc13(self.users.comp, self.users.manage, self.users.meaning)
        self.running = self.week < self.weeks  # Mesa's flag: False at the horizon
        self.datacollector = WeeklyCollector(self)  # the recorder's columns, Mesa's way

    # Self-help groups are Mesa agents (``SelfHelpGroup``), made and removed when the model's
    # agents are asked for rather than every week (sim/groups/agents.py, ``group_agents``).
    @property
    def group_agents(self) -> dict[int, mesa.Agent]:
        """The active self-help groups as Mesa agents, by group id."""
        return group_agents(self)

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Mesa's set of all agents, with the active groups' agents brought up to date first."""
        group_agents(self)
        return super().agents

    @property
    def agents_by_type(self) -> dict[type, mesa.agent.AgentSet]:
        """Mesa's agent sets by type, with the active groups' agents brought up to date first."""
        group_agents(self)
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        """Mesa's agent types, with the active groups' agents brought up to date first."""
        group_agents(self)
        return super().agent_types

    def person_id(self, who: str, idx: np.ndarray) -> np.ndarray:
        """Global person ids: users 0..N-1, relatives N.. ."""
        idx = np.asarray(idx, np.int64)
        return idx if who == "users" else idx + self.n_users

    def relatives_of(self, users: np.ndarray) -> np.ndarray:
        """The relatives of the users ``users``, ascending (sim/relatives/state.py)."""
        return self.relatives.of(users)

    def draw(self, name: str, idx: np.ndarray) -> np.ndarray:
        """This week's uniforms of the people ``idx`` for decision ``name`` (sim/rng.py)."""
        return self.streams.draw(name, self.week, idx)

    def draw_all(self, name: str, n: int) -> np.ndarray:
        """This week's uniforms of people ``0..n-1`` for decision ``name``."""
        return self.streams.draw_all(name, self.week, n)

    def step(self) -> None:
        """One week, in the documented order."""
        if self.week >= self.weeks:
            raise RuntimeError(f"step: the model has reached its horizon of {self.weeks} weeks")
        self.log.week = self.week
        for _, process in WEEKLY_ORDER:
            process(self)
        self.recorder.record(self)
        self.users.weeks_in_status += 1
        self.week += 1
        self.running = self.week < self.weeks
        self.datacollector.collect(self)  # your reporters, if any (sim/collector.py)

    def run(self, progress: Callable[[int], None] | None = None) -> RecoveryModel:
        """Run to the horizon; ``progress`` is called with the week after each step."""
        while self.week < self.weeks:
            self.step()
            if progress is not None:
                progress(self.week)
        return self


def warm_up(scenario: str = "status-quo") -> float:
    """Run a small model once (1,000 users, 40 weeks: every weekly process, the 4-weekly drift,
    rebuilds of the tie matrix, groups founded and ended) so that numba compiles every pass of
    the model, or loads it from its on-disk cache, before anything is timed or served (tested:
    tests/test_warm_up.py). Compiling happens once per installation (several seconds);
    loading takes well under a second. Returns the seconds it took."""
    import time

    from sim import scenario as scenarios
    from sim.groups.table import members_of

    t0 = time.perf_counter()
    model = RecoveryModel(scenarios.load(scenario), n_users=1000, weeks=40, seed=1).run()
    # groups rarely end in 40 weeks (they persist for years): the ending's pass all the same
    members_of(model.users.group, np.zeros(1, np.int64), model.group_table.size)
    return time.perf_counter() - t0
