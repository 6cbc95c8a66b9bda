"""Sizes of the relapse rules (sim/relapse/rules.py) against the ODD's formulas written out by hand,
and the bound the candidate filter uses."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model

from sim.codes import ABSTINENT, STABLE, UNSTABLE, Housing
from sim.params import BY_NAME, defaults
from sim.relapse.kernel import candidates
from sim.relapse.rules import (
    REFERENCE_USER,
    baseline_probability,
    lapse_chance,
    log_baseline_survival,
    relapse_bound,
    relapse_chance,
    relapse_params,
    user_log_hazard,
)
from sim.relapse.step import log_hazard_ratio
from sim.rng import _draw_at

P = SimpleNamespace(**defaults())
RP = relapse_params(P)

# one user's inputs, by name (the order of ``user_log_hazard``)
INPUTS = (
    "comp",
    "manage",
    "meaning",
    "hope",
    "shame",
    "support",
    "log_using",
    "log_sober",
    "old_net_using",
    "attended",
    "sponsor",
    "contact",
    "housing",
    "activity",
    "comorbid",
    "lonely",
    "integration",
    "kin_enabling",
    "kin_limit",
    "kin_low_hope",
    "exposure",
)
USER = {
    "comp": 4.5,
    "manage": 4.0,
    "meaning": 5.0,
    "hope": 44.0,
    "shame": 0.3,
    "support": 0.7,
    "log_using": math.log1p(2.0),
    "log_sober": math.log1p(6.0),
    "old_net_using": True,
    "attended": True,
    "sponsor": False,
    "contact": 0.8,
    "housing": UNSTABLE,
    "activity": True,
    "comorbid": True,
    "lonely": False,
    "integration": 0.4,
    "kin_enabling": 1.0,
    "kin_limit": 2.0,
    "kin_low_hope": 0.9,
    "exposure": 0.25,
}


def lp_of(user, p=RP):
    return user_log_hazard(*(user[k] for k in INPUTS), p)


def lp_by_hand(x, q=P):
    """The log hazard ratio as the docstring of ``user_log_hazard`` writes it, from the raw parameters."""
    ref = REFERENCE_USER
    soc = 5 * x["comp"] + 4 * x["manage"] + 4 * x["meaning"]
    sober = q.beta_sober_ties * (q.sober_ties_old_network_multiplier if x["old_net_using"] else 1.0)
    return (
        q.beta_soc / ref["soc13_sd"] * (soc - ref["soc13"])
        + q.beta_hope / 10 * (x["hope"] - ref["hope"])
        + q.beta_shame * (x["shame"] - ref["shame"])
        + q.beta_support * (x["support"] - ref["support"])
        + q.beta_using_ties * (x["log_using"] - math.log1p(ref["using_ties"]))
        + sober * (x["log_sober"] - math.log1p(ref["sober_ties"]))
        + q.beta_group * x["attended"]
        + q.beta_sponsor * x["sponsor"]
        + q.beta_aftercare_contact * x["contact"]
        + q.beta_unstable_housing * (x["housing"] == UNSTABLE)
        + q.beta_activity * x["activity"]
        + q.beta_comorbid * (1 - q.welfare_integration / 2) * x["comorbid"]
        + q.beta_lonely * x["lonely"]
        + q.beta_integration * (x["integration"] - 0.1)
        + q.beta_relatives_enabling * x["kin_enabling"]
        + q.beta_relatives_limit * x["kin_limit"]
        + q.beta_relatives_expect * (x["kin_low_hope"] - 0.6)
        + q.beta_contagion * x["exposure"]
    )


def test_reference_user_has_hazard_ratio_one():
    """At the reference user (and no group, contact, housing trouble, relatives or exposure) lp = 0."""
    ref = REFERENCE_USER
    item = ref["soc13"] / 13.0
    user = dict(
        USER,
        comp=item,
        manage=item,
        meaning=item,
        hope=ref["hope"],
        shame=ref["shame"],
        support=ref["support"],
        log_using=math.log1p(ref["using_ties"]),
        log_sober=math.log1p(ref["sober_ties"]),
        old_net_using=False,
        attended=False,
        sponsor=False,
        contact=0.0,
        housing=STABLE,
        activity=False,
        comorbid=False,
        lonely=False,
        integration=0.1,
        kin_enabling=0.0,
        kin_limit=0.0,
        kin_low_hope=0.6,
        exposure=0.0,
    )
    assert lp_of(user) == pytest.approx(0.0, abs=1e-12)


def test_log_hazard_equals_the_formula():
    """The log hazard ratio at given inputs and at random ones equals the ODD's sum, with welfare integration."""
    assert lp_of(USER) == pytest.approx(lp_by_hand(USER), rel=1e-12)
    q = SimpleNamespace(
        **dict(vars(P), welfare_integration=1.0, sober_ties_old_network_multiplier=3.0)
    )
    assert lp_of(USER, relapse_params(q)) == pytest.approx(lp_by_hand(USER, q), rel=1e-12)
    rng = np.random.default_rng(1)
    for _ in range(200):
        x = {
            "comp": rng.uniform(1, 7),
            "manage": rng.uniform(1, 7),
            "meaning": rng.uniform(1, 7),
            "hope": rng.uniform(8, 64),
            "shame": rng.uniform(0, 1),
            "support": rng.uniform(0, 1),
            "log_using": math.log1p(rng.integers(0, 20)),
            "log_sober": math.log1p(rng.integers(0, 20)),
            "old_net_using": bool(rng.integers(2)),
            "attended": bool(rng.integers(2)),
            "sponsor": bool(rng.integers(2)),
            "contact": rng.uniform(0, 2),
            "housing": int(rng.choice(list(Housing))),
            "activity": bool(rng.integers(2)),
            "comorbid": bool(rng.integers(2)),
            "lonely": bool(rng.integers(2)),
            "integration": rng.uniform(0, 1),
            "kin_enabling": float(rng.integers(0, 4)),
            "kin_limit": float(rng.integers(0, 4)),
            "kin_low_hope": rng.uniform(0, 1),
            "exposure": rng.uniform(0, 1),
        }
        assert lp_of(x) == pytest.approx(lp_by_hand(x), rel=1e-9, abs=1e-12)


