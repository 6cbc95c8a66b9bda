"""The relatives' rules, one scalar function per ODD sentence (Orford's stress-strain-coping-support
model), read by the compiled passes in :mod:`sim.relatives.kernel` (inlined: they cost nothing).

Each takes the named record :data:`RelativesParams` (``p``). Where the decisions pass filters
relatives by an upper bound on a rule's chance, the bound is the function next to the rule,
with the reason it bounds it; ``tests/test_relatives_rules.py`` checks each bound on random
inputs.
"""

from __future__ import annotations

from types import SimpleNamespace

import numba
import numpy as np

from sim.codes import ABSTINENT, CHILD_MINOR, DEAD, ENGAGED, LIMIT, TOLERANT, TREATMENT, WITHDRAWN
from sim.records import fill, record
from sim.vector import WeekTable

RelativesParams = record(
    "RelativesParams",
    (
        "stress_treatment stress_abstinent stress_using stress_bereaved stress_crisis "
        "strain_gain strain_group_relief limit_setting_strain_relief strain_decay "
        "coping_learn_limit coping_to_withdrawn coping_to_enabling coping_return_engaged "
        "burnout_threshold burnout_onset_rate burnout_recovery_rate "
        "relative_hope_fall_relapse shame_level shame_persistence "
        "helpseek_base helpseek_event helpseek_shame_effect "
        "helpseek_visibility helpseek_weight_female helpseek_weight_male "
        "helpseek_strain_effect helpseek_strain_norm relatives_gp_rate"
    ),
)


def relatives_params(p: SimpleNamespace) -> tuple:
    """The relatives' record from the model's parameters, with the derived fields: the level
    shame moves towards (``0.3 + public_stigma_shame * public_stigma``), how much visible local
    offers speed help-seeking (``1 + 2 * relatives_info_visibility``) and the help-seeking weights
    of women and men (``helpseek_female_ratio`` : 1, normalised so that the mean weight is 1) and
    the strain term's norm ``1 / (1 + helpseek_strain_effect * relatives_initial_strain_mean)``
    (the strain factor is 1 at the relatives' mean strain at the start)."""
    fs = p.relatives_female_share
    norm = p.helpseek_female_ratio * fs + (1.0 - fs)
    return fill(
        RelativesParams,
        p,
        shame_level=0.3 + p.public_stigma_shame * p.public_stigma,
        helpseek_visibility=1.0 + 2.0 * p.relatives_info_visibility,
        helpseek_weight_female=p.helpseek_female_ratio / norm,
        helpseek_weight_male=1.0 / norm,
        helpseek_strain_norm=1.0
        / (1.0 + p.helpseek_strain_effect * p.relatives_initial_strain_mean),
    )


# --- stress: from the user's state (scaled by closeness) and crises ---------------------------


@numba.njit(cache=True, inline="always")
def stress_from_user(status, p):
    """The stress a close relative gets from the user's state: ``stress_treatment``,
    ``stress_abstinent``, ``stress_using``, or ``stress_bereaved`` once the user has died."""
    if status == DEAD:
        return p.stress_bereaved
    return (
        p.stress_treatment
        if status == TREATMENT
        else (p.stress_abstinent if status == ABSTINENT else p.stress_using)
    )


@numba.njit(cache=True, inline="always")
def crisis_stress(crisis, p):
    """The stress a crisis of the user adds: ``stress_crisis * crisis``."""
    return p.stress_crisis * crisis


@numba.njit(cache=True, inline="always")
def stress(base, crisis_add, closeness):
    """This week's stress: ``min(base * closeness + crisis_add, 1)``."""
    return min(base * closeness + crisis_add, 1.0)


# --- strain: grows with stress (less when helped or setting limits), decays slowly ------------


@numba.njit(cache=True, inline="always")
def growth_factor(coping, p):
    """How much of the strain growth reaches a relative: ``1 - limit_setting_strain_relief`` when
    setting limits, else 1."""
    return 1.0 - p.limit_setting_strain_relief if coping == LIMIT else 1.0


