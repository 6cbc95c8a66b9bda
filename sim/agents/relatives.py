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

import numba
import numpy as np

from sim.agents.groups import join, open_with_room, pick_groups, room, within_room
from sim.codes import (
    ABSTINENT,
    ENGAGED,
    LIMIT,
    RELATIVE_OPEN_TYPES,
    SIBLING,
    TOLERANT,
    TREATMENT,
    WITHDRAWN,
)
from sim.rng import field_bound, fields_to_uniforms, three_fields, words_all
from sim.vector import WeekTable

if TYPE_CHECKING:
    from sim.model import RecoveryModel



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
        # how close each relation is (stress scales with it): a table by relation, read through
        # the int8 relation code (one byte a relative instead of eight in the weekly pass)
        self.closeness_by_relation = np.where(np.arange(6) >= SIBLING, p.closeness_distant, 1.0)
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

    @property
    def closeness(self) -> np.ndarray:
        """Each relative's closeness to the user (1 for parents, partners and children)."""
        return self.closeness_by_relation[self.relation]


# relatives' hope for an abstinent user, by the user's weeks abstinent
_HOPE_FOR_USER = WeekTable(lambda weeks: 0.3 + 0.6 * (1.0 - np.exp(-weeks / 26.0)))


def relatives_step(model: "RecoveryModel") -> None:
    """Process 7: stress, strain, coping shifts, burnout onset and recovery, help-seeking and joining.

    Each relative's weekly update depends only on that relative and its user, so it runs as
    compiled passes over the relatives (numba: ``_user_terms``, ``_decide``, ``_update_by_user``,
    ``_update_own`` below; docs/performance.md). Joining a group, which depends on room in the
    groups, follows in numpy."""
    p, u, r, week = model.p, model.users, model.relatives, model.week
    # relatives' hope for the user moves towards a level set by the user's state: 0.45 while in
    # treatment, 0.15 while using, and by weeks abstinent (this table) while abstinent
    hope_for_user = _HOPE_FOR_USER.covering(u.weeks_in_status)
    fs = p.relatives_female_share
    norm = p.helpseek_female_ratio * fs + (1.0 - fs)
    rates = np.array([
        p.stress_treatment, p.stress_abstinent, p.stress_using, p.stress_crisis,  # 0-3
        p.strain_gain, p.strain_group_relief, p.limit_setting_strain_relief, p.strain_decay,  # 4-7
        p.coping_learn_limit, p.coping_to_withdrawn, p.coping_to_enabling, p.coping_return_engaged,  # 8-11
        p.burnout_threshold, p.burnout_onset_rate, p.burnout_recovery_rate,  # 12-14
        p.relative_hope_fall_relapse, 0.3 + p.public_stigma_shame * p.public_stigma, p.shame_persistence,  # 15-17
        p.helpseek_base, p.helpseek_event, p.helpseek_shame_effect,  # 18-20
        1.0 + 2.0 * p.relatives_info_visibility, p.helpseek_female_ratio / norm, 1.0 / norm,  # 21-23
    ])
    streams = model.streams
    key = streams.key("relatives_week", week)  # coping, burnout and help-seeking draws
    base, crisis_stress, target, keep = _user_terms(rates, u.status, u.weeks_in_status, u.crisis,
                                                    u.relapsed, hope_for_user)
    onset, recover, start, moved, coping_to = _decide(
        rates, key, base, crisis_stress, u.crisis, r.user, r.relation, r.closeness_by_relation, r.strain,
        r.group, r.intervention_left, r.coping, r.burnout, r.hope_user, r.shame, r.female, r.seeking, r.wants_group)
    _update_by_user(base, crisis_stress, target, keep, r.user, r.relation, r.closeness_by_relation, r.stress,
                    r.hope_user)
    _update_own(rates, r.group, r.intervention_left, r.coping, r.stress, r.strain, r.hope_self, r.shame, r.touched)
    r.coping[moved] = coping_to  # after the update, whose strain growth depends on last week's position
    log = model.log
    log.add("burnout_onset", model.person_id("relatives", onset))
    log.add("burnout_recovery", model.person_id("relatives", recover))
    _help_seeking(model, start)


