"""The users' columns the mortality process owns: the week of death, and the person-time the
summary's death rates divide by (sim/summary.py)."""

from __future__ import annotations

import numpy as np

from sim.state import Column

COLUMNS = (
    Column("death_week", np.int32, -1, "week of death (-1: alive)"),
    Column(
        "weeks_after_discharge",
        np.int32,
        0,
        "weeks alive out of treatment <4 weeks after a discharge",
    ),
    Column(
        "died_after_discharge", np.bool_, False, "died out of treatment <4 weeks after a discharge"
    ),
    Column("risk_weeks", np.float64, 0.0, "sum over weeks alive of the rate ratio (rate / base)"),
)
