"""Process 2 of the weekly order in a municipality: people arrive and move away (ODD 7.1a).

In a closed cohort (the default) nobody arrives or moves: every user is there from week 0. In a
municipality (``RecoveryModel(inhabitants=...)``) new users enter specialised treatment each
week, at a rate per 1,000 adult inhabitants, and living users move away with a weekly chance.
Everyone who will ever arrive is allocated at set-up (status ``ABSENT`` until their arrival
week), so the weekly loop never appends a person. A user who moves away is ``ABSENT`` again and
takes part in nothing; so are their relatives, who move with them. The relatives of a user who
died stay, bereaved, for ``bereaved_years``, then leave the model (``bereavement_weeks``).
"""

from sim.population.rules import arrivals_mean, bereavement_weeks, move_chance, takes_part
from sim.population.state import Arrivals

# the step (``sim.population.step``: population_step, withdraw) imports the groups and aftercare,
# whose rules import ``takes_part`` from here, so it is not imported with the package
__all__ = ["Arrivals", "arrivals_mean", "bereavement_weeks", "move_chance", "takes_part"]
