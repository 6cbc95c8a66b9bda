"""Process 8: the slow psychosocial drift.

SOC follows an Ornstein-Uhlenbeck process around its population mean with persistence
``soc_persistence_4w`` per 4 weeks (T10: 5-year test-retest about 0.6), updated every 4 weeks;
resources (support, stable housing, activity) push it up. Users' hope and shame return each
week towards levels set by their status and by public stigma; integration in the recovery
community deepens while abstinent. The SOC scales themselves are in sim/soc.py.
"""

from sim.drift.step import drift_step

__all__ = ["drift_step"]
