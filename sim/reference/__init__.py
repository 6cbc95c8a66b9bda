"""A per-agent reference implementation of the weekly rules (Mesa agents, one at a time).

It calls the same scalar rules with the same counter-based draws as the vectorised model, so
the two agree bit for bit (tests/test_reference_exact.py; ``agreement.lockstep`` finds the
first process after which they differ); it is also the speed baseline of ``python -m sim bench``.
"""

from sim.reference.model import ReferenceModel, simulate_reference

__all__ = ["ReferenceModel", "simulate_reference"]
