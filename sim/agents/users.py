"""Users: people in recovery, one row per person in numpy arrays.

Status and housing codes are named in sim/codes.py. Users' global person id is their index 0..N-1.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.aftercare.state import COLUMNS as AFTERCARE_COLUMNS
from sim.codes import STABLE, TREATMENT, UNSTABLE
from sim.groups.state import USER_COLUMNS as GROUP_COLUMNS
from sim.mortality.state import COLUMNS as MORTALITY_COLUMNS
from sim.population.state import USER_COLUMNS as POPULATION_COLUMNS
from sim.relapse.state import COLUMNS as RELAPSE_COLUMNS
from sim.relapse.state import WEEK_FLAGS
from sim.state import allocate
from sim.treatment.state import COLUMNS as TREATMENT_COLUMNS


class Users:
    """State of all users (each attribute an array of length ``n``)."""

    def __init__(self, n: int, p: SimpleNamespace, rng: np.random.Generator):
        self.n = n
        # covariates
        self.male = rng.random(n) < p.users_male_share
        self.age = np.clip(rng.normal(p.users_age_mean, 11.0, n), 18, 80)
        self.comorbid = rng.random(n) < p.users_comorbid_share
        self.housing = np.where(
            rng.random(n) < p.users_unstable_housing_share, UNSTABLE, STABLE
        ).astype(np.int8)
        self.activity = rng.random(n) < p.users_activity_share
        self.positive_attitude = rng.random(n) < p.users_positive_attitude_share
        self.old_net_using = rng.random(n) < p.users_old_network_using_share
        # recovery status: the cohort is in treatment and leaves it over the first weeks
        self.status = np.full(n, TREATMENT, np.int8)
        self.weeks_in_status = np.zeros(n, np.int32)
        self.treat_left = 1 + (rng.random(n) * p.discharge_spread_weeks).astype(np.int32)
        allocate(self, TREATMENT_COLUMNS, n)  # sim/treatment/state.py
        allocate(self, RELAPSE_COLUMNS, n)  # sim/relapse/state.py
        allocate(self, MORTALITY_COLUMNS, n)  # sim/mortality/state.py
        allocate(self, POPULATION_COLUMNS, n)  # sim/population/state.py
        allocate(self, WEEK_FLAGS, n)  # this week's crisis and relapse (sim/relapse/state.py)
        self.integration = np.clip(rng.normal(0.1, 0.05, n), 0.0, 1.0)
        # psychosocial
        from sim.soc import draw_soc_components

        c, m, me, self.soc_item_mean, self.soc_item_sd = draw_soc_components(
            rng, n, p.users_soc13_mean, p.soc13_sd
        )
        self.comp, self.manage, self.meaning = c, m, me
        self.hope = np.clip(rng.normal(p.users_hope_mean, 8.0, n), 8, 64)
        self.shame = np.clip(rng.normal(p.users_shame_mean, 0.15, n), 0, 1)
        self.support = np.zeros(n)
        self.lonely = np.zeros(n, bool)
        # ties outside the cohort (counts); cohort ties live in the Network
        self.base_using_ties = rng.poisson(p.users_using_ties_mean, n).astype(float)
        self.using_ties = self.base_using_ties.copy()
        self.sober_ties = rng.poisson(p.users_sober_ties_mean, n).astype(float)
        # aftercare
        allocate(self, AFTERCARE_COLUMNS, n)  # sim/aftercare/state.py
        # Per-person propensities for discharge decisions: a person's place in the service
        # system's queue. The same person is offered aftercare in every arm whose coverage
        # reaches them (common random numbers, monotone in the lever).
        self.u_offer = rng.random(n)
        self.u_refer = rng.random(n)
        self.u_plan = rng.random(n)
        self.u_house = rng.random(n)
        self.u_activity = rng.random(n)
        # self-help groups (columns declared in sim/groups/state.py)
        allocate(self, GROUP_COLUMNS, n)
