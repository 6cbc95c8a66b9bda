"""Shared helpers for the tests."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from sim import scenario as scn
from sim.model import RecoveryModel


def pytest_addoption(parser):
    parser.addoption(
        "--slow", action="store_true", help="also run the tests marked slow (e.g. a municipality)"
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` run only with ``--slow`` (the normal suite stays fast)."""
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def make_model(
    n_users: int = 200, weeks: int = 60, seed: int = 7, scenario: str = "status-quo", **overrides
) -> RecoveryModel:
    """A small model of a built-in scenario with some parameters set (unchecked: rule tests use extremes)."""
    sc = scn.load(scenario)
    unknown = set(overrides) - set(sc.values)
    assert not unknown, unknown
    sc.values.update(overrides)
    return RecoveryModel(sc, n_users=n_users, weeks=weeks, seed=seed)


def discharged_model(n_users: int = 200, **overrides) -> RecoveryModel:
    """A model stepped until every user has left treatment (discharge spread 1 week)."""
    m = make_model(n_users=n_users, discharge_spread_weeks=1, **overrides)
    m.step()
    assert (m.users.status != 0).all()
    return m


@pytest.fixture
def model() -> RecoveryModel:
    return discharged_model()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


def sync_meetings(m: RecoveryModel) -> None:
    """After a test sets ``attended`` by hand: the meeting attended is the member's current group."""
    for people in (m.users, m.relatives):
        people.met_in = np.where(people.attended, people.group, -1).astype(np.int32)


def write_design(tmp_path_factory, text: str, name: str) -> Path:
    """A design file (TOML ``text``) in a fresh temporary folder."""
    path = tmp_path_factory.mktemp("design") / name
    path.write_text(text)
    return path


def pool_sweep(design_file: Path, tmp_path_factory):
    """An uninterrupted sweep of ``design_file`` on a local pool of 2 processes: (folder, report)."""
    from experiments import design as dsg
    from experiments.executors import PoolExecutor
    from experiments.sweep import run_sweep

    out = tmp_path_factory.mktemp("ref") / "out"
    with PoolExecutor(2) as ex:
        report = run_sweep(dsg.load(design_file), out, ex, progress=False)
    return out, report


def slow_sweep_cmd(pause: float, *args: str) -> list[str]:
    """``python -m sim ARGS`` with every run held back ``pause`` seconds (tests/slow_sweep.py), so
    that interrupt tests find the sweep still running however fast the model and busy the machine."""
    return [sys.executable, str(Path(__file__).with_name("slow_sweep.py")), str(pause), *args]