# The week of every relative runs as compiled passes (docs/performance.md): the terms that
# depend only on the user (``_user_terms``, once per user), the decisions (``_decide``: the few
# relatives whose draws fall below the largest chance a decision can have), and the update of
# everyone's stress, strain, hope and shame, in two passes: what needs the user's terms
# (``_update_by_user``: gathered, one relative at a time) and the rest (``_update_own``: no
# gathers, branches or draws, so the compiler runs it on several relatives at once). The
# decisions and the update compute this week's stress and strain with the same functions
# (``_stress``, ``_strain``, ``_growth_factor``), so they agree bit for bit.

@numba.njit(cache=True)
def _user_terms(rates, status, weeks_in_status, crisis, relapsed, hope_for_user):
    """Per user: the stress a (close) relative gets from the user's state, the stress added by a
    crisis, the level the relatives' hope for the user moves towards (0.45 while in treatment,
    0.15 while using, by weeks abstinent while abstinent) and the share of that hope kept (less
    at a relapse)."""
    n = len(status)
    base = np.empty(n)
    crisis_stress = np.empty(n)
    target = np.empty(n)
    keep = np.empty(n)
    s_treatment, s_abstinent, s_using, s_crisis = rates[0], rates[1], rates[2], rates[3]
    kept_at_relapse = 1.0 - rates[15]
    for j in range(n):  # (selects only: the compiler runs it on several users at once)
        st_j = status[j]
        base[j] = s_treatment if st_j == TREATMENT else (s_abstinent if st_j == ABSTINENT else s_using)
        crisis_stress[j] = s_crisis * crisis[j]
        target[j] = 0.45 if st_j == TREATMENT else 0.15
        keep[j] = kept_at_relapse if relapsed[j] else 1.0
    for j in range(n):  # the abstinent's level, read from the table by weeks abstinent (a gather)
        if status[j] == ABSTINENT:
            target[j] = hope_for_user[np.uint32(weeks_in_status[j])]
    return base, crisis_stress, target, keep


@numba.njit(cache=True, inline="always")
def _stress(base, crisis_stress, closeness):
    """This week's stress: from the user's state (scaled by closeness) and crises."""
    return min(base * closeness + crisis_stress, 1.0)


@numba.njit(cache=True, inline="always")
def _strain(s0, st, helped, growth_factor, gain, relief, decay):
    """Strain grows with stress (less when helped or setting limits) and decays slowly."""
    growth = gain * st * (1.0 - s0) * growth_factor
    dec = s0 * decay
    if helped:
        growth *= 1.0 - relief
        dec *= 1.0 + 2.0 * relief
    return min(max(growth + s0 - dec, 0.0), 1.0)


@numba.njit(cache=True, inline="always")
def _shame(sh0, level, keep):
    """Shame moves towards a level set by public stigma."""
    return sh0 + (level - sh0) * (1.0 - keep)


