"""Next of kin (relatives): state in numpy arrays and process 7 of the weekly order.

Follows Orford's stress-strain-coping-support model: stress comes from the user's state
and crises; strain accumulates with stress and decays slowly (it does not reset when the user
recovers: seed 004, L241-243); coping positions are engaged / tolerant (enabling) / withdrawn /
limit-setting with contact (learned in groups, courses or a brief intervention); sustained high
strain leads to burnout. Relatives' global person id is ``n_users + index``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.groups import RELATIVE_OPEN_TYPES, join, open_with_room, pick_groups, within_room
from sim.agents.users import ABSTINENT, TREATMENT, USING

if TYPE_CHECKING:
    from sim.model import RecoveryModel

PARENT, PARTNER, CHILD_MINOR, CHILD_ADULT, SIBLING, OTHER = range(6)
RELATION_NAMES = ("parent", "partner", "child-minor", "child-adult", "sibling", "other")
ENGAGED, TOLERANT, WITHDRAWN, LIMIT = 0, 1, 2, 3
COPING_NAMES = ("engaged", "tolerant", "withdrawn", "limit-setting")


class Relatives:
    """State of all relatives (each attribute an array of length ``n``)."""

    def __init__(self, n_users: int, p: SimpleNamespace, rng: np.random.Generator):
        counts = 1 + rng.poisson(max(p.relatives_per_user_mean - 1.0, 0.0), n_users)
        self.n = n = int(counts.sum())
        self.user = np.repeat(np.arange(n_users, dtype=np.int32), counts)
        shares = np.array([p.relatives_share_parent, p.relatives_share_partner, p.relatives_share_child_minor,
                           p.relatives_share_child_adult, p.relatives_share_sibling])
        shares = np.append(shares, max(1.0 - shares.sum(), 0.0))
        self.relation = rng.choice(6, size=n, p=shares / shares.sum()).astype(np.int8)
        self.female = rng.random(n) < p.relatives_female_share
        self.closeness = np.where(self.relation >= SIBLING, p.closeness_distant, 1.0)
        self.stress = np.zeros(n)
        self.strain = np.clip(rng.normal(p.relatives_initial_strain_mean, 0.15, n), 0.0, 1.0)
        self.burnout = (self.strain > p.burnout_threshold) & (rng.random(n) < 0.3)
        c = rng.random(n)
        t, w, lim = p.relatives_initial_tolerant_share, p.relatives_initial_withdrawn_share, p.relatives_initial_limit_share
        self.coping = np.select([c < t, c < t + w, c < t + w + lim], [TOLERANT, WITHDRAWN, LIMIT], ENGAGED).astype(np.int8)
        self.hope_user = np.clip(rng.normal(0.4, 0.15, n), 0.0, 1.0)
        self.hope_self = np.clip(rng.normal(0.4, 0.15, n), 0.0, 1.0)
        self.shame = np.clip(rng.normal(0.5, 0.15, n), 0.0, 1.0)
        self.soc13 = np.clip(rng.normal(p.relatives_soc13_mean, p.soc13_sd, n), 13.0, 91.0)
        self.soc13_start = self.soc13.copy()
        self.wants_group = rng.random(n) < p.relatives_want_group_share
        self.seeking = np.zeros(n, bool)
        self.group = np.full(n, -1, np.int32)
        self.tenure = np.zeros(n, np.int32)
        self.attended = np.zeros(n, bool)
        self.ever_group = np.zeros(n, bool)
        self.first_help_week = np.full(n, -1, np.int32)
        self.intervention_left = np.zeros(n, np.int8)  # brief intervention sessions left
        self.family_week = np.zeros(n, bool)  # invited this week
        self.u_family_week = rng.random(n)  # propensities for scenario offers (common random numbers)
        self.u_brief = rng.random(n)
        self.touched = np.zeros(n, bool)  # ever in a group, course or intervention (for T10)


def relatives_step(model: "RecoveryModel") -> None:
    """Process 7: stress, strain, coping shifts, burnout onset and recovery, help-seeking and joining."""
    p, u, r = model.p, model.users, model.relatives
    status = u.status[r.user]
    crisis = model.user_crisis[r.user]
    relapsed = model.user_relapsed[r.user]
    # stress from the user's state and crises
    base = np.select([status == USING, status == TREATMENT], [p.stress_using, p.stress_treatment], p.stress_abstinent)
    r.stress = np.minimum(base * r.closeness + p.stress_crisis * crisis, 1.0)
    # help this week: a group meeting, a course, a brief intervention session
    helped = (r.group >= 0) | (r.intervention_left > 0)
    r.touched |= helped
    relief = np.where(helped, p.strain_group_relief, 0.0)
    limit = r.coping == LIMIT
    growth = p.strain_gain * r.stress * (1.0 - r.strain) * (1.0 - relief) * np.where(limit, 1.0 - p.limit_setting_strain_relief, 1.0)
    decay = p.strain_decay * r.strain * (1.0 + 2.0 * relief)
    r.strain = np.clip(r.strain + growth - decay, 0.0, 1.0)
    r.intervention_left = np.maximum(r.intervention_left - 1, 0).astype(np.int8)
    _coping(model, helped)
    _burnout(model, helped)
    # hope for the user: up with sober periods, sharp fall at relapse
    weeks_abs = u.weeks_in_status[r.user]
    target = np.select([status == ABSTINENT, status == TREATMENT], [0.3 + 0.6 * (1.0 - np.exp(-weeks_abs / 26.0)), 0.45], 0.15)
    r.hope_user += 0.1 * (target - r.hope_user)
    r.hope_user = np.where(relapsed, r.hope_user * (1.0 - p.relative_hope_fall_relapse), r.hope_user)
    r.hope_self += 0.01 * (0.4 - r.hope_self)
    r.shame += (1.0 - p.shame_persistence) * (0.3 + p.public_stigma_shame * p.public_stigma - r.shame)
    _help_seeking(model, crisis)


def _coping(model: "RecoveryModel", helped: np.ndarray) -> None:
    p, r = model.p, model.relatives
    d = model.streams.uniform("relatives_coping", r.n)
    c = r.coping
    p_limit = np.where(helped & (c != LIMIT), p.coping_learn_limit, 0.0)
    p_withdraw = np.where((c == ENGAGED) | (c == TOLERANT), p.coping_to_withdrawn * r.strain, 0.0)
    p_enable = np.where(c == ENGAGED, p.coping_to_enabling * (0.5 + r.hope_user), 0.0)
    p_engage = np.where((c != ENGAGED) & ~helped, p.coping_return_engaged, 0.0)
    c1 = p_limit
    c2 = c1 + p_withdraw
    c3 = c2 + p_enable
    c4 = c3 + p_engage
    r.coping = np.select([d < c1, d < c2, d < c3, d < c4], [LIMIT, WITHDRAWN, TOLERANT, ENGAGED], c).astype(np.int8)


def _burnout(model: "RecoveryModel", helped: np.ndarray) -> None:
    p, r = model.p, model.relatives
    d = model.streams.uniform("relatives_burnout", r.n)
    over = np.maximum(r.strain - p.burnout_threshold, 0.0) / (1.0 - p.burnout_threshold)
    onset = ~r.burnout & (d < p.burnout_onset_rate * over)
    p_rec = p.burnout_recovery_rate * (1.0 + helped) * (1.0 - 0.5 * r.strain)
    recover = r.burnout & (d < p_rec)
    r.burnout = (r.burnout | onset) & ~recover
    log = model.log
    log.add("burnout_onset", model.person_id("relatives", np.flatnonzero(onset)))
    log.add("burnout_recovery", model.person_id("relatives", np.flatnonzero(recover)))


def _help_seeking(model: "RecoveryModel", crisis: np.ndarray) -> None:
    """Help-seeking is triggered by the user's events, delayed by shame, sped by visible offers."""
    p, r = model.p, model.relatives
    d = model.streams.uniform("relatives_help", r.n)
    dj = model.streams.uniform("relatives_join", r.n)
    da = model.streams.uniform("relatives_assign", r.n)
    fs = p.relatives_female_share
    norm = p.helpseek_female_ratio * fs + (1.0 - fs)
    sex = np.where(r.female, p.helpseek_female_ratio, 1.0) / norm
    p_seek = (p.helpseek_base + p.helpseek_event * crisis) * (1.0 - p.helpseek_shame_effect * r.shame)
    p_seek = p_seek * (1.0 + 2.0 * p.relatives_info_visibility) * sex
    free = ~r.seeking & (r.group < 0)
    start = free & r.wants_group & (d < p_seek)
    # a family week leads relatives into groups (seed 000, L1975-1979)
    fw = free & r.family_week & (d < p.family_week_join_prob)
    r.wants_group |= fw
    start |= fw
    r.family_week[:] = False
    r.seeking |= start
    first = start & (r.first_help_week < 0)
    r.first_help_week[first] = model.week
    # joining an open group with room
    look = np.flatnonzero(r.seeking & (r.group < 0) & (dj < p.relatives_find_group))
    gids = within_room(model, pick_groups(da[look], open_with_room(model, RELATIVE_OPEN_TYPES)))
    join(model, "relatives", look, gids)
    r.seeking[look[gids >= 0]] = False
