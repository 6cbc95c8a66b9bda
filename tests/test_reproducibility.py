"""Same seed, same results; scenario arms share random numbers."""

import numpy as np

from sim import scenario as scn
from sim.model import RecoveryModel
from sim.rng import Streams
from sim.runner import simulate


def test_streams_do_not_depend_on_order_of_use():
    """A stream's draws depend on its name and the seed, not on which streams were used before."""
    a, b = Streams(5), Streams(5)
    a.draw_all("x", 0, 3)
    a["y"].random(3)
    assert np.array_equal(a.draw_all("relapse", 4, 10), b.draw_all("relapse", 4, 10))
    assert np.array_equal(a["groups"].random(5), b["groups"].random(5))
    assert not np.array_equal(
        Streams(6).draw_all("relapse", 4, 10), Streams(5).draw_all("relapse", 4, 10)
    )


def test_a_persons_draw_does_not_depend_on_who_else_draws():
    """Per-person draws are a function of (seed, decision, week, person): drawing for a subset gives
    the same numbers as drawing for everyone, so a decision can draw only for those it concerns."""
    s = Streams(9)
    everyone = s.draw_all("attend", 12, 1000)
    some = np.array([3, 500, 999, 17])
    assert np.array_equal(s.draw("attend", 12, some), everyone[some])
    assert not np.array_equal(s.draw_all("attend", 13, 1000), everyone)  # another week
    assert not np.array_equal(s.draw_all("relapse", 12, 1000), everyone)  # another decision


def test_same_seed_identical_run():
    """Two runs with one seed give identical weekly tables and summaries."""
    sc = scn.load("status-quo")
    r1, r2 = simulate(sc, 300, 60, 11), simulate(sc, 300, 60, 11)
    assert r1.weekly.equals(r2.weekly)
    assert r1.summary == r2.summary or all(
        (a == b) or (np.isnan(a) and np.isnan(b))
        for a, b in zip(r1.summary.values(), r2.summary.values())
    )


def test_scenarios_share_population_and_draws():
    """Two scenarios with one seed start from the same people and share every stream their levers do not touch."""
    a = RecoveryModel(scn.load("none"), 500, 10, seed=3)
    b = RecoveryModel(scn.load("institutional"), 500, 10, seed=3)
    for attr in (
        "male",
        "comorbid",
        "housing",
        "positive_attitude",
        "comp",
        "hope",
        "shame",
        "treat_left",
        "u_offer",
    ):
        assert np.array_equal(getattr(a.users, attr), getattr(b.users, attr)), attr
    assert np.array_equal(a.relatives.strain, b.relatives.strain)
    # every person's relapse draw in every week is the same in both arms
    assert np.array_equal(
        a.streams.draw_all("relapse", 7, 500), b.streams.draw_all("relapse", 7, 500)
    )


def test_aftercare_offer_is_monotone_in_coverage():
    """With shared propensities, everyone offered aftercare at lower coverage is offered at higher coverage."""
    lo = scn.load("status-quo").with_overrides({"aftercare_coverage": 0.3})
    hi = scn.load("status-quo").with_overrides({"aftercare_coverage": 0.6})
    a = RecoveryModel(lo, 1000, 14, seed=4).run()
    b = RecoveryModel(hi, 1000, 14, seed=4).run()
    assert (b.users.ever_aftercare | ~a.users.ever_aftercare).all()
    assert b.users.ever_aftercare.sum() > a.users.ever_aftercare.sum()