@numba.njit(cache=True)
def _decide(rates, key, base, crisis_stress, crisis, user, relation, closeness, strain, group, intervention_left,
            coping, burnout, hope_user, shame, female, seeking, wants_group):
    """This week's decisions of every relative, from last week's state: coping shifts, burnout
    onset and recovery (set here), and whether help-seeking starts. Returns the relatives with
    burnout onset, with burnout recovery, who start seeking help, and who change coping position
    with their new positions (to be set after the update), each ascending.

    Each draw is first compared with the largest chance its decision can have; the exact chance
    (which needs this week's strain and shame) is worked out only below that bound: the same
    outcome, less arithmetic."""
    n = len(user)
    gain, relief, decay = rates[4], rates[5], rates[7]
    p_learn, p_withdrawn, p_enabling, p_engaged = rates[8], rates[9], rates[10], rates[11]
    threshold, onset_rate, recovery_rate = rates[12], rates[13], rates[14]
    top = 1.0 - threshold
    shame_level, shame_keep = rates[16], rates[17]
    h_base, h_event, h_shame, visible, w_female, w_male = rates[18], rates[19], rates[20], rates[21], rates[22], rates[23]
    limit_relief = rates[6]
    # the largest chance each decision can have (strain and hope at most 1)
    bound_coping = np.array([p_learn + p_withdrawn + 1.5 * p_enabling, p_learn + p_withdrawn + p_engaged,
                             p_learn + p_engaged, p_engaged])  # by coping position
    bound_burnout = max(onset_rate, 2.0 * recovery_rate)
    bound_help = np.array([h_base, h_base + h_event]) * max(1.0, 1.0 - h_shame) * visible * max(w_female, w_male)
    # the relatives with a draw below its bound, found without branches: every relative's word
    # first (several at once), then each compared through its 21-bit fields (sim/rng.py)
    words = words_all(key, n)
    t_coping = np.array([field_bound(b) for b in bound_coping])
    t_burnout = field_bound(bound_burnout)
    t_help = np.array([field_bound(bound_help[0]), field_bound(bound_help[1])])
    found = np.empty(n, np.int64)
    n_found = 0
    for i in range(n):
        f_coping, f_burnout, f_help = three_fields(words[i])
        found[n_found] = i
        n_found += ((f_coping < t_coping[np.uint8(coping[i])]) | (f_burnout < t_burnout)
                    | (f_help < t_help[np.uint8(crisis[np.uint32(user[i])])]))
    onset = np.empty(n_found, np.int64)
    recover = np.empty(n_found, np.int64)
    start = np.empty(n_found, np.int64)
    moved = np.empty(n_found, np.int64)
    coping_to = np.empty(n_found, np.int8)
    n_on = n_rec = n_start = n_moved = 0
    for i in found[:n_found]:
        d_coping, d_burnout, d_help = fields_to_uniforms(words[i])
        c = np.uint8(coping[i])
        j = np.uint32(user[i])
        u_crisis = crisis[j]
        left = intervention_left[i]
        in_group = group[i] >= 0
        # help this week: a group meeting, a course, a brief intervention session
        helped = in_group | (left > 0)
        st = _stress(base[j], crisis_stress[j], closeness[np.uint8(relation[i])])
        s1 = _strain(strain[i], st, helped, _growth_factor(c, limit_relief), gain, relief, decay)
        # coping positions: learn limit-setting when helped, withdraw under strain, slide into
        # enabling while hoping, return to engaged
        if d_coping < bound_coping[c]:
            hu = hope_user[i]
            c1 = p_learn * (helped & (c != LIMIT))
            c2 = c1 + p_withdrawn * s1 * ((c == ENGAGED) | (c == TOLERANT))
            c3 = c2 + p_enabling * (0.5 + hu) * (c == ENGAGED)
            c4 = c3 + p_engaged * ((c != ENGAGED) & ~helped)
            to = -1
            if d_coping < c1:
                to = LIMIT
            elif d_coping < c2:
                to = WITHDRAWN
            elif d_coping < c3:
                to = TOLERANT
            elif d_coping < c4:
                to = ENGAGED
            if to >= 0:
                moved[n_moved] = i
                coping_to[n_moved] = to
                n_moved += 1
        # burnout onset with strain above the threshold; recovery, faster when helped
        b = burnout[i]
        if d_burnout < bound_burnout and d_burnout < (
                recovery_rate * (1.0 + helped) * (1.0 - 0.5 * s1) if b
                else onset_rate * (max(s1 - threshold, 0.0) / top)):
            burnout[i] = not b
            if b:
                recover[n_rec] = i
                n_rec += 1
            else:
                onset[n_on] = i
                n_on += 1
        # help-seeking: triggered by the user's crises, delayed by shame, sped by visible offers
        if d_help < bound_help[np.uint8(u_crisis)] and d_help < (
                (h_base + h_event * u_crisis) * (1.0 - h_shame * _shame(shame[i], shame_level, shame_keep)) * visible
                * (w_male + (w_female - w_male) * female[i])):
            if wants_group[i] and not seeking[i] and not in_group:
                start[n_start] = i
                n_start += 1
    return onset[:n_on], recover[:n_rec], start[:n_start], moved[:n_moved], coping_to[:n_moved]


