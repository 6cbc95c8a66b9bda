"""Process 6: users' relapse.

A weekly hazard for abstinent users. The baseline is log-logistic in weeks abstinent
(shape below 1: most relapses come early; Hunt et al. 1971, Kirshenbaum et al. 2009), and
covariates act proportionally on it: p = 1 - (1 - p0) ** exp(lp). A use episode is either a
brief lapse (abstinence restarts) or a relapse (the user is using); the same protective
factors that lower the hazard make a lapse more likely to stay a lapse. A relapse is a crisis
for the user's relatives this week (``model.users.crisis``, ``model.users.relapsed``).
"""

from sim.relapse.rules import REFERENCE_USER, baseline_probability
from sim.relapse.state import WEEK_FLAGS
from sim.relapse.step import log_hazard_ratio, relapse_step

__all__ = [
    "REFERENCE_USER",
    "WEEK_FLAGS",
    "baseline_probability",
    "log_hazard_ratio",
    "relapse_step",
]
