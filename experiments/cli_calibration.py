"""Commands ``calibrate`` and ``validate`` (issue 4), registered through ``sim.cli.PLUGINS``."""

from __future__ import annotations

from pathlib import Path

from sim.cli import nonneg_int, positive_int


def _names(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def _command(args) -> str:
    """The calibrate command line that reproduces this run (every option spelled out)."""
    parts = ["python -m sim calibrate"]
    if args.targets:
        parts.append(f"--targets {args.targets}")
    parts += [
        f"--out {args.out}",
        f"--trials {args.trials}",
        f"--users {args.users}",
        f"--weeks {args.weeks}",
        f"--replications {args.replications}",
        f"--confirm-replications {args.confirm_replications}",
        f"--top {args.top}",
        f"--seed {args.seed}",
        f"--sampler {args.sampler}",
    ]
    if args.workers:
        parts.append(f"--workers {args.workers}")
    if args.only:
        parts.append(f"--only {args.only}")
    if args.params:
        parts.append(f"--params {args.params}")
    if args.no_install:
        parts.append("--no-install")
    return " ".join(parts)


def cmd_calibrate(args) -> int:
    from experiments.calibration import calibrate, load_targets, select_parameters, select_targets

    ts = load_targets(args.targets)
    ts = select_targets(ts, _names(args.only))
    ts = select_parameters(ts, _names(args.params))
    command = _command(args)
    print(
        f"calibrating {', '.join(p.name for p in ts.parameters)} to "
        f"{', '.join(t.id + ':' + m.key for t, m in ts.calibration_measures())}",
        flush=True,
    )
    res = calibrate(
        ts,
        Path(args.out),
        trials=args.trials,
        users=args.users,
        weeks=args.weeks,
        replications=args.replications,
        seed=args.seed,
        workers=args.workers,
        top=args.top,
        confirm_replications=args.confirm_replications,
        install=not args.no_install,
        command=command,
        sampler_name=args.sampler,
        log=lambda s: print(s, flush=True),
    )
    print(f"distance {res.start_distance:.3f} at the start -> {res.distance:.3f} fitted")
    for name, value in res.fitted.items():
        print(f"  {name} = {value:g} (start {res.start[name]:g})")
    where = "sim/calibrated.toml and " if not args.no_install else ""
    print(
        f"written to {where}{args.out}/ (calibrated.toml, trials.csv, best_trials.csv, distance_per_target.csv, calibration.md)"
    )
    return 0


def cmd_validate(args) -> int:
    from experiments.calibration import load_targets, select_targets
    from experiments.validate import QUICK, validate

    ts = select_targets(load_targets(args.targets), _names(args.only))
    users, weeks, reps = args.users, args.weeks, args.replications
    if args.quick:
        users = users or QUICK["users"]
        weeks = weeks or QUICK["weeks"]
        reps = reps or QUICK["replications"]
    res = validate(
        ts,
        Path(args.out),
        replications=reps or 10,
        users=users or 2000,
        weeks=weeks or 260,
        seed=args.seed,
        workers=args.workers,
        quick=args.quick,
        doc=Path(args.doc) if args.doc else None,
        log=lambda s: print(s, flush=True),
    )
    passed = sum(1 for e in res.entries if e["pass"])
    print(
        f"{passed} of {len(res.entries)} targets pass; written {args.out}/validation.md and validation.json"
        + (f" and {args.doc}" if args.doc else "")
    )
    failing = [e["id"] for e in res.entries if not e["pass"]]
    if failing:
        print("failing: " + ", ".join(failing))
    return 0


def add_commands(sub) -> None:
    cal = sub.add_parser(
        "calibrate", help="fit the parameters not pinned by evidence to the targets (Optuna CMA-ES)"
    )
    cal.add_argument(
        "--targets", default=None, help="targets file (default experiments/targets.toml)"
    )
    cal.add_argument("--out", default="results/calibration", help="output folder")
    cal.add_argument(
        "--trials", type=positive_int("--trials"), default=200, help="Optuna trials (default 200)"
    )
    cal.add_argument(
        "--users",
        type=positive_int("--users"),
        default=1000,
        help="users per calibration run (default 1000)",
    )
    cal.add_argument("--weeks", type=positive_int("--weeks"), default=260)
    cal.add_argument(
        "--replications",
        type=positive_int("--replications"),
        default=2,
        help="seeds per trial, the same in every trial (default 2)",
    )
    cal.add_argument(
        "--confirm-replications",
        type=nonneg_int("--confirm-replications"),
        default=4,
        help="fresh seeds for re-running the best trials (default 4)",
    )
    cal.add_argument(
        "--top", type=positive_int("--top"), default=5, help="best trials re-run (default 5)"
    )
    cal.add_argument("--seed", type=nonneg_int("--seed"), default=1)
    cal.add_argument("--workers", type=positive_int("--workers"), default=None)
    cal.add_argument(
        "--only", default=None, help="comma-separated target ids to calibrate to (default: all)"
    )
    cal.add_argument(
        "--params",
        default=None,
        help="comma-separated parameters to fit (default: the targets file's)",
    )
    cal.add_argument(
        "--sampler",
        choices=("cmaes", "tpe"),
        default="cmaes",
        help="Optuna sampler: CMA-ES from the registry defaults (default) or TPE",
    )
    cal.add_argument(
        "--no-install",
        action="store_true",
        help="do not write sim/calibrated.toml (only DIR/calibrated.toml)",
    )
    cal.set_defaults(func=cmd_calibrate)
    val = sub.add_parser(
        "validate",
        help="run the calibrated model and compare every target (validation.md, validation.json)",
    )
    val.add_argument(
        "--targets", default=None, help="targets file (default experiments/targets.toml)"
    )
    val.add_argument("--out", default="results/validation", help="output folder")
    val.add_argument(
        "--quick", action="store_true", help="reduced size for CI (400 users, 3 replications)"
    )
    val.add_argument(
        "--users", type=positive_int("--users"), default=None, help="users per run (default 2000)"
    )
    val.add_argument(
        "--weeks", type=positive_int("--weeks"), default=None, help="weeks (default 260)"
    )
    val.add_argument(
        "--replications",
        type=positive_int("--replications"),
        default=None,
        help="replications (default 10)",
    )
    val.add_argument("--seed", type=nonneg_int("--seed"), default=1)
    val.add_argument("--workers", type=positive_int("--workers"), default=None)
    val.add_argument("--only", default=None, help="comma-separated target ids (default: all)")
    val.add_argument(
        "--doc",
        default=None,
        help="also write the report here with figure links into --out (e.g. docs/validation.md)",
    )
    val.set_defaults(func=cmd_validate)
