"""The per-agent Mesa reference (sim/reference) and the vectorised model agree statistically.

Design (issue 5): the status-quo scenario at 2,000 users over 260 weeks, K_ref = 6 runs of the
reference (seeds 1000-1005) and K_vec = 20 runs of the vectorised model (seeds 2000-2019), on
two processes. For each of the nine headline figures (sim.summary.HEADLINE) the difference of
the means must be within Z_MAX = 4 standard errors, the standard error coming from the pooled
between-seed standard deviation: |mean_ref - mean_vec| <= 4 * sd * sqrt(1/6 + 1/20).
With about 0.47 sd as standard error, a difference of about 1.9 between-seed standard
deviations fails the test: for instance 2.5 percentage points of relapse within a year or
0.4 points of mean hope. The seeds are fixed, so the outcome only changes when the code does.
Perturbing one rule in the reference alone makes it fail (docs/performance.md lists examples;
RECOVERY_SIM_SLOW=1 runs ``test_agreement_detects_a_perturbed_rule`` for three of them: the
relapse scale x 0.75, the strain gain x 1.5 and the hope gain per meeting x 3).
"""

from __future__ import annotations

import os

import pytest

from sim import scenario as scn
from sim.params import BY_NAME
from sim.reference.agreement import compare, replicate, report

USERS, WEEKS, SCENARIO = 2000, 260, "status-quo"
K_REF, K_VEC, Z_MAX = 6, 20, 4.0
WORKERS = 2


@pytest.fixture(scope="module")
def vectorised_runs() -> list[dict]:
    return replicate(
        "vectorised", SCENARIO, USERS, WEEKS, list(range(2000, 2000 + K_VEC)), workers=WORKERS
    )


def test_reference_agrees_with_vectorised_model(vectorised_runs):
    """Every headline figure's mean agrees within 4 standard errors (6 reference vs 20 vectorised runs)."""
    reference = replicate(
        "reference", SCENARIO, USERS, WEEKS, list(range(1000, 1000 + K_REF)), workers=WORKERS
    )
    figures = compare(reference, vectorised_runs, Z_MAX)
    assert all(f.ok for f in figures), "\n" + report(figures)


# One rule changed in the reference only, relative to the scenario's current value (calibration
# may move the defaults): faster relapse, more strain from stress, more hope from meetings.
PERTURBATIONS = {"relapse_scale_weeks": 0.75, "strain_gain": 1.5, "meeting_hope_gain": 3.0}


@pytest.mark.skipif(not os.environ.get("RECOVERY_SIM_SLOW"), reason="slow: set RECOVERY_SIM_SLOW=1")
@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_agreement_detects_a_perturbed_rule(vectorised_runs, name):
    """A rule changed in the reference only makes at least one headline figure disagree."""
    param = BY_NAME[name]
    value = scn.load(SCENARIO).values[name] * PERTURBATIONS[name]
    overrides = {name: min(max(value, param.low), param.high)}
    reference = replicate(
        "reference",
        SCENARIO,
        USERS,
        WEEKS,
        list(range(1000, 1000 + K_REF)),
        overrides,
        workers=WORKERS,
    )
    figures = compare(reference, vectorised_runs, Z_MAX)
    assert not all(f.ok for f in figures), "\n" + report(figures)