@numba.njit(cache=True, inline="always")
def strain(s0, st, helped, growth, p):
    """Next week's strain from strain ``s0`` and stress ``st``:
    ``min(max(g + s0 - d, 0), 1)`` with growth ``g = strain_gain * st * (1 - s0) * growth`` and
    decay ``d = s0 * strain_decay``; when helped, ``g *= 1 - strain_group_relief`` and
    ``d *= 1 + 2 * strain_group_relief``. Strain does not reset when the user recovers."""
    g = p.strain_gain * st * (1.0 - s0) * growth
    dec = s0 * p.strain_decay
    if helped:
        g *= 1.0 - p.strain_group_relief
        dec *= 1.0 + 2.0 * p.strain_group_relief
    return min(max(g + s0 - dec, 0.0), 1.0)


# --- shame: moves towards a level set by public stigma -----------------------------------------


@numba.njit(cache=True, inline="always")
def shame(sh0, p):
    """Next week's shame: ``sh0 + (shame_level - sh0) * (1 - shame_persistence)``."""
    return sh0 + (p.shame_level - sh0) * (1.0 - p.shame_persistence)


# --- hope --------------------------------------------------------------------------------------


@numba.njit(cache=True, inline="always")
def hope_for_user_level(status):
    """The level relatives' hope for the user moves towards: 0.45 while in treatment, 0.15 while
    using (while abstinent: by weeks abstinent, :func:`hope_for_abstinent_level`)."""
    return 0.45 if status == TREATMENT else 0.15


def hope_for_abstinent_level(weeks: np.ndarray) -> np.ndarray:
    """The level relatives' hope for an abstinent user moves towards, by the user's weeks
    abstinent: ``0.3 + 0.6 * (1 - exp(-weeks / 26))``."""
    return 0.3 + 0.6 * (1.0 - np.exp(-weeks / 26.0))


# the same, computed once per count of weeks and looked up after (sim/vector.py)
HOPE_FOR_ABSTINENT = WeekTable(hope_for_abstinent_level)


@numba.njit(cache=True, inline="always")
def hope_kept(relapsed, p):
    """The share of the relatives' hope for the user kept this week: ``1 - relative_hope_fall_relapse``
    at a relapse of the user, else 1."""
    return 1.0 - p.relative_hope_fall_relapse if relapsed else 1.0


@numba.njit(cache=True, inline="always")
def hope_for_user(hu, level, kept):
    """Hope for the user moves a tenth of the way towards its level, then falls at a relapse:
    ``(hu + (level - hu) * 0.1) * kept``."""
    return (hu + (level - hu) * 0.1) * kept


@numba.njit(cache=True, inline="always")
def hope_for_self(hs):
    """Hope for oneself drifts slowly towards 0.4: ``hs + (0.4 - hs) * 0.01``."""
    return hs + (0.4 - hs) * 0.01


# --- coping positions: learn limit-setting when helped, withdraw under strain, slide into
# enabling while hoping, return to engaged (at most one shift a week, in this order) ----------


@numba.njit(cache=True, inline="always")
def learn_limit_chance(coping, helped, p):
    """Learn limit-setting with contact when helped (group, course, brief intervention):
    ``coping_learn_limit`` if helped and not yet limit-setting."""
    return p.coping_learn_limit * (helped & (coping != LIMIT))


@numba.njit(cache=True, inline="always")
def withdraw_chance(coping, s1, p):
    """Withdraw under strain: ``coping_to_withdrawn * strain`` if engaged or tolerant."""
    return p.coping_to_withdrawn * s1 * ((coping == ENGAGED) | (coping == TOLERANT))


@numba.njit(cache=True, inline="always")
def enabling_chance(coping, hope_user, p):
    """Slide into enabling while hoping: ``coping_to_enabling * (0.5 + hope_user)`` if engaged."""
    return p.coping_to_enabling * (0.5 + hope_user) * (coping == ENGAGED)


