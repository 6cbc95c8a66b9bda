"""The population rules (ODD 7.1a), one function per sentence."""

from __future__ import annotations

import math

import numba

from sim.codes import ABSENT, DEAD


@numba.njit(cache=True, inline="always")
def takes_part(status):
    """A user takes part in the model's processes while alive and in the municipality."""
    return status != DEAD and status != ABSENT


def arrivals_mean(inhabitants: float, p) -> float:
    """New users entering specialised treatment a week (Poisson mean): inhabitants x
    ``adult_share`` x ``new_patients_per_1000_adults`` / 1,000 / 52."""
    return inhabitants * p.adult_share * p.new_patients_per_1000_adults / 1000.0 / 52.0


def bereavement_weeks(p) -> int:
    """The relatives of a user who died leave the model ``bereaved_years`` x 52 weeks (rounded)
    after the death."""
    return int(round(p.bereaved_years * 52))


@numba.njit(cache=True, inline="always")
def move_chance(rate_per_year):
    """The weekly chance that a user living in the municipality moves away, at
    ``moving_rate_per_year``: ``1 - exp(-rate / 52)``."""
    return -math.expm1(-rate_per_year / 52.0)
