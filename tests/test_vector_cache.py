"""The week-indexed lookup tables stay bounded across many parameter sets (calibration loops)."""

import numpy as np

from sim.vector import WeekTable


def test_week_table_does_not_grow_with_parameter_sets():
    """A new parameter set rebuilds the table at the size needed, not double the last one."""
    table = WeekTable(lambda w, scale, shape: (w / scale) ** shape)
    weeks = np.arange(300)
    for i in range(100):
        out = table(weeks, 40.0 + i, 0.5)
        assert np.array_equal(out, (weeks / (40.0 + i)) ** 0.5)
    assert len(table.values) <= 600
