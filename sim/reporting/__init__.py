"""Reporting: every weekly measure declared once (``WEEKLY``), the counts they share (``Tally``)
and the teaching page's series (``PAGE``); read by the recorder, the summary, the calibration
measures and the teaching page."""

from sim.reporting.counts import Tally, meeting_sizes
from sim.reporting.weekly import WEEKLY, Reporter, report

__all__ = ["WEEKLY", "Reporter", "Tally", "meeting_sizes", "report"]
