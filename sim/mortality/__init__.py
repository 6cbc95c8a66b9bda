"""Process 7 of the weekly order: mortality (ODD 7.7a).

Each living user dies this week with ``death_chance``: 1 - exp(-rate / 52), the rate per
person-year being a base rate times the rate ratios of men, of using, and of the first 4 weeks
after a discharge or a relapse (lost tolerance). The dead leave their group and aftercare and
take part in nothing after; their relatives stay, bereaved (``stress_bereaved``).
"""

from sim.mortality.rules import EARLY_WEEKS, death_chance, death_rate, early_ratio
from sim.mortality.step import die, mortality_step

__all__ = ["EARLY_WEEKS", "death_chance", "death_rate", "die", "early_ratio", "mortality_step"]
