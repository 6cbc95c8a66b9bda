"""Command line: ``python -m sim`` (also installed as ``recovery-sim``).

Bad input gives one line on stderr naming the field and allowed values, and exit code 2.
Commands from other parts of the project register through ``add_commands(subparsers)`` in
the modules listed in ``PLUGINS``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from sim.errors import InputError, one_line

PLUGINS = (
    "experiments.cli",
    "sim.bench",
    "sim.app",
    "experiments.cli_calibration",
    "experiments.municipality",
)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {one_line(message)}\n")
        raise SystemExit(2)


def int_at_least(name: str, minimum: int):
    """An argparse type: a whole number >= ``minimum``, with a one-line error naming ``name``.

    A number of users or weeks (``name`` ending in "users" or "weeks") must also fit the memory
    available (:func:`sim.guards.check_users`, :func:`sim.guards.check_weeks`)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number >= {minimum}, got {text!r}"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number >= {minimum}, got {value}"
            )
        if name.endswith(("users", "weeks")):
            from sim.guards import check_users, check_weeks

            try:
                (check_users if name.endswith("users") else check_weeks)(value, name)
            except InputError as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    return parse


def plain(x: float) -> str:
    """A number as people write it: 1000000, not 1e+06; 0.5 as 0.5."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def number_between(name: str, low: float, high: float, whole: bool = False):
    """An argparse type: a number (a whole number if ``whole``) from ``low`` to ``high``, with a
    one-line error naming ``name`` and the range."""
    what = "a whole number" if whole else "a number"

    def parse(text: str) -> float:
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{name} must be {what} from {plain(low)} to {plain(high)}, got {text!r}"
            )
        return value

    return parse


def positive_int(name: str):
    return int_at_least(name, 1)


def nonneg_int(name: str):
    return int_at_least(name, 0)


def thread_lock_for_tqdm() -> None:
    """Give tqdm a thread lock. Its default also makes a multiprocessing lock, which under the
    "spawn" start method that importing mesa sets is a named semaphore: when the command is
    killed, the resource tracker then prints a "leaked semaphore" warning. Our bars are drawn by
    one process only."""
    import threading

    from tqdm import tqdm

    if not hasattr(tqdm, "_lock"):
        tqdm.set_lock(threading.RLock())


def progress_bar(total: int, desc: str):
    """A tqdm bar on a terminal; silent otherwise. Returns (update, close)."""
    from tqdm import tqdm

    thread_lock_for_tqdm()

    bar = tqdm(total=total, desc=desc, disable=not sys.stderr.isatty(), unit="step", leave=False)
    return bar.update, bar.close


def cmd_scenarios(args) -> int:
    from sim.scenario import describe_builtins, markdown_table

    if args.markdown:
        sys.stdout.write(markdown_table())
        return 0
    for name, desc in describe_builtins():
        print(f"{name:14s} {desc}")
    return 0


def cmd_params(args) -> int:
    from sim.params import PARAMS, markdown_table

    if args.markdown:
        sys.stdout.write(markdown_table())
    else:
        for p in PARAMS:
            print(f"{p.name:40s} {p.kind:10s} {p.default:<8g} [{p.low:g}, {p.high:g}] {p.unit}")
    return 0


def cmd_run(args) -> int:
    from sim import scenario as scn
    from sim.runner import simulate, write_run

    sc = scn.load(args.scenario)
    update, close = progress_bar(args.weeks, f"{sc.name}")
    last = [0]

    def progress(week: int) -> None:
        update(week - last[0])
        last[0] = week

    result = simulate(sc, args.users, args.weeks, args.seed, progress)
    close()
    write_run(result, Path(args.out), figures=not args.no_figures)
    s = result.summary
    print(f"{sc.name}: {args.users} users, {args.weeks} weeks, seed {args.seed} -> {args.out}")
    for key in (
        "relapse_within_52w",
        "continuous_abstinence_52w",
        "relatives_burnout_prevalence",
        "groups_active",
    ):
        print(f"  {key} = {s[key]:.3f}")
    return 0


def cmd_report(args) -> int:
    from experiments.report import write_report

    tasks = 5 * args.replications
    update, close = progress_bar(tasks, "runs")
    path = write_report(
        Path(args.out), args.replications, args.users, args.weeks, args.seed, args.workers, update
    )
    close()
    print(f"report written to {path}")
    return 0


def build_parser() -> Parser:
    parser = Parser(
        prog="recovery-sim",
        description="Simulate recovery, next of kin and self-help groups under aftercare scenarios.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    sc = sub.add_parser("scenarios", help="list built-in scenarios")
    sc.add_argument(
        "--markdown",
        action="store_true",
        help="print each built-in scenario's levers with value, range and source as Markdown",
    )
    sc.set_defaults(func=cmd_scenarios)
    pp = sub.add_parser("params", help="list every parameter with default, range and unit")
    pp.add_argument("--markdown", action="store_true", help="print the parameter table as Markdown")
    pp.set_defaults(func=cmd_params)
    run = sub.add_parser("run", help="run one scenario and write its files")
    run.add_argument("--scenario", default="status-quo", help="built-in name or a .toml/.yaml file")
    run.add_argument("--users", type=positive_int("--users"), default=2000)
    run.add_argument("--weeks", type=positive_int("--weeks"), default=260)
    run.add_argument("--seed", type=nonneg_int("--seed"), default=0)
    run.add_argument("--out", default="results/run")
    run.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    run.set_defaults(func=cmd_run)
    rep = sub.add_parser(
        "report", help="main job: compare the five built-in scenarios and write a report"
    )
    rep.add_argument("--replications", type=positive_int("--replications"), default=10)
    rep.add_argument("--users", type=positive_int("--users"), default=2000)
    rep.add_argument("--weeks", type=positive_int("--weeks"), default=260)
    rep.add_argument("--seed", type=nonneg_int("--seed"), default=1)
    rep.add_argument("--workers", type=positive_int("--workers"), default=None)
    rep.add_argument("--out", default="results/default")
    rep.set_defaults(func=cmd_report)
    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        add = getattr(module, "add_commands", None)
        if add is not None:
            add(sub)
    return parser


#: Commands whose ``--out`` names a file rather than a folder.
OUT_FILES = ("bench",)


def check_outputs(args) -> None:
    """Refuse an output path that cannot be written before anything runs (sim/guards.py)."""
    from sim.guards import output_dir, output_file

    out = getattr(args, "out", None)
    if out is not None:
        (output_file if args.command in OUT_FILES else output_dir)(out, "--out")
    if getattr(args, "doc", None):
        output_file(args.doc, "--doc")


def _quiet_stdout() -> None:
    """After a closed pipe (``sim params | head``): send what is left to /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        check_outputs(args)
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here rather than at exit
        return code
    except InputError as exc:
        sys.stderr.write(f"recovery-sim: error: {exc}\n")
        return 2
    except BrokenPipeError:
        _quiet_stdout()
        return 141  # as if ended by SIGPIPE, quietly
    except KeyboardInterrupt:
        sys.stderr.write("recovery-sim: interrupted\n")
        return 130
    except OSError as exc:  # a full disk, a folder removed underneath: one line, not a traceback
        where = f"'{exc.filename}': " if exc.filename else ""
        sys.stderr.write(f"recovery-sim: error: {one_line(where + str(exc.strerror or exc))}\n")
        return 2
