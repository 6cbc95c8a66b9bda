"""The reference model: the weekly rules of sim/model.py, one Mesa agent at a time.

Users, relatives and self-help groups are Mesa agents holding their state as plain Python
numbers; each week runs the processes of ``sim.model.WEEKLY_ORDER`` in that order, each a
plain loop over the agents. Every decision calls the same scalar rule of
``sim/<process>/rules.py`` (numba functions are callable from Python) with the same named
parameter record (the same ``*_params`` / ``fill`` calls) and the same counter-based uniform
(sim/rng.py: the draw of person ``i`` for decision ``name`` in week ``t``). Generator streams
(starters, courses, group shocks, the SOC drift's normal shocks) are drawn in the vectorised
order. None of the vectorised passes (``sim/*/kernel.py``) or their filters (bounds,
candidates, incremental neighbour sums) are used, so the two implementations check each other:
tests/test_reference_exact.py asserts that they give equal numbers, bit for bit.

The start (users, relatives, their ties and the groups at week 0) is copied from a freshly
built :class:`sim.model.RecoveryModel`: initialisation is shared code, not a weekly rule.

Floating point: neighbour sums run over each user's neighbours in ascending order and the
relatives' sums over each user's relatives in index order, as in the vectorised passes; where
those use a numpy function (log1p, exp, the week tables) the same numpy function is applied to
the one value. One sum is not reproduced bit for bit: the vectorised relapse exposure updates
its second step incrementally between rebuilds (``Network.exposure``), so the log hazard may
differ in its last bits; it only ever meets a float32 uniform in a comparison, so the decisions
(and every recorded number) are the same unless a uniform falls within that rounding of a
chance.
"""

from __future__ import annotations

from types import SimpleNamespace

import mesa
import numpy as np

from sim.aftercare.enrol import BRIEF_INTERVENTION_WEEKS
from sim.aftercare.rules import aftercare_params, programme_closure_chance, service_open_in
from sim.codes import AFTERCARE_HOUSING, HOUSEMATE
from sim.drift.rules import drift_params
from sim.groups.rules import (
    GroupLifeParams,
    RelativeMeetingParams,
    RelativeMemberParams,
    UserJoinParams,
    UserMeetingParams,
    UserMemberParams,
    binomial_at,
    dropout_halving,
    tenure_gain,
)
from sim.mortality.rules import mortality_params
from sim.record import Recorder
from sim.records import fill
from sim.reference import groups as reference_groups
from sim.reference import processes
from sim.reference.agents import User
from sim.reference.group import Group
from sim.reference.relatives import Relative
from sim.reference.ties import Ties
from sim.relapse.rules import log_baseline_survival, relapse_params
from sim.relatives.rules import hope_for_abstinent_level, relatives_params
from sim.rng import Streams, three_uniforms_at, uniform_at
from sim.scenario import Scenario
from sim.summary import summarize
from sim.treatment.rules import treatment_params
from sim.vector import WeekTable


def kin_columns(model) -> dict[str, np.ndarray]:
    """The vectorised model's per-user relatives' counts and sums (one place to read them)."""
    return {
        name: getattr(model.network, name)
        for name in ("n_kin", "kin_enabling", "kin_limit", "kin_low_hope")
    }


def table_columns(table, n: int, skip: tuple[str, ...] = ()) -> dict[str, np.dtype]:
    """The per-person columns of a vectorised table (arrays of length ``n``) and their types."""
    return {
        k: v.dtype
        for k, v in vars(table).items()
        if isinstance(v, np.ndarray) and v.shape == (n,) and k not in skip
    }


