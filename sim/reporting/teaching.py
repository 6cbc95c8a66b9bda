"""The teaching page's series (sim/app/session.py): the weekly reporters, mostly as percentages,
and the few measures only the page plots.

Unlike the recorder, the page also measures week 0 (the people as built), so it calls the
reporters on the model rather than reading the recorded columns.
"""

from __future__ import annotations

import numpy as np

from sim.reporting.counts import Tally
from sim.reporting.weekly import WEEKLY, Reporter, registry, users_share


def _percent(read):
    return lambda t: 100.0 * read(t)


def _percent_of(name: str):
    return _percent(WEEKLY[name].read)


def _ever_relapsed(t: Tally) -> float:
    u = t.model.users
    return np.count_nonzero(u.first_relapse >= 0) / max(u.n, 1)


def _stable_home(t: Tally) -> float:
    n = t.model.users.n
    return (n - t.users["unstable_housing"]) / max(n, 1)


def _support(t: Tally) -> float:
    # support is first worked out in week 1
    return 100.0 * WEEKLY["mean_support_users"].read(t) if t.model.week > 0 else float("nan")


R = Reporter
PAGE: dict[str, Reporter] = registry(
    R("week", lambda t: t.model.week, "weeks run", "weeks"),
    R("using_pct", _percent(users_share("using")), "users out of treatment, using", "%"),
    R("ever_relapsed_pct", _percent(_ever_relapsed), "users who relapsed since discharge", "%"),
    R("strain", _percent_of("relatives_mean_strain"), "relatives' mean strain", "0-100"),
    R("burnout_pct", _percent_of("relatives_burnout_share"), "relatives in burnout", "%"),
    R(
        "users_in_groups_pct",
        _percent(users_share("in_groups")),
        "users in a self-help group",
        "%",
    ),
    R(
        "relatives_in_groups_pct",
        _percent_of("relatives_in_groups_share"),
        "relatives in a group or course",
        "%",
    ),
    WEEKLY["groups_active"],
    R("comprehensibility", WEEKLY["mean_comprehensibility"].read, "users' mean", "SOC item, 1-7"),
    R("manageability", WEEKLY["mean_manageability"].read, "users' mean", "SOC item, 1-7"),
    R("meaningfulness", WEEKLY["mean_meaningfulness"].read, "users' mean", "SOC item, 1-7"),
    R("soc13", WEEKLY["mean_soc13_users"].read, "users' SOC-13", "SOC-13, 13-91"),
    R("hope", WEEKLY["mean_hope_users"].read, "users' mean hope", "Adult Hope Scale, 8-64"),
    R("stable_home_pct", _percent(_stable_home), "users not in unstable housing", "%"),
    R("activity_pct", _percent_of("users_with_activity"), "users with an activity", "%"),
    R("support", _support, "users' mean social support (NaN in week 0)", "0-100"),
)
