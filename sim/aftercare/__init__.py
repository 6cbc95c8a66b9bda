"""Aftercare services: process 1 (the environment: this week's levers) and the offer at
discharge and each week.

Aftercare is not people but the scenario's offer: who gets it (coverage), how intense
(contacts per week), how continuous (closure weeks, changes of contact person), for how long,
and with what (housing, activity, peer staff, referral, relatives' offers). Its state, and this
week's contact strength that the relapse hazard reads, is ``model.aftercare``.
"""

from sim.aftercare.enrol import end, enrol
from sim.aftercare.environment import environment
from sim.aftercare.rules import CLOSURE_ORDER
from sim.aftercare.state import Aftercare
from sim.aftercare.step import aftercare_step

__all__ = ["CLOSURE_ORDER", "Aftercare", "aftercare_step", "end", "enrol", "environment"]
