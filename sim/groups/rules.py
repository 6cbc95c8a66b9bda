"""The rules of the self-help groups (processes 3 and 4), one small function per ODD sentence.

The compiled passes (``kernel.py``, ``meetings.py``) call the ``@numba.njit(inline="always")``
rules, which numba inlines (they cost nothing); the weekly counts of starters and courses are
drawn in Python and use the plain rules at the end. Parameters come as named records
(:mod:`sim.records`), built in the steps with :func:`sim.records.fill`. Where a kernel filters
people by an upper bound on a chance, the bound is the function right after its rule.

A chance is compared with a uniform in [0, 1): ``u < chance`` is never true for a chance <= 0,
so a rule returns 0.0 where the ODD says "never" (e.g. no drop-out from a course).
"""

from __future__ import annotations

import numba
import numpy as np

from sim.codes import ABSTINENT, RELATIVES_COURSE, SPONSORED, TREATMENT, USING
from sim.population.rules import takes_part
from sim.records import record
from sim.soc import saturating_gain

# ---------------------------------------------------------------------------- records
UserJoinParams = record(
    "UserJoinParams",
    (
        "dropout_by_tenure",  # dropout_newcomer x dropout_halving(tenure), by weeks of tenure
        "dropout_long_run",
        "user_group_join_rate",
        "negative_attitude_join_factor",
        "peer_staff",
        "referral_join_prob",
    ),
)
UserMemberParams = record(
    "UserMemberParams",
    (
        "attend_base",
        "tenure_gain",  # tenure_gain(tenure, attend_tenure_gain), by weeks of tenure
        "attend_crisis_gain",
        "service_uptake",
        "sponsor_weekly",
    ),
)  # sponsor_prob / 8, the weekly chance of finding a sponsor
RelativeMemberParams = record(
    "RelativeMemberParams",
    (
        "dropout_by_tenure",  # relatives_dropout x dropout_halving(tenure) by weeks of tenure
        "dropout_long_run",
        "relatives_attend",
        "service_uptake",
    ),
)
GroupLifeParams = record(
    "GroupLifeParams",
    (
        "trust_gain",
        "group_shock_rate",
        "external_core_attrition",
        "external_core_recruitment",
        "handover_weekly",  # 1 / clinic_handover_weeks
        "group_min_service",
    ),
)
UserMeetingParams = record(
    "UserMeetingParams",
    (
        "meeting_shame_drop",
        "meeting_hope_gain",
        "meeting_comprehensibility_gain",
        "meeting_manageability_gain",
        "meeting_meaningfulness_gain",
        "meeting_integration_gain",
    ),
)
RelativeMeetingParams = record(
    "RelativeMeetingParams", ("meeting_shame_drop", "relatives_hope_self_gain", "soc_gain")
)  # the mean of the users' three SOC gains per meeting


# ---------------------------------------------------------------------------- tables by tenure
def dropout_halving(weeks: np.ndarray, half_weeks: float) -> np.ndarray:
    """Drop-out falls by half every ``half_weeks`` of tenure: 0.5 ** (weeks / half_weeks)."""
    return 0.5 ** (weeks / half_weeks)


def tenure_gain(weeks: np.ndarray, gain: float) -> np.ndarray:
    """Attendance gain with tenure: gain x (1 - exp(-weeks / 52))."""
    return gain * (1 - np.exp(-weeks / 52.0))


# ---------------------------------------------------------------------------- founding (Python)
def starter_rate(population: float, p) -> float:
    """Starters a week (Poisson mean): starter_rate per 100,000 inhabitants x (1 + 4 group_starter_support)."""
    return p.starter_rate * population / 1e5 * (1.0 + 4.0 * p.group_starter_support)


CLINIC_LED_SHARE = 0.5  # a starter's users' group is clinic-led with probability 1/2 ...
TWELVE_STEP_SHARE = 0.7  # ... else a 12-step group with probability 0.7, else a mixed group


def waiting_for_place(n_waiting: int, free: int) -> int:
    """People wait for a place only beyond the free places of the open groups they could join
    (users: users' groups; relatives: relatives' open and mixed groups): max(waiting - free, 0)."""
    return max(int(n_waiting) - int(free), 0)


def member_founding_rate(n_waiting: int, p) -> float:
    """Groups founded by veterans a week (Poisson mean): group_split_rate per group's worth of
    people waiting for a place (``waiting_for_place``)."""
    return p.group_split_rate * n_waiting / p.group_capacity


def course_rate(n_users: int, p) -> float:
    """Relatives' courses starting a week (Poisson mean): courses a year per 1,000 users / 52."""
    return p.relatives_courses_per_year_per_1000 * n_users / 1000.0 / 52.0


# ---------------------------------------------------------------------------- membership
MEMBERSHIP_PER_SEAT = 1.5  # members per seat at a meeting: about two in three attend in a week


