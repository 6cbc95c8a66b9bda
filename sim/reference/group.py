"""The reference model's self-help groups: one Mesa agent per group ever founded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.codes import (
    CLINIC,
    RELATIVES_COURSE,
)
from sim.groups import rules as G
from sim.groups.table import GroupTable

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


class Group(mesa.Agent):
    """A self-help group: one row of the vectorised group table, as attributes."""

    COLUMN_TYPES = GroupTable.COLUMNS

    def __init__(self, model: ReferenceModel, gid: int, state: dict):
        super().__init__(model)
        self.gid = gid
        self.__dict__.update(state)
        self.reset_counts()

    def reset_counts(self) -> None:
        self.count_attendance = self.count_members = self.count_service = 0
        self.count_settled = self.count_veterans = 0

    def room(self) -> int:
        """Free member places (none once ended)."""
        return G.free_places(self.capacity, self.members, self.ext_core) if self.active else 0

    def week(self) -> None:
        """Service core, trust (and shocks), outside veterans leaving and arriving, the veterans'
        share, handover of clinic groups, courses counting down, weeks with too small a core."""
        m, p = self.model, self.model.rec.group_life
        ext = self.ext_core
        svc = G.service_core(self.count_service, ext, self.professional)
        self.service = svc
        d_shock, d_arrive, d_handover = m.three_uniforms("group_week", self.gid)
        self.trust = G.trust_after_week(
            self.trust, self.count_settled, ext, self.members, d_shock < p.group_shock_rate, p
        )
        leaving = (
            m.binomial(ext, p.external_core_attrition, m.uniform("group_veterans_leave", self.gid))
            if ext > 0
            else 0
        )
        arriving = d_arrive < G.veteran_arrival_chance(self.trust, self.gtype, p)
        self.ext_core = ext - leaving + arriving
        self.veteran_share = G.veteran_share(self.count_veterans, self.ext_core, self.attendance)
        if d_handover < G.handover_chance(self.professional, self.gtype == CLINIC, p):
            self.professional = False
        if self.gtype == RELATIVES_COURSE:
            self.course_left -= 1
            self.weeks_below = 0
        elif svc < p.group_min_service:
            self.weeks_below += 1
        else:
            self.weeks_below = 0
