"""Process 9: record the weekly measures declared in sim/reporting/weekly.py (``WEEKLY``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.reporting.counts import Tally
from sim.reporting.weekly import WEEKLY

if TYPE_CHECKING:
    from sim.model import RecoveryModel


class Recorder:
    """Preallocated weekly columns, one per registered reporter (Mesa's ``model_reporters``)."""

    def __init__(self, weeks: int):
        self.weeks = weeks
        self.data: dict[str, np.ndarray] = {name: np.full(weeks, np.nan) for name in WEEKLY}

    def record(self, model: RecoveryModel) -> None:
        t = Tally(model)
        for name, reporter in WEEKLY.items():
            self.data[name][model.week] = reporter.read(t)

    def frame(self, upto: int) -> pd.DataFrame:
        df = pd.DataFrame({k: v[:upto] for k, v in self.data.items()})
        df.insert(0, "week", np.arange(upto, dtype=np.int32))
        return df
