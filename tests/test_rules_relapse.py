"""Direction of each effect on users' relapse hazard (brief 4.6) and the baseline's shape."""

import numpy as np
import pytest
from conftest import discharged_model

from sim.codes import ABSTINENT, UNSTABLE, USING
from sim.relapse import baseline_probability, log_hazard_ratio


def test_baseline_hazard_falls_with_time_abstinent():
    """Most relapses come early: the weekly baseline probability falls with weeks abstinent."""
    p = baseline_probability(np.arange(0, 104), scale=52.0, shape=0.75)
    assert np.all(np.diff(p) < 0)
    assert p[0] > 3 * p[52]


def _lp_change(setter) -> float:
    """Mean change of the log hazard ratio when ``setter`` changes the users' state."""
    m = discharged_model(n_users=100)
    before = log_hazard_ratio(m).copy()
    setter(m)
    return float(np.mean(log_hazard_ratio(m) - before))


CASES = {
    "higher SOC lowers": (lambda m: setattr(m.users, "comp", np.minimum(m.users.comp + 1, 7)), -1),
    "more hope lowers (T14)": (
        lambda m: setattr(m.users, "hope", np.minimum(m.users.hope + 10, 64)),
        -1,
    ),
    "more shame raises": (
        lambda m: setattr(m.users, "shame", np.minimum(m.users.shame + 0.3, 1)),
        +1,
    ),
    "more support lowers": (
        lambda m: setattr(m.users, "support", np.minimum(m.users.support + 0.3, 1)),
        -1,
    ),
    "more using ties raise": (lambda m: setattr(m.users, "using_ties", m.users.using_ties + 5), +1),
    "more sober ties lower": (lambda m: setattr(m.users, "sober_ties", m.users.sober_ties + 5), -1),
    "attending a meeting lowers": (
        lambda m: setattr(m.users, "attended", np.ones(m.users.n, bool)),
        -1,
    ),
    "a sponsor lowers": (lambda m: setattr(m.users, "sponsor", np.ones(m.users.n, bool)), -1),
    "an aftercare contact lowers": (
        lambda m: setattr(m.aftercare, "contact_strength", np.ones(m.users.n)),
        -1,
    ),
    "unstable housing raises": (
        lambda m: setattr(m.users, "housing", np.full(m.users.n, UNSTABLE, np.int8)),
        +1,
    ),
    "meaningful activity lowers": (
        lambda m: setattr(m.users, "activity", np.ones(m.users.n, bool)),
        -1,
    ),
    "comorbidity raises": (lambda m: setattr(m.users, "comorbid", np.ones(m.users.n, bool)), +1),
    "loneliness raises": (lambda m: setattr(m.users, "lonely", np.ones(m.users.n, bool)), +1),
    "integration depth lowers": (lambda m: setattr(m.users, "integration", np.ones(m.users.n)), -1),
    "enabling relatives raise": (
        lambda m: setattr(m.network, "kin_enabling", m.network.kin_enabling + 2),
        +1,
    ),
    "limit-setting relatives lower": (
        lambda m: setattr(m.network, "kin_limit", m.network.kin_limit + 2),
        -1,
    ),
    "relatives expecting relapse raise": (
        lambda m: setattr(m.network, "kin_low_hope", np.ones(m.users.n)),
        +1,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hazard_direction(name):
    """Each covariate moves the relapse hazard in the direction the seeds give."""
    setter, sign = CASES[name]
    change = _lp_change(setter)
    assert np.sign(change) == sign, f"{name}: change {change:+.3f}"


def test_sober_ties_matter_more_when_old_network_supported_use():
    """A substance-free network matters most for those whose old network supported use (seed 002, L43-45)."""
    m = discharged_model(n_users=100)
    u = m.users
    base = log_hazard_ratio(m).copy()
    u.sober_ties = u.sober_ties + 5
    gain = log_hazard_ratio(m) - base
    assert gain[u.old_net_using].mean() < gain[~u.old_net_using].mean() < 0


def test_relapse_contagion_along_ties_fades_with_distance():
    """A user's relapse raises the hazard of their close ties, less for ties of ties."""
    m = discharged_model(n_users=300)
    u, net = m.users, m.network
    net.rebuild(u.house)
    u.status[:] = ABSTINENT
    deg = np.asarray((net.peer > 0).sum(axis=1)).ravel()
    src = int(np.flatnonzero(deg >= 1)[0])
    first = set(net.peer[src].indices) - {src}
    second = set(np.concatenate([net.peer[j].indices for j in first])) - first - {src}
    base = log_hazard_ratio(m).copy()
    u.status[src] = USING
    change = log_hazard_ratio(m) - base
    assert all(change[j] > 0 for j in first)
    if second:
        assert max(change[j] for j in second) < min(change[j] for j in first)


def test_housemate_ties_weigh_more_than_scene_ties():
    """Shared aftercare housing can tip: a housemate who uses counts more than a scene acquaintance."""
    from sim.codes import HOUSEMATE, SCENE

    m = discharged_model(n_users=10)
    net = m.network
    net._src, net._dst, net._kind = (
        [np.array([0, 0], np.int32)],
        [np.array([1, 2], np.int32)],
        [np.array([SCENE, HOUSEMATE], np.int8)],
    )
    house = np.full(10, -1, np.int32)
    house[[0, 2]] = 5
    m.users.house = house
    net.rebuild(house)
    using1 = np.zeros(10, bool)
    using1[1] = True
    using2 = np.zeros(10, bool)
    using2[2] = True
    assert net.exposure(using2, 0.0)[0] > net.exposure(using1, 0.0)[0]


def test_relapse_step_moves_users_to_using_and_logs():
    """Relapses change status, count, hope and the event log; lapses restart abstinence."""
    m = discharged_model(n_users=500, relapse_scale_weeks=15, relapse_shape=0.5)
    hope_before = m.users.hope.copy()
    from sim.relapse import relapse_step

    relapse_step(m)
    rel = m.users.relapsed
    assert rel.any()
    assert (m.users.status[rel] == USING).all()
    assert (m.users.hope[rel] <= hope_before[rel]).all()
    ev = m.log.frame(m.n_users)
    assert (ev.event == "relapse").sum() == rel.sum()


def test_population_with_more_soc_and_hope_relapses_less():
    """The hazard is measured against a fixed reference user: a population starting with higher SOC
    and hope has a lower mean hazard (a scenario or teaching slider on these means has an effect)."""
    from conftest import make_model

    lp = {}
    for soc, hope in ((50.0, 35.0), (66.0, 48.0)):
        m = make_model(
            n_users=2000, users_soc13_mean=soc, users_hope_mean=hope, discharge_spread_weeks=1
        )
        m.step()
        lp[soc] = log_hazard_ratio(m).mean()
    assert lp[66.0] < lp[50.0] - 0.2