@numba.njit(cache=True, inline="always")
def engaged_chance(coping, helped, p):
    """Return to engaged: ``coping_return_engaged`` if not engaged and not helped."""
    return p.coping_return_engaged * ((coping != ENGAGED) & ~helped)


@numba.njit(cache=True, inline="always")
def coping_shift(d, coping, helped, s1, hope_user, p):
    """The new coping position for draw ``d`` (-1: no shift): the four chances above, stacked in
    their order, each taking the draws just above the one before."""
    c1 = learn_limit_chance(coping, helped, p)
    c2 = c1 + withdraw_chance(coping, s1, p)
    c3 = c2 + enabling_chance(coping, hope_user, p)
    c4 = c3 + engaged_chance(coping, helped, p)
    to = -1
    if d < c1:
        to = LIMIT
    elif d < c2:
        to = WITHDRAWN
    elif d < c3:
        to = TOLERANT
    elif d < c4:
        to = ENGAGED
    return to


@numba.njit(cache=True, inline="always")
def coping_bound(coping, p):
    """The largest chance of any shift from position ``coping``: the sum of the chances that can
    act there, with strain at most 1 and hope at most 1 (so ``0.5 + hope_user <= 1.5``)."""
    if coping == ENGAGED:
        return p.coping_learn_limit + p.coping_to_withdrawn + 1.5 * p.coping_to_enabling
    if coping == TOLERANT:
        return p.coping_learn_limit + p.coping_to_withdrawn + p.coping_return_engaged
    if coping == WITHDRAWN:
        return p.coping_learn_limit + p.coping_return_engaged
    return p.coping_return_engaged


# --- burnout: onset with strain above the threshold; recovery, faster when helped -------------


@numba.njit(cache=True, inline="always")
def burnout_onset_chance(s1, p):
    """Weekly chance of burnout onset:
    ``burnout_onset_rate * max(strain - burnout_threshold, 0) / (1 - burnout_threshold)``."""
    return p.burnout_onset_rate * (max(s1 - p.burnout_threshold, 0.0) / (1.0 - p.burnout_threshold))


@numba.njit(cache=True, inline="always")
def burnout_recovery_chance(s1, helped, p):
    """Weekly chance of recovery from burnout, doubled when helped:
    ``burnout_recovery_rate * (1 + helped) * (1 - 0.5 * strain)``."""
    return p.burnout_recovery_rate * (1.0 + helped) * (1.0 - 0.5 * s1)


@numba.njit(cache=True, inline="always")
def burnout_bound(p):
    """The largest chance of a burnout change: onset is at most ``burnout_onset_rate`` (strain at
    most 1), recovery at most ``2 * burnout_recovery_rate`` (helped, strain at least 0)."""
    return max(p.burnout_onset_rate, 2.0 * p.burnout_recovery_rate)


# --- help-seeking: triggered by the user's crises, delayed by shame, sped by visible offers,
# rising with strain; two routes (a group, or the GP about one's own complaints) ---------------


@numba.njit(cache=True, inline="always")
def strain_factor(s1, burnout, p):
    """How much strain raises help-seeking (Orford; seed 004, L335-337, L1841-1842):
    ``(1 + helpseek_strain_effect * x) * helpseek_strain_norm`` with ``x`` this week's strain, or
    1 in burnout (burnout counts as full strain); 1 at the relatives' mean strain at the start."""
    x = 1.0 if burnout else s1
    return (1.0 + p.helpseek_strain_effect * x) * p.helpseek_strain_norm


@numba.njit(cache=True, inline="always")
def helpseek_chance(sh, crisis, female, s1, burnout, p):
    """Weekly chance of starting to seek a group:
    ``(helpseek_base + helpseek_event * crisis) * (1 - helpseek_shame_effect * shame)
    * helpseek_visibility * (w_male + (w_female - w_male) * female) * strain_factor``."""
    return (
        (p.helpseek_base + p.helpseek_event * crisis)
        * (1.0 - p.helpseek_shame_effect * sh)
        * p.helpseek_visibility
        * (p.helpseek_weight_male + (p.helpseek_weight_female - p.helpseek_weight_male) * female)
        * strain_factor(s1, burnout, p)
    )


