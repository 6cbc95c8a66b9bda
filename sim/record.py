"""Process 9: record weekly aggregates (declared here, not coded into the rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np
import pandas as pd

from sim.codes import ABSTINENT, LIMIT, TOLERANT, TREATMENT, UNSTABLE, USING, WITHDRAWN

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def _columns(m: RecoveryModel) -> dict[str, float]:
    u, r, g = m.users, m.relatives, m.group_table
    n = g.size
    active = g.active[:n]
    attendance = g.attendance[:n][active]
    held = attendance >= 2
    kinds = np.bincount(g.gtype[:n][active], minlength=5)  # active groups by type
    # counts in one pass each (integers: exact in any order); means of real values with numpy
    uc = _user_counts(
        u.status,
        m.users.relapsed,
        u.ac_left,
        u.ac_contact,
        u.group,
        u.attended,
        u.activity,
        u.housing,
    )
    rc = _relative_counts(r.burnout, r.group, r.seeking, r.coping) / max(r.n, 1)
    comp, manage, meaning = float(u.comp.mean()), float(u.manage.mean()), float(u.meaning.mean())
    return {
        "users_in_treatment": float(uc[0]),
        "users_abstinent": float(uc[1]),
        "users_using": float(uc[2]),
        "relapses": float(uc[3]),
        "users_in_aftercare": float(uc[4]),
        "aftercare_contacts": float(uc[5]),
        "users_in_groups": float(uc[6]),
        "users_attending": float(uc[7]),
        "groups_active": float(active.sum()),
        "groups_users": float(kinds[0] + kinds[3] + kinds[4]),  # 12-step, mixed, clinic-led
        "groups_relatives": float(kinds[1] + kinds[2]),  # relatives' open groups and courses
        "meetings_held": float(held.sum()),
        "mean_group_size": float(attendance[held].mean()) if held.any() else float("nan"),
        "mean_soc13_users": 5.0 * comp + 4.0 * manage + 4.0 * meaning,
        "mean_comprehensibility": comp,
        "mean_manageability": manage,
        "mean_meaningfulness": meaning,
        "mean_hope_users": float(u.hope.mean()),
        "mean_shame_users": float(u.shame.mean()),
        "mean_support_users": float(u.support.mean()),
        "mean_using_ties": float(u.using_ties.mean()),
        "mean_sober_ties": float(u.sober_ties.mean()),
        "users_with_activity": float(uc[8] / max(u.n, 1)),
        "users_unstable_housing": float(uc[9] / max(u.n, 1)),
        "relatives_mean_stress": float(r.stress.mean()),
        "relatives_mean_strain": float(r.strain.mean()),
        "relatives_burnout_share": float(rc[0]),
        "relatives_in_groups_share": float(rc[1]),
        "relatives_seeking_share": float(rc[2]),
        "relatives_tolerant_share": float(rc[3 + TOLERANT]),
        "relatives_withdrawn_share": float(rc[3 + WITHDRAWN]),
        "relatives_limit_share": float(rc[3 + LIMIT]),
        "relatives_mean_shame": float(r.shame.mean()),
        "relatives_mean_hope_user": float(r.hope_user.mean()),
        "relatives_mean_hope_self": float(r.hope_self.mean()),
        "relatives_mean_soc13": float(r.soc13.mean()),
        "programme_open": float(m.aftercare.programme_open),
    }


@numba.njit(cache=True)
def _user_counts(status, relapsed, ac_left, ac_contact, group, attended, activity, housing):
    """The users' weekly counts in one pass: by status (treatment, abstinent, using), relapses,
    in aftercare, contacts, in groups, attending, with an activity, in unstable housing."""
    c = np.zeros(10, np.int64)
    n_treat = n_abst = n_using = n_relapsed = n_ac = n_contact = n_group = n_att = n_activity = (
        n_unstable
    ) = 0
    for i in range(len(status)):
        st = status[i]
        n_treat += st == TREATMENT
        n_abst += st == ABSTINENT
        n_using += st == USING
        n_relapsed += relapsed[i]
        n_ac += ac_left[i] > 0
        n_contact += ac_contact[i]
        n_group += group[i] >= 0
        n_att += attended[i]
        n_activity += activity[i]
        n_unstable += housing[i] == UNSTABLE
    c[:] = (
        n_treat,
        n_abst,
        n_using,
        n_relapsed,
        n_ac,
        n_contact,
        n_group,
        n_att,
        n_activity,
        n_unstable,
    )
    return c


@numba.njit(cache=True)
def _relative_counts(burnout, group, seeking, coping):
    """The relatives' weekly counts in one pass: in burnout, in groups, seeking help, and in each
    of the four coping positions."""
    n_burnout = n_group = n_seeking = n_c0 = n_c1 = n_c2 = n_c3 = 0
    for i in range(len(burnout)):
        n_burnout += burnout[i]
        n_group += group[i] >= 0
        n_seeking += seeking[i]
        c = coping[i]
        n_c0 += c == 0
        n_c1 += c == 1
        n_c2 += c == 2
        n_c3 += c == 3
    out = np.zeros(7)
    out[:] = (n_burnout, n_group, n_seeking, n_c0, n_c1, n_c2, n_c3)
    return out


class Recorder:
    """Preallocated weekly columns."""

    def __init__(self, weeks: int):
        self.weeks = weeks
        self.data: dict[str, np.ndarray] = {}

    def record(self, model: RecoveryModel) -> None:
        for key, value in _columns(model).items():
            col = self.data.get(key)
            if col is None:
                col = self.data[key] = np.full(self.weeks, np.nan)
            col[model.week] = value

    def frame(self, upto: int) -> pd.DataFrame:
        df = pd.DataFrame({k: v[:upto] for k, v in self.data.items()})
        df.insert(0, "week", np.arange(upto, dtype=np.int32))
        return df