# each covariate: a change of the input and the change of lp it must give (the coefficient x the change)
COEFFICIENTS = {
    "comp": (1.0, 5 * P.beta_soc / 12.0),
    "manage": (1.0, 4 * P.beta_soc / 12.0),
    "meaning": (1.0, 4 * P.beta_soc / 12.0),
    "hope": (10.0, P.beta_hope),
    "shame": (0.5, 0.5 * P.beta_shame),
    "support": (0.2, 0.2 * P.beta_support),
    "log_using": (1.0, P.beta_using_ties),
    "log_sober": (
        1.0,
        P.beta_sober_ties * P.sober_ties_old_network_multiplier,
    ),  # USER's old network used
    "attended": (-1, -P.beta_group),
    "sponsor": (1, P.beta_sponsor),
    "contact": (1.0, P.beta_aftercare_contact),
    "housing": (STABLE - UNSTABLE, -P.beta_unstable_housing),
    "activity": (-1, -P.beta_activity),
    "comorbid": (-1, -P.beta_comorbid * (1 - P.welfare_integration / 2)),
    "lonely": (1, P.beta_lonely),
    "integration": (0.5, 0.5 * P.beta_integration),
    "kin_enabling": (1.0, P.beta_relatives_enabling),
    "kin_limit": (1.0, P.beta_relatives_limit),
    "kin_low_hope": (-0.3, -0.3 * P.beta_relatives_expect),
    "exposure": (0.5, 0.5 * P.beta_contagion),
}


