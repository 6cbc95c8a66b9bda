"""The reference model's agents: one Python object per person and per group, one decision at a time.

The rules and parameters are those of the vectorised model (sim/agents, sim/network.py,
sim/relapse.py, ...), written for one agent. Draws come from the model's own scalar stream,
so runs agree with the vectorised model statistically, not number for number.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from sim.codes import (
    ABSTINENT,
    AFTERCARE_HOUSING,
    CLINIC,
    ENGAGED,
    LIMIT,
    MIXED,
    RELATIVES_COURSE,
    SIBLING,
    STABLE,
    TOLERANT,
    TREATMENT,
    TWELVE_STEP,
    UNSTABLE,
    USING,
    WITHDRAWN,
)
from sim.groups import MEMBERSHIP_PER_SEAT
from sim.relapse import REFERENCE_USER as REF
from sim.soc import LOADING, SOC_ITEMS, soc13

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def clip(x: float, low: float, high: float) -> float:
    return min(max(x, low), high)


def saturating_gain(x: float, gain: float, top: float = 7.0, bottom: float = 1.0) -> float:
    return gain * (top - x) / (top - bottom)


def soc_item_scale(mean13: float, sd13: float) -> tuple[float, float]:
    """Mean and SD of a SOC component (item scale) giving SOC-13 ``mean13`` and ``sd13``."""
    items = [float(w) for w in SOC_ITEMS]
    rho = LOADING**2
    var_unit = sum(w * w for w in items) + rho * (sum(items) ** 2 - sum(w * w for w in items))
    return mean13 / 13.0, sd13 / math.sqrt(var_unit)


class User(mesa.Agent):
    """A person leaving specialised treatment."""

    def __init__(self, model: ReferenceModel, index: int):
        super().__init__(model)
        p, coin = model.p, model.coin
        self.index = index
        self.comorbid = coin.random() < p.users_comorbid_share
        self.housing = UNSTABLE if coin.random() < p.users_unstable_housing_share else STABLE
        self.activity = coin.random() < p.users_activity_share
        self.positive_attitude = coin.random() < p.users_positive_attitude_share
        self.old_net_using = coin.random() < p.users_old_network_using_share
        self.status, self.weeks_in_status = TREATMENT, 0
        self.treat_left = 1 + int(coin.random() * p.discharge_spread_weeks)
        self.first_discharge = self.last_discharge = self.first_use = self.first_relapse = -1
        self.last_use = -10_000
        self.integration = clip(coin.gauss(0.1, 0.05), 0.0, 1.0)
        self.soc_mean, self.soc_sd = soc_item_scale(p.users_soc13_mean, p.soc13_sd)
        common = coin.gauss(0.0, 1.0)
        self.comp, self.manage, self.meaning = (self._soc_component(common) for _ in range(3))
        self.hope = clip(coin.gauss(p.users_hope_mean, 8.0), 8.0, 64.0)
        self.shame = clip(coin.gauss(p.users_shame_mean, 0.15), 0.0, 1.0)
        self.soc13_start = soc13(self.comp, self.manage, self.meaning)
        self.support, self.lonely = 0.0, False
        self.base_using_ties = float(model.rng.poisson(p.users_using_ties_mean))
        self.using_ties = self.base_using_ties
        self.sober_ties = float(model.rng.poisson(p.users_sober_ties_mean))
        # aftercare; the propensities place the person in the service's queue (as in sim/agents/users.py)
        self.ac_left, self.ac_start, self.ac_contact, self.contact_strength = 0, -1, False, 0.0
        self.ac_contacts_13, self.contact_new_until, self.open_door_until = 0, -1, -1
        self.referred = self.ever_referred = self.ever_aftercare = False
        self.house = -1
        self.u_offer, self.u_refer, self.u_plan, self.u_house, self.u_activity = (
            coin.random() for _ in range(5)
        )
        # self-help groups
        self.group: Group | None = None
        self.tenure, self.meetings = 0, 0
        self.service = self.sponsor = self.attended = self.waiting = self.ever_group = False
        self.dropped = False
        # this week
        self.crisis = self.relapsed = False
        self.relatives: list[Relative] = []
        self.sober_peers = self.first_exposure = 0.0

    def _soc_component(self, common: float) -> float:
        z = LOADING * common + math.sqrt(1.0 - LOADING**2) * self.model.coin.gauss(0.0, 1.0)
        return clip(self.soc_mean + self.soc_sd * z, 1.0, 7.0)

    # ------------------------------------------------------------------ process 2: treatment, aftercare
    def treatment(self) -> None:
        """Finish treatment (with the offers at discharge); while using, seek treatment again or stop."""
        p, m = self.model.p, self.model
        if self.status == TREATMENT:
            self.treat_left -= 1
            if self.treat_left <= 0:
                self.discharge()
        elif self.status == USING:
            d = m.coin.random()
            door = p.open_door_reentry_multiplier if m.week < self.open_door_until else 1.0
            p_reentry = (
                p.treatment_reentry_rate * (1.0 - p.stigma_reentry_effect * self.shame) * door
            )
            if d < p_reentry:
                self.status, self.treat_left, self.weeks_in_status = TREATMENT, p.treatment_weeks, 0
                self.crisis = True
            elif d < p_reentry + p.self_quit_rate:
                self.status, self.weeks_in_status = ABSTINENT, 0

    def discharge(self) -> None:
        p, m = self.model.p, self.model
        self.status, self.weeks_in_status, self.last_discharge = ABSTINENT, 0, m.week
        if self.first_discharge < 0:
            self.first_discharge = m.week
        self.referred = self.u_refer < p.selfhelp_referral_share
        self.ever_referred |= self.referred
        if (
            not m.programme_open
            or p.aftercare_duration_weeks == 0
            or self.u_offer >= p.aftercare_coverage
        ):
            return
        self.ac_left = p.aftercare_duration_weeks
        self.ac_start = m.week + (
            0 if self.u_plan < p.predischarge_planning else p.aftercare_start_delay_weeks
        )
        self.open_door_until = m.week + p.open_door_weeks
        self.ever_aftercare = True
        if not self.activity and self.u_activity < p.activity_offer:
            self.activity = True
        if self.housing == UNSTABLE and self.u_house < p.housing_offer_share:
            m.move_in(self)
        for rel in self.relatives:
            rel.family_week = rel.u_family_week < p.relatives_family_week
            if rel.u_brief < p.relatives_brief_intervention:
                rel.intervention_left = 5

    def aftercare(self) -> None:
        """Weekly follow-up contacts (closed in holidays; a new contact person halves the effect)."""
        p, m = self.model.p, self.model
        active = self.ac_left > 0 and m.week >= self.ac_start
        contact_draw, change_draw = m.coin.random(), m.coin.random()
        self.ac_contact = (
            active and m.service_open and contact_draw < min(p.aftercare_contacts_per_week, 1.0)
        )
        if active and change_draw < p.aftercare_contact_changes_per_year / 52.0:
            self.contact_new_until = m.week + 8
        self.contact_strength = 0.0
        if self.ac_contact:
            new_person = 0.5 if m.week < self.contact_new_until else 1.0
            self.contact_strength = max(p.aftercare_contacts_per_week, 1.0) ** 0.5 * new_person
            if m.week - self.first_discharge < 13 and self.last_discharge == self.first_discharge:
                self.ac_contacts_13 += 1
            if p.peer_staff > 0:
                self.hope = min(self.hope + p.peer_staff_hope_gain * p.peer_staff, 64.0)
        if active:
            self.ac_left -= 1
            if self.ac_left <= 0:
                self.end_aftercare()

    def end_aftercare(self) -> None:
        self.ac_left = 0
        if self.housing == AFTERCARE_HOUSING:
            stable = self.model.coin.random() < self.model.p.housing_exit_stable
            self.housing, self.house = (STABLE if stable else UNSTABLE), -1
            self.model.ties.dirty = True

    # ------------------------------------------------------------------ process 3: groups
    def drop_out(self) -> None:
        """Drop-out is high for newcomers and halves with tenure; a relapse never ends membership."""
        p = self.model.p
        self.dropped = False
        if self.group is not None:
            p_drop = (
                p.dropout_newcomer
                * 0.5 ** (self.tenure / p.dropout_tenure_halving_weeks)
                * (1.5 - self.group.trust)
            )
            if self.model.coin.random() < p_drop:
                self.group.leave(self)
                self.dropped = True

    def join_group(self, open_groups: list[Group], free: dict[Group, int]) -> None:
        """Join by referral at discharge or by own initiative (or keep waiting for a place)."""
        p, m = self.model.p, self.model
        if self.group is not None or self.dropped:
            return
        attitude = 1.0 if self.positive_attitude else p.negative_attitude_join_factor
        p_join = (
            p.user_group_join_rate
            * attitude
            * (0.5 if self.status == USING else 1.0)
            * (1.0 + p.peer_staff * self.ac_contact)
        )
        if self.last_discharge == m.week and self.referred:
            p_join = max(p_join, p.referral_join_prob * attitude * (1.0 + 0.5 * p.peer_staff))
        if self.status == TREATMENT:
            p_join = 0.0
        if not (m.coin.random() < p_join or self.waiting):
            return
        group = (
            open_groups[min(int(m.coin.random() * len(open_groups)), len(open_groups) - 1)]
            if open_groups
            else None
        )
        if group is not None and free[group] > 0:
            free[group] -= 1
            group.join(self)
            self.waiting = False
        else:
            self.waiting = True

    def attend(self) -> None:
        """Attend this week's meeting: more with tenure, trust and in crises, less while using."""
        p, m = self.model.p, self.model
        self.attended = False
        if self.group is None:
            return
        g = self.group
        crisis = m.week - self.last_use <= 4
        p_att = (
            p.attend_base
            + p.attend_tenure_gain * (1 - math.exp(-self.tenure / 52.0))
            + p.attend_crisis_gain * crisis
        )
        p_att *= (0.8 + 0.4 * g.trust) * (0.6 if self.status == USING else 1.0)
        self.attended = g.active and m.coin.random() < min(p_att, 0.98)
        self.tenure += 1
        self.meetings += self.attended
        if self.attended:
            g.attendees.append(self)

    def take_roles(self) -> None:
        """Helper principle: settled, abstinent members take service roles; 12-step members get sponsors."""
        p, coin = self.model.p, self.model.coin
        service_draw, sponsor_draw = coin.random(), coin.random()
        if self.group is None:
            return
        if (
            not self.service
            and self.tenure >= 13
            and self.status == ABSTINENT
            and self.weeks_in_status >= 26
            and service_draw < p.service_uptake
        ):
            self.service = True
        if self.status == USING:
            self.service = False
        if (
            self.group.gtype in (TWELVE_STEP, CLINIC)
            and self.tenure >= 4
            and sponsor_draw < p.sponsor_prob / 8.0
        ):
            self.sponsor = True

    # ------------------------------------------------------------------ process 4: meeting effects
    def meeting(self, g: Group) -> None:
        """Shame falls, hope rises with veterans present, SOC grows, integration deepens; maybe a new tie."""
        p = self.model.p
        self.shame = clip(self.shame - p.meeting_shame_drop * g.similarity, 0.0, 1.0)
        self.hope = clip(self.hope + p.meeting_hope_gain * g.veteran_share, 8.0, 64.0)
        self.comp += saturating_gain(self.comp, p.meeting_comprehensibility_gain)
        self.manage += saturating_gain(self.manage, p.meeting_manageability_gain)
        self.meaning += saturating_gain(
            self.meaning, p.meeting_meaningfulness_gain * (1.0 + self.service)
        )
        self.integration += p.meeting_integration_gain * (1.0 - self.integration)
        coin = self.model.coin
        tie_draw, partner_draw = coin.random(), coin.random()
        if tie_draw < p.meeting_tie_prob:
            partner = g.attendees[min(int(partner_draw * len(g.attendees)), len(g.attendees) - 1)]
            if partner is not self:
                self.model.ties.add(self.index, partner.index)

    # ------------------------------------------------------------------ processes 5, 6 and 8
    def observe(self) -> None:
        """What the user's cohort ties look like this week, before anyone changes."""
        users, ties = self.model.users, self.model.ties.weights[self.index]
        strength = sum(ties.values())
        self.sober_peers = sum(w for j, w in ties.items() if users[j].status != USING)
        using = sum(w for j, w in ties.items() if users[j].status == USING)
        self.first_exposure = using / strength if strength > 0 else 0.0

    def step(self) -> None:
        """The user's own week after the groups: ties and support, relapse, psychosocial drift."""
        self.network()
        self.relapse()
        self.drift()

    def network(self) -> None:
        """Process 5: old using ties fade or regrow, sober ties return, resources, support."""
        p, coin = self.model.p, self.model.coin
        abstinent, using = self.status == ABSTINENT, self.status == USING
        in_house = self.housing == AFTERCARE_HOUSING
        if abstinent:
            self.using_ties *= 1.0 - min(
                p.using_tie_fade * (1.0 + in_house + self.integration), 1.0
            )
        elif using:
            self.using_ties += p.using_tie_regain * (self.base_using_ties - self.using_ties)
        self.sober_ties *= 1.0 - p.sober_tie_fade
        if abstinent:
            # work or activities or aftercare housing add ties (one or the other: as in sim/network.py)
            self.sober_ties += p.sober_tie_return * (
                1.0 - 0.5 * p.public_stigma
            ) + p.activity_tie_gain * (float(self.activity) + in_house)
        # meaningful activity and housing: gained while abstinent (less under structural stigma), lost while using
        activity_draw, housing_draw = coin.random(), coin.random()
        ease = (1.0 - 0.6 * p.structural_stigma) * (1.0 + p.welfare_integration)
        if abstinent and not self.activity and activity_draw < p.gain_activity_rate * ease:
            self.activity = True
        elif using and self.activity and activity_draw < p.lose_on_relapse:
            self.activity = False
        if abstinent and self.housing == UNSTABLE and housing_draw < p.gain_housing_rate * ease:
            self.housing = STABLE
        elif using and self.housing == STABLE and housing_draw < p.lose_on_relapse:
            self.housing = UNSTABLE
        # support from sober ties, sober peers, relatives, the group this week and an aftercare contact
        from_kin = sum(r.support_weight() for r in self.relatives)
        raw = max(
            self.sober_ties
            + self.sober_peers
            + from_kin
            + p.support_weight_group * self.attended
            + self.ac_contact,
            0.0,
        )
        self.support = raw / (raw + p.support_half_ties)
        self.lonely = self.support < 0.25 and self.sober_ties + self.sober_peers < 1.0

    def log_hazard_ratio(self) -> float:
        """Log hazard ratio of relapse against a reference user (sim/relapse.py lists the terms)."""
        p, users = self.model.p, self.model.users
        kin = self.relatives
        ties = self.model.ties.weights[self.index]
        strength = sum(ties.values())
        second = (
            sum(w * users[j].first_exposure for j, w in ties.items()) / strength
            if strength > 0
            else 0.0
        )
        exposure = self.first_exposure + p.contagion_distance_decay * second
        sober_effect = p.beta_sober_ties * (
            p.sober_ties_old_network_multiplier if self.old_net_using else 1.0
        )
        return (
            p.beta_soc
            * (soc13(self.comp, self.manage, self.meaning) - REF["soc13"])
            / REF["soc13_sd"]
            + p.beta_hope * (self.hope - REF["hope"]) / 10.0
            + p.beta_shame * (self.shame - REF["shame"])
            + p.beta_support * (self.support - 0.5)
            + p.beta_using_ties * (math.log1p(self.using_ties) - math.log1p(REF["using_ties"]))
            + sober_effect * (math.log1p(self.sober_ties) - math.log1p(REF["sober_ties"]))
            + p.beta_group * self.attended
            + p.beta_sponsor * self.sponsor
            + p.beta_aftercare_contact * self.contact_strength
            + p.beta_unstable_housing * (self.housing == UNSTABLE)
            + p.beta_activity * self.activity
            + p.beta_comorbid * self.comorbid * (1.0 - 0.5 * p.welfare_integration)
            + p.beta_lonely * self.lonely
            + p.beta_integration * (self.integration - 0.1)
            + p.beta_relatives_enabling * sum(r.coping == TOLERANT for r in kin)
            + p.beta_relatives_limit * sum(r.coping == LIMIT for r in kin)
            + p.beta_relatives_expect
            * (sum(1.0 - r.hope_user for r in kin) / max(len(kin), 1) - 0.6)
            + p.beta_contagion * exposure
        )

    def relapse(self) -> None:
        """Process 6: log-logistic baseline hazard in weeks abstinent, scaled by the covariates."""
        p, m = self.model.p, self.model
        relapse_draw, lapse_draw = m.coin.random(), m.coin.random()
        if self.status != ABSTINENT:
            return
        lp = self.log_hazard_ratio()
        t = float(self.weeks_in_status)
        p0 = 1.0 - (1.0 + (t / p.relapse_scale_weeks) ** p.relapse_shape) / (
            1.0 + ((t + 1.0) / p.relapse_scale_weeks) ** p.relapse_shape
        )
        prob = 1.0 - (1.0 - min(p0, 0.999)) ** math.exp(lp)
        if relapse_draw >= prob:
            return
        if self.first_use < 0:
            self.first_use = m.week
        self.last_use = m.week
        odds = p.lapse_share / max(1.0 - p.lapse_share, 1e-9) * math.exp(-p.lapse_protection * lp)
        self.weeks_in_status = 0
        if lapse_draw < odds / (1.0 + odds):
            return  # a lapse: abstinence starts again
        self.status = USING
        if self.first_relapse < 0:
            self.first_relapse = m.week
        self.hope = max(self.hope - p.relapse_hope_loss, 8.0)
        self.manage = max(self.manage - p.relapse_soc_loss, 1.0)
        self.crisis = self.relapsed = True

    def drift(self) -> None:
        """Process 8: hope and shame return to their levels, integration grows; SOC every 4 weeks."""
        p, m = self.model.p, self.model
        using, abstinent = self.status == USING, self.status == ABSTINENT
        weeks_abstinent = self.weeks_in_status if abstinent else 0
        hope_target = (
            p.users_hope_mean - 8.0
            if using
            else p.users_hope_mean + p.abstinence_hope_gain * min(weeks_abstinent, 104)
        )
        self.hope = clip(
            self.hope + (1.0 - p.hope_persistence) * (hope_target - self.hope), 8.0, 64.0
        )
        shame_target = 0.2 + p.public_stigma_shame * p.public_stigma + 0.15 * using
        self.shame = clip(
            self.shame + (1.0 - p.shame_persistence) * (shame_target - self.shame), 0.0, 1.0
        )
        change = p.integration_gain * (1.0 - self.integration) if abstinent else 0.0
        change -= 0.02 * self.integration if using else 0.0
        self.integration = clip(self.integration + change, 0.0, 1.0)
        if m.week % 4 != 3:
            return
        rho = p.soc_persistence_4w
        resources = (self.support > 0.5) + (self.housing != UNSTABLE) + self.activity
        common = m.coin.gauss(0.0, 1.0)
        for name in ("comp", "manage", "meaning"):
            z = LOADING * common + math.sqrt(1.0 - LOADING**2) * m.coin.gauss(0.0, 1.0)
            x = (
                self.soc_mean
                + rho * (getattr(self, name) - self.soc_mean)
                + math.sqrt(1.0 - rho**2) * self.soc_sd * z
            )
            setattr(self, name, clip(x + p.resources_soc_gain * resources, 1.0, 7.0))


