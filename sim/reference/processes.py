"""The reference model's processes 5-8 (network, relapse, relatives, drift) and the closed
cohort's population step: plain loops over the agents, in the order of ``sim.model.WEEKLY_ORDER``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.codes import (
    ABSENT,
    ABSTINENT,
    DEAD,
    LIMIT,
    RELATIVE_OPEN_TYPES,
    TOLERANT,
    UNSTABLE,
    USING,
)
from sim.drift.rules import DRIFT_INTERVAL, relative_soc13_next, soc_component_next
from sim.network import REBUILD_INTERVAL
from sim.population import takes_part
from sim.reference import groups as reference_groups
from sim.relatives.rules import GP_ROUTE, GROUP_ROUTE
from sim.soc import LOADING

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def network(model: ReferenceModel) -> None:
    """Process 5: ties outside the cohort, resources, re-weighing, relatives' sums, support."""
    p = model.p
    barrier, boost = 1.0 - 0.6 * p.structural_stigma, 1.0 + p.welfare_integration
    p_activity = p.gain_activity_rate * barrier * boost
    p_housing = p.gain_housing_rate * barrier * boost
    for user in model.users:
        user.ties_week()
        user.resources(p_activity, p_housing)
    if model.ties.dirty and (model.week % REBUILD_INTERVAL == 0 or not model.ties.built):
        model.ties.reweigh(model)
    by_coping = np.array([1.0, 0.6, p.withdrawn_support, 1.0]) * p.support_weight_relative
    by_coping = [float(x) for x in by_coping]
    sober = [0.0 if u.status in (USING, DEAD, ABSENT) else 1.0 for u in model.users]
    for user in model.users:
        from_kin, enabling, limit, low_hope = 0.0, 0, 0, 0.0
        for rel in user.relatives:
            if not rel.burnout:
                from_kin += by_coping[rel.coping] * (1.0 - p.support_depletion * rel.strain)
            enabling += rel.coping == TOLERANT
            limit += rel.coping == LIMIT
            low_hope += 1.0 - rel.hope_user
        model.kin_values[user.index] = (
            float(enabling),
            float(limit),
            low_hope / max(model.n_kin[user.index], 1.0),
        )
        user.support_week(model.ties.neighbour_sum(user.index, sober), from_kin)


def relapse(model: ReferenceModel) -> None:
    """Process 6: exposure to using ties (two steps, fading), then each abstinent user's week."""
    ties, decay = model.ties, model.p.contagion_distance_decay
    using = [1.0 if u.status == USING else 0.0 for u in model.users]
    inv = [ties.inverse_strength(i) for i in range(model.n_users)]
    first = [ties.neighbour_sum(i, using) * inv[i] for i in range(model.n_users)]
    exposure = [
        first[i] + decay * ties.neighbour_sum(i, first) * inv[i] for i in range(model.n_users)
    ]
    for user in model.users:
        if user.status == ABSTINENT:
            user.relapse(exposure[user.index])


def mortality(model: ReferenceModel) -> None:
    """Process 7: each living user's week (``User.mortality``)."""
    for user in model.users:
        if takes_part(user.status):
            user.mortality()


def relatives_step(model: ReferenceModel) -> None:
    """Process 7: each relative's week, then family weeks, help-seeking and joining a group, GP
    visits and referrals to relatives' own treatment."""
    p = model.p
    routes = [rel.week() for rel in model.relatives]
    start = [route == "start" for route in routes]
    for rel in model.relatives:
        if rel.family_week:
            if (
                not rel.seeking
                and rel.group < 0
                and model.uniform("family_week_join", rel.index) < p.family_week_join_prob
            ):
                rel.wants_group = True
                start[rel.index] = True
            rel.family_week = False
    for rel in model.relatives:
        if start[rel.index]:
            rel.seeking = True
            if rel.first_help_week < 0:
                rel.first_help_week = model.week
                rel.first_help_route = GROUP_ROUTE
    for rel in model.relatives:
        if routes[rel.index] == "gp":
            if rel.first_help_week < 0:
                rel.first_help_week = model.week
                rel.first_help_route = GP_ROUTE
            if model.uniform("relatives_gp_referral", rel.index) < p.relatives_gp_referral:
                rel.treatment_left = p.relatives_treatment_weeks
                if rel.treatment_week < 0:
                    rel.treatment_week = model.week
    look = [
        rel
        for rel in model.relatives
        if rel.seeking
        and rel.group < 0
        and model.uniform("relatives_join", rel.index) < p.relatives_find_group
    ]
    joined = reference_groups.place(model, look, RELATIVE_OPEN_TYPES, "relatives_assign")
    for rel, ok in zip(look, joined):
        if ok:
            rel.seeking = False


def drift(model: ReferenceModel) -> None:
    """Process 8: users' weekly drift; every 4 weeks SOC, with the normal shocks of the "drift"
    Generator in the vectorised order (every user's common shock, then each component's
    shocks, user after user, then the relatives')."""
    p = model.p
    for user in model.users:
        user.drift()
    if model.week % DRIFT_INTERVAL != DRIFT_INTERVAL - 1:
        return
    gen, n = model.streams["drift"], model.n_users
    rho = p.soc_persistence_4w
    noise, own = float(np.sqrt(1.0 - rho**2)), float(np.sqrt(1.0 - LOADING**2))
    common = gen.standard_normal(n).tolist()
    for name in ("comp", "manage", "meaning"):
        shocks = gen.standard_normal(n).tolist()
        for user in model.users:
            if not takes_part(user.status):
                continue
            z = LOADING * common[user.index] + own * shocks[user.index]
            resources = (user.support > 0.5) + (user.housing != UNSTABLE) + user.activity
            x = soc_component_next(
                getattr(user, name),
                model.soc_item_mean,
                model.soc_item_sd,
                z,
                resources,
                rho,
                noise,
                p.resources_soc_gain,
            )
            setattr(user, name, x)
    shocks = gen.standard_normal(len(model.relatives)).tolist()
    for rel in model.relatives:
        if rel.present:
            rel.soc13 = relative_soc13_next(
                rel.soc13, p.relatives_soc13_mean, p.soc13_sd, shocks[rel.index], rho, noise
            )