@numba.njit(cache=True, inline="always")
def free_places(capacity, members, outside_veterans):
    """A group has room for floor(1.5 x capacity) members and outside veterans (at least none free)."""
    return max(np.int64(np.floor(MEMBERSHIP_PER_SEAT * capacity)) - members - outside_veterans, 0)


@numba.njit(cache=True, inline="always")
def user_dropout_chance(tenure, trust, p):
    """A member drops out with dropout_newcomer x 0.5 ** (tenure / halving) x (1.5 - trust)
    + dropout_long_run (relapse never ends membership)."""
    return p.dropout_by_tenure[np.uint32(tenure)] * (1.5 - trust) + p.dropout_long_run


@numba.njit(cache=True, inline="always")
def user_dropout_bound(p, lowest_trust):
    """At least ``user_dropout_chance``: the table's largest value x (1.5 - trust), with trust at
    least min(``lowest_trust``, 0) (the table is not negative), + max(dropout_long_run, 0)."""
    return p.dropout_by_tenure.max() * (1.5 - min(lowest_trust, 0.0)) + max(p.dropout_long_run, 0.0)


@numba.njit(cache=True, inline="always")
def user_join_chance(status, positive_attitude, ac_contact, referred_discharge, p):
    """A user not in a group joins with user_group_join_rate x attitude factor (1, or
    negative_attitude_join_factor) x 0.5 while using x (1 + peer_staff with an aftercare
    contact); at least referral_join_prob x attitude x (1 + peer_staff / 2) in the week of a
    referred discharge; never while in treatment, once dead or while away."""
    if status == TREATMENT or not takes_part(status):
        return 0.0
    attitude = 1.0 if positive_attitude else p.negative_attitude_join_factor
    p_join = p.user_group_join_rate * attitude * (0.5 if status == USING else 1.0)
    p_join = p_join * (1.0 + p.peer_staff * ac_contact)
    if referred_discharge:
        p_join = max(p_join, p.referral_join_prob * attitude * (1.0 + 0.5 * p.peer_staff))
    return p_join


@numba.njit(cache=True, inline="always")
def user_join_bound(p):
    """At least ``user_join_chance`` outside a discharge week (those are found by the week): the
    attitude factor is at most max(1, factor), using only halves it, the contact adds at most peer_staff."""
    return (
        p.user_group_join_rate
        * max(1.0, p.negative_attitude_join_factor)
        * (1.0 + max(p.peer_staff, 0.0))
    )


@numba.njit(cache=True, inline="always")
def relative_dropout_chance(tenure, course, p):
    """A relative drops out of an open group with relatives_dropout x 0.5 ** (tenure / halving)
    + dropout_long_run; never from a course."""
    return 0.0 if course else p.dropout_by_tenure[np.uint32(tenure)] + p.dropout_long_run


# ---------------------------------------------------------------------------- attendance
@numba.njit(cache=True, inline="always")
def user_attendance_chance(tenure, weeks_since_use, trust, status, p):
    """A member attends with (attend_base + attend_tenure_gain (1 - exp(-tenure / 52))
    + attend_crisis_gain [used in the last 4 weeks]) x (0.8 + 0.4 trust) x (0.6 while using),
    at most 0.98."""
    c = (
        p.attend_base
        + p.tenure_gain[np.uint32(tenure)]
        + p.attend_crisis_gain * (weeks_since_use <= 4)
    ) * (0.8 + 0.4 * trust)
    c = c * 0.6 if status == USING else c
    return min(c, 0.98)


@numba.njit(cache=True, inline="always")
def relative_attendance_chance(course, p):
    """A relative attends with relatives_attend, 0.9 in a course."""
    return 0.9 if course else p.relatives_attend


# ---------------------------------------------------------------------------- roles
@numba.njit(cache=True, inline="always")
def gives_up_service(status):
    """A member gives up a service role while using."""
    return status == USING


@numba.njit(cache=True, inline="always")
def user_service_chance(tenure, status, weeks_in_status, p):
    """An abstinent member with 13 weeks' tenure and 26 weeks abstinent takes a service role
    with service_uptake a week (helper principle)."""
    return (
        p.service_uptake
        if (tenure >= 13 and status == ABSTINENT and weeks_in_status >= 26)
        else 0.0
    )


@numba.njit(cache=True, inline="always")
def sponsor_chance(tenure, gtype, p):
    """A member of a 12-step or clinic group with 4 weeks' tenure finds a sponsor with
    sponsor_prob / 8 a week."""
    return p.sponsor_weekly if (tenure >= 4 and SPONSORED[gtype]) else 0.0


@numba.njit(cache=True, inline="always")
def relative_service_chance(tenure, course, p):
    """A relative in an open group takes a rotating service role after 13 weeks with
    service_uptake a week (Al-Anon); not in a course."""
    return p.service_uptake if (tenure >= 13 and not course) else 0.0


