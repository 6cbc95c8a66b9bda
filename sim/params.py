"""The parameter registry: every parameter of the model, with default, range, unit and source.

This list is the single source of truth. Scenario files are validated against it,
``docs/parameters.md`` is generated from it (``python -m sim params --markdown``) and a test
checks that the checked-in table matches. ``kind`` says what a parameter is:

- ``lever``: an aftercare-policy lever that scenarios set (section 5 of the brief);
- ``behaviour``: a rule's size (an effect, a rate, a threshold);
- ``population``: the make-up of the simulated municipality at the start.

Effects on the relapse hazard are log hazard ratios per unit of the covariate; a positive value
raises the hazard. Citations are ``seed NNN, Lx-y`` into ``../shared/seeds/original``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Param:
    """One model parameter."""

    name: str
    default: float
    low: float
    high: float
    unit: str
    source: str
    doc: str
    kind: str = "behaviour"
    integer: bool = False
    calibrated: bool = False

    def check(self, value: Any, where: str) -> float:
        """Return ``value`` as a number if it is allowed, else raise :class:`InputError`."""
        from sim.errors import InputError

        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(
                f"{where}: '{self.name}' must be a number in [{self.low:g}, {self.high:g}], "
                f"got {value!r}"
            )
        if self.integer and float(value) != int(value):
            raise InputError(f"{where}: '{self.name}' must be a whole number, got {value!r}")
        if not (self.low <= value <= self.high):
            raise InputError(
                f"{where}: '{self.name}' = {value!r} is out of range; allowed "
                f"[{self.low:g}, {self.high:g}] {self.unit}"
            )
        return int(value) if self.integer else float(value)


A = "assumption"
P = Param
_L = "lever"
_POP = "population"

PARAMS: tuple[Param, ...] = (
    # ------------------------------------------------------------------ population
    P("users_male_share", 0.70, 0.4, 0.9, "share", A + " (Norwegian specialised treatment is mostly men)",
      "Share of users who are men.", _POP),
    P("users_age_mean", 38.0, 25, 50, "years", A, "Mean age of users at discharge.", _POP),
    P("users_comorbid_share", 0.50, 0.2, 0.9, "share",
      "seed 003, L2051-2053 (8 of 9 worked on mental health); assumption for the share",
      "Share of users with comorbid mental illness.", _POP),
    P("users_unstable_housing_share", 0.35, 0.1, 0.7, "share",
      "seed 003, L521-525 (home ownership 8/10 alcohol vs 3/10 other drugs); assumption",
      "Share of users without stable housing at discharge.", _POP),
    P("users_activity_share", 0.30, 0.1, 0.7, "share", A,
      "Share of users with meaningful activity (work, study, leisure) at discharge.", _POP),
    P("users_positive_attitude_share", 0.75, 0.5, 0.9, "share", "seed 002, L73 (3 in 4 see fellowships as a resource)",
      "Share of users positive to 12-step groups.", _POP),
    P("users_old_network_using_share", 0.60, 0.3, 0.9, "share", "seed 002, L43-45; seed 003, L1001-1003; assumption for the share",
      "Share of users whose pre-treatment network supported use.", _POP),
    P("users_using_ties_mean", 4.0, 1, 10, "ties", A, "Mean number of using ties (friends who use) at discharge, outside the cohort.", _POP),
    P("users_sober_ties_mean", 2.0, 0.5, 6, "ties", "seed 003, L383-387 (little contact with drug-free friends); assumption",
      "Mean number of sober ties outside the cohort at discharge.", _POP),
    P("users_cohort_ties_mean", 2.0, 0, 6, "ties", A,
      "Mean number of ties between users of the cohort (people who know each other from the scene).", _POP),
    P("users_soc13_mean", 56.0, 45, 65, "SOC-13 points", "TARGETS T9 (users at treatment start lower than 65-71); assumption",
      "Mean SOC-13 of users at discharge.", _POP),
    P("soc13_sd", 12.0, 8, 15, "SOC-13 points", "Eriksson & Lindstrom 2005 (Nordic SD 11.7)",
      "Between-person SD of SOC-13.", _POP),
    P("users_hope_mean", 40.0, 30, 50, "AHS points (8-64)", A, "Mean Adult Hope Scale score of users at discharge.", _POP),
    P("users_shame_mean", 0.55, 0.2, 0.8, "0-1", "seed 003, L2291-2293, L978-982; assumption for the level",
      "Mean internalised shame of users at discharge.", _POP),
    P("discharge_spread_weeks", 13, 1, 52, "weeks", A,
      "Users of the cohort leave treatment spread evenly over this many first weeks.", _POP, integer=True),
    P("population_per_user", 100.0, 30, 300, "inhabitants per simulated user", A,
      "Inhabitants of the municipality per simulated user; scales group density.", _POP),
    # ------------------------------------------------------------------ relatives
    P("relatives_per_user_mean", 3.2, 1, 6, "relatives", "seed 004, L329-331 (at least 3 per user)",
      "Mean number of next of kin per user (1 + Poisson).", _POP),
    P("relatives_female_share", 0.55, 0.4, 0.7, "share", A, "Share of women among all relatives.", _POP),
    P("relatives_soc13_mean", 68.0, 60, 72, "SOC-13 points", "Eriksson & Lindstrom 2005 (Nordic 70.7); TARGETS T9",
      "Mean SOC-13 of relatives at the start.", _POP),
    P("relatives_want_group_share", 0.37, 0.2, 0.6, "share", "seed 000, L1012-1014 (10% in a group, 37% would like to)",
      "Share of relatives who would take part in a group if one were offered.", _POP),
    P("relatives_initial_strain_mean", 0.45, 0.1, 0.8, "0-1", "seed 004, L335-337 (years with the problem before help); assumption",
      "Mean strain of relatives at the start (they have lived with the problem for years).", _POP),
    # ------------------------------------------------------------------ relapse hazard
    P("relapse_scale_weeks", 52.0, 15, 200, "weeks", "McLellan et al. 2000 (40-60% in a year); TARGETS T1",
      "Log-logistic scale of the baseline time to first use (median weeks for a reference user).", calibrated=True),
    P("relapse_shape", 0.75, 0.4, 1.5, "dimensionless", "Hunt et al. 1971; Kirshenbaum et al. 2009; TARGETS T2",
      "Log-logistic shape of the baseline hazard (below 1: hazard falls with time abstinent).", calibrated=True),
    P("lapse_share", 0.30, 0.0, 0.6, "share", A + " (a use episode that ends within the week)",
      "Share of use episodes that are brief lapses rather than relapses, for a reference user."),
    P("beta_soc", -0.35, -1.0, 0.0, "log HR per SD of SOC-13", A + " (direction: Antonovsky)",
      "Effect of SOC on the relapse hazard."),
    P("beta_hope", -0.30, -1.0, 0.0, "log HR per 10 AHS points", "seed 003, L2246-2250; seed 002, L41; TARGETS T14",
      "Effect of hope on the relapse hazard."),
    P("beta_shame", 0.40, 0.0, 1.5, "log HR per unit shame", "seed 003, L2439-2441; assumption for size",
      "Effect of internalised shame on the relapse hazard."),
    P("beta_support", -0.50, -1.5, 0.0, "log HR per unit support", "seed 003, L383-387, L2914-2916",
      "Effect of network support (0-1) on the relapse hazard."),
    P("beta_using_ties", 0.30, 0.0, 1.0, "log HR per log(1+ties)", "seed 002, L43-45; seed 003, L1001-1003",
      "Effect of using ties on the relapse hazard."),
    P("beta_sober_ties", -0.15, -0.6, 0.0, "log HR per log(1+ties)", "seed 002, L43-45",
      "Effect of sober ties on the relapse hazard."),
    P("sober_ties_old_network_multiplier", 2.0, 1.0, 4.0, "ratio", "seed 002, L43-45 (matters most where old network supported use)",
      "Sober ties protect this many times more for users whose old network supported use."),
    P("beta_group", -0.45, -1.2, 0.0, "log HR when attending this week", "seed 002, L27 (dose-response); seed 003, L3550-3558; Kelly et al. 2020",
      "Effect of attending a self-help meeting this week.", calibrated=True),
    P("beta_sponsor", -0.25, -0.8, 0.0, "log HR", "seed 002, L63; seed 000, L3769-3771", "Effect of having a sponsor (or being one)."),
    P("beta_aftercare_contact", -0.40, -1.2, 0.0, "log HR when in contact this week", "seed 003, L154-156, L403-405; assumption for size",
      "Effect of an aftercare contact this week."),
    P("beta_unstable_housing", 0.35, 0.0, 1.0, "log HR", "seed 003, L3111-3117, L3120-3124", "Effect of unstable housing."),
    P("beta_activity", -0.30, -1.0, 0.0, "log HR", "seed 003, L1104-1108, L3227-3231", "Effect of meaningful activity."),
    P("beta_comorbid", 0.30, 0.0, 1.0, "log HR", "seed 003, L156-158", "Effect of comorbid mental illness."),
    P("beta_lonely", 0.30, 0.0, 1.0, "log HR", "seed 003, L2738-2740, L3621-3623", "Effect of loneliness (low support and few ties)."),
    P("beta_integration", -0.60, -1.5, 0.0, "log HR per unit depth", "seed 002, L42 ('white knuckles')",
      "Effect of integration depth (0-1) on the relapse hazard."),
    P("beta_relatives_enabling", 0.20, 0.0, 0.8, "log HR per enabling relative", "seed 004, L774-845, L1304-1309 (tolerant relative as enabler); assumption for size",
      "Effect of each relative in a tolerant (enabling) coping position."),
    P("beta_relatives_limit", -0.15, -0.6, 0.0, "log HR per limit-setting relative", "seed 004, L249-252, L1258-1265; assumption for size",
      "Effect of each relative setting limits while keeping contact."),
    P("beta_relatives_expect", 0.10, 0.0, 0.5, "log HR per unit of relatives' low hope", "seed 003, L509-511, L986-988",
      "Relatives who expect relapse (low hope for the user) raise the hazard a little."),
    P("beta_contagion", 1.0, 0.0, 3.0, "log HR at all close ties using", "seed 003, L535-541, L3445-3447",
      "Effect of the weighted share of cohort ties (peers, housemates) who use now; second-degree ties add at the decay below."),
    P("contagion_distance_decay", 0.25, 0.0, 0.6, "ratio", A, "Weight of second-degree ties relative to direct ties."),
    P("housemate_tie_weight", 2.0, 1.0, 4.0, "ratio to a peer tie", "seed 003, L3445-3447 (shared housing can tip)",
      "Weight of a tie between housemates in aftercare housing."),
    # ------------------------------------------------------------------ treatment
    P("treatment_weeks", 12, 4, 52, "weeks", A, "Length of a treatment episode after re-entry.", integer=True),
    P("treatment_reentry_rate", 0.015, 0.002, 0.08, "per week", A,
      "Weekly chance that a using user enters treatment again (before stigma and open door)."),
    P("stigma_reentry_effect", 0.6, 0.0, 1.0, "share reduction at full shame", "seed 003, L966-968, L2134-2138",
      "How much shame lowers treatment re-entry."),
    P("self_quit_rate", 0.02, 0.0, 0.08, "per week", "seed 003, L3506-3510 (recovery without treatment)",
      "Weekly chance that a using user stops by their own means."),
    # ------------------------------------------------------------------ groups
    P("groups_12step_per_100k", 5.5, 1, 15, "weekly meetings per 100,000 inhabitants", "seed 002, L65 (300 meetings / 5.5 million)",
      "Density of open 12-step groups at the start.", _POP),
    P("groups_other_per_100k", 3.6, 0, 15, "groups per 100,000 inhabitants",
      "seed 002, L21 (499 groups in the substance field / 5.5 million, less 12-step)",
      "Density of other self-help groups at the start (relatives' open groups and mixed self-organised).", _POP),
    P("group_capacity", 15, 8, 40, "people per meeting", "seed 000, L2009-2013 (2 to 15-20, mostly 4-8); TARGETS T8",
      "Meeting size above which an open group splits off a new group when a starter is available.", integer=True, calibrated=True),
    P("course_capacity", 10, 6, 16, "people", "seed 000, LMS courses; TARGETS T8", "Seats in a relatives' course.", integer=True),
    P("course_weeks", 11, 8, 24, "weeks", "seed 000, L1768-1774 (~10 weeks); seed 004, L1173-1176 (12 evenings)", "Length of a relatives' course.", integer=True),
    P("group_min_founders", 4, 2, 10, "people", "seed 001, L3066-3070, L3919-3921 (a starter and enough people)",
      "Interested people without a group needed, with a starter, to found a group.", integer=True),
    P("group_external_core_mean", 3.0, 0, 8, "people", "seed 001, L1435 (8 members); seed 000, L1957-1961 (tenure of years); assumption",
      "Veteran members from outside the cohort who hold service roles in an existing group at the start."),
    P("external_core_attrition", 0.006, 0.0, 0.03, "per week", A, "Weekly chance an external veteran leaves a group."),
    P("external_core_recruitment", 0.010, 0.0, 0.05, "per week at full trust", A,
      "Weekly chance a group gains an external veteran, scaled by its trust."),
    P("group_min_service", 2, 1, 4, "people", "seed 000, L3204-3208, L4737-4751 (closed when few take roles); TARGETS T8",
      "A group dissolves when fewer than this many members take service roles for the grace period."),
    P("group_dissolve_grace_weeks", 8, 1, 26, "weeks", A, "Weeks below the service minimum before a group dissolves.", integer=True),
    P("user_group_join_rate", 0.004, 0.0, 0.2, "per week", "seed 003, L3459-3461 (self-initiated entry)",
      "Weekly chance that an abstinent user not in a group joins one by their own initiative."),
    P("referral_join_prob", 0.55, 0.1, 0.9, "probability", "seed 002, L34 (Timko 2006; Walitzer 2009)",
      "Chance that an actively referred user with a positive attitude joins a group after discharge.", calibrated=True),
    P("negative_attitude_join_factor", 0.3, 0.0, 1.0, "ratio", "seed 002, L77-94 (objections)",
      "Joining rates are multiplied by this for users negative to 12-step groups."),
    P("attend_base", 0.55, 0.2, 0.9, "probability per week", "seed 003, L3550 (NA 2x per week)",
      "Chance a member attends in a week, for a newcomer in a group of average trust."),
    P("attend_tenure_gain", 0.25, 0.0, 0.5, "probability", A, "Extra attendance chance at long tenure (saturating over a year)."),
    P("attend_crisis_gain", 0.15, 0.0, 0.4, "probability", "seed 000, L3821-3822 (up to 3 meetings a week in crises)",
      "Extra attendance chance for a member who used or lapsed in the last 4 weeks."),
    P("dropout_newcomer", 0.08, 0.01, 0.2, "per week", "seed 001, L584-588 (many drop out after a few sessions); assumption for rate",
      "Weekly chance a newcomer member leaves the group.", calibrated=True),
    P("dropout_tenure_halving_weeks", 12.0, 4, 52, "weeks", A, "Tenure at which the drop-out rate has halved."),
    P("service_uptake", 0.02, 0.0, 0.1, "per week", "seed 002, L49 (helper principle)",
      "Weekly chance that a regular member takes a service role: users with 13+ weeks tenure and 26+ weeks abstinent; relatives in open groups with 13+ weeks tenure (seed 000, L3198-3202)."),
    P("sponsor_prob", 0.5, 0.0, 1.0, "probability", "seed 002, L63", "Chance that a 12-step member has a sponsor after 4 weeks."),
    P("starter_rate", 0.2, 0.0, 0.5, "starters per week per 100,000 inhabitants", "seed 001, L3919-3921 (no group without professionals); assumption for rate",
      "Weekly rate of professional or organisational starters able to found a group (before levers)."),
    P("group_split_rate", 0.5, 0.0, 2.0, "new groups per week per full group of waiting people",
      "seed 002, L57 (founding new 12-step groups is easy because of the traditions); assumption for rate",
      "Rate at which veterans of open 12-step and relatives' groups found new groups when people wait for a place."),
    P("clinic_handover_weeks", 52, 13, 520, "weeks", "seed 001, L1560-1562, L2647-2649 (clinic group for 9 years, then self-organised)",
      "Mean weeks before a clinic-led group is handed over to its members."),
    # ------------------------------------------------------------------ meeting effects
    P("meeting_shame_drop", 0.015, 0.0, 0.05, "shame units per meeting", "seed 002, L40 (normalisation)",
      "Fall in shame per meeting attended (times group similarity)."),
    P("meeting_hope_gain", 0.25, 0.0, 1.0, "AHS points per meeting at full veteran share", "seed 002, L41 (experiential power)",
      "Rise in hope per meeting, scaled by the share of veterans present."),
    P("meeting_comprehensibility_gain", 0.010, 0.0, 0.04, "item points per meeting", "seed 000, L4816-4818, L3292-3294; assumption for size",
      "Rise in comprehensibility (insight) per meeting."),
    P("meeting_manageability_gain", 0.010, 0.0, 0.04, "item points per meeting", "seed 000, L4056-4058; seed 004, L881-884; assumption for size",
      "Rise in manageability (coping, support) per meeting."),
    P("meeting_meaningfulness_gain", 0.010, 0.0, 0.04, "item points per meeting", "seed 002, L49; seed 000, L3781, L4865-4867 (helper principle)",
      "Rise in meaningfulness (belonging) per meeting; doubled for members with a service role."),
    P("meeting_integration_gain", 0.012, 0.0, 0.05, "depth per meeting", "seed 002, L42 (working the steps)",
      "Rise in integration depth per meeting."),
    P("meeting_tie_prob", 0.04, 0.0, 0.2, "probability per meeting", "seed 003, L3461-3465; seed 000, L4617-4619 (contact outside meetings, few friends)",
      "Chance a meeting gives a new sober tie to a co-member."),
    # ------------------------------------------------------------------ network and support
    P("using_tie_fade", 0.02, 0.0, 0.1, "per week", "seed 003, L3018-3022, L2689-2692",
      "Weekly share of using ties cut or faded while abstinent."),
    P("using_tie_regain", 0.10, 0.0, 0.3, "per week", A, "Weekly regain of using ties (towards the start) while using."),
    P("sober_tie_return", 0.004, 0.0, 0.02, "ties per week", "seed 003, L2918-2922 (pre-addiction friends return slowly)",
      "Sober ties regained per week while abstinent, lowered by public stigma."),
    P("activity_tie_gain", 0.01, 0.0, 0.05, "ties per week", "seed 003, L3030-3036, L2707-2711",
      "Sober ties gained per week from work and activities."),
    P("sober_tie_fade", 0.002, 0.0, 0.02, "per week", A, "Weekly share of sober ties that fade."),
    P("support_half_ties", 4.0, 1, 10, "weighted ties", A, "Weighted ties that give half of full support (saturating)."),
    P("support_depletion", 0.5, 0.0, 1.0, "share", "seed 004, L1326-1336 (informal support depletes)",
      "How much a relative's strain lowers the support they give."),
    P("gain_activity_rate", 0.01, 0.0, 0.05, "per week", "seed 003, L563-568; assumption",
      "Weekly chance an abstinent user without activity finds one (before structural stigma and welfare integration)."),
    P("gain_housing_rate", 0.01, 0.0, 0.05, "per week", "seed 003, L525-533; assumption",
      "Weekly chance an abstinent user in unstable housing finds stable housing (before levers)."),
    P("lose_on_relapse", 0.05, 0.0, 0.3, "per week using", A, "Weekly chance a using user loses activity or stable housing."),
    # ------------------------------------------------------------------ relatives' dynamics
    P("stress_using", 0.70, 0.3, 1.0, "0-1", "seed 004, L321-329; Orford's stress-strain model", "Stress when the user is using."),
    P("stress_treatment", 0.35, 0.0, 0.7, "0-1", A, "Stress while the user is in treatment."),
    P("stress_abstinent", 0.10, 0.0, 0.4, "0-1", A, "Stress while the user is abstinent."),
    P("stress_crisis", 0.30, 0.0, 0.6, "0-1", "seed 004, L321-326, L633-635 (constant alarm, repeated crises)", "Extra stress in a week of relapse or treatment entry."),
    P("strain_gain", 0.03, 0.005, 0.1, "per week per unit stress", "seed 004, L241-243", "Weekly growth of strain with stress."),
    P("strain_decay", 0.008, 0.001, 0.05, "per week", "seed 004, L241-243; seed 000, L4343-4345 (does not reset)",
      "Weekly decay of strain (slow: strain outlasts the user's recovery)."),
    P("strain_group_relief", 0.5, 0.0, 0.9, "share", "seed 004, L470-474, L1227-1229; seed 000, L502-508; TARGETS T15",
      "Share by which strain growth is lowered and decay raised for relatives in a group or course."),
    P("burnout_threshold", 0.55, 0.4, 0.9, "strain 0-1", A, "Strain above which burnout can start."),
    P("burnout_onset_rate", 0.03, 0.0, 0.1, "per week at full strain", "seed 004, L350-353 (>50% sick leave), L1841-1842 (>70% exhausted); help-seeking samples",
      "Weekly chance of burnout onset, scaled by strain above the threshold."),
    P("burnout_recovery_rate", 0.03, 0.005, 0.1, "per week", A, "Weekly chance of recovery from burnout (doubled in a group)."),
    P("coping_to_enabling", 0.010, 0.0, 0.05, "per week", "seed 004, L774-845", "Weekly chance an engaged relative becomes tolerant (enabling)."),
    P("coping_to_withdrawn", 0.015, 0.0, 0.05, "per week at full strain", "seed 004, L774-845, L1205-1208",
      "Weekly chance a relative withdraws, scaled by strain."),
    P("coping_learn_limit", 0.06, 0.0, 0.3, "per week in a group or intervention", "seed 004, L1258-1265",
      "Weekly chance a relative in a group, course or brief intervention learns limit-setting with contact."),
    P("coping_return_engaged", 0.01, 0.0, 0.05, "per week", A, "Weekly chance a relative returns to the engaged position."),
    P("helpseek_base", 0.006, 0.0, 0.02, "per week", "seed 004, L335-337 (5-18 years before seeking help)",
      "Weekly chance a relative who would take part seeks a group without any trigger.", calibrated=True),
    P("helpseek_event", 0.1, 0.0, 0.3, "probability per event", "seed 000, L5319-5325 (changes in the user trigger help-seeking)",
      "Chance a user's event (treatment entry, relapse) triggers a relative's help-seeking."),
    P("helpseek_shame_effect", 0.6, 0.0, 1.0, "share reduction at full shame", "seed 000, L4507-4521; seed 004, L321-323 (secrecy and shame)",
      "How much shame delays relatives' help-seeking."),
    P("helpseek_female_ratio", 5.0, 1.0, 8.0, "ratio", "seed 000, L1027; seed 004, L1870-1871 (85-87% women); TARGETS T7",
      "Help-seeking of women relative to men.", calibrated=True),
    P("relatives_dropout", 0.02, 0.0, 0.1, "per week", A, "Weekly chance a relative leaves an open relatives' group.", calibrated=True),
    P("relatives_attend", 0.7, 0.3, 1.0, "probability per week", A, "Chance a member relative attends in a week."),
    P("relative_hope_fall_relapse", 0.35, 0.0, 0.8, "share", "seed 000, L3389-3391; seed 004, L1454-1459 (hope comes and goes)",
      "Share of hope for the user lost when the user relapses."),
    # ------------------------------------------------------------------ psychosocial drift
    P("soc_persistence_4w", 0.992, 0.98, 0.999, "autocorrelation per 4 weeks", "Eriksson & Lindstrom 2005; TARGETS T10",
      "Persistence of SOC around its mean over 4 weeks (0.992^65 = 0.59 over 5 years)."),
    P("hope_persistence", 0.97, 0.9, 0.995, "autocorrelation per week", A, "Persistence of hope around its target."),
    P("shame_persistence", 0.98, 0.9, 0.999, "autocorrelation per week", A, "Persistence of shame around its target."),
    P("resources_soc_gain", 0.004, 0.0, 0.02, "item points per 4 weeks per resource", "Antonovsky (generalized resistance resources)",
      "Rise in SOC components per 4 weeks for each resource held (support, housing, activity)."),
    P("relapse_soc_loss", 0.05, 0.0, 0.2, "item points", A, "Fall in manageability at a relapse."),
    P("relapse_hope_loss", 4.0, 0.0, 10.0, "AHS points", A, "Fall in hope at a relapse."),
    P("abstinence_hope_gain", 0.05, 0.0, 0.2, "AHS points per week abstinent", A, "Rise in hope target per week abstinent (saturating)."),
    P("integration_gain", 0.004, 0.0, 0.02, "depth per week abstinent", "seed 002, L42", "Growth of integration depth per week abstinent."),
    P("public_stigma_shame", 0.3, 0.0, 0.6, "shame units at full public stigma", "seed 003, L960-974",
      "Contribution of public stigma to the level shame returns to."),
    # ------------------------------------------------------------------ added rule sizes
    P("lapse_protection", 0.5, 0.0, 1.0, "ratio", A,
      "The same factors that lower the hazard make a use episode more likely a lapse: odds x exp(-this x log HR)."),
    P("support_weight_relative", 1.0, 0.0, 3.0, "weighted ties per relative", "seed 003, L2823-2825; seed 004, L926-929",
      "Support weight of one engaged relative with no strain."),
    P("support_weight_group", 2.0, 0.0, 5.0, "weighted ties", "seed 003, L2742-2744 (belonging)",
      "Support weight of attending a group this week."),
    P("withdrawn_support", -0.3, -1.0, 0.5, "weighted ties", "seed 004, L944-947 (condemning attitudes)",
      "Support weight of a withdrawn relative (negative: condemning tie)."),
    P("housing_exit_stable", 0.6, 0.2, 1.0, "probability", A,
      "Chance a resident of aftercare housing moves to stable housing when aftercare ends."),
    P("closeness_distant", 0.6, 0.2, 1.0, "ratio", "seed 000, L685-699 (relation moderates burden a little)",
      "Stress of siblings and other close relatives relative to partners, parents and children."),
    P("limit_setting_strain_relief", 0.3, 0.0, 0.7, "share", "seed 004, L249-252 (limit-setting without distancing is the key)",
      "Share by which limit-setting with contact lowers strain growth."),
    P("relatives_find_group", 0.5, 0.1, 1.0, "per week", "seed 000, L4503 (choice of group fairly random); assumption",
      "Weekly chance a help-seeking relative finds a group with room."),
    P("course_continue_prob", 0.35, 0.0, 1.0, "probability", "seed 000, L1934-1955, L3953-3959 (some go on, 5 of 9 left)",
      "Chance a relative who finished a course goes on in an open relatives' group."),
    P("mixed_group_similarity", 0.6, 0.2, 1.0, "ratio", "seed 000, L3269-3276 (works best among relatives only)",
      "Strength of the shame effect in mixed groups relative to same-problem groups."),
    P("trust_gain", 0.05, 0.0, 0.2, "per week", "seed 000, L4698-4702 (trust grows after a few meetings)",
      "Weekly approach of a group's trust to its target (share of members with 13+ weeks tenure)."),
    P("group_shock_rate", 0.002, 0.0, 0.02, "per group per week", "seed 004, L1139-1141 (a death dissolved a group)",
      "Weekly chance of a shock (a member's death, a conflict) that halves a group's trust."),
    P("relatives_hope_self_gain", 0.02, 0.0, 0.1, "0-1 per meeting at full veteran share", "seed 000, L3324, L4629-4631",
      "Rise in a relative's hope for self per meeting, scaled by veterans present."),
    P("other_groups_relatives_share", 0.5, 0.0, 1.0, "share", A,
      "Share of the other (non-12-step) groups at the start that are relatives' open groups; the rest are mixed."),
    P("relatives_share_parent", 0.30, 0.1, 0.5, "share", "seed 004, L1203-1204 (group members mostly mothers); assumption",
      "Share of relatives who are parents.", _POP),
    P("relatives_share_partner", 0.20, 0.05, 0.4, "share", "seed 000, L667-669; assumption", "Share of relatives who are partners.", _POP),
    P("relatives_share_child_minor", 0.10, 0.0, 0.3, "share", "seed 000, L667-669; assumption", "Share of relatives who are children under 18.", _POP),
    P("relatives_share_child_adult", 0.10, 0.0, 0.3, "share", "seed 004, L1850-1853; assumption", "Share of relatives who are adult children.", _POP),
    P("relatives_share_sibling", 0.20, 0.05, 0.4, "share", "seed 004, L1850-1853; assumption",
      "Share of relatives who are siblings; the rest are other close people.", _POP),
    P("relatives_initial_tolerant_share", 0.25, 0.0, 0.5, "share", "seed 004, L774-845; assumption",
      "Share of relatives in the tolerant (enabling) position at the start.", _POP),
    P("relatives_initial_withdrawn_share", 0.20, 0.0, 0.5, "share", "seed 004, L774-845; assumption",
      "Share of relatives in the withdrawn position at the start.", _POP),
    P("relatives_initial_limit_share", 0.05, 0.0, 0.3, "share", "seed 004, L249-252; assumption",
      "Share of relatives already setting limits with contact at the start.", _POP),
    # ------------------------------------------------------------------ aftercare levers
    P("aftercare_coverage", 0.40, 0.0, 1.0, "share of discharges", "seed 003, L403-405 (7 of 10 lack good follow-up)",
      "Share of discharged users offered aftercare.", _L),
    P("aftercare_contacts_per_week", 0.7, 0.0, 3.0, "contacts per week", A, "Follow-up contacts per week while in aftercare.", _L),
    P("aftercare_duration_weeks", 52, 0, 156, "weeks", "seed 003, L3721-3725, L3636-3638 (1-2 years)",
      "How long aftercare lasts.", _L, integer=True),
    P("aftercare_start_delay_weeks", 4, 0, 16, "weeks", "seed 003, L255-256, L431-433 (the difficult transition)",
      "Weeks between discharge and the first aftercare contact, without pre-discharge planning.", _L, integer=True),
    P("aftercare_closure_weeks", 6, 0, 16, "weeks per year", "seed 003, L458-460 (closes in holidays and sickness)",
      "Weeks per year the service is closed (holidays, sickness).", _L, integer=True),
    P("aftercare_contact_changes_per_year", 1.0, 0.0, 4.0, "changes per year", "seed 003, L389-396 (same consultant over years is good)",
      "How often the contact person changes; contacts lose effect for 8 weeks after a change.", _L),
    P("predischarge_planning", 0.2, 0.0, 1.0, "share of discharges", "seed 003, L488-494, L2224-2226 (overlap)",
      "Share of discharges planned before discharge with an overlap period (no start delay).", _L),
    P("open_door_weeks", 0, 0, 104, "weeks", "seed 003, L3737-3743, L3768-3772",
      "Weeks after discharge during which the door back to the institution stays open.", _L, integer=True),
    P("open_door_reentry_multiplier", 3.0, 1.0, 6.0, "ratio", "seed 003, L3768-3772 (low threshold to return)",
      "Treatment re-entry rate multiplier while the door is open.", _L),
    P("housing_offer_share", 0.0, 0.0, 1.0, "share of aftercare users", "seed 003, L462-466, L3428-3436",
      "Share of aftercare users in unstable housing offered shared aftercare housing.", _L),
    P("housing_unit_size", 3, 2, 8, "people", "seed 003, L3625-3631 (flat shared with 2 others)",
      "Residents per shared aftercare flat.", _L, integer=True),
    P("activity_offer", 0.0, 0.0, 1.0, "share of aftercare users", "seed 003, L3693-3703 (flat and daily work practice); L3136-3158 (FIRE)",
      "Share of aftercare users without activity offered work practice or an activity at the start of aftercare.", _L),
    P("peer_staff", 0.0, 0.0, 1.0, "0-1 intensity", "seed 003, L474-478 (experience consultants)",
      "Peer staff in aftercare: contacts also raise hope and group joining.", _L),
    P("peer_staff_hope_gain", 0.4, 0.0, 1.5, "AHS points per contact", "seed 003, L474-478; seed 002, L41",
      "Rise in hope per contact with peer staff."),
    P("selfhelp_referral_share", 0.15, 0.0, 1.0, "share of discharges", "seed 002, L73 (15% actively referred)",
      "Share of discharged users actively referred to self-help groups.", _L),
    P("relatives_family_week", 0.0, 0.0, 1.0, "share of relatives", "seed 000, L1975-1979 (route into Al-Anon for 3 of 4)",
      "Share of relatives invited to a family week at discharge, which leads them into groups.", _L),
    P("family_week_join_prob", 0.35, 0.0, 0.8, "probability", "seed 000, L1975-1979; assumption for size",
      "Chance a relative who took part in a family week joins a relatives' group."),
    P("relatives_info_visibility", 0.1, 0.0, 1.0, "0-1", "seed 000, L4507-4521 (a visible venue eases contact)",
      "Visibility of local offers to relatives (information evenings); multiplies help-seeking by 1 + 2x.", _L),
    P("relatives_courses_per_year_per_1000", 0.0, 0.0, 20.0, "courses per year per 1,000 users", "seed 004, L1173-1176 (LMS courses)",
      "Relatives' courses started per year per 1,000 simulated users.", _L),
    P("relatives_brief_intervention", 0.0, 0.0, 1.0, "share of relatives", "seed 004, L584-590, L912-914 (5 sessions, often sufficient)",
      "Share of relatives of users in aftercare offered a brief 5-session intervention.", _L),
    P("welfare_integration", 0.0, 0.0, 1.0, "0-1", "seed 003, L448-452, L1151-1155",
      "Integration with psychiatry and welfare: doubles housing and activity gain at 1 and halves comorbidity's effect.", _L),
    P("programme_closure_per_year", 0.0, 0.0, 0.5, "per year", "seed 003, L468-474 (fragile funding)",
      "Yearly chance the aftercare programme closes for good.", _L),
    P("group_starter_support", 0.0, 0.0, 1.0, "0-1", "seed 001 (igangsettere); seed 003, L3984-3986",
      "Extra group starters from the aftercare service; multiplies the starter rate by 1 + 4x.", _L),
    P("structural_stigma", 0.5, 0.0, 1.0, "0-1", "seed 003, L525-533, L563-566, L2776-2797",
      "Structural stigma: lowers gaining housing and activity by up to 60%.", _L),
    P("public_stigma", 0.5, 0.0, 1.0, "0-1", "seed 003, L960-974", "Public stigma level.", _L),
    P("good_followup_min_contacts", 6, 1, 13, "contacts in the first 13 weeks", A + " (definition used for T12)",
      "Contacts in the first 13 weeks after discharge that count as good follow-up.", integer=True),
)

BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}
LEVERS: tuple[str, ...] = tuple(p.name for p in PARAMS if p.kind == "lever")


CALIBRATION_FILE = "calibrated.toml"


def calibration() -> dict[str, Any]:
    """The calibrated values in ``sim/calibrated.toml`` (empty if the file has none).

    The file has a ``[parameters]`` table (name = fitted value) and a ``[provenance]`` table
    (method, targets, date, command, git commit). Fitted values must lie in the parameter's
    range, which is the calibration's prior range.
    """
    import tomllib
    from importlib import resources

    try:
        text = resources.files("sim").joinpath(CALIBRATION_FILE).read_text("utf-8")
    except FileNotFoundError:
        return {"parameters": {}, "provenance": {}}
    data = tomllib.loads(text)
    fitted = data.get("parameters", {})
    for name, value in fitted.items():
        BY_NAME[name].check(value, CALIBRATION_FILE)
    return {"parameters": fitted, "provenance": data.get("provenance", {})}


def defaults() -> dict[str, float]:
    """Return a fresh dict of every parameter at its default (calibrated values where fitted)."""
    values = {p.name: p.default for p in PARAMS}
    values.update(calibration()["parameters"])
    return values


def markdown_table() -> str:
    """Render the parameter table as Markdown (the content of ``docs/parameters.md``)."""
    lines = [
        "# Parameters",
        "",
        "Generated from `sim/params.py` by `python -m sim params --markdown > docs/parameters.md`;",
        "`tests/test_params.py` fails if this file and the code differ.",
        "Kind: `lever` = aftercare-policy lever set by scenarios; `behaviour` = size of a rule;",
        "`population` = make-up of the municipality.",
        "`default` is the value the model uses. For a calibrated parameter it is the fitted value from",
        "`sim/calibrated.toml` (method and targets in docs/validation.md); `prior` then shows the",
        "uncalibrated starting value, and the range is the calibration's prior range.",
        "",
        "| name | kind | default | range | unit | source | meaning | calibrated |",
        "|---|---|---|---|---|---|---|---|",
    ]
    fitted = calibration()["parameters"]
    for p in PARAMS:
        if p.name in fitted:
            default = f"{fitted[p.name]:g}"
            cal = f"yes (prior {p.default:g}, range {p.low:g} to {p.high:g})"
        else:
            default = f"{p.default:g}"
            cal = "candidate, not fitted" if p.calibrated else ""
        lines.append(
            f"| `{p.name}` | {p.kind} | {default} | {p.low:g} to {p.high:g} | {p.unit} | "
            f"{p.source} | {p.doc} | {cal} |"
        )
    return "\n".join(lines) + "\n"
