"""``python -m sim bench``: how fast the model runs, against a per-agent Mesa reference.

For each size (1,000, 10,000 and 100,000 users by default) over 520 weeks the benchmark
reports the set-up seconds, the seconds per run, person-weeks per second (users plus
relatives), the peak resident memory and, up to 10,000 users, the ratio to the per-agent
reference model (sim/reference) timed in the same benchmark run. It fits the exponent of
run time against users, times the 2,000-user, 260-week run of the default report, and writes
everything as JSON.

Each measurement runs in its own child process (so peak memory is that run's), on one core
(``OMP_NUM_THREADS=1`` and friends), and the best of ``--repeats`` runs is reported: other
work on the machine only ever slows a run down. CPU seconds and the load average are
recorded too, so a figure taken on a busy machine can be recognised as such.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ONE_CORE = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}
TARGETS = {
    "run_s_100k": 10.0,
    "setup_s_100k": 3.0,
    "peak_rss_mb_100k": 2048.0,
    "speedup_10k": 50.0,
    "exponent": 1.15,
    "run_s_2000x260": 5.0,
}


# ---------------------------------------------------------------------------- one measurement
def measure(impl: str, users: int, weeks: int, repeats: int, scenario: str, seed: int) -> dict:
    """Time ``repeats`` runs of one implementation in this process; return the best figures."""
    import resource

    from sim import scenario as scn

    if impl == "vectorised":
        from sim.model import RecoveryModel as Model
    else:
        from sim.reference import ReferenceModel as Model
    sc = scn.load(scenario)
    # the compiled passes (numba) are compiled on first use and cached on disk; a small run first
    # compiles every one of them or loads it from the cache, and that time is reported apart
    jit_s = 0.0
    if impl == "vectorised":
        from sim.model import warm_up

        jit_s = warm_up(scenario)
    best: dict | None = None
    first_peak = 0.0
    for k in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        model = Model(sc, n_users=users, weeks=weeks, seed=seed + k)
        w1, c1 = time.perf_counter(), time.process_time()
        model.run()
        w2, c2 = time.perf_counter(), time.process_time()
        people = users + (len(model.relatives) if impl == "reference" else model.relatives.n)
        trial = {
            "setup_s": w1 - w0,
            "run_s": w2 - w1,
            "setup_cpu_s": c1 - c0,
            "run_cpu_s": c2 - c1,
            "people": people,
        }
        if best is None:
            best = dict(trial, runs_s=[trial["run_s"]])
        else:
            best["runs_s"].append(trial["run_s"])
            for key in ("setup_s", "run_s", "setup_cpu_s", "run_cpu_s"):
                best[key] = min(best[key], trial[key])
        if k == 0:
            first_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        release(model)
        del model
        gc.collect()
    assert best is not None
    best.update(
        impl=impl,
        users=users,
        weeks=weeks,
        repeats=repeats,
        jit_warmup_s=jit_s,
        person_weeks_per_s=best["people"] * weeks / best["run_s"],
        peak_rss_mb=first_peak,
        peak_rss_mb_all_repeats=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    )
    return best


def release(model) -> None:
    """Let a finished model be freed: Mesa before 3.4.2 keeps every model in ``Agent._ids``."""
    import mesa

    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


def measure_in_child(
    impl: str, users: int, weeks: int, repeats: int, scenario: str, seed: int
) -> dict:
    """Run :func:`measure` in a fresh one-core Python process (its own peak memory)."""
    env = dict(os.environ, **ONE_CORE)
    spec = json.dumps(
        {
            "impl": impl,
            "users": users,
            "weeks": weeks,
            "repeats": repeats,
            "scenario": scenario,
            "seed": seed,
        }
    )
    out = subprocess.run(
        [sys.executable, "-m", "sim.bench", "--child", spec],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({impl}, {users} users):\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- the benchmark
def fitted_exponent(users: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) on log(users): 1 means cost grows linearly."""
    x = [math.log(u) for u in users]
    y = [math.log(s) for s in seconds]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x)


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    for pkg in ("numpy", "scipy", "mesa", "numba"):
        try:
            info[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return info


def run_benchmark(
    sizes: list[int],
    weeks: int,
    repeats: int,
    reference_up_to: int,
    reference_repeats: int,
    scenario: str,
    seed: int,
    check_weeks: int = 260,
    check_users: int = 2000,
    log=print,
) -> dict:
    """Measure every size (and the reference up to ``reference_up_to`` users); return the results."""
    started = time.time()
    load_start = os.getloadavg() if hasattr(os, "getloadavg") else None
    rows = []
    for users in sizes:
        log(f"  vectorised, {users:,} users x {weeks} weeks (best of {repeats}) ...")
        vec = measure_in_child("vectorised", users, weeks, repeats, scenario, seed)
        row = {"users": users, "weeks": weeks, "people": vec["people"], "vectorised": vec}
        if users <= reference_up_to:
            log(
                f"  per-agent reference, {users:,} users x {weeks} weeks (best of {reference_repeats}) ..."
            )
            ref = measure_in_child("reference", users, weeks, reference_repeats, scenario, seed)
            row["reference"] = ref
            row["speedup"] = ref["run_s"] / vec["run_s"]
        rows.append(row)
    log(f"  vectorised, {check_users:,} users x {check_weeks} weeks (the default report's run) ...")
    check = measure_in_child("vectorised", check_users, check_weeks, repeats, scenario, seed)
    result = {
        "command": " ".join(["python -m sim bench"] + sys.argv[2:])
        if sys.argv[1:2] == ["bench"]
        else " ".join(sys.argv),
        "scenario": scenario,
        "seed": seed,
        "weeks": weeks,
        "repeats": repeats,
        "reference_repeats": reference_repeats,
        "rows": rows,
        "exponent": fitted_exponent(
            [r["users"] for r in rows], [r["vectorised"]["run_s"] for r in rows]
        )
        if len(rows) >= 2
        else None,
        "check_2000x260": {
            "users": check_users,
            "weeks": check_weeks,
            "setup_s": check["setup_s"],
            "run_s": check["run_s"],
            "total_s": check["setup_s"] + check["run_s"],
        },
        "machine": machine(),
        "load_average_start": load_start,
        "load_average_end": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "wall_s": time.time() - started,
        "targets": TARGETS,
    }
    return result


def table(result: dict) -> str:
    """The results as a Markdown table with a few lines of checks."""
    lines = [
        f"Benchmark: scenario {result['scenario']}, {result['weeks']} weeks, best of {result['repeats']} "
        f"(reference: best of {result['reference_repeats']}), one core",
        "",
        "| users | people | JIT warm-up s | set-up s | run s | CPU s | person-weeks/s | peak RSS MB | reference run s | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        v = r["vectorised"]
        ref = r.get("reference")
        lines.append(
            f"| {r['users']:,} | {r['people']:,} | {v.get('jit_warmup_s', 0.0):.2f} | {v['setup_s']:.2f} | {v['run_s']:.2f} | {v['run_cpu_s']:.2f} | "
            f"{v['person_weeks_per_s']:,.0f} | {v['peak_rss_mb']:.0f} | "
            + (f"{ref['run_s']:.1f} | {r['speedup']:.0f}x |" if ref else "- | - |")
        )
    lines.append("")
    lines.append(
        "JIT warm-up: a 1,000-user, 40-week run before the timed runs (sim.model.warm_up), which compiles "
        "every numba pass or loads it from the on-disk cache (compiled once per installation)."
    )
    if result.get("exponent") is not None:
        lines.append(
            f"Fitted exponent of run time against users: {result['exponent']:.3f} (1 = linear)"
        )
    c = result["check_2000x260"]
    lines.append(
        f"{c['users']:,} users x {c['weeks']} weeks: set-up {c['setup_s']:.2f} s + run {c['run_s']:.2f} s "
        f"= {c['total_s']:.2f} s"
    )
    la, lb = result.get("load_average_start"), result.get("load_average_end")
    if la and lb:
        lines.append(
            f"Load average (1 min) at start {la[0]:.2f}, at end {lb[0]:.2f} on {result['machine']['cpu_count']} cores"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- command line
def _sizes(text: str) -> list[int]:
    import argparse

    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--sizes must be comma-separated whole numbers, got {text!r}"
        ) from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"--sizes must be whole numbers >= 1, got {text!r}")
    return sizes


def cmd_bench(args) -> int:
    from sim import scenario as scn

    scn.load(args.scenario)  # a bad name or file fails here, in one line
    print(f"recovery-sim benchmark ({args.scenario}, {args.weeks} weeks) -> {args.out}", flush=True)
    result = run_benchmark(
        args.sizes,
        args.weeks,
        args.repeats,
        args.reference_up_to,
        args.reference_repeats,
        args.scenario,
        args.seed,
        args.check_weeks,
        args.check_users,
        log=lambda s: print(s, flush=True),
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print()
    print(table(result), end="")
    return 0


def add_commands(sub) -> None:
    """Register ``bench`` with the ``python -m sim`` parser."""
    from sim.cli import nonneg_int, positive_int

    b = sub.add_parser(
        "bench", help="time the model at 1k, 10k and 100k users against a per-agent reference"
    )
    b.add_argument(
        "--sizes", type=_sizes, default=[1000, 10000, 100000], help="users per run, comma-separated"
    )
    b.add_argument("--weeks", type=positive_int("--weeks"), default=520)
    b.add_argument(
        "--repeats",
        type=positive_int("--repeats"),
        default=3,
        help="runs per size; the best counts",
    )
    b.add_argument(
        "--reference-up-to",
        type=nonneg_int("--reference-up-to"),
        default=10000,
        help="time the per-agent reference for sizes up to this many users (0: never)",
    )
    b.add_argument("--reference-repeats", type=positive_int("--reference-repeats"), default=1)
    b.add_argument("--scenario", default="status-quo")
    b.add_argument("--seed", type=nonneg_int("--seed"), default=1)
    b.add_argument(
        "--out", default="results/bench/bench.json", help="where to write the JSON results"
    )
    b.add_argument(
        "--check-users",
        type=positive_int("--check-users"),
        default=2000,
        help="users of the extra timing of the default report's run",
    )
    b.add_argument(
        "--check-weeks",
        type=positive_int("--check-weeks"),
        default=260,
        help="weeks of the extra timing of the default report's run",
    )
    b.set_defaults(func=cmd_bench)


def _child(spec: str) -> int:
    args = json.loads(spec)
    print(json.dumps(measure(**args)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(_child(sys.argv[2]))
    from sim.cli import main

    sys.exit(main(["bench"] + sys.argv[1:]))
