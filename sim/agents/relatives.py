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
from sim.agents.users import ABSTINENT, TREATMENT
from sim.vector import WeekTable, below, ceil_as, rows_of

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
        self.met_in = np.full(n, -1, np.int32)
        self.service = np.zeros(n, bool)  # rotating service role in an open group
        self.ever_group = np.zeros(n, bool)
        self.first_help_week = np.full(n, -1, np.int32)
        self.intervention_left = np.zeros(n, np.int8)  # brief intervention sessions left
        self.family_week = np.zeros(n, bool)  # invited this week
        self.u_family_week = rng.random(n)  # propensities for scenario offers (common random numbers)
        self.u_brief = rng.random(n)
        self.touched = np.zeros(n, bool)  # ever in a group, course or intervention (for T10)


# relatives' hope for an abstinent user, by the user's weeks abstinent
_HOPE_FOR_USER = WeekTable(lambda weeks: 0.3 + 0.6 * (1.0 - np.exp(-weeks / 26.0)))


def relatives_step(model: "RecoveryModel") -> None:
    """Process 7: stress, strain, coping shifts, burnout onset and recovery, help-seeking and joining."""
    p, u, r = model.p, model.users, model.relatives
    # relatives of users with a crisis (relapse or treatment entry) or a relapse this week
    crisis = rows_of(model.network.kin, np.flatnonzero(model.user_crisis))
    relapsed = rows_of(model.network.kin, np.flatnonzero(model.user_relapsed))
    # stress from the user's state and crises
    by_status = np.array([p.stress_treatment, p.stress_abstinent, p.stress_using])  # TREATMENT, ABSTINENT, USING
    stress = by_status[u.status][r.user]
    stress *= r.closeness
    stress[crisis] += p.stress_crisis
    r.stress = np.minimum(stress, 1.0, out=stress)
    # help this week: a group meeting, a course, a brief intervention session
    helped = (r.group >= 0) | (r.intervention_left > 0)
    r.touched |= helped
    h = np.flatnonzero(helped)
    relief = p.strain_group_relief  # for the helped
    limit = np.flatnonzero(r.coping == LIMIT)
    # strain grows with stress (less when helped or setting limits) and decays slowly
    growth = p.strain_gain * r.stress
    spare = np.subtract(1.0, r.strain)
    growth *= spare
    growth[h] *= 1.0 - relief
    growth[limit] *= 1.0 - p.limit_setting_strain_relief
    decay = np.multiply(r.strain, p.strain_decay, out=spare)
    decay[h] *= 1.0 + 2.0 * relief
    growth += r.strain
    growth -= decay
    r.strain = np.clip(growth, 0.0, 1.0, out=growth)
    np.subtract(r.intervention_left, 1, out=r.intervention_left, where=r.intervention_left > 0)
    _coping(model, helped)
    _burnout(model, helped)
    # hope for the user: up with sober periods, sharp fall at relapse
    target_u = np.full(u.n, 0.15)
    target_u[u.status == TREATMENT] = 0.45
    abst = np.flatnonzero(u.status == ABSTINENT)
    target_u[abst] = _HOPE_FOR_USER(u.weeks_in_status[abst])
    target = target_u[r.user]
    target -= r.hope_user
    target *= 0.1
    r.hope_user += target
    r.hope_user[relapsed] = r.hope_user[relapsed] * (1.0 - p.relative_hope_fall_relapse)
    step = np.subtract(0.4, r.hope_self, out=spare)
    step *= 0.01
    r.hope_self += step
    np.subtract(0.3 + p.public_stigma_shame * p.public_stigma, r.shame, out=step)
    step *= 1.0 - p.shame_persistence
    r.shame += step
    _help_seeking(model, crisis)