class Relative(mesa.Agent):
    """A next of kin of one user (Orford's stress-strain-coping-support model)."""

    def __init__(self, model: ReferenceModel, user: User):
        super().__init__(model)
        p, coin = model.p, model.coin
        self.user = user
        shares = [
            p.relatives_share_parent,
            p.relatives_share_partner,
            p.relatives_share_child_minor,
            p.relatives_share_child_adult,
            p.relatives_share_sibling,
        ]
        shares.append(max(1.0 - sum(shares), 0.0))
        self.relation = coin.choices(range(6), weights=shares)[0]
        self.female = coin.random() < p.relatives_female_share
        self.closeness = p.closeness_distant if self.relation >= SIBLING else 1.0
        self.stress = 0.0
        self.strain = clip(coin.gauss(p.relatives_initial_strain_mean, 0.15), 0.0, 1.0)
        self.burnout = self.strain > p.burnout_threshold and coin.random() < 0.3
        c = coin.random()
        t, w, lim = (
            p.relatives_initial_tolerant_share,
            p.relatives_initial_withdrawn_share,
            p.relatives_initial_limit_share,
        )
        self.coping = (
            TOLERANT if c < t else WITHDRAWN if c < t + w else LIMIT if c < t + w + lim else ENGAGED
        )
        self.hope_user = clip(coin.gauss(0.4, 0.15), 0.0, 1.0)
        self.hope_self = clip(coin.gauss(0.4, 0.15), 0.0, 1.0)
        self.shame = clip(coin.gauss(0.5, 0.15), 0.0, 1.0)
        self.soc13 = clip(coin.gauss(p.relatives_soc13_mean, p.soc13_sd), 13.0, 91.0)
        self.soc13_start = self.soc13
        self.wants_group = coin.random() < p.relatives_want_group_share
        self.seeking = False
        self.group: Group | None = None
        self.tenure = 0
        self.attended = self.ever_group = self.touched = self.family_week = self.service = False
        self.intervention_left, self.first_help_week = 0, -1
        self.u_family_week, self.u_brief = coin.random(), coin.random()

    def support_weight(self) -> float:
        """What this relative gives the user: depleted by strain, nothing in burnout, negative if condemning."""
        p = self.model.p
        if self.burnout:
            return 0.0
        weight = (
            p.withdrawn_support
            if self.coping == WITHDRAWN
            else 0.6
            if self.coping == TOLERANT
            else 1.0
        )
        return weight * p.support_weight_relative * (1.0 - p.support_depletion * self.strain)

    def drop_out(self) -> None:
        p = self.model.p
        if self.group is not None and self.group.gtype != RELATIVES_COURSE:
            if self.model.coin.random() < p.relatives_dropout * 0.5 ** (
                self.tenure / p.dropout_tenure_halving_weeks
            ):
                self.group.leave(self)

    def take_roles(self) -> None:
        """Relatives in open groups take rotating service roles (Al-Anon: seed 000, L3198-3202)."""
        draw = self.model.coin.random()
        if (
            self.group is not None
            and self.group.gtype != RELATIVES_COURSE
            and self.tenure >= 13
            and draw < self.model.p.service_uptake
        ):
            self.service = True

    def attend(self) -> None:
        self.attended = False
        if self.group is None:
            return
        chance = 0.9 if self.group.gtype == RELATIVES_COURSE else self.model.p.relatives_attend
        self.attended = self.group.active and self.model.coin.random() < chance
        self.tenure += 1
        if self.attended:
            self.group.relative_attendees.append(self)

    def meeting(self, g: Group) -> None:
        p = self.model.p
        self.shame = clip(self.shame - p.meeting_shame_drop * g.similarity, 0.0, 1.0)
        self.hope_self = clip(
            self.hope_self + p.relatives_hope_self_gain * g.veteran_share, 0.0, 1.0
        )
        gain = (
            p.meeting_comprehensibility_gain
            + p.meeting_manageability_gain
            + p.meeting_meaningfulness_gain
        ) / 3.0
        self.soc13 += 13.0 * saturating_gain(self.soc13 / 13.0, gain)

    def step(self) -> None:
        """Process 7 (stress, strain, coping, burnout, hope, help-seeking) and SOC drift (process 8)."""
        p, m, user = self.model.p, self.model, self.user
        base = (
            p.stress_using
            if user.status == USING
            else p.stress_treatment
            if user.status == TREATMENT
            else p.stress_abstinent
        )
        self.stress = min(base * self.closeness + p.stress_crisis * user.crisis, 1.0)
        helped = self.group is not None or self.intervention_left > 0
        self.touched |= helped
        relief = p.strain_group_relief if helped else 0.0
        limit = 1.0 - p.limit_setting_strain_relief if self.coping == LIMIT else 1.0
        growth = p.strain_gain * self.stress * (1.0 - self.strain) * (1.0 - relief) * limit
        decay = p.strain_decay * self.strain * (1.0 + 2.0 * relief)
        self.strain = clip(self.strain + growth - decay, 0.0, 1.0)
        self.intervention_left = max(self.intervention_left - 1, 0)
        self.change_coping(helped)
        self.burnout_or_recovery(helped)
        # hope for the user: up with sober periods, a sharp fall at relapse
        if user.status == ABSTINENT:
            target = 0.3 + 0.6 * (1.0 - math.exp(-user.weeks_in_status / 26.0))
        else:
            target = 0.45 if user.status == TREATMENT else 0.15
        self.hope_user += 0.1 * (target - self.hope_user)
        if user.relapsed:
            self.hope_user *= 1.0 - p.relative_hope_fall_relapse
        self.hope_self += 0.01 * (0.4 - self.hope_self)
        self.shame += (1.0 - p.shame_persistence) * (
            0.3 + p.public_stigma_shame * p.public_stigma - self.shame
        )
        self.seek_help()
        if m.week % 4 == 3:
            rho = p.soc_persistence_4w
            noise = math.sqrt(1.0 - rho**2) * p.soc13_sd * m.coin.gauss(0.0, 1.0)
            self.soc13 = clip(
                p.relatives_soc13_mean + rho * (self.soc13 - p.relatives_soc13_mean) + noise,
                13.0,
                91.0,
            )

    def change_coping(self, helped: bool) -> None:
        """Learn limit-setting when helped; withdraw under strain; become tolerant; return to engaged."""
        p, c = self.model.p, self.coping
        chances = (
            (LIMIT, p.coping_learn_limit if helped and c != LIMIT else 0.0),
            (WITHDRAWN, p.coping_to_withdrawn * self.strain if c in (ENGAGED, TOLERANT) else 0.0),
            (TOLERANT, p.coping_to_enabling * (0.5 + self.hope_user) if c == ENGAGED else 0.0),
            (ENGAGED, p.coping_return_engaged if c != ENGAGED and not helped else 0.0),
        )
        d, total = self.model.coin.random(), 0.0
        for position, chance in chances:
            total += chance
            if d < total:
                self.coping = position
                return

    def burnout_or_recovery(self, helped: bool) -> None:
        p = self.model.p
        d = self.model.coin.random()
        if not self.burnout:
            over = max(self.strain - p.burnout_threshold, 0.0) / (1.0 - p.burnout_threshold)
            self.burnout = d < p.burnout_onset_rate * over
        else:
            self.burnout = not d < p.burnout_recovery_rate * (1.0 + helped) * (
                1.0 - 0.5 * self.strain
            )

    def seek_help(self) -> None:
        """The user's crises trigger help-seeking, shame delays it, visible offers speed it; then find a group."""
        p, m = self.model.p, self.model
        help_draw, find_draw, pick_draw = m.coin.random(), m.coin.random(), m.coin.random()
        free = not self.seeking and self.group is None
        norm = p.helpseek_female_ratio * p.relatives_female_share + (1.0 - p.relatives_female_share)
        sex = (p.helpseek_female_ratio if self.female else 1.0) / norm
        p_seek = (
            (p.helpseek_base + p.helpseek_event * self.user.crisis)
            * (1.0 - p.helpseek_shame_effect * self.shame)
            * (1.0 + 2.0 * p.relatives_info_visibility)
            * sex
        )
        start = free and self.wants_group and help_draw < p_seek
        if free and self.family_week and help_draw < p.family_week_join_prob:
            self.wants_group = start = True
        self.family_week = False
        if start:
            self.seeking = True
            if self.first_help_week < 0:
                self.first_help_week = m.week
        if self.seeking and self.group is None and find_draw < p.relatives_find_group:
            groups, free_places = m.relative_places
            if groups:
                group = groups[min(int(pick_draw * len(groups)), len(groups) - 1)]
                if free_places[group] > 0:
                    free_places[group] -= 1
                    group.join(self)
                    self.seeking = False