@pytest.mark.parametrize("name", list(COEFFICIENTS))
def test_each_covariate_acts_with_its_coefficient(name):
    """Changing one input changes lp by that covariate's coefficient times the change."""
    step, expected = COEFFICIENTS[name]
    moved = dict(USER)
    moved[name] = (
        type(USER[name])(USER[name] + step) if not isinstance(USER[name], bool) else not USER[name]
    )
    assert lp_of(moved) - lp_of(USER) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_old_network_multiplies_the_sober_ties_effect():
    """Sober ties act with beta_sober_ties, times the multiplier where the old network used."""
    for used, beta in (
        (False, P.beta_sober_ties),
        (True, P.beta_sober_ties * P.sober_ties_old_network_multiplier),
    ):
        a, b = (
            dict(USER, old_net_using=used),
            dict(USER, old_net_using=used, log_sober=USER["log_sober"] + 1),
        )
        assert lp_of(b) - lp_of(a) == pytest.approx(beta, rel=1e-9)


def test_model_log_hazard_is_the_rule_for_each_user():
    """Through the model: ``log_hazard_ratio`` is the formula at each user's state."""
    m = discharged_model(n_users=50)
    u = m.users
    exposure = m.network.exposure(u.status == 2, m.p.contagion_distance_decay)
    lp = log_hazard_ratio(m)
    for i in range(u.n):
        x = {
            "comp": u.comp[i],
            "manage": u.manage[i],
            "meaning": u.meaning[i],
            "hope": u.hope[i],
            "shame": u.shame[i],
            "support": u.support[i],
            "log_using": np.log1p(u.using_ties[i]),
            "log_sober": np.log1p(u.sober_ties[i]),
            "old_net_using": u.old_net_using[i],
            "attended": u.attended[i],
            "sponsor": u.sponsor[i],
            "contact": m.aftercare.contact_strength[i],
            "housing": u.housing[i],
            "activity": u.activity[i],
            "comorbid": u.comorbid[i],
            "lonely": u.lonely[i],
            "integration": u.integration[i],
            "kin_enabling": m.network.kin_enabling[i],
            "kin_limit": m.network.kin_limit[i],
            "kin_low_hope": m.network.kin_low_hope[i],
            "exposure": exposure[i],
        }
        assert lp[i] == pytest.approx(lp_by_hand(x, m.p), rel=1e-9, abs=1e-12)


def test_log_logistic_baseline():
    """p0(t) = 1 - S(t+1)/S(t), S(t) = 1/(1 + (t/scale)^shape); its log survival is log(1 - min(p0, 0.999))."""
    for t, scale, shape in ((0, 52.0, 0.75), (10, 52.0, 0.75), (100, 30.0, 1.2), (3, 15.0, 0.4)):
        p0 = 1.0 - (1.0 / (1.0 + ((t + 1) / scale) ** shape)) / (1.0 / (1.0 + (t / scale) ** shape))
        assert baseline_probability(np.array([t]), scale, shape)[0] == pytest.approx(p0, rel=1e-12)
        assert log_baseline_survival(np.array([t]), scale, shape)[0] == pytest.approx(
            math.log(1 - p0), rel=1e-12
        )
    # in week 0, S(0) = 1: p0 = 1 - 1/(1 + (1/scale)^shape)
    assert baseline_probability(np.array([0]), 52.0, 0.75)[0] == pytest.approx(
        1 - 1 / (1 + (1 / 52) ** 0.75)
    )


def test_relapse_chance_is_proportional_hazards():
    """p = 1 - (1 - p0) ** exp(lp)."""
    for p0, lp in ((0.02, 0.0), (0.02, 1.3), (0.2, -2.0), (0.5, 0.7), (1e-4, 3.0)):
        assert relapse_chance(lp, math.log(1 - p0)) == pytest.approx(
            1 - (1 - p0) ** math.exp(lp), rel=1e-12
        )


def test_lapse_share():
    """A use is a lapse with odds lapse_share / (1 - lapse_share) x exp(-lapse_protection x lp):
    at lp = 0 the lapse share itself."""
    assert lapse_chance(0.0, 0.3, 0.5) == pytest.approx(0.3, rel=1e-12)
    for lp, share, prot in ((1.0, 0.3, 0.5), (-2.0, 0.1, 1.0), (0.5, 0.6, 0.0)):
        odds = share / (1 - share) * math.exp(-prot * lp)
        assert lapse_chance(lp, share, prot) == pytest.approx(odds / (1 + odds), rel=1e-12)
    assert lapse_chance(0.0, 0.0, 0.5) == 0.0


