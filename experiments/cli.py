"""Command-line commands of the experiments: ``compare``, ``sweep`` and ``sensitivity``.

Registered into ``python -m sim`` by :func:`add_commands`. Each command runs on a local process
pool by default (``--workers N``) or on a Dask cluster (``--scheduler tcp://HOST:PORT`` or a
scheduler file). Bad input raises :class:`InputError` before any run starts.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from pathlib import Path

from sim.cli import nonneg_int, positive_int, progress_bar
from sim.errors import InputError
from sim.guards import output_dir


def _executor_args(p) -> None:
    p.add_argument(
        "--workers",
        type=positive_int("--workers"),
        default=None,
        help="local worker processes (default: one per core, at most 8; 1 = in this process)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on a Dask cluster: tcp://HOST:PORT of its scheduler, or a scheduler file",
    )


@contextlib.contextmanager
def _stop_on_sigterm():
    """Treat SIGTERM (e.g. a batch job reaching its wall time) like Ctrl-C: stop cleanly, keep stored runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _scenarios(text: str, baseline: str):
    from sim import scenario as scn

    names = [s.strip() for s in text.split(",") if s.strip()] if text else list(scn.BUILTIN)
    if not names:
        raise InputError("--scenarios: give at least one scenario (comma-separated names or files)")
    if baseline not in names:
        names.insert(0, baseline)
    scenarios = [scn.load(n) for n in names]
    seen = [s.name for s in scenarios]
    dupes = sorted({n for n in seen if seen.count(n) > 1})
    if dupes:
        raise InputError(f"--scenarios: two scenarios share the name '{dupes[0]}'")
    base = next(s.name for s, n in zip(scenarios, names) if n == baseline)
    return scenarios, base


def cmd_compare(args) -> int:
    from experiments.compare import compare, write_manifest
    from experiments.executors import make_executor
    from sim.staging import staged

    scenarios, baseline = _scenarios(args.scenarios, args.baseline)
    out = Path(args.out)
    tasks = len(scenarios) * args.replications
    # the tables, figures and manifest are moved into --out together (a full disk: none of them)
    with make_executor(args.workers, args.scheduler) as executor, staged(out) as stage:
        update, close = progress_bar(tasks, "runs")
        t0 = time.perf_counter()
        try:
            _, _, diff = compare(
                scenarios,
                baseline,
                args.replications,
                args.users,
                args.weeks,
                args.seed,
                stage,
                progress=update,
                executor=executor,
            )
        finally:
            close()
        write_manifest(
            stage,
            scenarios,
            baseline,
            args.replications,
            args.users,
            args.weeks,
            args.seed,
            executor.description,
        )
    seconds = time.perf_counter() - t0
    print(
        f"compared {len(scenarios)} scenarios x {args.replications} paired replications "
        f"({tasks} runs, {args.users} users, {args.weeks} weeks) in {seconds:.0f} s -> {out}"
    )
    if len(diff):
        rel = diff[diff.metric == "relapse_within_52w"]
        for _, r in rel.iterrows():
            print(
                f"  {r['scenario']:>14s} - {baseline}: relapse_within_52w {100 * r['difference']:+.1f} points "
                f"(95% {100 * r['low']:+.1f} to {100 * r['high']:+.1f}; unpaired "
                f"{100 * r['unpaired_low']:+.1f} to {100 * r['unpaired_high']:+.1f})"
            )
    print(
        "  files: tables.md, scenarios.csv, differences.csv, runs.csv, survival.png, relatives_burnout.png, "
        "groups.png, users_using.png, manifest.json"
    )
    return 0


def _print_plan(design, p) -> None:
    """What a sweep or sensitivity analysis would run (``--dry-run``)."""
    for exp in design.experiments:
        n = len(p.points[exp.name])
        print(
            f"{exp.name}: {n} points x {exp.replications} replications = {n * exp.replications} runs "
            f"({exp.users} users, {exp.weeks} weeks, sampler {exp.sampler})"
        )


