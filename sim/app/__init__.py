"""The teaching and planner's pages: ``python -m sim app`` serves them on http://127.0.0.1:8765/ .

Teachers in health and social-work education show with it, live, how sense of coherence and
resistance resources (support, groups, housing, meaningful activity) protect people in recovery
and their next of kin, and how aftercare models differ. See ``docs/teachers.md``.

Modules: :mod:`sim.app.session` (the logic behind one open page, testable without a browser),
:mod:`sim.app.drawing` (the network picture and the plots), :mod:`sim.app.texts` (the page's
words), :mod:`sim.app.page` (the Solara page) and :mod:`sim.app.server` (offline serving).
This module imports none of them until the command runs, so the rest of the command line works
without Solara installed.
"""

from __future__ import annotations

import argparse


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--port must be a whole number in [1, 65535], got {text!r}"
        ) from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"--port must be a whole number in [1, 65535], got {value}"
        )
    return value


def _capped(flag: str, cap: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not 1 <= value <= cap:
            raise argparse.ArgumentTypeError(
                f"{flag} must be a whole number in [1, {cap}] (a cap that keeps a classroom "
                f"machine responsive), got {text!r}"
            )
        return value

    return parse


def add_commands(subparsers) -> None:
    """Register the ``app`` subcommand."""
    from sim.app.session import MAX_USERS, MAX_WEEKS
    from sim.app.texts import DEFAULT_LANG, LANGS
    from sim.cli import nonneg_int
    from sim.scenario import BUILTIN

    app = subparsers.add_parser(
        "app",
        help="start the teaching and planner's pages in the browser (local, offline)",
        description="Serve the teaching page (scenarios, sliders, play/step/reset, a network of a "
        "small population, live plots, a person's story) and the planner's page (a comparison "
        "against status quo), in bokmål or English. Open the printed address in a browser.",
    )
    app.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only; any other address "
        "is warned about, since other computers can then reach the pages)",
    )
    app.add_argument("--port", type=_port, default=8765, help="port (default 8765)")
    app.add_argument(
        "--users",
        type=_capped("--users", MAX_USERS),
        default=150,
        help="people in recovery in the teaching page's population (default 150, about 600 "
        f"people with next of kin; at most {MAX_USERS})",
    )
    app.add_argument(
        "--weeks",
        type=_capped("--weeks", MAX_WEEKS),
        default=260,
        help=f"horizon in weeks (default 260, at most {MAX_WEEKS})",
    )
    app.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help="language of the pages: nb (bokmål, the default) or en (English); "
        "it can also be switched in the page",
    )
    app.add_argument(
        "--planner",
        action="store_true",
        help="open on the planner's page (comparison against status quo) instead of the "
        "teaching page",
    )
    app.add_argument(
        "--scenario", choices=BUILTIN, default="status-quo", help="scenario shown first"
    )
    app.add_argument(
        "--classroom",
        action="store_true",
        help="start in classroom mode (fixed seed: the same story every time)",
    )
    app.add_argument(
        "--seed",
        type=nonneg_int("--seed"),
        default=None,
        help="seed of the first run outside classroom mode (default: random)",
    )
    app.set_defaults(func=cmd_app)


def cmd_app(args) -> int:
    from sim.app.server import serve

    return serve(
        host=args.host,
        port=args.port,
        users=args.users,
        weeks=args.weeks,
        scenario=args.scenario,
        classroom=args.classroom,
        seed=args.seed,
        lang=args.lang,
        planner=args.planner,
    )
