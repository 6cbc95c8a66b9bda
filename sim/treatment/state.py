"""The users' columns the treatment process owns.

``treat_left`` is drawn at set-up (sim/agents/users.py: the cohort leaves treatment over the first
``discharge_spread_weeks``), so it is declared here but allocated by its draw (``SET_UP``).
"""

from __future__ import annotations

import numpy as np

from sim.state import Column

SET_UP = (Column("treat_left", np.int32, 0, "weeks of treatment left"),)

COLUMNS = (
    Column("first_discharge", np.int32, -1, "week of the first discharge (-1: not yet)"),
    Column("last_discharge", np.int32, -1, "week of the latest discharge (-1: not yet)"),
    Column("tq_since", np.int32, -1, "week the user joined the treatment queue (-1: not waiting)"),
    Column("tq_weeks", np.int32, 0, "weeks waited for a treatment place (finished waits)"),
    Column("tq_asks", np.int32, 0, "re-entries to treatment decided (started at once or queued)"),
)
