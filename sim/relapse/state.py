"""The users' columns the relapse process owns, and what it hands the others this week: the
users' crisis and relapse flags.

The flags are user columns (``model.users.crisis``, ``model.users.relapsed``), cleared at the start
of each week by the environment (sim/aftercare); ``crisis`` is set by treatment re-entry and by
a relapse, ``relapsed`` by a relapse. The relatives' process reads both; the recorder counts
``relapsed``.
"""

from __future__ import annotations

import numpy as np

from sim.state import Column

COLUMNS = (
    Column("n_relapses", np.int16, 0, "relapses so far"),
    Column("n_lapses", np.int16, 0, "lapses so far (use episodes that stayed brief)"),
    Column("first_use", np.int32, -1, "week of the first use after discharge (-1: none yet)"),
    Column("first_relapse", np.int32, -1, "week of the first relapse (-1: none yet)"),
    Column("last_use", np.int32, -10_000, "week of the latest use"),
)

WEEK_FLAGS = (
    Column("crisis", np.bool_, False, "a crisis this week (re-entered treatment or relapsed)"),
    Column("relapsed", np.bool_, False, "relapsed this week"),
)
