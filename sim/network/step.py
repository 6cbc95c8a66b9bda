"""Process 5 of the weekly order: the network's week (ODD 7.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.codes import ABSENT, DEAD, USING
from sim.network.kernel import kin_sums, resources_week, support_week, ties_week
from sim.network.rules import network_params, rebuild_due

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def network_step(model: RecoveryModel) -> None:
    """Process 5: ties change, resources are gained or lost, and support is recomputed."""
    p, u, r, net = network_params(model.p), model.users, model.relatives, model.network
    week = model.week
    # ties outside the cohort: using ties fade while abstinent and regrow while using; sober ties
    ties_week(
        u.status,
        u.housing,
        u.integration,
        u.activity,
        u.base_using_ties,
        u.using_ties,
        u.sober_ties,
        p,
    )
    # meaningful activity and housing: gained while abstinent, lost while using
    k_activity, k_housing = model.streams.key("activity", week), model.streams.key("housing", week)
    resources_week(u.status, u.activity, u.housing, p, k_activity, k_housing)
    if rebuild_due(net.dirty, week, net.built):
        net.rebuild(u.house)
    # the relatives: their support, and the sums the relapse hazard reads
    from_kin, net.kin_enabling, net.kin_limit, net.kin_low_hope = kin_sums(
        net.n_kin, r.user, r.coping, r.strain, r.burnout, r.hope_user, p
    )
    # support: sober ties, sober cohort peers, relatives, the group this week, aftercare contact
    peers = net.sober_degree((u.status != USING) & (u.status != DEAD) & (u.status != ABSENT))
    support_week(u.sober_ties, peers, from_kin, u.attended, u.ac_contact, p, u.support, u.lonely)