def _random_cases(n, seed=0):
    """(lp, log survival) over the whole domain: random parameters in their registry ranges, random
    states and every housing code; weeks abstinent 0-520."""
    rng = np.random.default_rng(seed)
    names = [f for f in defaults() if f.startswith("beta_")] + [
        "sober_ties_old_network_multiplier",
        "welfare_integration",
        "relapse_scale_weeks",
        "relapse_shape",
    ]
    lps, logs = np.empty(n), np.empty(n)
    for k in range(n):
        q = SimpleNamespace(
            **dict(vars(P), **{a: rng.uniform(BY_NAME[a].low, BY_NAME[a].high) for a in names})
        )
        x = {
            "comp": rng.uniform(1, 7),
            "manage": rng.uniform(1, 7),
            "meaning": rng.uniform(1, 7),
            "hope": rng.uniform(8, 64),
            "shame": rng.uniform(0, 1),
            "support": rng.uniform(0, 1),
            "log_using": math.log1p(rng.integers(0, 40)),
            "log_sober": math.log1p(rng.integers(0, 40)),
            "old_net_using": bool(rng.integers(2)),
            "attended": bool(rng.integers(2)),
            "sponsor": bool(rng.integers(2)),
            "contact": rng.uniform(0, 3**0.5),
            "housing": int(rng.choice(list(Housing))),
            "activity": bool(rng.integers(2)),
            "comorbid": bool(rng.integers(2)),
            "lonely": bool(rng.integers(2)),
            "integration": rng.uniform(0, 1),
            "kin_enabling": float(rng.integers(0, 6)),
            "kin_limit": float(rng.integers(0, 6)),
            "kin_low_hope": rng.uniform(0, 1),
            "exposure": rng.uniform(0, 1),
        }
        lps[k] = lp_of(x, relapse_params(q))
        logs[k] = log_baseline_survival(
            np.array([rng.integers(0, 521)]), q.relapse_scale_weeks, q.relapse_shape
        )[0]
    # and extreme log hazards, beyond the table of powers of two
    lps[: n // 20] = rng.uniform(-50, 50, n // 20)
    return lps, logs


def test_relapse_chance_never_exceeds_its_bound():
    """The candidate filter's bound is above the relapse chance for every input (20,000 random cases)."""
    lps, logs = _random_cases(20_000)
    chance = relapse_chance(lps, logs)
    bound = np.array([relapse_bound(a, b) for a, b in zip(lps, logs)])
    assert (chance <= bound).all(), (
        f"{(chance > bound).sum()} cases above the bound, e.g. lp={lps[chance > bound][:3]}"
    )


def test_relapse_bound_is_tight_enough_to_catch_a_changed_rule():
    """The bound is at most about twice the chance where chances are small: a hazard four times as
    large would exceed it (so the bound test sees such a change)."""
    lps, logs = _random_cases(2_000, seed=1)
    bound = np.array([relapse_bound(a, b) for a, b in zip(lps, logs)])
    assert (relapse_chance(lps + math.log(4.0), logs) > bound).any()


def test_candidates_keep_everyone_the_chance_picks():
    """Through the step's pass: filtering by the bound leaves out nobody whose draw is below the chance."""
    m = discharged_model(n_users=2000, relapse_scale_weeks=15, relapse_shape=0.5)
    u = m.users
    u.status[:] = ABSTINENT
    u.weeks_in_status[:] = np.arange(u.n) % 60
    lp = log_hazard_ratio(m) + np.linspace(-3, 3, u.n)
    log_survival = log_baseline_survival(np.arange(60), 15.0, 0.5)
    key = m.streams.key("relapse", 5)
    cand, draws = candidates(u.status, u.weeks_in_status, lp, log_survival, key)
    d = _draw_at(key, np.arange(u.n, dtype=np.int64))
    picked = np.flatnonzero(d < relapse_chance(lp, log_survival[u.weeks_in_status]))
    assert len(picked) > 50
    assert set(picked) <= set(cand)
    assert (draws == d[cand]).all()
