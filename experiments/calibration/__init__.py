"""Calibration against the published figures of TARGETS.md (issue 4), and what validation shares.

- :mod:`~experiments.calibration.targets`: reading ``experiments/targets.toml``, the target
  bands and the distance of a parameter set from them;
- :mod:`~experiments.calibration.measures`: what each target measures from a run (the figures
  read off the simulated people);
- :mod:`~experiments.calibration.runner`: running the model for a parameter set (its arms and
  seeds as :class:`~experiments.runs.RunSpec` on the one executor);
- :mod:`~experiments.calibration.search`: the Optuna CMA-ES/TPE search;
- :mod:`~experiments.calibration.outputs`: ``calibrated.toml`` and the trial tables.
"""

from experiments.calibration.measures import BASE_ARM, MEASURES, run_arm, survival_analyses
from experiments.calibration.runner import current_values, registry_values
from experiments.calibration.search import CalibrationResult, calibrate
from experiments.calibration.targets import (
    Measure,
    Target,
    TargetSet,
    load_targets,
    select_parameters,
    select_targets,
)

__all__ = [
    "BASE_ARM",
    "MEASURES",
    "CalibrationResult",
    "Measure",
    "Target",
    "TargetSet",
    "calibrate",
    "current_values",
    "load_targets",
    "registry_values",
    "run_arm",
    "select_parameters",
    "select_targets",
    "survival_analyses",
]
