"""Run the performance benchmark (issue 5) and keep its results beside this script.

    python benchmarks/bench.py                 # 1k, 10k, 100k users x 520 weeks, best of 3
    python benchmarks/bench.py --repeats 1     # any option of `python -m sim bench`

Writes benchmarks/bench.json (and prints the table that docs/performance.md quotes).
See docs/performance.md for what is measured and how to read it.
"""

import sys
from pathlib import Path

from sim.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if not any(a == "--out" or a.startswith("--out=") for a in args):
        args += ["--out", str(Path(__file__).with_name("bench.json"))]
    sys.exit(main(["bench", *args]))
