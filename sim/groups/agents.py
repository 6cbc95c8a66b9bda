"""The self-help groups as Mesa agents (:class:`SelfHelpGroup`), backed by the column table.

Each active group is a Mesa agent whose attributes read the model's :class:`GroupTable`, so
Mesa tools and the teaching page see ordinary agents; the agents are brought up to date when
the model's agents are asked for (:func:`group_agents`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.codes import TYPE_NAMES

if TYPE_CHECKING:
    from sim.model import RecoveryModel


class SelfHelpGroup(mesa.Agent):
    """A self-help group as a Mesa agent; its state lives in the model's :class:`GroupTable`."""

    def __init__(self, model: RecoveryModel, gid: int):
        super().__init__(model)
        self.gid = gid

    def _col(self, name):
        return getattr(self.model.group_table, name)[self.gid]

    @property
    def kind(self) -> str:
        return TYPE_NAMES[int(self._col("gtype"))]

    @property
    def size(self) -> int:
        """Members from the cohort plus outside veterans."""
        return int(self._col("members") + self._col("ext_core"))

    @property
    def attendance(self) -> int:
        return int(self._col("attendance"))

    @property
    def trust(self) -> float:
        return float(self._col("trust"))

    @property
    def service_core(self) -> int:
        return int(self._col("service"))

    @property
    def self_organised(self) -> bool:
        return not bool(self._col("professional"))


def group_agents(model: RecoveryModel) -> dict[int, SelfHelpGroup]:
    """The active groups as Mesa agents, by group id: agents are made for groups founded and
    removed for groups ended since the last call. The model calls this whenever its agents are
    asked for (``model.agents``, ``model.agents_by_type``, ``model.group_agents``), not every
    week: a long run founds and dissolves thousands of groups, and making and removing a Mesa
    agent costs about 10-15 microseconds each (docs/performance.md)."""
    agents = model._group_agents
    g = model.group_table
    active = np.flatnonzero(g.active[: g.size]).tolist()
    keep = set(active)
    for gid in [gid for gid in agents if gid not in keep]:
        agents.pop(gid).remove()
    for gid in active:
        if gid not in agents:
            agents[gid] = SelfHelpGroup(model, gid)
    return agents
