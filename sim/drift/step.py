"""The drift process's weekly step (ODD 7.9)."""

from __future__ import annotations

import numpy as np

from sim.drift.kernel import soc_drift, users_week
from sim.drift.rules import DRIFT_INTERVAL, drift_params
from sim.soc import LOADING


def drift_step(model) -> None:
    """Process 8: slow psychosocial drift; SOC every 4 weeks, hope and shame weekly. All bounded.

    Hope returns towards a level that is lower while using and higher the longer abstinent (up
    to 2 years); shame towards a level set by public stigma, higher while using; integration in
    the recovery community deepens while abstinent and fades while using. One pass over the
    users (``users_week``, numba); the SOC drift every 4 weeks is one more (``soc_drift``), with
    the normal shocks from the "drift" Generator."""
    p, u, r = model.p, model.users, model.relatives
    users_week(u.status, u.weeks_in_status, u.hope, u.shame, u.integration, drift_params(p))
    if model.week % DRIFT_INTERVAL != DRIFT_INTERVAL - 1:
        return
    rho = p.soc_persistence_4w
    soc_drift(
        model.streams["drift"],
        u.status,
        u.comp,
        u.manage,
        u.meaning,
        u.soc_item_mean,
        u.soc_item_sd,
        u.support,
        u.housing,
        u.activity,
        rho,
        np.sqrt(1.0 - rho**2),
        LOADING,
        p.resources_soc_gain,
        r.soc13,
        r.present,
        p.relatives_soc13_mean,
        p.soc13_sd,
    )
