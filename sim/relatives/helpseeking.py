"""Help-seeking and joining: relatives who start seeking help, and those led by a family week,
look for an open relatives' group with room and join it; relatives who see the GP about their own
complaints may be referred to relatives' own treatment (seed 004, L1847-1859, L1868-1870)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import RELATIVE_OPEN_TYPES
from sim.groups import join, open_with_room, pick_groups, room, within_room
from sim.relatives.rules import GP_ROUTE, GROUP_ROUTE

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def help_seeking(model: RecoveryModel, start: np.ndarray, gp: np.ndarray) -> None:
    """Relatives who start seeking help (``start``, from the decisions pass) and those led by a
    family week seek a group; seekers look for an open relatives' group with room and join it.
    Relatives who see the GP (``gp``) seek help by that route; the GP refers them to relatives'
    own treatment with ``relatives_gp_referral`` (``gp_visits``)."""
    p, r = model.p, model.relatives
    # a family week leads relatives into groups (seed 000, L1975-1979)
    invited = np.flatnonzero(r.family_week)
    f = invited[~r.seeking[invited] & (r.group[invited] < 0)]
    fw = f[model.draw("family_week_join", f) < p.family_week_join_prob]
    r.wants_group[fw] = True
    if len(fw):
        start = np.union1d(start, fw)  # (``start`` is ascending and unique already)
    r.family_week[invited] = False
    r.seeking[start] = True
    first = start[r.first_help_week[start] < 0]
    r.first_help_week[first] = model.week
    r.first_help_route[first] = GROUP_ROUTE
    gp_visits(model, gp)
    # joining an open group with room
    s = np.flatnonzero(r.seeking)
    s = s[r.group[s] < 0]
    look = s[model.draw("relatives_join", s) < p.relatives_find_group]
    free = room(model)
    cand = open_with_room(model, RELATIVE_OPEN_TYPES, free)
    gids = within_room(model, pick_groups(model.draw("relatives_assign", look), cand), free)
    join(model, "relatives", look, gids)
    r.seeking[look[gids >= 0]] = False


def gp_visits(model: RecoveryModel, gp: np.ndarray) -> None:
    """Relatives who see the GP about their own complaints (``gp``, ascending) have sought help
    (the GP route, if it is their first); the GP refers each with ``relatives_gp_referral`` to
    relatives' own treatment, ``relatives_treatment_weeks`` weeks long (helped, as in a group)."""
    if not len(gp):
        return
    p, r = model.p, model.relatives
    first = gp[r.first_help_week[gp] < 0]
    r.first_help_week[first] = model.week
    r.first_help_route[first] = GP_ROUTE
    ref = gp[model.draw("relatives_gp_referral", gp) < p.relatives_gp_referral]
    r.treatment_left[ref] = p.relatives_treatment_weeks
    r.treatment_week[ref[r.treatment_week[ref] < 0]] = model.week
