"""The reference model's agents: users (relatives: ``relatives.py``; groups: ``group.py``).

Each agent holds its state as plain attributes (Python numbers) with the column names of the
vectorised tables, and takes its decisions one at a time by calling the scalar rules of
``sim/<process>/rules.py`` with the uniform the counter-based streams give it
(``ReferenceModel.uniform``): the same rule and the same number as in the vectorised model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.aftercare.rules import (
    CONTACT_PERSON_NEW_WEEKS,
    contact_chance,
    contact_strength,
    counts_as_early_contact,
    hope_after_peer_contact,
)
from sim.capacity.rules import weeks_waited
from sim.codes import (
    ABSENT,
    ABSTINENT,
    AFTERCARE_HOUSING,
    DEAD,
    STABLE,
    TREATMENT,
    UNSTABLE,
    USING,
)
from sim.drift.rules import hope_level, integration_next, shame_level, towards
from sim.groups import rules as G
from sim.mortality import rules as M
from sim.population import takes_part
from sim.reference import groups as reference_groups
from sim.relapse.rules import lapse_chance, relapse_chance, user_log_hazard
from sim.relatives import rules as R
from sim.soc import saturating_gain
from sim.treatment.rules import discharged, reentry_chance, self_quit_chance, waiting_quit_chance

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel
    from sim.reference.relatives import Relative


class Person(mesa.Agent):
    """A user or a relative: the state of one row of the vectorised table, as attributes."""

    def __init__(self, model: ReferenceModel, index: int, state: dict):
        super().__init__(model)
        self.index = index
        self.__dict__.update(state)


class User(Person):
    """A person leaving specialised treatment."""

    relatives: list[Relative]
    _terms_week = -1

    # ------------------------------------------------------------------ process 2: treatment
    def treatment(self) -> str | None:
        """Count down treatment; while using, re-enter treatment or stop (one draw decides both);
        while waiting for a treatment place, only stop. Returns "discharge", "entry", "quit" or
        None (the status at the start of the week decides)."""
        m = self.model
        if self.status == TREATMENT:
            self.treat_left -= 1
            return "discharge" if discharged(self.treat_left) else None
        if self.status == USING and self.tq_since >= 0:
            d = m.uniform("treatment", self.index)
            return "quit" if d < waiting_quit_chance(m.rec.treatment) else None
        if self.status == USING:
            p_re = reentry_chance(self.shame, m.week < self.open_door_until, m.rec.treatment)
            d = m.uniform("treatment", self.index)
            if d < p_re:
                return "entry"
            if d < p_re + self_quit_chance(m.rec.treatment):
                return "quit"
        return None

    def discharge(self) -> bool:
        """Discharged: abstinent, with the referral at discharge; returns whether aftercare is
        offered (coverage, while the programme runs), which then needs a place (ODD 7.2a)."""
        m, p = self.model, self.model.p
        week = m.week
        self.status, self.weeks_in_status, self.last_discharge = ABSTINENT, 0, week
        if self.first_discharge < 0:
            self.first_discharge = week
        self.referred = self.u_refer < p.selfhelp_referral_share
        self.ever_referred |= self.referred
        if not m.programme_open or p.aftercare_duration_weeks == 0:
            return False
        return self.u_offer < p.aftercare_coverage

    def start_aftercare(self) -> None:
        """Aftercare (with a place) with an open door; activity; a flat; relatives' offers. The
        first contact comes at discharge if planned, else after the delay, not before this week."""
        m, p = self.model, self.model.p
        planned = self.u_plan < p.predischarge_planning
        self.ac_left = p.aftercare_duration_weeks
        first_contact = self.last_discharge + (0 if planned else p.aftercare_start_delay_weeks)
        self.ac_start = max(first_contact, m.week)
        self.open_door_until = m.week + p.open_door_weeks
        self.ever_aftercare = True
        if not self.activity and self.u_activity < p.activity_offer:
            self.activity = True
        if self.housing == UNSTABLE and self.u_house < p.housing_offer_share:
            m.move_in(self)
        for rel in self.relatives:
            rel.family_week = rel.u_family_week < p.relatives_family_week
            if rel.u_brief < p.relatives_brief_intervention:
                rel.intervention_left = m.BRIEF_INTERVENTION_WEEKS

    def enter_treatment(self) -> None:
        self.status, self.treat_left = TREATMENT, self.model.p.treatment_weeks
        self.weeks_in_status = 0

    def stop_waiting(self, which: str) -> None:
        """Leave the waiting list ``which`` ("tq" treatment, "aq" aftercare) if in it; the wait
        is counted (``weeks_waited``)."""
        since = getattr(self, f"{which}_since")
        if since >= 0:
            setattr(
                self,
                f"{which}_weeks",
                getattr(self, f"{which}_weeks") + weeks_waited(since, self.model.week),
            )
            setattr(self, f"{which}_since", -1)

    def quit_using(self) -> None:
        self.status, self.weeks_in_status = ABSTINENT, 0

    # ------------------------------------------------------------------ process 2: aftercare
    def aftercare(self) -> None:
        """This week's contact, change of contact person, strength, early contacts, peer-staff hope."""
        m, p = self.model, self.model.rec.aftercare
        week = m.week
        self.ac_contact, self.contact_strength = False, 0.0
        if self.ac_left <= 0 or week < self.ac_start:
            return
        c = m.uniform("aftercare_contact", self.index) < contact_chance(m.service_open, p)
        self.ac_contact = c
        if m.uniform("aftercare_change", self.index) < p.contact_change_chance:
            self.contact_new_until = week + CONTACT_PERSON_NEW_WEEKS
        if c:
            self.contact_strength = contact_strength(week < self.contact_new_until, p)
            if counts_as_early_contact(week, self.first_discharge, self.last_discharge):
                self.ac_contacts_13 += 1
            if p.peer_staff_on:
                self.hope = hope_after_peer_contact(self.hope, p)
        self.ac_left -= 1
        if self.ac_left <= 0:
            self.end_aftercare()

    def end_aftercare(self) -> None:
        """Aftercare ends; a resident of aftercare housing moves to a stable home or an unstable one."""
        m = self.model
        self.ac_left = 0
        if self.housing == AFTERCARE_HOUSING:
            stable = m.uniform("housing_exit", self.index) < m.p.housing_exit_stable
            self.housing, self.house = (STABLE if stable else UNSTABLE), -1
            m.ties.dirty = True

    # ------------------------------------------------------------------ process 3: membership
    def drops_or_wants(self) -> str | None:
        """A member drops out ("drop"); someone not in a group wants one ("want"), or None."""
        m = self.model
        d = m.uniform("users_membership", self.index)
        if self.group >= 0:
            trust = m.groups[self.group].trust
            return (
                "drop" if d < G.user_dropout_chance(self.tenure, trust, m.rec.user_join) else None
            )
        referred_now = self.last_discharge == m.week and self.referred
        if self.waiting or d < G.user_join_chance(
            self.status, self.positive_attitude, self.ac_contact, referred_now, m.rec.user_join
        ):
            return "want"
        return None

    def member_week(self) -> None:
        """Attend this week's meeting (more with tenure, trust, crises; less while using), then roles."""
        m, p = self.model, self.model.rec.user_member
        g = m.groups[self.group]
        chance = G.user_attendance_chance(
            self.tenure, m.week - self.last_use, g.trust, self.status, p
        )
        came = g.active and m.uniform("users_attend", self.index) < chance
        self.attended = came
        if came:
            self.met_in = g.gid
            self.meetings += 1
            g.count_attendance += 1
        self.tenure += 1
        g.count_members += 1
        if G.gives_up_service(self.status):
            self.service = False
        elif not self.service:
            c = G.user_service_chance(self.tenure, self.status, self.weeks_in_status, p)
            if c > 0.0 and m.uniform("roles_service", self.index) < c:
                self.service = True
        if not self.sponsor:
            c = G.sponsor_chance(self.tenure, g.gtype, p)
            if c > 0.0 and m.uniform("roles_sponsor", self.index) < c:
                self.sponsor = True
        g.count_service += self.service
        g.count_settled += G.is_settled(self.tenure)
        g.count_veterans += G.is_veteran_present(self.attended, self.tenure, self.service)

    # ------------------------------------------------------------------ process 4: a meeting
    def meeting(self) -> None:
        """Shame falls, hope rises with veterans present, SOC grows, integration deepens."""
        m, p = self.model, self.model.rec.user_meeting
        g = m.groups[self.met_in]
        self.shame = G.shame_after_meeting(self.shame, g.similarity, p)
        self.hope = G.hope_after_meeting(self.hope, g.veteran_share, p)
        c, ma, me = self.comp, self.manage, self.meaning
        self.comp = c + saturating_gain(c, p.meeting_comprehensibility_gain)
        self.manage = ma + saturating_gain(ma, p.meeting_manageability_gain)
        self.meaning = me + G.meaning_gain(me, self.service, p)
        self.integration += G.integration_gain(self.integration, p)

    # ------------------------------------------------------------------ process 5: ties, resources
    def ties_week(self) -> None:
        """Old using ties are cut or fade while abstinent and regrow while using; sober ties fade
        slowly and, while abstinent, return and grow with work, activities and aftercare housing
        (the expressions of sim/network.py ``_ties_week``, operation for operation)."""
        p, st = self.model.p, self.status
        if not takes_part(st):
            return
        in_house = self.housing == AFTERCARE_HOUSING
        u0 = self.using_ties
        s = self.sober_ties * (1.0 - p.sober_tie_fade)
        if st == ABSTINENT:
            self.using_ties = u0 * (
                1.0 - min(p.using_tie_fade * (1.0 + in_house + self.integration), 1.0)
            )
            sober_return = p.sober_tie_return * (1.0 - 0.5 * p.public_stigma)
            s = s + (sober_return + p.activity_tie_gain * (self.activity + in_house))
        elif st == USING:
            self.using_ties = u0 + p.using_tie_regain * (self.base_using_ties - u0)
        self.sober_ties = s

    def resources(self, p_activity: float, p_housing: float) -> None:
        """An activity and a stable home gained while abstinent, lost while using."""
        m, p_lose = self.model, self.model.p.lose_on_relapse
        abstinent, using = self.status == ABSTINENT, self.status == USING
        d_activity = m.uniform("activity", self.index)
        d_housing = m.uniform("housing", self.index)
        if using and self.activity and d_activity < p_lose:
            self.activity = False
        elif abstinent and d_activity < p_activity:
            self.activity = True
        if abstinent and self.housing == UNSTABLE and d_housing < p_housing:
            self.housing = STABLE
        elif using and self.housing == STABLE and d_housing < p_lose:
            self.housing = UNSTABLE

    def support_week(self, sober_peers: float, from_kin: float) -> None:
        """Support from sober ties, sober peers, relatives, the group met and an aftercare contact,
        saturating; lonely with little support and under one sober tie (sim/network.py ``_support``)."""
        p = self.model.p
        raw = max(
            self.sober_ties
            + sober_peers
            + from_kin
            + p.support_weight_group * self.attended
            + self.ac_contact,
            0.0,
        )
        self.support = raw / (raw + p.support_half_ties)
        self.lonely = (self.support < 0.25) and (self.sober_ties + sober_peers < 1.0)

    # ------------------------------------------------------------------ process 6: relapse
    def log_hazard(self, exposure: float) -> float:
        m = self.model
        kin = m.kin(self.index)
        return user_log_hazard(
            self.comp,
            self.manage,
            self.meaning,
            self.hope,
            self.shame,
            self.support,
            float(np.log1p(self.using_ties)),
            float(np.log1p(self.sober_ties)),
            self.old_net_using,
            self.attended,
            self.sponsor,
            self.contact_strength,
            self.housing,
            self.activity,
            self.comorbid,
            self.lonely,
            self.integration,
            kin[0],
            kin[1],
            kin[2],
            exposure,
            m.rec.relapse,
        )

    def relapse(self, exposure: float) -> None:
        """An abstinent user uses with ``relapse_chance``; a use is a lapse with ``lapse_chance``
        (abstinence restarts), else a relapse (using; hope and manageability fall; a crisis)."""
        m, p = self.model, self.model.p
        lp = self.log_hazard(exposure)
        if not m.uniform("relapse", self.index) < relapse_chance(lp, m.log_survival(self)):
            return
        week = m.week
        if self.first_use < 0:
            self.first_use = week
        self.last_use = week
        if m.uniform("lapse", self.index) < lapse_chance(lp, p.lapse_share, p.lapse_protection):
            self.n_lapses += 1
            self.weeks_in_status = 0
            return
        self.status, self.weeks_in_status = USING, 0
        self.n_relapses += 1
        if self.first_relapse < 0:
            self.first_relapse = week
        self.hope = max(self.hope - p.relapse_hope_loss, 8.0)
        self.manage = max(self.manage - p.relapse_soc_loss, 1.0)
        self.crisis = self.relapsed = True
        self.stop_waiting("aq")  # a relapse before an aftercare place: the offer lapses

    # ------------------------------------------------------------------ process 7: mortality
    def mortality(self) -> None:
        """A living user dies with ``death_chance`` (and counts this week's person-time)."""
        m, p, st = self.model, self.model.rec.mortality, self.status
        early_d = M.after_discharge(st, m.week, self.last_discharge)
        early = M.early_ratio(early_d, M.after_relapse(st, self.weeks_in_status), p)
        using = st == USING
        self.weeks_after_discharge += early_d
        self.risk_weeks += M.risk_ratio(self.male, using, early, p)
        if m.uniform("death", self.index) < M.death_chance(
            M.death_rate(self.male, using, early, p)
        ):
            self.died_after_discharge = early_d
            self.die()

    def die(self) -> None:
        """Dead from this week: out of the group, not waiting for one, out of the waiting lists
        for treatment and aftercare, aftercare ended."""
        m = self.model
        self.status, self.death_week, self.weeks_in_status = DEAD, m.week, 0
        self.withdraw()

    def move_away(self) -> None:
        """Away from this week (``ABSENT``): as at death, and the relatives leave the model."""
        m = self.model
        self.withdraw()
        self.status, self.moved_week, self.weeks_in_status = ABSENT, m.week, 0
        for rel in self.relatives:
            rel.leave_model()

    def withdraw(self) -> None:
        """Stop taking part: out of the group, not waiting for one, aftercare ended."""
        m = self.model
        if self.group >= 0:
            reference_groups.leave(m, self)
        self.waiting = False
        self.stop_waiting("tq")
        self.stop_waiting("aq")
        if self.ac_left > 0:
            self.end_aftercare()
        m.ties.dirty = True

    # ------------------------------------------------------------------ process 8: for the relatives
    def terms_for_relatives(self) -> tuple[float, float, float, float]:
        """What the user brings the relatives this week (worked out once a week): the stress of
        the user's state and of a crisis, the level hope for the user moves to, the share kept."""
        m = self.model
        if self._terms_week != m.week:
            p = m.rec.relatives
            level = (
                m.hope_for_abstinent(self.weeks_in_status)
                if self.status == ABSTINENT
                else R.hope_for_user_level(self.status)
            )
            self._terms = (
                R.stress_from_user(self.status, p),
                R.crisis_stress(self.crisis, p),
                level,
                R.hope_kept(self.relapsed, p),
            )
            self._terms_week = m.week
        return self._terms

    # ------------------------------------------------------------------ process 8: drift
    def drift(self) -> None:
        """Hope and shame move towards their levels; integration deepens while abstinent."""
        p = self.model.rec.drift
        if not takes_part(self.status):
            return
        using, abstinent = self.status == USING, self.status == ABSTINENT
        level = hope_level(using, abstinent, self.weeks_in_status, p)
        self.hope = towards(self.hope, level, p.hope_move, 8.0, 64.0)
        self.shame = towards(self.shame, shame_level(using, p), p.shame_move, 0.0, 1.0)
        self.integration = integration_next(self.integration, using, abstinent, p)
