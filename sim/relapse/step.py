"""The relapse process's weekly step (ODD 7.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.capacity.waiting import stop_waiting
from sim.codes import USING
from sim.relapse.kernel import HazardInputs, candidates, log_hazards
from sim.relapse.rules import lapse_chance, log_baseline_survival, relapse_chance, relapse_params
from sim.vector import WeekTable

if TYPE_CHECKING:
    from sim.model import RecoveryModel

_LOG_SURVIVAL = WeekTable(log_baseline_survival)  # looked up by weeks abstinent (sim/vector.py)


def log_hazard_ratio(model: RecoveryModel, idx: np.ndarray | None = None) -> np.ndarray:
    """The log hazard ratio (``sim.relapse.rules.user_log_hazard``) of the users ``idx`` (all
    users if None), against the reference user."""
    p, u = model.p, model.users
    exposure = model.network.exposure(u.status == USING, p.contagion_distance_decay)
    # log1p with numpy (vectorised: many times faster than a scalar log1p in the loop)
    x = HazardInputs(
        u.comp,
        u.manage,
        u.meaning,
        u.hope,
        u.shame,
        u.support,
        np.log1p(u.using_ties),
        np.log1p(u.sober_ties),
        u.old_net_using,
        u.attended,
        u.sponsor,
        model.aftercare.contact_strength,
        u.housing,
        u.activity,
        u.comorbid,
        u.lonely,
        u.integration,
        model.network.kin_enabling,
        model.network.kin_limit,
        model.network.kin_low_hope,
        exposure,
    )
    lp = log_hazards(x, relapse_params(p))
    return lp if idx is None else lp[np.asarray(idx, np.int64)]


def relapse_step(model: RecoveryModel) -> None:
    """Abstinent users use with ``relapse_chance``; a use is a lapse (abstinence restarts) with
    ``lapse_chance``, else a relapse (using; hope and manageability fall; a crisis).

    A compiled pass (``candidates``) first keeps the abstinent whose draw is below
    ``relapse_bound``; the chance itself is worked out for those few only (same outcome)."""
    p, u, week = model.p, model.users, model.week
    lp_all = log_hazard_ratio(model)
    log_survival = _LOG_SURVIVAL.covering(u.weeks_in_status, p.relapse_scale_weeks, p.relapse_shape)
    cand, draws = candidates(
        u.status, u.weeks_in_status, lp_all, log_survival, model.streams.key("relapse", week)
    )
    lp = lp_all[cand]
    hit = draws < relapse_chance(lp, log_survival[u.weeks_in_status[cand]])
    use = cand[hit]
    is_lapse = model.draw("lapse", use) < lapse_chance(lp[hit], p.lapse_share, p.lapse_protection)
    _use(model, use, is_lapse)


def _use(model: RecoveryModel, use: np.ndarray, is_lapse: np.ndarray) -> None:
    """Record the uses: first and last use; lapses restart abstinence; relapses start using."""
    p, u, week = model.p, model.users, model.week
    first = use[u.first_use[use] < 0]
    u.first_use[first] = week
    u.last_use[use] = week
    lapse = use[is_lapse]
    u.n_lapses[lapse] += 1
    u.weeks_in_status[lapse] = 0
    model.log.add("lapse", lapse)
    rel = use[~is_lapse]
    u.status[rel] = USING
    u.weeks_in_status[rel] = 0
    u.n_relapses[rel] += 1
    newly = rel[u.first_relapse[rel] < 0]
    u.first_relapse[newly] = week
    u.hope[rel] = np.maximum(u.hope[rel] - p.relapse_hope_loss, 8.0)
    u.manage[rel] = np.maximum(u.manage[rel] - p.relapse_soc_loss, 1.0)
    u.crisis[rel] = True
    u.relapsed[rel] = True
    model.log.add("relapse", rel)
    stop_waiting(model, "aftercare", rel)  # a relapse before an aftercare place: the offer lapses
