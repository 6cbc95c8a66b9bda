"""The relatives' week as compiled passes (numba; docs/performance.md): only the loops and the
speed tricks, the rules are in :mod:`sim.relatives.rules` (inlined).

- ``_user_terms``: what depends only on the user, once per user (selects only: the compiler runs
  it on several users at once);
- ``_decide``: the decisions, from last week's state, for the few relatives whose draw falls below
  the largest chance a decision can have (the bounds next to the rules), found without branches;
- the update of everyone's stress, strain, hope and shame in two passes: what needs the user's
  terms (``_update_by_user``: gathered, one relative at a time) and the rest (``_update_own``: no
  gathers, branches or draws, so the compiler runs it on several relatives at once).

The decisions and the update compute this week's stress and strain with the same rules
(``stress``, ``strain``, ``growth_factor``), so they agree bit for bit.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import ABSTINENT, LIMIT
from sim.records import record
from sim.relatives import rules as R
from sim.rng import field_bound, fields_to_uniforms, three_fields, words_all

# the relatives' columns the decisions read (and ``burnout``, which they set)
DecideColumns = record(
    "DecideColumns",
    (
        "user relation closeness strain group intervention_left treatment_left coping burnout "
        "hope_user shame female seeking wants_group present"
    ),
)


def decide_columns(r) -> tuple:
    """The :data:`DecideColumns` of the relatives ``r`` (this week's arrays)."""
    return DecideColumns(
        r.user,
        r.relation,
        r.closeness_by_relation,
        r.strain,
        r.group,
        r.intervention_left,
        r.treatment_left,
        r.coping,
        r.burnout,
        r.hope_user,
        r.shame,
        r.female,
        r.seeking,
        r.wants_group,
        r.present,
    )


@numba.njit(cache=True)
def _user_terms(p, status, weeks_in_status, crisis, relapsed, hope_for_abstinent):
    """Per user: the stress a (close) relative gets from the user's state, the stress added by a
    crisis, the level the relatives' hope for the user moves towards (``hope_for_abstinent`` by
    weeks abstinent while abstinent) and the share of that hope kept (less at a relapse)."""
    n = len(status)
    base = np.empty(n)
    crisis_add = np.empty(n)
    level = np.empty(n)
    kept = np.empty(n)
    for j in range(n):  # (selects only: the compiler runs it on several users at once)
        st_j = status[j]
        base[j] = R.stress_from_user(st_j, p)
        crisis_add[j] = R.crisis_stress(crisis[j], p)
        level[j] = R.hope_for_user_level(st_j)
        kept[j] = R.hope_kept(relapsed[j], p)
    for j in range(n):  # the abstinent's level, read from the table by weeks abstinent (a gather)
        if status[j] == ABSTINENT:
            level[j] = hope_for_abstinent[np.uint32(weeks_in_status[j])]
    return base, crisis_add, level, kept


@numba.njit(cache=True)
def _decide(p, key, base, crisis_add, crisis, r):
    """This week's decisions of every relative (``r``: :data:`DecideColumns`), from last week's
    state: coping shifts, burnout onset and recovery (set here), and whether help-seeking starts
    (a group, or a GP visit). Returns the relatives with burnout onset, with burnout recovery, who
    start seeking a group, who see the GP, and who change coping position with their new positions
    (to be set after the update), each ascending.

    Each draw is first compared with the largest chance its decision can have; the exact chance
    (which needs this week's strain and shame) is worked out only below that bound: the same
    outcome, less arithmetic."""
    n = len(r.user)
    bound_coping = np.empty(LIMIT + 1)  # by coping position
    for c in range(LIMIT + 1):
        bound_coping[c] = R.coping_bound(c, p)
    bound_burnout = R.burnout_bound(p)
    bound_help = np.array([R.help_bound(False, p), R.help_bound(True, p)])  # by crisis
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
        n_found += r.present[i] & (
            (f_coping < t_coping[np.uint8(r.coping[i])])
            | (f_burnout < t_burnout)
            | (f_help < t_help[np.uint8(crisis[np.uint32(r.user[i])])])
        )
    onset = np.empty(n_found, np.int64)
    recover = np.empty(n_found, np.int64)
    start = np.empty(n_found, np.int64)
    gp = np.empty(n_found, np.int64)
    moved = np.empty(n_found, np.int64)
    coping_to = np.empty(n_found, np.int8)
    n_on = n_rec = n_start = n_gp = n_moved = 0
    for i in found[:n_found]:
        d_coping, d_burnout, d_help = fields_to_uniforms(words[i])
        c = np.uint8(r.coping[i])
        j = np.uint32(r.user[i])
        u_crisis = crisis[j]
        in_group = r.group[i] >= 0
        in_treatment = r.treatment_left[i] > 0
        # a group meeting, a course, a brief intervention, relatives' own treatment
        helped = in_group | (r.intervention_left[i] > 0) | in_treatment
        st = R.stress(base[j], crisis_add[j], r.closeness[np.uint8(r.relation[i])])
        s1 = R.strain(r.strain[i], st, helped, R.growth_factor(c, p), p)
        if d_coping < bound_coping[c]:
            to = R.coping_shift(d_coping, c, helped, s1, r.hope_user[i], p)
            if to >= 0:
                moved[n_moved] = i
                coping_to[n_moved] = to
                n_moved += 1
        b = r.burnout[i]
        if d_burnout < bound_burnout and d_burnout < (
            R.burnout_recovery_chance(s1, helped, p) if b else R.burnout_onset_chance(s1, p)
        ):
            r.burnout[i] = not b
            if b:
                recover[n_rec] = i
                n_rec += 1
            else:
                onset[n_on] = i
                n_on += 1
        if d_help < bound_help[np.uint8(u_crisis)]:
            route = R.help_route(
                d_help,
                r.wants_group[i] and not r.seeking[i] and not in_group,
                not in_treatment,
                R.shame(r.shame[i], p),
                u_crisis,
                r.female[i],
                s1,
                b,  # last week's burnout
                p,
            )
            if route == R.GROUP_ROUTE:
                start[n_start] = i
                n_start += 1
            elif route == R.GP_ROUTE:
                gp[n_gp] = i
                n_gp += 1
    return (
        onset[:n_on],
        recover[:n_rec],
        start[:n_start],
        gp[:n_gp],
        moved[:n_moved],
        coping_to[:n_moved],
    )


@numba.njit(cache=True)
def _update_by_user(
    base, crisis_add, level, kept, user, relation, closeness, present, stress, hope_user
):
    """Every present relative's stress and hope for the user this week: the terms of the
    relative's user are gathered, so this loop runs one relative at a time (``_update_own`` does
    the rest). Relatives not present (their user is away) keep their state, with no stress."""
    for i in range(len(user)):
        if not present[i]:
            stress[i] = 0.0
            continue
        j = np.uint32(
            user[i]
        )  # (unsigned indices need no check for negative ones: docs/performance.md)
        stress[i] = R.stress(base[j], crisis_add[j], closeness[np.uint8(relation[i])])
        hope_user[i] = R.hope_for_user(hope_user[i], level[j], kept[j])  # a sharp fall at relapse


@numba.njit(cache=True)
def _update_own(
    p,
    group,
    intervention_left,
    treatment_left,
    coping,
    present,
    stress,
    strain,
    hope_self,
    shame,
    touched,
):
    """Every present relative's strain (from this week's stress), hope for oneself and shame; help
    received is counted (``touched``) and brief intervention sessions and weeks of relatives' own
    treatment run down. Nothing is
    gathered and nothing branches (the absent keep theirs by a select), so the compiler runs
    this loop on several relatives at once."""
    for i in range(len(group)):
        left = intervention_left[i]
        t_left = treatment_left[i]
        helped = (group[i] >= 0) | (left > 0) | (t_left > 0)
        here = present[i]
        s1 = R.strain(strain[i], stress[i], helped, R.growth_factor(coping[i], p), p)
        strain[i] = s1 if here else strain[i]
        h1 = R.hope_for_self(hope_self[i])
        hope_self[i] = h1 if here else hope_self[i]
        sh1 = R.shame(shame[i], p)
        shame[i] = sh1 if here else shame[i]
        touched[i] |= helped
        intervention_left[i] = left - (left > 0)
        treatment_left[i] = t_left - (t_left > 0)
