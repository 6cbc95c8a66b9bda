"""Codes by name: every categorical state of the model, one place.

Each kind of code is an ``IntEnum`` (for names in tables, plots and tests) and its members are
also bound as module constants (``ABSTINENT`` is ``Status.ABSTINENT``, a plain int), which the
compiled passes read as compile-time constants. The stored columns hold the code as a small
integer (int8); ``*_NAMES`` give the labels written to output tables.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Status(IntEnum):
    """A user's recovery status."""

    TREATMENT = 0
    ABSTINENT = 1
    USING = 2
    DEAD = 3  # died (sim/mortality): takes part in nothing after
    ABSENT = 4  # not in the municipality (sim/population): not yet arrived, or moved away


class Housing(IntEnum):
    """A user's housing."""

    STABLE = 0
    UNSTABLE = 1
    AFTERCARE_HOUSING = 2  # a shared aftercare flat


class Relation(IntEnum):
    """A relative's relation to the user."""

    PARENT = 0
    PARTNER = 1
    CHILD_MINOR = 2
    CHILD_ADULT = 3
    SIBLING = 4
    OTHER = 5


class Coping(IntEnum):
    """A relative's coping position (Orford's stress-strain-coping-support model)."""

    ENGAGED = 0
    TOLERANT = 1  # enabling
    WITHDRAWN = 2
    LIMIT = 3  # limit-setting with contact


class GroupType(IntEnum):
    """A self-help group's type."""

    TWELVE_STEP = 0  # users' open 12-step group
    RELATIVES_OPEN = 1  # relatives' open group (Al-Anon-like)
    RELATIVES_COURSE = 2  # relatives' closed course (LMS-like)
    MIXED = 3  # self-organised mixed group (Selvhjelp Norge-like)
    CLINIC = 4  # clinic-led users' group that may be handed over to its members


class Tie(IntEnum):
    """The kind of a tie between two users of the cohort."""

    SCENE = 0
    GROUP_PEER = 1
    HOUSEMATE = 2


TREATMENT, ABSTINENT, USING, DEAD, ABSENT = (int(c) for c in Status)
STATUS_NAMES = ("treatment", "abstinent", "using", "dead", "absent")
STABLE, UNSTABLE, AFTERCARE_HOUSING = (int(c) for c in Housing)
PARENT, PARTNER, CHILD_MINOR, CHILD_ADULT, SIBLING, OTHER = (int(c) for c in Relation)
ENGAGED, TOLERANT, WITHDRAWN, LIMIT = (int(c) for c in Coping)
TWELVE_STEP, RELATIVES_OPEN, RELATIVES_COURSE, MIXED, CLINIC = (int(c) for c in GroupType)
SCENE, GROUP_PEER, HOUSEMATE = (int(c) for c in Tie)

RELATION_NAMES = ("parent", "partner", "child-minor", "child-adult", "sibling", "other")
COPING_NAMES = ("engaged", "tolerant", "withdrawn", "limit-setting")
TYPE_NAMES = ("12-step", "relatives-open", "relatives-course", "mixed", "clinic-led")
TIE_NAMES = ("scene", "group-peer", "housemate")

USER_TYPES = (TWELVE_STEP, MIXED, CLINIC)  # group types users join
RELATIVE_OPEN_TYPES = (RELATIVES_OPEN, MIXED)  # open groups relatives join
RELATIVE_TYPES = (RELATIVES_OPEN, RELATIVES_COURSE, MIXED)
SPONSORED = np.isin(
    np.arange(len(GroupType)), (TWELVE_STEP, CLINIC)
)  # types whose members get sponsors
