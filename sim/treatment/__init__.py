"""Process 2: treatment and discharge.

Users finish treatment and are discharged (entering aftercare if offered); users who use
seek treatment again at a rate lowered by shame (stigma) and raised by an open door, or stop
by their own means.
"""

from sim.treatment.step import treatment_step

__all__ = ["treatment_step"]
