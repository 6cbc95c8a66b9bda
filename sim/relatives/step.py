"""Process 7 of the weekly order: the relatives' week."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.relatives.helpseeking import help_seeking
from sim.relatives.kernel import _decide, _update_by_user, _update_own, _user_terms, decide_columns
from sim.relatives.rules import HOPE_FOR_ABSTINENT, relatives_params

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def relatives_step(model: RecoveryModel) -> None:
    """Process 7: stress, strain, coping shifts, burnout onset and recovery, help-seeking and joining,
    GP visits and referrals to relatives' own treatment.

    Each relative's week depends only on that relative and its user, so it runs as compiled
    passes over the relatives (:mod:`sim.relatives.kernel`); joining a group, which depends on
    room in the groups, follows in numpy (:mod:`sim.relatives.helpseeking`)."""
    p, u, r = relatives_params(model.p), model.users, model.relatives
    key = model.streams.key("relatives_week", model.week)  # coping, burnout and help-seeking draws
    # what the user brings: stress by the user's state and crises, the level hope for the user moves to
    base, crisis_add, hope_level, hope_kept = _user_terms(
        p,
        u.status,
        u.weeks_in_status,
        model.users.crisis,
        model.users.relapsed,
        HOPE_FOR_ABSTINENT.covering(u.weeks_in_status),
    )
    # decisions from last week's state: coping shifts, burnout onset and recovery, help-seeking
    onset, recover, start, gp, moved, coping_to = _decide(
        p, key, base, crisis_add, model.users.crisis, decide_columns(r)
    )
    # stress and hope for the user; strain, hope for oneself and shame
    _update_by_user(
        base,
        crisis_add,
        hope_level,
        hope_kept,
        r.user,
        r.relation,
        r.closeness_by_relation,
        r.present,
        r.stress,
        r.hope_user,
    )
    _update_own(
        p,
        r.group,
        r.intervention_left,
        r.treatment_left,
        r.coping,
        r.present,
        r.stress,
        r.strain,
        r.hope_self,
        r.shame,
        r.touched,
    )
    r.coping[moved] = (
        coping_to  # after the update, whose strain growth depends on last week's position
    )
    model.log.add("burnout_onset", model.person_id("relatives", onset))
    model.log.add("burnout_recovery", model.person_id("relatives", recover))
    # help-seeking starts (and family weeks), then seekers join an open group with room; GP visits
    help_seeking(model, start, gp)
