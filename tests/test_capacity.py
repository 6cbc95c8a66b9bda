"""Capacity (ODD 7.2a): treatment and aftercare places and their first-in, first-out waiting lists.

Each rule's size at given inputs (places rounded, a place at the boundary, weeks waited), the
queue's order against a plain list, a hand-built week by week case with exact waits, that at the
default levers (1,000 places per 1,000 users) nothing changes, and under binding caps: waiting
lists appear, occupancy never exceeds the places, the dead and the quitters leave the lists, and
the weeks waited add up to the weekly waiting counts. Bad lever values give one line.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import discharged_model, make_model

from sim import scenario as scn
from sim.aftercare.enrol import enrol
from sim.capacity import Capacity, binds, free_places, has_place, places_of, weeks_waited
from sim.capacity.waiting import stop_waiting
from sim.codes import ABSTINENT, DEAD, TREATMENT, USING
from sim.errors import InputError
from sim.fingerprint import frame_hash
from sim.model import RecoveryModel
from sim.mortality.step import die
from sim.params import BY_NAME, defaults
from sim.runner import simulate
from sim.summary import summarize, wait_weeks
from sim.treatment.rules import treatment_params, waiting_quit_chance
from sim.treatment.step import admit
from sim.vector import Queue

BINDING = {"treatment_places_per_1000": 40.0, "aftercare_places_per_1000": 150.0}


# ------------------------------------------------------------------ the rules' sizes
@pytest.mark.parametrize(
    ("per_1000", "n", "places"),
    [
        (1000, 2000, 2000),
        (1000, 7, 7),
        (0, 500, 0),
        (1.5, 1000, 2),  # half a place rounds up
        (1.4, 1000, 1),
        (2.5, 200, 1),  # 0.5 places: 1
        (2.4, 200, 0),  # 0.48 places: none
        (40, 2000, 80),
        (33.3, 300, 10),  # 9.99 places: 10
    ],
)
def test_places_of_rounds_to_the_nearest_whole_place(per_1000, n, places):
    assert places_of(per_1000, n) == places
    assert isinstance(places_of(per_1000, n), int)


def test_has_place_at_the_boundary():
    assert has_place(4, 5) and not has_place(5, 5) and not has_place(6, 5)
    assert not has_place(0, 0)
    assert [free_places(o, 5) for o in (0, 4, 5, 9)] == [5, 1, 0, 0]


def test_places_bind_only_below_the_number_of_users():
    assert not binds(places_of(1000, 300), 300)
    assert not binds(places_of(999, 300), 300)  # 299.7 places round to 300: never full
    assert binds(places_of(998, 300), 300)  # 299.4 -> 299
    assert binds(0, 1)


def test_weeks_waited_counts_the_weeks_between():
    assert weeks_waited(3, 7) == 4
    assert weeks_waited(5, 5) == 0
    assert np.array_equal(weeks_waited(np.array([0, 2]), 10), [10, 8])


def test_a_waiting_user_quits_at_the_self_quit_rate():
    p = treatment_params(SimpleNamespace(**dict(defaults(), self_quit_rate=0.031)))
    assert waiting_quit_chance(p) == 0.031


def test_the_levers_are_declared_with_range_unit_and_source():
    for name in ("treatment_places_per_1000", "aftercare_places_per_1000"):
        prm = BY_NAME[name]
        assert (prm.default, prm.low, prm.high, prm.kind) == (1000, 0, 1000, "lever")
        assert prm.source.startswith("assumption") and "1,000" in prm.unit
    assert "33.0 days" in BY_NAME["treatment_places_per_1000"].source


# ------------------------------------------------------------------ the queue
def test_queue_is_first_in_first_out():
    q = Queue(6)
    q.push(np.array([3, 5, 9]))
    q.push(np.array([1, 2]))
    assert list(q.pop(2)) == [3, 5]
    still = np.ones(10, bool)
    still[1] = False
    q.keep(still)  # 1 leaves from the middle
    assert list(q.waiting()) == [9, 2]
    q.push(np.array([0, 4, 6, 7]))  # wraps to the front (capacity 6)
    assert list(q.waiting()) == [9, 2, 0, 4, 6, 7] and len(q) == 6
    assert list(q.pop(10)) == [9, 2, 0, 4, 6, 7] and len(q) == 0
    with pytest.raises(ValueError):
        q.push(np.arange(7))


def test_queue_matches_a_list_over_random_operations():
    rng = np.random.default_rng(3)
    n = 50
    q, ref = Queue(n), []
    for _ in range(2000):
        op = rng.integers(3)
        if op == 0:
            free = np.setdiff1d(np.arange(n), ref)
            new = np.sort(rng.choice(free, min(len(free), rng.integers(0, 6)), replace=False))
            q.push(new)
            ref += list(new)
        elif op == 1:
            k = int(rng.integers(0, 5))
            assert list(q.pop(k)) == ref[:k]
            ref = ref[k:]
        else:
            still = rng.random(n) < 0.9
            q.keep(still)
            ref = [i for i in ref if still[i]]
        assert list(q.waiting()) == ref


# ------------------------------------------------------------------ a hand-built case
def _hand_model(**levers) -> RecoveryModel:
    m = discharged_model(10, **levers)  # every user left treatment in week 0
    m.capacity = Capacity(m.n_users, m.p)
    m.users.status[:] = USING
    return m


def test_treatment_queue_by_hand():
    """2 places, 10 users: entries while a place is free, the others wait in order; freed places
    go to the first in line; the quitter and the dead leave the queue; waits are exact."""
    m = _hand_model(treatment_places_per_1000=200.0)
    u = m.users
    assert m.capacity.treatment_places == 2
    m.week = 5
    admit(m, np.array([0, 1, 2, 3]))
    assert list(np.flatnonzero(u.status == TREATMENT)) == [0, 1]
    assert list(m.capacity.treatment.waiting()) == [2, 3] and list(u.tq_since[[2, 3]]) == [5, 5]
    assert u.crisis[[0, 1, 2, 3]].all() and list(u.tq_asks[:4]) == [1, 1, 1, 1]
    m.week = 6
    admit(m, np.array([5]))  # no place free: joins behind
    assert list(m.capacity.treatment.waiting()) == [2, 3, 5]
    u.status[0] = ABSTINENT  # a discharge frees a place
    m.week = 8
    admit(m, np.array([], np.int64))
    assert u.status[2] == TREATMENT and u.tq_since[2] == -1 and u.tq_weeks[2] == 3
    assert list(m.capacity.treatment.waiting()) == [3, 5]
    m.week = 9
    stop_waiting(m, "treatment", np.array([3]))  # stops using by own means
    assert u.tq_weeks[3] == 4 and list(m.capacity.treatment.waiting()) == [5]
    m.week = 10
    die(m, np.array([5]))
    assert u.status[5] == DEAD and u.tq_weeks[5] == 4 and len(m.capacity.treatment) == 0
    assert (u.tq_since == -1).all()


def test_aftercare_queue_by_hand():
    """1 aftercare place: the first offered starts, the second waits until it frees; a user still
    in aftercare keeps their place; a waiting user who relapses leaves the queue."""
    m = _hand_model(
        aftercare_places_per_1000=100.0,
        aftercare_coverage=1.0,
        aftercare_duration_weeks=10,
        predischarge_planning=0.0,
        aftercare_start_delay_weeks=4,
    )
    u = m.users
    u.ac_left[:] = u.aq_offers[:] = 0  # as if no one had been offered aftercare yet
    u.status[:] = ABSTINENT
    m.week = 3
    u.last_discharge[:] = 3
    enrol(m, np.array([1, 4, 6]))
    assert u.ac_left[1] == 10 and u.ac_start[1] == 7  # after the start delay
    assert list(m.capacity.aftercare.waiting()) == [4, 6] and u.aq_since[4] == 3
    assert list(u.aq_offers[[1, 4, 6]]) == [1, 1, 1]
    enrol(m, np.array([1]))  # still in aftercare: keeps the place, nobody else starts
    assert list(m.capacity.aftercare.waiting()) == [4, 6]
    u.ac_left[1] = 0  # aftercare ran out
    m.week = 9
    enrol(m, np.array([], np.int64))
    assert u.ac_left[4] == 10 and u.aq_weeks[4] == 6
    assert u.ac_start[4] == 9  # the delay is over: the first contact now
    assert list(m.capacity.aftercare.waiting()) == [6]
    m.week = 12
    stop_waiting(m, "aftercare", np.array([6]))  # a relapse (sim/relapse/step.py)
    assert u.aq_weeks[6] == 9 and len(m.capacity.aftercare) == 0


# ------------------------------------------------------------------ at the default levers
def test_at_the_defaults_nothing_waits():
    res = simulate(scn.load("institutional"), 300, 104, 5)
    assert (res.weekly["users_waiting_treatment"] == 0).all()
    assert (res.weekly["users_waiting_aftercare"] == 0).all()
    assert not res.events()["event"].isin(["treatment_wait", "aftercare_wait"]).any()
    s = res.summary
    assert s["treatment_waiting_weeks_per_100py"] == 0 == s["aftercare_waiting_weeks_per_100py"]
    assert s["treatment_wait_weeks_mean"] == 0 == s["aftercare_wait_weeks_mean"]


def test_ample_places_through_the_queue_code_change_nothing(monkeypatch):
    """With the waiting-list code forced on and places for everyone, the run is the same bit for
    bit as the default run (which skips that code): the places only matter when they run out."""
    sc = scn.load("institutional")
    before = simulate(sc, 300, 104, 6)
    monkeypatch.setattr(Capacity, "binds", lambda self, which: True)
    after = simulate(sc, 300, 104, 6)
    assert frame_hash(before.weekly) == frame_hash(after.weekly)
    assert frame_hash(before.events()) == frame_hash(after.events())
    assert frame_hash(before.people()) == frame_hash(after.people())


# ------------------------------------------------------------------ under binding caps
def _check_week(m, prev_t, prev_a):
    u, cap = m.users, m.capacity
    in_t = int((u.status == TREATMENT).sum())
    in_a = int((u.ac_left > 0).sum())
    # occupancy never grows above the places (the cohort starts in treatment, above them)
    assert in_t <= max(cap.treatment_places, prev_t)
    assert in_a <= max(cap.aftercare_places, prev_a)
    for which, since, status in (
        ("treatment", u.tq_since, USING),
        ("aftercare", u.aq_since, ABSTINENT),
    ):
        waiting = getattr(cap, which).waiting()
        expect = np.flatnonzero(since >= 0)
        expect = expect[np.lexsort((expect, since[expect]))]  # by week joined, then index
        assert np.array_equal(waiting, expect), which
        assert (u.status[waiting] == status).all(), which  # no dead, no quitter, no relapser
    assert (u.ac_left[u.aq_since >= 0] == 0).all()
    return in_t, in_a


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binding_caps_make_waiting_lists_within_bounds(seed):
    rng = np.random.default_rng(seed)
    levers = {
        "treatment_places_per_1000": float(rng.uniform(10, 80)),
        "aftercare_places_per_1000": float(rng.uniform(50, 200)),
        "death_rate_base": 0.015,
    }
    m = make_model(300, 156, seed, "institutional", **levers)
    prev = (m.n_users, 0)
    while m.running:
        m.step()
        prev = _check_week(m, *prev)
    w = m.recorder.frame(m.week)
    assert w["users_waiting_treatment"].max() > 0 and w["users_waiting_aftercare"].max() > 0
    u = m.users
    ev = m.log.frame(m.n_users)["event"]
    assert 0 < (ev == "treatment_wait").sum() <= u.tq_asks.sum()
    assert 0 < (ev == "aftercare_wait").sum() <= u.aq_offers.sum()
    # the weeks waited add up to the weekly counts of those waiting, exactly
    assert wait_weeks(u.tq_weeks, u.tq_since, m.week).sum() == w["users_waiting_treatment"].sum()
    assert wait_weeks(u.aq_weeks, u.aq_since, m.week).sum() == w["users_waiting_aftercare"].sum()
    s = summarize(m)
    assert s["treatment_waiting_weeks_per_100py"] > 0 and s["aftercare_wait_weeks_mean"] > 0
    assert (u.tq_since[u.status == DEAD] == -1).all() and (u.aq_since[u.status == DEAD] == -1).all()


def test_quitters_leave_the_treatment_queue():
    """Users waiting for treatment stop by their own means (``waiting_quit_chance``): they are
    abstinent, out of the queue, and their wait is counted."""
    levers = dict(BINDING, treatment_places_per_1000=5.0, self_quit_rate=0.08)
    m = make_model(300, 104, 4, "institutional", **levers)
    quitters = 0
    while m.running:
        waiting = m.capacity.treatment.waiting().copy()
        m.step()
        ev = m.log.frame(m.n_users)
        quit_now = ev["person"][(ev["week"] == m.week - 1) & (ev["event"] == "quit")].to_numpy()
        left = np.intersect1d(waiting, quit_now)
        quitters += len(left)
        assert (m.users.tq_since[left] == -1).all() and (m.users.tq_weeks[left] > 0).all()
        assert not np.isin(left, m.capacity.treatment.waiting()).any()
    assert quitters > 0


def test_lower_places_mean_longer_waits():
    sc = scn.load("institutional")
    means = []
    for per_1000 in (60.0, 20.0):
        values = dict(sc.values, treatment_places_per_1000=per_1000)
        means.append(simulate(scn.Scenario("t", "", values), 500, 156, 8).summary)
    assert means[1]["treatment_wait_weeks_mean"] > means[0]["treatment_wait_weeks_mean"]
    assert (
        means[1]["treatment_waiting_weeks_per_100py"]
        > means[0]["treatment_waiting_weeks_per_100py"]
    )


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("name", ["treatment_places_per_1000", "aftercare_places_per_1000"])
@pytest.mark.parametrize("value", [-1, 1000.5, 5000])
def test_out_of_range_places_give_one_line(tmp_path, name, value):
    f = tmp_path / "bad.toml"
    f.write_text(f"[levers]\n{name} = {value}\n")
    with pytest.raises(InputError) as err:
        scn.load(str(f))
    msg = str(err.value)
    assert "\n" not in msg and name in msg and "out of range" in msg and "[0, 1000]" in msg
    with pytest.raises(InputError, match="out of range"):
        RecoveryModel("status-quo", 10, 2, 0, **{name: value})


# ------------------------------------------------------------------ the versioned fingerprint
def test_fingerprints_of_version_1_leave_out_what_capacity_added():
    """A fingerprint stored before the waiting lists (outputs version 1: no ``outputs`` key) is
    compared without the added columns, events and summary keys; one of today's version is
    compared in full."""
    from sim.fingerprint import ADDED, OUTPUTS, differences, fingerprint

    new = fingerprint("status-quo", 3, 60, 20)
    assert new["outputs"] == OUTPUTS == 2
    old = {k: v for k, v in new.items() if k not in ("outputs", "earlier")}
    old.update(new["earlier"]["1"])
    old["summary"] = {k: v for k, v in new["summary"].items() if k not in ADDED[2]["summary"]}
    assert differences(old, new) == []
    assert new["earlier"]["1"]["weekly_sha256"] != new["weekly_sha256"]
    assert differences(new, new) == []
    changed = dict(new, weekly_sha256="0" * 64)
    assert differences(changed, new) == ["weekly_sha256"]
