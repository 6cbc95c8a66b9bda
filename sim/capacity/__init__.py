"""Capacity (ODD 7.2a): treatment places and aftercare places, and their waiting lists.

Places are levers per 1,000 users of the cohort (``treatment_places_per_1000``,
``aftercare_places_per_1000``; 1,000 per 1,000: never full). When they are full, a user whose
re-entry to treatment is decided, or who is offered aftercare at discharge, joins a first-in,
first-out waiting list (:class:`sim.vector.Queue`); each week the places freed go to the first
in line. The waiting lists are ``model.capacity``; the users' waiting columns are declared in
sim/treatment/state.py and sim/aftercare/state.py.
"""

from sim.capacity.rules import binds, free_places, has_place, places_of, weeks_waited
from sim.capacity.state import Capacity
from sim.capacity.waiting import leave_queues, stop_waiting

__all__ = [
    "Capacity",
    "binds",
    "free_places",
    "has_place",
    "leave_queues",
    "places_of",
    "stop_waiting",
    "weeks_waited",
]