@numba.njit(cache=True, inline="always")
def is_settled(tenure):
    """A settled member has 13 weeks' tenure or more."""
    return tenure >= 13


@numba.njit(cache=True, inline="always")
def is_veteran_present(attended, tenure, service):
    """A veteran at the meeting: attending with a year's tenure or a service role (relatives: tenure only)."""
    return attended & ((tenure >= 52) | service)


# ---------------------------------------------------------------------------- group life
@numba.njit(cache=True, inline="always")
def service_core(cohort_service, outside_veterans, professional):
    """The service core: members in service roles, outside veterans, two for professional backing."""
    return cohort_service + outside_veterans + 2 * professional


@numba.njit(cache=True, inline="always")
def trust_after_week(trust, settled, outside_veterans, members, shock, p):
    """Trust moves by trust_gain towards 0.3 + 0.7 x the share of settled members (outside
    veterans count as settled members), and halves in a shock."""
    target = 0.3 + 0.7 * (settled + outside_veterans) / max(members + outside_veterans, 1)
    t = trust
    t += p.trust_gain * (target - t)
    if shock:
        t *= 0.5
    return t


@numba.njit(cache=True, inline="always")
def veteran_arrival_chance(trust, gtype, p):
    """An outside veteran arrives with external_core_recruitment x trust; never to a course."""
    return 0.0 if gtype == RELATIVES_COURSE else p.external_core_recruitment * trust


@numba.njit(cache=True)
def binomial_at(n, p, u):
    """How many of ``n`` outside veterans leave, each with chance ``p``: the Binomial(n, p) value at
    the group's uniform ``u`` (inverse of the distribution function; n is small)."""
    if p <= 0.0 or n <= 0:
        return 0
    if p >= 1.0:
        return n
    q = (1.0 - p) ** n
    cdf = q
    k = 0
    ratio = p / (1.0 - p)
    while u >= cdf and k < n:
        q *= (n - k) / (k + 1) * ratio
        k += 1
        cdf += q
    return k


@numba.njit(cache=True, inline="always")
def handover_chance(professional, is_clinic, p):
    """A professionally backed clinic group is handed over to its members with 1 / clinic_handover_weeks."""
    return p.handover_weekly if (professional and is_clinic) else 0.0


@numba.njit(cache=True, inline="always")
def veteran_share(cohort_veterans, outside_veterans, attendance):
    """The share of veterans at the meeting (the group's and outside veterans over attendance)."""
    return (cohort_veterans + outside_veterans) / attendance if attendance > 0 else 0.0


def groups_ending(course, course_left, weeks_below, p) -> np.ndarray:
    """A course ends when its weeks are over; another group dissolves after group_dissolve_grace_weeks
    weeks in a row with too small a service core (elementwise, numpy)."""
    return (course & (course_left <= 0)) | (~course & (weeks_below >= p.group_dissolve_grace_weeks))


# ---------------------------------------------------------------------------- meetings
@numba.njit(cache=True, inline="always")
def shame_after_meeting(shame, similarity, p):
    """Shame falls by meeting_shame_drop x the group's similarity (normalisation), within [0, 1]."""
    return min(max(shame - p.meeting_shame_drop * similarity, 0.0), 1.0)


@numba.njit(cache=True, inline="always")
def hope_after_meeting(hope, veteran_share, p):
    """Users' hope rises by meeting_hope_gain x the share of veterans present, within [8, 64]."""
    return min(max(hope + p.meeting_hope_gain * veteran_share, 8.0), 64.0)


@numba.njit(cache=True, inline="always")
def meaning_gain(meaning, service, p):
    """Meaningfulness rises by ``saturating_gain`` of meeting_meaningfulness_gain, doubled with a service role."""
    return saturating_gain(meaning, p.meeting_meaningfulness_gain * (1.0 + service))


@numba.njit(cache=True, inline="always")
def integration_gain(integration, p):
    """Integration in the recovery community deepens by meeting_integration_gain x (1 - integration)."""
    return p.meeting_integration_gain * (1.0 - integration)


@numba.njit(cache=True, inline="always")
def relative_hope_after_meeting(hope_self, veteran_share, p):
    """Relatives' hope for themselves rises by relatives_hope_self_gain x the veterans' share, within [0, 1]."""
    return min(max(hope_self + p.relatives_hope_self_gain * veteran_share, 0.0), 1.0)


@numba.njit(cache=True, inline="always")
def relative_soc_gain(soc13, p):
    """Relatives' SOC-13 rises by 13 x ``saturating_gain`` (of SOC-13 / 13) of soc_gain."""
    return 13.0 * saturating_gain(soc13 / 13.0, p.soc_gain)
