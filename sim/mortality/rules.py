"""The mortality rules (ODD 7.7a), one function per sentence.

The rate per person-year is ``death_rate``: the base rate (a woman not using, outside the early
weeks) times the rate ratio of men, of using, and of the early weeks (``early_ratio``); the
weekly chance is ``death_chance``. No kernel filters by a bound: every living user draws.
"""

from __future__ import annotations

import math

import numba

from sim.codes import TREATMENT, USING
from sim.records import fill, record

EARLY_WEEKS = 4  # "the first 4 weeks after discharge" (Ravndal & Amundsen 2010)

MortalityParams = record(
    "MortalityParams",
    (
        "death_rate_base",
        "death_rr_male",
        "death_rr_using",
        "death_rr_after_discharge",
        "death_rr_after_relapse",
    ),
)


def mortality_params(p) -> tuple:
    """The :data:`MortalityParams` of the parameters ``p``."""
    return fill(MortalityParams, p)


@numba.njit(cache=True, inline="always")
def after_discharge(status, week, last_discharge):
    """Out of treatment within ``EARLY_WEEKS`` of the latest discharge."""
    return status != TREATMENT and last_discharge >= 0 and week - last_discharge < EARLY_WEEKS


@numba.njit(cache=True, inline="always")
def after_relapse(status, weeks_in_status):
    """Using within ``EARLY_WEEKS`` of the relapse that started the use."""
    return status == USING and weeks_in_status < EARLY_WEEKS


@numba.njit(cache=True, inline="always")
def early_ratio(early_discharge, early_relapse, p):
    """The rate ratio of the early weeks: the larger of ``death_rr_after_discharge`` (within 4
    weeks of a discharge) and ``death_rr_after_relapse`` (within 4 weeks of a relapse) that
    apply, else 1."""
    r = 1.0
    if early_discharge:
        r = max(r, p.death_rr_after_discharge)
    if early_relapse:
        r = max(r, p.death_rr_after_relapse)
    return r


@numba.njit(cache=True, inline="always")
def risk_ratio(male, using, early, p):
    """The rate against the base: ``death_rr_male`` [man] x ``death_rr_using`` [using] x
    ``early`` (``early_ratio``)."""
    return (p.death_rr_male if male else 1.0) * (p.death_rr_using if using else 1.0) * early


@numba.njit(cache=True, inline="always")
def death_rate(male, using, early, p):
    """Deaths per person-year: ``death_rate_base`` x ``risk_ratio``."""
    return p.death_rate_base * risk_ratio(male, using, early, p)


@numba.njit(cache=True, inline="always")
def death_chance(rate):
    """The weekly chance of death at ``rate`` per person-year: ``1 - exp(-rate / 52)``."""
    return -math.expm1(-rate / 52.0)
