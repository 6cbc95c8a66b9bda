"""Process 7 of the weekly order: the relatives (next of kin).

Follows Orford's stress-strain-coping-support model: stress comes from the user's state and
crises; strain accumulates with stress and decays slowly (it does not reset when the user
recovers: seed 004, L241-243); coping positions are engaged / tolerant (enabling) / withdrawn /
limit-setting with contact (learned in groups, courses or a brief intervention); sustained high
strain leads to burnout, from which relatives recover slowly (faster when helped); help-seeking
is triggered by the user's crises, delayed by shame and sped by visible local offers, and those
seeking help join an open relatives' group with room.

State: :mod:`sim.relatives.state`; rules: :mod:`sim.relatives.rules`; compiled passes:
:mod:`sim.relatives.kernel`; the week: :mod:`sim.relatives.step`; help-seeking and joining:
:mod:`sim.relatives.helpseeking`.
"""

from sim.relatives.state import Relatives
from sim.relatives.step import relatives_step

__all__ = ["Relatives", "relatives_step"]
