"""A per-agent reference implementation of the weekly rules (Mesa agents with their own step()).

Small, readable and slow: used to check the vectorised model statistically
(tests/test_reference_agreement.py) and as the speed baseline of ``python -m sim bench``.
"""

from sim.reference.model import ReferenceModel, simulate_reference

__all__ = ["ReferenceModel", "simulate_reference"]
