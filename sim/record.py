"""Process 9: record weekly aggregates (declared here, not coded into the rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.agents.relatives import LIMIT, TOLERANT, WITHDRAWN
from sim.agents.users import ABSTINENT, TREATMENT, USING
from sim.psychosocial import soc13

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def _columns(m: "RecoveryModel") -> dict[str, float]:
    u, r, g = m.users, m.relatives, m.group_table
    n = g.size
    active = g.active[:n]
    attendance = g.attendance[:n][active]
    held = attendance >= 2
    soc = soc13(u.comp, u.manage, u.meaning)
    kinds = g.gtype[:n][active]
    coping = np.bincount(r.coping, minlength=4) / r.n  # share of relatives in each coping position
    return {
        "users_in_treatment": float((u.status == TREATMENT).sum()),
        "users_abstinent": float((u.status == ABSTINENT).sum()),
        "users_using": float((u.status == USING).sum()),
        "relapses": float(m.user_relapsed.sum()),
        "users_in_aftercare": float((u.ac_left > 0).sum()),
        "aftercare_contacts": float(u.ac_contact.sum()),
        "users_in_groups": float((u.group >= 0).sum()),
        "users_attending": float(u.attended.sum()),
        "groups_active": float(active.sum()),
        "groups_users": float(np.isin(kinds, (0, 3, 4)).sum()),
        "groups_relatives": float(np.isin(kinds, (1, 2)).sum()),
        "meetings_held": float(held.sum()),
        "mean_group_size": float(attendance[held].mean()) if held.any() else float("nan"),
        "mean_soc13_users": float(soc.mean()),
        "mean_comprehensibility": float(u.comp.mean()),
        "mean_manageability": float(u.manage.mean()),
        "mean_meaningfulness": float(u.meaning.mean()),
        "mean_hope_users": float(u.hope.mean()),
        "mean_shame_users": float(u.shame.mean()),
        "mean_support_users": float(u.support.mean()),
        "mean_using_ties": float(u.using_ties.mean()),
        "mean_sober_ties": float(u.sober_ties.mean()),
        "users_with_activity": float(u.activity.mean()),
        "users_unstable_housing": float((u.housing == 1).mean()),
        "relatives_mean_stress": float(r.stress.mean()),
        "relatives_mean_strain": float(r.strain.mean()),
        "relatives_burnout_share": float(r.burnout.mean()),
        "relatives_in_groups_share": float((r.group >= 0).mean()),
        "relatives_seeking_share": float(r.seeking.mean()),
        "relatives_tolerant_share": float(coping[TOLERANT]),
        "relatives_withdrawn_share": float(coping[WITHDRAWN]),
        "relatives_limit_share": float(coping[LIMIT]),
        "relatives_mean_shame": float(r.shame.mean()),
        "relatives_mean_hope_user": float(r.hope_user.mean()),
        "relatives_mean_hope_self": float(r.hope_self.mean()),
        "relatives_mean_soc13": float(r.soc13.mean()),
        "programme_open": float(m.programme_open),
    }


class Recorder:
    """Preallocated weekly columns."""

    def __init__(self, weeks: int):
        self.weeks = weeks
        self.data: dict[str, np.ndarray] = {}

    def record(self, model: "RecoveryModel") -> None:
        for key, value in _columns(model).items():
            col = self.data.get(key)
            if col is None:
                col = self.data[key] = np.full(self.weeks, np.nan)
            col[model.week] = value

    def frame(self, upto: int) -> pd.DataFrame:
        df = pd.DataFrame({k: v[:upto] for k, v in self.data.items()})
        df.insert(0, "week", np.arange(upto, dtype=np.int32))
        return df