class ReferenceModel(mesa.Model):
    """Users, relatives and groups as Mesa agents, stepping one at a time.

    Args: as :class:`sim.model.RecoveryModel`.
    """

    BRIEF_INTERVENTION_WEEKS = BRIEF_INTERVENTION_WEEKS

    def __init__(
        self,
        scenario: Scenario | dict | None = None,
        n_users: int = 2000,
        weeks: int = 260,
        seed: int = 0,
    ):
        from sim.model import RecoveryModel

        start = RecoveryModel(scenario, n_users, weeks, seed)  # the shared initialisation
        super().__init__(rng=seed)
        self.p, self.values, self.scenario_name = start.p, start.values, start.scenario_name
        self.n_users, self.weeks, self.seed, self.week = start.n_users, start.weeks, start.seed, 0
        self.inhabitants = start.inhabitants  # the groups' starter rate is per inhabitant
        self.streams = Streams(seed)
        self._keys: dict[str, np.uint64] = {}
        self.rec = self._records()
        u, r = start.users, start.relatives
        self.user_columns = table_columns(u, u.n)
        self.relative_columns = table_columns(r, r.n, skip=("closeness_by_relation", "_first"))
        self.users = [
            User(self, i, {k: getattr(u, k)[i].item() for k in self.user_columns})
            for i in range(u.n)
        ]
        self.relatives = [
            Relative(self, i, {k: getattr(r, k)[i].item() for k in self.relative_columns})
            for i in range(r.n)
        ]
        for user in self.users:
            user.relatives = []
        for rel in self.relatives:
            rel.user_agent = self.users[rel.user]
            rel.user_agent.relatives.append(rel)
        self.closeness_by_relation = [float(x) for x in r.closeness_by_relation]
        self.soc_item_mean, self.soc_item_sd = float(u.soc_item_mean), float(u.soc_item_sd)
        self.users_soc13_start = start.users_soc13_start.copy()
        g = start.group_table
        self.groups: list[Group] = [
            Group(self, gid, {k: getattr(g, k)[gid].item() for k in g.COLUMNS})
            for gid in range(g.size)
        ]
        self.ties = Ties(self.n_users, *start.network.edges(), start.network.housemate_weight)
        self.ties.reweigh(self)
        kin = kin_columns(start)
        self.n_kin = [float(x) for x in kin["n_kin"]]
        self.kin_values = [
            (float(a), float(b), float(c))
            for a, b, c in zip(kin["kin_enabling"], kin["kin_limit"], kin["kin_low_hope"])
        ]
        ac = start.aftercare
        for user in self.users:
            user.contact_strength = float(ac.contact_strength[user.index])
        self.service_open, self.programme_open = ac.service_open, ac.programme_open
        self.slot_owner: list[int] = [int(x) for x in ac.slot_owner]
        self.recorder = Recorder(self.weeks)
        self._tables = {
            "halving": WeekTable(dropout_halving),
            "tenure_gain": WeekTable(tenure_gain),
            "log_survival": WeekTable(log_baseline_survival),
            "hope": WeekTable(hope_for_abstinent_level),
        }

    def _records(self) -> SimpleNamespace:
        """The processes' parameter records, built by the same calls as in the vectorised steps."""
        p = self.p
        soc_gain = (
            p.meeting_comprehensibility_gain
            + p.meeting_manageability_gain
            + p.meeting_meaningfulness_gain
        )
        return SimpleNamespace(
            treatment=treatment_params(p),
            aftercare=aftercare_params(p),
            relapse=relapse_params(p),
            mortality=mortality_params(p),
            relatives=relatives_params(p),
            drift=drift_params(p),
            group_life=fill(GroupLifeParams, p, handover_weekly=1.0 / p.clinic_handover_weeks),
            user_meeting=fill(UserMeetingParams, p),
            relative_meeting=fill(RelativeMeetingParams, p, soc_gain=soc_gain / 3.0),
        )

    # ------------------------------------------------------------------ draws and tables
    def key(self, name: str) -> np.uint64:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = self.streams.key(name, self.week)
        return k

    def uniform(self, name: str, i: int) -> float:
        """This week's uniform of person (or group) ``i`` for decision ``name``."""
        return uniform_at(self.key(name), i)

    def three_uniforms(self, name: str, i: int) -> tuple[float, float, float]:
        return three_uniforms_at(self.key(name), i)

    def draw(self, name: str, i: int) -> np.ndarray:
        """The same uniform as :meth:`uniform`, as a one-element float32 array."""
        return self.streams.draw(name, self.week, np.array([i], np.int64))

    binomial = staticmethod(binomial_at)

    def week_table(self, name: str, weeks: int, *args) -> float:
        return float(self._tables[name](np.array([weeks], np.int64), *args)[0])

    def log_survival(self, user: User) -> float:
        p = self.p
        return self.week_table(
            "log_survival", user.weeks_in_status, p.relapse_scale_weeks, p.relapse_shape
        )

    def hope_for_abstinent(self, weeks: int) -> float:
        return self.week_table("hope", weeks)

    def kin(self, i: int) -> tuple[float, float, float]:
        """User ``i``'s enabling and limit-setting relatives and their mean low hope (process 5)."""
        return self.kin_values[i]

    # ------------------------------------------------------------------ the week
    def step(self) -> None:
        """One week in the order of ``sim.model.WEEKLY_ORDER``."""
        for _ in self.processes_of_the_week():
            pass

    def processes_of_the_week(self):
        """One week, yielding the name of each process when it is done (for checks in between)."""
        self._keys = {}
        for name, process in self.PROCESSES:
            process(self)
            yield name
        self.record()
        for user in self.users:
            user.weeks_in_status += 1
        self.week += 1

    def run(self) -> ReferenceModel:
        while self.week < self.weeks:
            self.step()
        return self

    def environment(self) -> None:
        """Process 1: weekly flags cleared; is the service open; does the programme close."""
        p = self.p
        for user in self.users:
            user.crisis = user.relapsed = False
        self.service_open = service_open_in(self.week, p.aftercare_closure_weeks)
        if self.programme_open and self.streams["environment"].random() < (
            programme_closure_chance(p.programme_closure_per_year)
        ):
            self.programme_open = False
            for user in self.users:
                if user.ac_left > 0:
                    user.end_aftercare()

    def treatment(self) -> None:
        """Process 2: discharges (with the offers at discharge), re-entries and self-quits."""
        for user in self.users:
            outcome = user.treatment()
            if outcome == "discharge":
                user.discharge()
            elif outcome == "entry":
                user.enter_treatment()
            elif outcome == "quit":
                user.quit_using()
        self.ties.dirty = True

    def move_in(self, user: User) -> None:
        """Residents fill shared flats of ``housing_unit_size`` in order; housemates are tied."""
        size = self.p.housing_unit_size
        slot = len(self.slot_owner)
        self.slot_owner.append(user.index)
        user.housing, user.house = AFTERCARE_HOUSING, slot // size
        for back in range(1, size):
            prev = slot - back
            if prev >= 0 and prev // size == slot // size:
                self.ties.add(user.index, self.slot_owner[prev], HOUSEMATE)
        self.ties.dirty = True

    def aftercare(self) -> None:
        """Process 2 (continued): the weekly aftercare contacts."""
        for user in self.users:
            user.aftercare()

    def groups_step(self) -> None:
        """Process 3: the week's parameter records with their tenure tables, then the groups."""
        p, t = self.p, self._tables
        top_u = np.array([max((u.tenure for u in self.users), default=0)], np.int64)
        top_r = np.array([max((r.tenure for r in self.relatives), default=0)], np.int64)
        half = p.dropout_tenure_halving_weeks
        self.rec.user_join = fill(
            UserJoinParams,
            p,
            dropout_by_tenure=p.dropout_newcomer * t["halving"].covering(top_u, half),
        )
        self.rec.user_member = fill(
            UserMemberParams,
            p,
            tenure_gain=t["tenure_gain"].covering(top_u, p.attend_tenure_gain),
            sponsor_weekly=p.sponsor_prob / 8.0,
        )
        self.rec.relative_member = fill(
            RelativeMemberParams,
            p,
            dropout_by_tenure=p.relatives_dropout * t["halving"].covering(top_r, half),
        )
        reference_groups.groups_step(self)

    def meetings(self) -> None:
        reference_groups.meeting_effects(self)

    PROCESSES = (
        ("environment", environment),
        ("population", processes.population),
        ("treatment", treatment),
        ("aftercare", aftercare),
        ("groups", groups_step),
        ("meetings", meetings),
        ("network", processes.network),
        ("relapse", processes.relapse),
        ("mortality", processes.mortality),
        ("relatives", processes.relatives_step),
        ("drift", processes.drift),
    )

    # ------------------------------------------------------------------ state, record, summary
    # the columns the weekly recorder reads (sim/record.py)
    RECORDED_USERS = (
        "status relapsed ac_left ac_contact group attended activity housing comp manage meaning "
        "hope shame support using_ties sober_ties"
    ).split()
    RECORDED_RELATIVES = (
        "burnout group seeking coping stress strain shame hope_user hope_self soc13 present"
    ).split()

    def tables(self, recorded_only: bool = False) -> SimpleNamespace:
        """The agents' state as arrays with the vectorised model's names and types (only the
        columns the weekly recorder reads, if ``recorded_only``)."""

        def columns(agents: list, types: dict[str, np.dtype], only=None) -> SimpleNamespace:
            names = types if only is None else only
            cols = {k: np.array([getattr(a, k) for a in agents], types[k]) for k in names}
            return SimpleNamespace(n=len(agents), **cols)

        g = columns(self.groups, {k: np.dtype(t) for k, t in Group.COLUMN_TYPES.items()})
        g.size = len(self.groups)
        only_u = self.RECORDED_USERS if recorded_only else None
        only_r = self.RECORDED_RELATIVES if recorded_only else None
        return SimpleNamespace(
            users=columns(self.users, self.user_columns, only_u),
            relatives=columns(self.relatives, self.relative_columns, only_r),
            group_table=g,
            aftercare=SimpleNamespace(programme_open=self.programme_open),
            p=self.p,
            week=self.week,
            users_soc13_start=self.users_soc13_start,
            recorder=self.recorder,
        )

    def record(self) -> None:
        """Process 9: the weekly aggregates, computed by the vectorised model's recorder."""
        self.recorder.record(self.tables(recorded_only=True))

    def summary(self) -> dict[str, float]:
        """The headline figures, computed by the same code as for the vectorised model."""
        return summarize(self.tables())


def simulate_reference(
    scenario: Scenario | dict | None = None, n_users: int = 2000, weeks: int = 260, seed: int = 0
) -> dict[str, float]:
    """Build and run the reference model; return its summary."""
    return ReferenceModel(scenario, n_users, weeks, seed).run().summary()