def _coping(model: "RecoveryModel", helped: np.ndarray) -> None:
    """Shifts between coping positions; only relatives whose draw is below the largest possible
    chance of a shift can shift (sim/vector.py), so the chances are computed for them alone."""
    p, r = model.p, model.relatives
    d = model.streams.uniform("relatives_coping", r.n)
    bound = (p.coping_learn_limit + p.coping_to_withdrawn * r.strain.max(initial=0.0)
             + p.coping_to_enabling * (0.5 + r.hope_user.max(initial=0.0)) + p.coping_return_engaged)
    i = below(d, bound)
    c, h, di = r.coping[i], helped[i], d[i]
    p_limit = np.where(h & (c != LIMIT), p.coping_learn_limit, 0.0)
    p_withdraw = np.where((c == ENGAGED) | (c == TOLERANT), p.coping_to_withdrawn * r.strain[i], 0.0)
    p_enable = np.where(c == ENGAGED, p.coping_to_enabling * (0.5 + r.hope_user[i]), 0.0)
    p_engage = np.where((c != ENGAGED) & ~h, p.coping_return_engaged, 0.0)
    c1 = p_limit
    c2 = c1 + p_withdraw
    c3 = c2 + p_enable
    c4 = c3 + p_engage
    r.coping[i] = np.select([di < c1, di < c2, di < c3, di < c4], [LIMIT, WITHDRAWN, TOLERANT, ENGAGED], c)


def _burnout(model: "RecoveryModel", helped: np.ndarray) -> None:
    """Burnout onset with strain above the threshold, and recovery (faster when helped)."""
    p, r = model.p, model.relatives
    d = model.streams.uniform("relatives_burnout", r.n)
    top = 1.0 - p.burnout_threshold
    bound = max(p.burnout_onset_rate * (max(r.strain.max(initial=0.0) - p.burnout_threshold, 0.0) / top),
                p.burnout_recovery_rate * 2.0 * (1.0 - 0.5 * r.strain.min(initial=0.0)))
    i = below(d, bound)
    strain, burnout, di = r.strain[i], r.burnout[i], d[i]
    over = np.maximum(strain - p.burnout_threshold, 0.0) / top
    onset = ~burnout & (di < p.burnout_onset_rate * over)
    p_rec = p.burnout_recovery_rate * (1.0 + helped[i]) * (1.0 - 0.5 * strain)
    recover = burnout & (di < p_rec)
    r.burnout[i] = (burnout | onset) & ~recover
    log = model.log
    log.add("burnout_onset", model.person_id("relatives", i[onset]))
    log.add("burnout_recovery", model.person_id("relatives", i[recover]))


def _help_seeking(model: "RecoveryModel", crisis: np.ndarray) -> None:
    """Help-seeking is triggered by the user's events, delayed by shame, sped by visible offers.

    ``crisis``: the relatives whose user had a crisis this week (ascending)."""
    p, r = model.p, model.relatives
    d = model.streams.uniform("relatives_help", r.n)
    dj = model.streams.uniform("relatives_join", r.n)
    da = model.streams.uniform("relatives_assign", r.n)
    fs = p.relatives_female_share
    norm = p.helpseek_female_ratio * fs + (1.0 - fs)
    visible = 1.0 + 2.0 * p.relatives_info_visibility
    # without a crisis the chance is at most this; relatives with a crisis are always looked at
    bound = (p.helpseek_base * (1.0 - p.helpseek_shame_effect * r.shame.min(initial=0.0)) * visible
             * (max(p.helpseek_female_ratio, 1.0) / norm))
    look = d < ceil_as(d.dtype, bound)
    look[crisis] = True
    i = np.flatnonzero(look)
    in_crisis = np.zeros(r.n, bool)
    in_crisis[crisis] = True
    in_crisis = in_crisis[i]
    sex = np.where(r.female[i], p.helpseek_female_ratio, 1.0) / norm
    p_seek = (p.helpseek_base + p.helpseek_event * in_crisis) * (1.0 - p.helpseek_shame_effect * r.shame[i])
    p_seek = p_seek * visible * sex
    free = ~r.seeking[i] & (r.group[i] < 0)
    start = i[free & r.wants_group[i] & (d[i] < p_seek)]
    # a family week leads relatives into groups (seed 000, L1975-1979)
    f = np.flatnonzero(r.family_week)
    fw = f[~r.seeking[f] & (r.group[f] < 0) & (d[f] < p.family_week_join_prob)]
    r.wants_group[fw] = True
    start = np.union1d(start, fw)
    r.family_week[:] = False
    r.seeking[start] = True
    first = start[r.first_help_week[start] < 0]
    r.first_help_week[first] = model.week
    # joining an open group with room
    s = np.flatnonzero(r.seeking)
    look = s[(r.group[s] < 0) & (dj[s] < p.relatives_find_group)]
    gids = within_room(model, pick_groups(da[look], open_with_room(model, RELATIVE_OPEN_TYPES)))
    join(model, "relatives", look, gids)
    r.seeking[look[gids >= 0]] = False