@numba.njit(cache=True, inline="always")
def _growth_factor(coping, limit_relief):
    """How much of the strain growth reaches a relative, by coping position (less when setting limits)."""
    return 1.0 - limit_relief if coping == LIMIT else 1.0


@numba.njit(cache=True)
def _update_by_user(base, crisis_stress, target, keep, user, relation, closeness, stress, hope_user):
    """Every relative's stress and hope for the user this week: the terms of the relative's user
    are gathered, so this loop runs one relative at a time (``_update_own`` does the rest)."""
    for i in range(len(user)):
        j = np.uint32(user[i])  # (unsigned indices need no check for negative ones: docs/performance.md)
        stress[i] = _stress(base[j], crisis_stress[j], closeness[np.uint8(relation[i])])
        hu = hope_user[i]
        hope_user[i] = (hu + (target[j] - hu) * 0.1) * keep[j]  # a sharp fall at relapse


@numba.njit(cache=True)
def _update_own(rates, group, intervention_left, coping, stress, strain, hope_self, shame, touched):
    """Every relative's strain (from this week's stress), hope for oneself and shame; help
    received is counted (``touched``) and brief intervention sessions run down. Nothing is
    gathered and nothing branches, so the compiler runs this loop on several relatives at once."""
    gain, relief, limit_relief, decay = rates[4], rates[5], rates[6], rates[7]
    shame_level, shame_keep = rates[16], rates[17]
    for i in range(len(group)):
        left = intervention_left[i]
        helped = (group[i] >= 0) | (left > 0)
        strain[i] = _strain(strain[i], stress[i], helped, _growth_factor(coping[i], limit_relief), gain, relief, decay)
        hs = hope_self[i]
        hope_self[i] = hs + (0.4 - hs) * 0.01
        shame[i] = _shame(shame[i], shame_level, shame_keep)
        touched[i] |= helped
        intervention_left[i] = left - (left > 0)


def _help_seeking(model: "RecoveryModel", start: np.ndarray) -> None:
    """Relatives who start seeking help (``start``, from ``_decide``) and those led by a family week
    seek a group; seekers look for an open relatives' group with room and join it."""
    p, r = model.p, model.relatives
    # a family week leads relatives into groups (seed 000, L1975-1979)
    invited = np.flatnonzero(r.family_week)
    f = invited[~r.seeking[invited] & (r.group[invited] < 0)]
    fw = f[model.draw("family_week_join", f) < p.family_week_join_prob]
    r.wants_group[fw] = True
    if len(fw):
        start = np.union1d(start, fw)  # (``start`` is ascending and unique already)
    r.family_week[invited] = False
    r.seeking[start] = True
    first = start[r.first_help_week[start] < 0]
    r.first_help_week[first] = model.week
    # joining an open group with room
    s = np.flatnonzero(r.seeking)
    s = s[r.group[s] < 0]
    look = s[model.draw("relatives_join", s) < p.relatives_find_group]
    free = room(model)
    cand = open_with_room(model, RELATIVE_OPEN_TYPES, free)
    gids = within_room(model, pick_groups(model.draw("relatives_assign", look), cand), free)
    join(model, "relatives", look, gids)
    r.seeking[look[gids >= 0]] = False
