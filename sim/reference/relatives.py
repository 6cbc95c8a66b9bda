"""The reference model's relatives: one Mesa agent per next of kin, deciding one at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.codes import (
    RELATIVES_COURSE,
)
from sim.groups import rules as G
from sim.reference import groups as reference_groups
from sim.reference.agents import Person, User
from sim.relatives import rules as R

if TYPE_CHECKING:
    pass


class Relative(Person):
    """A next of kin of one user (Orford's stress-strain-coping-support model)."""

    user_agent: User

    # ------------------------------------------------------------------ process 3: membership
    def member_week(self) -> bool:
        """Drop out of an open group (never a course); else attend and take a rotating service
        role. Returns whether the relative dropped out."""
        m, p = self.model, self.model.rec.relative_member
        g = m.groups[self.group]
        course = g.gtype == RELATIVES_COURSE
        if m.uniform("relatives_membership", self.index) < G.relative_dropout_chance(
            self.tenure, course, p
        ):
            return True
        came = g.active and m.uniform("relatives_attend", self.index) < (
            G.relative_attendance_chance(course, p)
        )
        self.attended = came
        if came:
            self.met_in = g.gid
            g.count_attendance += 1
        self.tenure += 1
        g.count_members += 1
        if not self.service:
            c = G.relative_service_chance(self.tenure, course, p)
            if c > 0.0 and m.uniform("relatives_roles_service", self.index) < c:
                self.service = True
        g.count_service += self.service
        g.count_settled += G.is_settled(self.tenure)
        g.count_veterans += G.is_veteran_present(self.attended, self.tenure, False)
        return False

    def meeting(self) -> None:
        m, p = self.model, self.model.rec.relative_meeting
        g = m.groups[self.met_in]
        self.shame = G.shame_after_meeting(self.shame, g.similarity, p)
        self.hope_self = G.relative_hope_after_meeting(self.hope_self, g.veteran_share, p)
        self.soc13 += G.relative_soc_gain(self.soc13, p)

    # ------------------------------------------------------------------ process 1a: leaving
    def leave_model(self) -> None:
        """Out of the model (the user moved away, or the bereavement years are over): out of
        the group, not seeking one, no intervention or own treatment left, taking part in
        nothing."""
        if self.group >= 0:
            reference_groups.leave(self.model, self)
        self.present, self.seeking, self.intervention_left = False, False, 0
        self.treatment_left = 0

    # ------------------------------------------------------------------ process 7: the week
    def week(self) -> str | None:
        """Stress and strain; coping shift, burnout onset or recovery and the start of help-seeking,
        decided from last week's state with this week's strain; hope, shame; a brief intervention
        session, a week of relatives' own treatment. Returns "start" if seeking a group starts,
        "gp" if the relative sees the GP about their own complaints. A relative not present keeps
        their state, with no stress."""
        m, p, user = self.model, self.model.rec.relatives, self.user_agent
        if not self.present:  # out of the model: no stress, no decisions, the rest kept
            self.stress = 0.0
            self.touched |= self.group >= 0 or self.intervention_left > 0 or self.treatment_left > 0
            if self.intervention_left > 0:
                self.intervention_left -= 1
            if self.treatment_left > 0:
                self.treatment_left -= 1
            return None
        d_coping, d_burnout, d_help = m.three_uniforms("relatives_week", self.index)
        base, crisis_add, level, kept = user.terms_for_relatives()
        st = R.stress(base, crisis_add, m.closeness_by_relation[self.relation])
        in_group = self.group >= 0
        in_treatment = self.treatment_left > 0
        helped = in_group or self.intervention_left > 0 or in_treatment
        s1 = R.strain(self.strain, st, helped, R.growth_factor(self.coping, p), p)
        to = R.coping_shift(d_coping, self.coping, helped, s1, self.hope_user, p)
        burnout = self.burnout  # last week's
        if self.burnout:
            if d_burnout < R.burnout_recovery_chance(s1, helped, p):
                self.burnout = False
        elif d_burnout < R.burnout_onset_chance(s1, p):
            self.burnout = True
        shame = R.shame(self.shame, p)  # this week's shame
        route = R.help_route(
            d_help,
            self.wants_group and not self.seeking and not in_group,
            not in_treatment,
            shame,
            user.crisis,
            self.female,
            s1,
            burnout,
            p,
        )
        # the update of this week's state (strain with last week's coping position)
        self.stress = st
        self.hope_user = R.hope_for_user(self.hope_user, level, kept)
        self.strain = s1
        self.hope_self = R.hope_for_self(self.hope_self)
        self.shame = shame
        self.touched |= helped
        if self.intervention_left > 0:
            self.intervention_left -= 1
        if self.treatment_left > 0:
            self.treatment_left -= 1
        if to >= 0:
            self.coping = to
        if route == R.GROUP_ROUTE:
            return "start"
        return "gp" if route == R.GP_ROUTE else None
