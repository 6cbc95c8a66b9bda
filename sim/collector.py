"""Mesa's ``DataCollector`` over the model's weekly columns (``model.datacollector``).

The model records its weekly aggregates itself, in one compiled pass over the people arrays
(sim/record.py): Mesa's reporters are Python callables run per step (and agent reporters per
agent), which at thousands of array-based people would cost more than a week of the model, and
the people are not Mesa agents anyway (only the self-help groups are). So the recorder does the
collecting, and :class:`WeeklyCollector` shows its columns the way Mesa's ``DataCollector`` does:
``model_vars[name][step]`` is column ``name`` in week ``step`` (what ``mesa.batch_run`` reads),
and ``get_model_vars_dataframe()`` is the weekly table. Reporters of your own, given as to
Mesa's ``DataCollector``, are collected at the end of every week next to the recorded columns.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import mesa
import pandas as pd

if TYPE_CHECKING:
    from sim.model import RecoveryModel


class WeeklyCollector(mesa.DataCollector):
    """Mesa's ``DataCollector`` whose ``model_vars`` are the recorder's weekly columns plus any
    ``model_reporters`` given (agent reporters see the self-help groups' Mesa agents)."""

    def __init__(self, model: RecoveryModel, model_reporters=None, agent_reporters=None):
        self._model = weakref.ref(model)
        super().__init__(model_reporters=model_reporters, agent_reporters=agent_reporters)

    @property
    def model_vars(self) -> dict:
        """Column name -> values by week: the recorded columns, then your reporters'."""
        model = self._model()
        recorded = {}
        if model is not None:
            frame = model.recorder.frame(model.week)
            recorded = {c: frame[c].to_numpy() for c in frame.columns if c != "week"}
        return {**recorded, **self._reporter_vars}

    @model_vars.setter
    def model_vars(self, value: dict) -> None:
        self._reporter_vars = dict(value)

    def _new_model_reporter(self, name, reporter):
        self.model_reporters[name] = reporter
        self._reporter_vars[name] = []

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """One row per week recorded (index ``week``), one column per variable."""
        frame = pd.DataFrame(self.model_vars)
        frame.index.name = "week"
        return frame