def cmd_sweep(args) -> int:
    from experiments import design as dsg
    from experiments.executors import make_executor
    from experiments.sweep import plan, run_sweep

    design = dsg.load(args.design)
    out = output_dir(args.out or Path("results") / Path(args.design).stem, "--out")
    p = plan(design)  # validates every point before anything starts
    if args.dry_run:
        _print_plan(design, p)
        return 0
    with _stop_on_sigterm(), make_executor(args.workers, args.scheduler) as executor:
        t0 = time.perf_counter()
        report = run_sweep(design, out, executor)
    seconds = time.perf_counter() - t0
    print(
        f"sweep {', '.join(e.name for e in design.experiments)}: {report.total} runs "
        f"({report.stored_before} already stored, {report.ran} run now in {seconds:.0f} s) -> {out}"
    )
    robust = ", robustness.csv, robustness.md" if any(e.levers for e in design.experiments) else ""
    print(
        "  files: runs/ and weekly/ (Parquet, partitioned by experiment), points.parquet, summary.csv"
        f"{robust}, manifest.json"
    )
    return 0


def cmd_sensitivity(args) -> int:
    from experiments import design as dsg
    from experiments.executors import make_executor
    from experiments.sensitivity import run_sensitivity
    from experiments.sweep import plan

    design = dsg.load(args.design, method=args.method)
    out = output_dir(
        args.out or Path("results") / f"{Path(args.design).stem}-{args.method}", "--out"
    )
    p = plan(design)  # validates every point before anything starts
    if args.dry_run:
        _print_plan(design, p)
        return 0
    with _stop_on_sigterm(), make_executor(args.workers, args.scheduler) as executor:
        t0 = time.perf_counter()
        report, table, notes = run_sensitivity(design, args.method, out, executor)
    seconds = time.perf_counter() - t0
    print(
        f"sensitivity ({args.method}): {report.total} runs ({report.stored_before} already stored, "
        f"{report.ran} run now in {seconds:.0f} s) -> {out}"
    )
    key = "mu_star" if args.method == "morris" else "ST"
    if len(table):
        first = table.groupby(["experiment", "scenario", "output"], sort=False)
        (exp, sc, output), grp = next(iter(first))
        print(f"  ranking for {output} ({exp}, base {sc}) by {key}:")
        for _, r in grp.sort_values("rank").iterrows():
            conf = r[f"{key}_conf"]
            print(f"    {int(r['rank']):2d}. {r['factor']:40s} {r[key]:.4f} +/- {conf:.4f}")
    for n in notes:
        print(f"  note: {n}")
    print(f"  files: indices.csv, indices.md, {args.method}.png, runs/, manifest.json")
    return 0


def add_commands(sub) -> None:
    """Add ``compare``, ``sweep`` and ``sensitivity`` to the ``python -m sim`` parser."""
    cmp_ = sub.add_parser(
        "compare", help="paired replicated comparison of scenarios against a baseline"
    )
    cmp_.add_argument(
        "--scenarios",
        default="",
        help="comma-separated built-in names or .toml/.yaml files (default: the five built-ins)",
    )
    cmp_.add_argument(
        "--baseline", default="status-quo", help="scenario the others are compared against"
    )
    cmp_.add_argument("--replications", type=positive_int("--replications"), default=20)
    cmp_.add_argument("--users", type=positive_int("--users"), default=2000)
    cmp_.add_argument("--weeks", type=positive_int("--weeks"), default=260)
    cmp_.add_argument(
        "--seed",
        type=nonneg_int("--seed"),
        default=1,
        help="replication i of every scenario uses seed + i (common random numbers)",
    )
    cmp_.add_argument("--out", default="results/compare")
    _executor_args(cmp_)
    cmp_.set_defaults(func=cmd_compare)

    sw = sub.add_parser("sweep", help="run a parameter sweep from a design file (resumable)")
    _design_args(sw, "design file (.toml or .yaml); see docs/researchers.md", "<design name>")
    sw.set_defaults(func=cmd_sweep)

    sa = sub.add_parser("sensitivity", help="global sensitivity analysis (SALib Morris or Sobol)")
    sa.add_argument("--method", required=True, choices=("morris", "sobol"))
    _design_args(sa, "design file whose factors are ranges", "<design>-<method>")
    sa.set_defaults(func=cmd_sensitivity)


def _design_args(parser, design_help: str, default_out: str) -> None:
    """The arguments of a command that runs a design file: design, out, dry run, executor."""
    parser.add_argument("--design", required=True, help=design_help)
    parser.add_argument(
        "--out", default=None, help=f"results directory (default: results/{default_out})"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check the design and print the number of runs"
    )
    _executor_args(parser)


if __name__ == "__main__":  # pragma: no cover
    from sim.cli import main

    sys.exit(main())
