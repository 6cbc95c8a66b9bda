"""What the relapse process hands the others this week: the users' crisis and relapse flags.

Both are user columns (``model.users.crisis``, ``model.users.relapsed``), cleared at the start
of each week by the environment (sim/aftercare); ``crisis`` is set by treatment re-entry and by
a relapse, ``relapsed`` by a relapse. The relatives' process reads both; the recorder counts
``relapsed``.
"""

from __future__ import annotations

from sim.state import Column

WEEK_FLAGS = (
    Column("crisis", bool, False, "a crisis this week (re-entered treatment or relapsed)"),
    Column("relapsed", bool, False, "relapsed this week"),
)