@numba.njit(cache=True, inline="always")
def helpseek_bound(crisis, p):
    """The largest chance of starting to seek a group in a week with(out) a crisis: shame in 0-1
    makes the shame factor at most ``max(1, 1 - helpseek_shame_effect)``, the sex weight is at
    most the larger of the two, and the strain factor at most
    ``max(1, 1 + helpseek_strain_effect) * helpseek_strain_norm`` (strain in 0-1)."""
    trigger = p.helpseek_base + p.helpseek_event if crisis else p.helpseek_base
    return (
        trigger
        * max(1.0, 1.0 - p.helpseek_shame_effect)
        * p.helpseek_visibility
        * max(p.helpseek_weight_female, p.helpseek_weight_male)
        * max(1.0, 1.0 + p.helpseek_strain_effect)
        * p.helpseek_strain_norm
    )


@numba.njit(cache=True, inline="always")
def gp_visit_chance(s1, burnout, p):
    """Weekly chance of seeing the GP about one's own complaints (seed 004, L544-548, L350-353):
    ``relatives_gp_rate * x``, ``x`` this week's strain, or 1 in burnout."""
    return p.relatives_gp_rate * (1.0 if burnout else s1)


@numba.njit(cache=True, inline="always")
def gp_visit_bound(p):
    """The largest chance of a GP visit: ``relatives_gp_rate`` (strain at most 1)."""
    return p.relatives_gp_rate


# the routes to help a week's help draw can take (``help_route``)
NO_HELP, GROUP_ROUTE, GP_ROUTE = 0, 1, 2


@numba.njit(cache=True, inline="always")
def help_route(d, seeks_group, sees_gp, sh, crisis, female, s1, burnout, p):
    """The route to help draw ``d`` starts this week: ``GROUP_ROUTE`` below the chance of
    seeking a group (``helpseek_chance``, if the relative would take part, is not seeking and not
    in a group: ``seeks_group``), ``GP_ROUTE`` in the draws just above it, up to the chance of a
    GP visit (``gp_visit_chance``, if not in relatives' treatment: ``sees_gp``), else
    ``NO_HELP``."""
    c1 = helpseek_chance(sh, crisis, female, s1, burnout, p) if seeks_group else 0.0
    c2 = c1 + (gp_visit_chance(s1, burnout, p) if sees_gp else 0.0)
    route = NO_HELP
    if d < c1:
        route = GROUP_ROUTE
    elif d < c2:
        route = GP_ROUTE
    return route


@numba.njit(cache=True, inline="always")
def help_bound(crisis, p):
    """The largest chance of either route in a week with(out) a crisis: the sum of their bounds
    (the routes take adjacent draws)."""
    return helpseek_bound(crisis, p) + gp_visit_bound(p)


# --- years with the problem, at the user's entry ---------------------------------------------

PROBLEM_YEARS_SHAPE = 2.0  # gamma shape of the user's problem years (assumption: right-skewed)
PROBLEM_ONSET_AGE = (
    15.0  # the problem starts at 15 at the earliest (TEDS: first use at 18.4 on average)
)
MINOR_CHILD_AGE = 18.0  # a minor child is 0-18 years old (uniform)


def years_with_problem(
    gamma: np.ndarray, user_age: np.ndarray, relation: np.ndarray, u_age: np.ndarray
) -> np.ndarray:
    """Each relative's years lived with the user's problem when the user enters the model: the
    user's problem years ``min(gamma, max(age - PROBLEM_ONSET_AGE, 0))`` (``gamma``: a gamma draw
    per relative's user with mean ``users_problem_years_mean``), for a minor child at most the
    child's age ``MINOR_CHILD_AGE * u_age``."""
    years = np.minimum(gamma, np.maximum(user_age - PROBLEM_ONSET_AGE, 0.0))
    return np.where(relation == CHILD_MINOR, np.minimum(years, MINOR_CHILD_AGE * u_age), years)
