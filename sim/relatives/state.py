"""The relatives' table: every per-relative column, declared with its type, start value and label.

Columns drawn at set-up (relation, sex, strain, burnout, coping, hope, shame, SOC, the wish for
a group, the propensities for scenario offers and the years lived with the user's problem) are declared in :data:`DRAWN` and drawn in
:class:`Relatives` in exactly this order from the ``init_relatives`` stream; the columns that
start at one value are declared in :data:`WEEKLY` (and, for group membership, in
:data:`sim.groups.state.RELATIVE_COLUMNS`) and allocated with :func:`sim.state.allocate`.
A relative's global person id is ``n_users + index``.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.codes import ENGAGED, LIMIT, OTHER, SIBLING, TOLERANT, WITHDRAWN
from sim.groups.state import RELATIVE_COLUMNS
from sim.population.state import RELATIVE_COLUMNS as POPULATION_COLUMNS
from sim.relatives.rules import PROBLEM_YEARS_SHAPE, years_with_problem
from sim.state import Column, allocate

# drawn at set-up (the fill is the value before the draw; the draws keep this order)
DRAWN: tuple[Column, ...] = (
    Column("user", np.int32, 0, "the relative's user (index into the users)"),
    Column("relation", np.int8, 0, "relation to the user (sim.codes.Relation)"),
    Column("female", np.bool_, False, "the relative is a woman"),
    Column("strain", np.float64, 0.0, "accumulated strain, 0-1 (Orford)"),
    Column("burnout", np.bool_, False, "in burnout"),
    Column("coping", np.int8, ENGAGED, "coping position (sim.codes.Coping)"),
    Column("hope_user", np.float64, 0.0, "hope for the user's recovery, 0-1"),
    Column("hope_self", np.float64, 0.0, "hope for oneself, 0-1"),
    Column("shame", np.float64, 0.0, "shame, 0-1"),
    Column("soc13", np.float64, 13.0, "sense of coherence (SOC-13, 13-91)"),
    Column("soc13_start", np.float64, 13.0, "SOC-13 at set-up"),
    Column("wants_group", np.bool_, False, "would join a relatives' group once seeking help"),
    Column(
        "u_family_week",
        np.float64,
        0.0,
        "propensity to be invited to a family week (common random numbers)",
    ),
    Column(
        "u_brief",
        np.float64,
        0.0,
        "propensity to be offered a brief intervention (common random numbers)",
    ),
    Column(
        "years_with_problem",
        np.float64,
        0.0,
        "years lived with the user's problem when the user entered the model",
    ),
)

# the weekly state, at its start value
WEEKLY: tuple[Column, ...] = (
    Column("stress", np.float64, 0.0, "this week's stress, 0-1"),
    Column("first_help_week", np.int32, -1, "week help-seeking first started (-1: never)"),
    Column(
        "first_help_route", np.int8, 0, "route of the first help-seeking (0 none, 1 group, 2 GP)"
    ),
    Column("treatment_left", np.int16, 0, "weeks of relatives' own treatment left"),
    Column(
        "treatment_week", np.int32, -1, "week relatives' own treatment first started (-1: never)"
    ),
    Column("intervention_left", np.int8, 0, "brief intervention sessions left"),
    Column("family_week", np.bool_, False, "invited to a family week this week"),
    Column("touched", np.bool_, False, "ever in a group, course or intervention (for T10)"),
)

# the group columns are the groups' processes' (sim/groups/state.py), ``present`` the population's
COLUMNS: tuple[Column, ...] = DRAWN + WEEKLY + RELATIVE_COLUMNS + POPULATION_COLUMNS


def closeness_by_relation(p: SimpleNamespace) -> np.ndarray:
    """How close each relation is (stress scales with it), by relation code: 1 for parents,
    partners and children, ``closeness_distant`` for siblings and others. A table read through
    the int8 relation code (one byte a relative instead of eight in the weekly pass)."""
    return np.where(np.arange(OTHER + 1) >= SIBLING, p.closeness_distant, 1.0)


class Relatives:
    """State of all relatives (each column an array of length ``n``; see :data:`COLUMNS`)."""

    def __init__(
        self,
        n_users: int,
        p: SimpleNamespace,
        rng: np.random.Generator,
        user_age: np.ndarray | None = None,
    ):
        counts = 1 + rng.poisson(max(p.relatives_per_user_mean - 1.0, 0.0), n_users)
        self.n = n = int(counts.sum())
        self.user = np.repeat(np.arange(n_users, dtype=np.int32), counts)
        shares = np.array(
            [
                p.relatives_share_parent,
                p.relatives_share_partner,
                p.relatives_share_child_minor,
                p.relatives_share_child_adult,
                p.relatives_share_sibling,
            ]
        )
        shares = np.append(shares, max(1.0 - shares.sum(), 0.0))
        self.relation = rng.choice(OTHER + 1, size=n, p=shares / shares.sum()).astype(np.int8)
        self.female = rng.random(n) < p.relatives_female_share
        self.closeness_by_relation = closeness_by_relation(p)
        self.strain = np.clip(rng.normal(p.relatives_initial_strain_mean, 0.15, n), 0.0, 1.0)
        self.burnout = (self.strain > p.burnout_threshold) & (rng.random(n) < 0.3)
        c = rng.random(n)
        t, w, lim = (
            p.relatives_initial_tolerant_share,
            p.relatives_initial_withdrawn_share,
            p.relatives_initial_limit_share,
        )
        self.coping = np.select(
            [c < t, c < t + w, c < t + w + lim], [TOLERANT, WITHDRAWN, LIMIT], ENGAGED
        ).astype(np.int8)
        self.hope_user = np.clip(rng.normal(0.4, 0.15, n), 0.0, 1.0)
        self.hope_self = np.clip(rng.normal(0.4, 0.15, n), 0.0, 1.0)
        self.shame = np.clip(rng.normal(0.5, 0.15, n), 0.0, 1.0)
        self.soc13 = np.clip(rng.normal(p.relatives_soc13_mean, p.soc13_sd, n), 13.0, 91.0)
        self.soc13_start = self.soc13.copy()
        self.wants_group = rng.random(n) < p.relatives_want_group_share
        self.u_family_week = rng.random(
            n
        )  # propensities for scenario offers (common random numbers)
        self.u_brief = rng.random(n)
        # years with the problem: the user's problem years (one gamma draw per user, at most the
        # user's age - 15), for a minor child at most the child's age (rules.years_with_problem)
        shape = PROBLEM_YEARS_SHAPE
        problem = rng.gamma(shape, p.users_problem_years_mean / shape, n_users)
        age = np.full(n_users, np.inf) if user_age is None else np.asarray(user_age, float)
        self.years_with_problem = years_with_problem(
            problem[self.user], age[self.user], self.relation, rng.random(n)
        )
        allocate(self, WEEKLY + RELATIVE_COLUMNS + POPULATION_COLUMNS, n)
        self._first = np.searchsorted(self.user, np.arange(n_users + 1))  # ``user`` is sorted

    def of(self, users: np.ndarray) -> np.ndarray:
        """The relatives of the users ``users`` (ascending users give ascending relatives)."""
        users = np.asarray(users, np.int64)
        if len(users) == 0:
            return np.zeros(0, np.int64)
        starts, stops = self._first[users], self._first[users + 1]
        counts = stops - starts
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        return np.arange(counts.sum(), dtype=np.int64) + offsets

    @property
    def closeness(self) -> np.ndarray:
        """Each relative's closeness to the user (1 for parents, partners and children)."""
        return self.closeness_by_relation[self.relation]