class Group(mesa.Agent):
    """A self-help group: members, trust, outside veterans and service roles."""

    def __init__(
        self,
        model: ReferenceModel,
        gtype: int,
        ext_core: int,
        trust: float,
        professional: bool,
        course_left: int = 0,
    ):
        super().__init__(model)
        p = model.p
        self.gtype, self.active = gtype, True
        self.capacity = p.course_capacity if gtype == RELATIVES_COURSE else p.group_capacity
        self.trust, self.ext_core, self.professional = trust, ext_core, professional
        self.course_left, self.weeks_below = course_left, 0
        self.similarity = p.mixed_group_similarity if gtype == MIXED else 1.0
        self.users: set[User] = set()
        self.relatives: set[Relative] = set()
        self.attendees: list[User] = []  # this week's
        self.relative_attendees: list[Relative] = []
        self.attendance, self.service_core, self.veteran_share = 0, 0, 0.0
        model.groups.append(self)

    @property
    def members(self) -> int:
        return len(self.users) + len(self.relatives)

    def room(self) -> int:
        """Free member places: 1.5 x capacity less members and outside veterans (0 once ended)."""
        if not self.active:
            return 0
        return max(
            math.floor(MEMBERSHIP_PER_SEAT * self.capacity) - self.members - self.ext_core, 0
        )

    def join(self, person: User | Relative) -> None:
        (self.users if isinstance(person, User) else self.relatives).add(person)
        person.group, person.tenure, person.ever_group = self, 0, True

    def leave(self, person: User | Relative) -> None:
        (self.users if isinstance(person, User) else self.relatives).discard(person)
        person.group, person.tenure, person.service = None, 0, False
        if isinstance(person, User):
            person.sponsor = False

    def step(self) -> None:
        """Group life: service core, trust, outside veterans, handover, course end and dissolution."""
        p, coin = self.model.p, self.model.coin
        self.attendance = len(self.attendees) + len(self.relative_attendees) + self.ext_core
        self.service_core = (
            sum(u.service for u in self.users)
            + sum(r.service for r in self.relatives)
            + self.ext_core
            + 2 * self.professional
        )
        settled = (
            sum(u.tenure >= 13 for u in self.users)
            + sum(r.tenure >= 13 for r in self.relatives)
            + self.ext_core
        )
        self.trust += p.trust_gain * (
            0.3 + 0.7 * settled / max(self.members + self.ext_core, 1) - self.trust
        )
        if coin.random() < p.group_shock_rate:
            self.trust *= 0.5
        leaving = sum(coin.random() < p.external_core_attrition for _ in range(self.ext_core))
        arriving = (
            coin.random() < p.external_core_recruitment * self.trust
            and self.gtype != RELATIVES_COURSE
        )
        self.ext_core += arriving - leaving
        veterans = (
            sum(u.service or u.tenure >= 52 for u in self.attendees)
            + sum(r.tenure >= 52 for r in self.relative_attendees)
            + self.ext_core
        )
        self.veteran_share = veterans / self.attendance if self.attendance > 0 else 0.0
        if (
            self.professional
            and self.gtype == CLINIC
            and coin.random() < 1.0 / p.clinic_handover_weeks
        ):
            self.professional = False
        if self.gtype == RELATIVES_COURSE:
            self.course_left -= 1
            if self.course_left <= 0:
                self.end(course=True)
            return
        self.weeks_below = self.weeks_below + 1 if self.service_core < p.group_min_service else 0
        if self.weeks_below >= p.group_dissolve_grace_weeks:
            self.end(course=False)

    def end(self, course: bool) -> None:
        """The group ends; users keep wanting a group, relatives too (after a course, some)."""
        coin = self.model.coin
        self.active, self.attendance = False, 0
        for user in list(self.users):
            self.leave(user)
            user.waiting = True
        for rel in list(self.relatives):
            self.leave(rel)
            rel.seeking = coin.random() < self.model.p.course_continue_prob if course else True
        self.model.groups.remove(self)
        self.remove()
