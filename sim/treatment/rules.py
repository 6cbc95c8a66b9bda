"""The treatment rules (ODD 7.2), one function per sentence."""

from __future__ import annotations

import numba

from sim.records import fill, record

TreatmentParams = record(
    "TreatmentParams",
    (
        "treatment_reentry_rate",
        "stigma_reentry_effect",
        "open_door_reentry_multiplier",
        "self_quit_rate",
    ),
)


def treatment_params(p) -> tuple:
    """The :data:`TreatmentParams` of the parameters ``p``."""
    return fill(TreatmentParams, p)


@numba.njit(cache=True, inline="always")
def reentry_chance(shame, open_door, p):
    """A user who uses re-enters treatment with chance treatment_reentry_rate
    x (1 - stigma_reentry_effect x shame) x (open_door_reentry_multiplier while the door is open)."""
    return (
        p.treatment_reentry_rate
        * (1.0 - p.stigma_reentry_effect * shame)
        * (p.open_door_reentry_multiplier if open_door else 1.0)
    )


@numba.njit(cache=True, inline="always")
def self_quit_chance(p):
    """A user who uses and does not re-enter treatment stops by their own means with chance
    self_quit_rate (one draw decides both: re-entry below the re-entry chance, self-quit in the
    next self_quit_rate)."""
    return p.self_quit_rate


@numba.njit(cache=True, inline="always")
def waiting_quit_chance(p):
    """A user who uses and waits for a treatment place (ODD 7.2a) does not decide on re-entry
    again (it is decided) but stops by their own means with chance self_quit_rate, as if not
    waiting, and then leaves the queue (the same one draw: a quit below self_quit_rate)."""
    return p.self_quit_rate


@numba.njit(cache=True, inline="always")
def discharged(treat_left):
    """A user in treatment is discharged when no treatment weeks are left."""
    return treat_left <= 0
