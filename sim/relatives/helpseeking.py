"""Help-seeking and joining: relatives who start seeking help, and those led by a family week,
look for an open relatives' group with room and join it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import RELATIVE_OPEN_TYPES
from sim.groups import join, open_with_room, pick_groups, room, within_room

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def help_seeking(model: RecoveryModel, start: np.ndarray) -> None:
    """Relatives who start seeking help (``start``, from the decisions pass) and those led by a
    family week seek a group; seekers look for an open relatives' group with room and join it."""
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
    # joining an open group with room
    s = np.flatnonzero(r.seeking)
    s = s[r.group[s] < 0]
    look = s[model.draw("relatives_join", s) < p.relatives_find_group]
    free = room(model)
    cand = open_with_room(model, RELATIVE_OPEN_TYPES, free)
    gids = within_room(model, pick_groups(model.draw("relatives_assign", look), cand), free)
    join(model, "relatives", look, gids)
    r.seeking[look[gids >= 0]] = False
