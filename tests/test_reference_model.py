"""The per-agent reference model (sim/reference): Mesa agents, reproducible, every scenario runs.

Exact equality with the vectorised model: tests/test_reference_exact.py."""

import weakref

import numpy as np
import pytest

from sim import scenario as scn
from sim.reference import ReferenceModel
from sim.reference.agents import User
from sim.reference.group import Group
from sim.reference.relatives import Relative
from sim.summary import HEADLINE


def test_people_and_groups_are_mesa_agents_with_a_step():
    """Users, relatives and groups are Mesa agents registered with the model, each with step()."""
    m = ReferenceModel(scn.load("status-quo"), n_users=60, weeks=5, seed=1)
    kinds = {type(a) for a in m.agents}
    assert {User, Relative, Group} <= kinds
    assert len(m.agents_by_type[User]) == 60
    assert all(callable(getattr(a, "step", None)) for a in m.agents)


def test_same_seed_same_run_other_seed_other_run():
    """One random source per model: the same seed gives the same figures, another seed others."""
    runs = [
        ReferenceModel(scn.load("status-quo"), n_users=150, weeks=40, seed=s).run().summary()
        for s in (3, 3, 4)
    ]
    assert runs[0] == runs[1] or all(
        (np.isnan(runs[0][k]) and np.isnan(runs[1][k])) or runs[0][k] == runs[1][k] for k in runs[0]
    )
    assert any(
        runs[0][k] != runs[2][k]
        for k in ("relapse_within_52w", "mean_hope_users", "mean_soc13_users")
    )


def test_every_builtin_scenario_runs_and_gives_the_headline_figures():
    """Each built-in scenario runs in the reference and yields every headline figure."""
    for name in scn.BUILTIN:
        summary = ReferenceModel(scn.load(name), n_users=80, weeks=60, seed=2).run().summary()
        assert set(HEADLINE) <= set(summary)
        assert 0.0 <= summary["relatives_in_groups_share"] <= 1.0


def test_summary_equals_the_vectorised_summary():
    """The headline figures of a run are the vectorised model's, number for number."""
    from sim.runner import simulate

    sc = scn.load("organisation")
    ref = ReferenceModel(sc, n_users=150, weeks=70, seed=7).run().summary()
    vec = simulate(sc, 150, 70, 7).summary
    for k in HEADLINE:
        assert ref[k] == vec[k] or (np.isnan(ref[k]) and np.isnan(vec[k])), k


def _mesa_version() -> tuple[int, ...]:
    from importlib.metadata import version

    return tuple(int(x) for x in version("mesa").split(".")[:3] if x.isdigit())


@pytest.mark.skipif(
    _mesa_version() < (3, 4, 2), reason="Mesa before 3.4.2 keeps every model in Agent._ids"
)
def test_finished_reference_model_can_be_garbage_collected():
    """A finished run leaves nothing behind (no reference from Mesa keeps the model alive)."""
    import gc

    m = ReferenceModel(scn.load("status-quo"), n_users=40, weeks=10, seed=5).run()
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None
