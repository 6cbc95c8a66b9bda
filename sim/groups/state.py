"""The per-person columns the groups' processes own (declared with :class:`sim.state.Column`).

Users' columns are allocated by :class:`sim.agents.users.Users`, the relatives' ones by the
relatives' table (:class:`sim.relatives.state.Relatives`).
"""

from __future__ import annotations

import numpy as np

from sim.state import Column

USER_COLUMNS = (
    Column("group", np.int32, -1, "group id of the user's self-help group (-1: none)"),
    Column("tenure", np.int32, 0, "weeks in the current group"),
    Column("service", bool, False, "holds a service role in the group (helper principle)"),
    Column("sponsor", bool, False, "has a sponsor (12-step and clinic groups)"),
    Column("attended", bool, False, "attended a meeting this week"),
    Column("met_in", np.int32, -1, "group of the meeting attended this week (-1: none)"),
    Column("waiting", bool, False, "wants a group, none with room"),
    Column("meetings", np.int32, 0, "meetings attended so far"),
    Column("ever_group", bool, False, "ever a member of a group"),
)

RELATIVE_COLUMNS = (
    Column("seeking", bool, False, "seeks a relatives' group or course"),
    Column("group", np.int32, -1, "group id of the relative's group or course (-1: none)"),
    Column("tenure", np.int32, 0, "weeks in the current group"),
    Column("attended", bool, False, "attended a meeting this week"),
    Column("met_in", np.int32, -1, "group of the meeting attended this week (-1: none)"),
    Column("service", bool, False, "rotating service role in an open group"),
    Column("ever_group", bool, False, "ever a member of a group or course"),
)
