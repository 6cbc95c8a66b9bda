"""``python -m sim sweep`` with every run held back by a fixed pause, for the interrupt tests.

Runs of the test design take a few milliseconds, so on a busy two-core machine a whole sweep
could finish before the test got to interrupt it. The pause makes the window wide and
independent of how fast the model is; the results are the same as without it.
Usage: python tests/slow_sweep.py SECONDS sweep --design ... (the rest as for ``python -m sim``).
"""

from __future__ import annotations

import sys
import time

from experiments import sweep

_execute = sweep.execute
PAUSE = float(sys.argv[1])


def slow_execute(spec):
    time.sleep(PAUSE)
    return _execute(spec)


if __name__ == "__main__":
    sweep.execute = slow_execute  # workers are forked, so they see this too
    from sim.cli import main

    raise SystemExit(main(sys.argv[2:]))
