"""Time this checkout's model against an older commit's, in one process, week by week by turns.

    python benchmarks/compare_versions.py f137d87                       # 100,000 users x 520 weeks
    python benchmarks/compare_versions.py f137d87 --users 10000 --weeks 104 --old-first

On a shared machine the same run can take 30% longer from one minute to the next, so two
versions timed in separate processes are hard to compare. Here the older commit's ``sim``
package is extracted (``git archive``) under another name, both models are built with the same
seed, and they take their weekly steps by turns, so both see the same machine. Prints the total
time of each and, per process of the weekly order, the mean milliseconds per week; and whether
the two models end in the same state (they should, unless the commit changed results).
``--old-first`` builds the older model first: which model is built first changes where its
arrays sit in memory, which can move the figures by several percent.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD = "sim_old"


def extract(commit: str, into: Path) -> None:
    """The ``sim`` package of ``commit`` as the package ``sim_old`` in ``into``."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "sim"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    (into / "sim").rename(into / OLD)
    pattern = re.compile(r"\b(from|import) sim(\.|\b)")
    for path in (into / OLD).rglob("*.py"):
        path.write_text(pattern.sub(lambda m: f"{m.group(1)} {OLD}{m.group(2)}", path.read_text()))


def timed(label: str, module, acc: dict) -> None:
    """Wrap each process of ``module.WEEKLY_ORDER`` with a timer adding into ``acc[label]``."""
    order = []
    for name, fn in module.WEEKLY_ORDER:

        def step(model, fn=fn, name=name):
            t = time.perf_counter()
            fn(model)
            acc[label][name] += time.perf_counter() - t

        order.append((name, step))
    module.WEEKLY_ORDER = tuple(order)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("commit", help="the older commit (anything git accepts)")
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--weeks", type=int, default=520)
    ap.add_argument("--scenario", default="status-quo")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--old-first", action="store_true", help="build the older model first")
    args = ap.parse_args(argv)
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        extract(args.commit, Path(tmp))
        sys.path.insert(0, tmp)
        new_model, new_scn = (
            importlib.import_module("sim.model"),
            importlib.import_module("sim.scenario"),
        )
        old_model, old_scn = (
            importlib.import_module(f"{OLD}.model"),
            importlib.import_module(f"{OLD}.scenario"),
        )
        acc = {"old": collections.Counter(), "new": collections.Counter()}
        timed("new", new_model, acc)
        timed("old", old_model, acc)

        # compile or load every pass of both versions before timing (the older one is compiled
        # here, in a temporary folder; a shorter warm-up left passes to compile during the run)
        def scenario_for(which):
            if which == "new":
                return new_scn.load(args.scenario)
            try:
                return old_scn.load(args.scenario)
            except Exception:  # an older loader may not read today's scenario files: the values
                known = importlib.import_module(f"{OLD}.params").defaults()
                values = new_scn.load(args.scenario).values
                return {k: v for k, v in values.items() if k in known}

        for which, mod in (("new", new_model), ("old", old_model)):
            mod.RecoveryModel(scenario_for(which), n_users=2000, weeks=104, seed=1).run()
        for c in acc.values():
            c.clear()

        def build(which):
            mod = new_model if which == "new" else old_model
            return mod.RecoveryModel(
                scenario_for(which), n_users=args.users, weeks=args.weeks, seed=args.seed
            )

        first, second = ("old", "new") if args.old_first else ("new", "old")
        models = {first: build(first)}
        models[second] = build(second)
        total = {"old": 0.0, "new": 0.0}
        for week in range(args.weeks):
            for label in ("new", "old") if week % 2 == 0 else ("old", "new"):
                t = time.perf_counter()
                models[label].step()
                total[label] += time.perf_counter() - t
    w = args.weeks
    print(
        f"{args.users:,} users x {w} weeks, {args.scenario}, seed {args.seed} ({first} model built first)"
    )
    print(
        f"total: old ({args.commit}) {total['old']:.2f} s, new {total['new']:.2f} s, "
        f"ratio {total['new'] / total['old']:.3f}"
    )
    print("| process | old ms/week | new ms/week |\n|---|---:|---:|")
    for name in acc["old"]:
        print(f"| {name} | {acc['old'][name] / w * 1e3:.2f} | {acc['new'][name] / w * 1e3:.2f} |")
    o, n = models["old"], models["new"]
    same = all(
        np.array_equal(getattr(o.users, a), getattr(n.users, a)) for a in ("status", "hope", "comp")
    )
    same &= all(
        np.array_equal(getattr(o.relatives, a), getattr(n.relatives, a))
        for a in ("strain", "coping")
    )
    print("same state at the end:", "yes" if same else "no (the commit changed results)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
