"""The weekly measures, each declared once: name -> function, description, unit.

Like the ``model_reporters`` of Mesa's ``DataCollector``: :data:`WEEKLY` maps each column of
``weekly.parquet`` (in its order) to a :class:`Reporter`. The recorder (process 9, sim/record.py)
writes them every week; the summary, the calibration measures and the teaching page read the
recorded columns or call the same reporters. A reporter's function takes a
:class:`~sim.reporting.counts.Tally` (the counts of one moment, shared by all reporters of that
moment); calling the reporter with a model tallies that model.

To add a measure: add one ``Reporter`` line here (it becomes a new column of weekly.parquet).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.codes import CLINIC, MIXED, RELATIVES_COURSE, RELATIVES_OPEN, TWELVE_STEP
from sim.reporting.counts import Tally
from sim.soc import soc13

if TYPE_CHECKING:
    from sim.model import RecoveryModel


@dataclass(frozen=True)
class Reporter:
    """One measure: its name, how it is read off a tally of the model, what it means, its unit."""

    name: str
    read: Callable[[Tally], float]
    description: str
    unit: str

    def __call__(self, model: RecoveryModel) -> float:
        return float(self.read(Tally(model)))


def registry(*reporters: Reporter) -> dict[str, Reporter]:
    """Reporters by name, in the order given (names must be unique)."""
    out = {r.name: r for r in reporters}
    if len(out) != len(reporters):
        raise ValueError("two reporters have the same name")
    return out


def report(model: RecoveryModel, reporters: Iterable[Reporter]) -> dict[str, float]:
    """The reporters' values for ``model`` as it is now, from one tally."""
    t = Tally(model)
    return {r.name: float(r.read(t)) for r in reporters}


def _mean(x) -> float:
    return float(x.mean())


# readers: a count, a share or a mean of one column
def users(count: str) -> Callable[[Tally], float]:
    return lambda t: t.users[count]


def users_share(count: str) -> Callable[[Tally], float]:
    return lambda t: t.user_share(count)


def relatives_share(count: str) -> Callable[[Tally], float]:
    return lambda t: t.relative_shares[count]


def users_mean(column: str) -> Callable[[Tally], float]:
    return lambda t: t.living_mean(column)


def living_share(count: str) -> Callable[[Tally], float]:
    return lambda t: t.living_share(count)


def relatives_mean(column: str) -> Callable[[Tally], float]:
    return lambda t: t.present_relatives_mean(column)


def _users_here(t: Tally) -> float:
    u = t.users
    return float(u["treatment"] + u["abstinent"] + u["using"])


def _groups(*kinds: int) -> Callable[[Tally], float]:
    return lambda t: sum(t.groups_by_type[k] for k in kinds)


def _mean_group_size(t: Tally) -> float:
    sizes = t.meeting_sizes
    return _mean(sizes) if len(sizes) else float("nan")


def _mean_soc13_users(t: Tally) -> float:
    return soc13(t.living_mean("comp"), t.living_mean("manage"), t.living_mean("meaning"))


R = Reporter
SOC_ITEM, SOC13, SHARE, ZERO_ONE = "SOC item, 1-7", "SOC-13, 13-91", "share", "0-1"
# fmt: off
WEEKLY: dict[str, Reporter] = registry(
    R("users_in_treatment", users("treatment"), "users in treatment", "users"),
    R("users_abstinent", users("abstinent"), "users out of treatment, abstinent", "users"),
    R("users_using", users("using"), "users out of treatment, using", "users"),
    R("users_dead", users("dead"), "users who have died (all-cause, cumulative)", "users"),
    R("relapses", users("relapsed"), "users who relapsed this week", "users"),
    R("users_in_aftercare", users("in_aftercare"), "users with aftercare weeks left", "users"),
    R("aftercare_contacts", users("contacts"), "aftercare contacts this week", "contacts"),
    R("users_waiting_treatment", users("waiting_treatment"),
      "users waiting for a treatment place (queue)", "users"),
    R("users_waiting_aftercare", users("waiting_aftercare"),
      "users waiting for an aftercare place (queue)", "users"),
    R("users_in_groups", users("in_groups"), "users in a self-help group", "users"),
    R("users_attending", users("attending"), "users at a meeting this week", "users"),
    R("groups_active", lambda t: len(t.attendance), "active self-help groups", "groups"),
    R("groups_users", _groups(TWELVE_STEP, MIXED, CLINIC),
      "active users' groups (12-step, mixed, clinic-led)", "groups"),
    R("groups_relatives", _groups(RELATIVES_OPEN, RELATIVES_COURSE),
      "active relatives' open groups and courses", "groups"),
    R("meetings_held", lambda t: len(t.meeting_sizes), "meetings held (2+ present)", "meetings"),
    R("mean_group_size", _mean_group_size, "present per meeting held (NaN: none)", "people"),
    R("mean_soc13_users", _mean_soc13_users, "living users' SOC-13 (of the mean components)", SOC13),
    R("mean_comprehensibility", users_mean("comp"), "living users' mean comprehensibility", SOC_ITEM),
    R("mean_manageability", users_mean("manage"), "living users' mean manageability", SOC_ITEM),
    R("mean_meaningfulness", users_mean("meaning"), "living users' mean meaningfulness", SOC_ITEM),
    R("mean_hope_users", users_mean("hope"), "living users' mean hope", "Adult Hope Scale, 8-64"),
    R("mean_shame_users", users_mean("shame"), "living users' mean shame", ZERO_ONE),
    R("mean_support_users", users_mean("support"), "living users' mean social support", ZERO_ONE),
    R("mean_using_ties", users_mean("using_ties"), "living users' mean ties to people using", "ties"),
    R("mean_sober_ties", users_mean("sober_ties"), "living users' mean ties to sober people", "ties"),
    R("users_with_activity", living_share("with_activity"), "living users with an activity", SHARE),
    R("users_unstable_housing", living_share("unstable_housing"), "living users in unstable housing",
      SHARE),
    R("relatives_mean_stress", relatives_mean("stress"), "relatives' mean stress", ZERO_ONE),
    R("relatives_mean_strain", relatives_mean("strain"), "relatives' mean strain", ZERO_ONE),
    R("relatives_burnout_share", relatives_share("burnout"), "relatives in burnout", SHARE),
    R("relatives_in_groups_share", relatives_share("in_groups"),
      "relatives in a group or course", SHARE),
    R("relatives_seeking_share", relatives_share("seeking"),
      "relatives seeking a group or course", SHARE),
    R("relatives_tolerant_share", relatives_share("tolerant"),
      "relatives coping by tolerating (enabling)", SHARE),
    R("relatives_withdrawn_share", relatives_share("withdrawn"),
      "relatives coping by withdrawing", SHARE),
    R("relatives_limit_share", relatives_share("limit"),
      "relatives setting limits with contact", SHARE),
    R("relatives_mean_shame", relatives_mean("shame"), "relatives' mean shame", ZERO_ONE),
    R("relatives_mean_hope_user", relatives_mean("hope_user"),
      "relatives' mean hope for the user", ZERO_ONE),
    R("relatives_mean_hope_self", relatives_mean("hope_self"),
      "relatives' mean hope for themselves", ZERO_ONE),
    R("relatives_mean_soc13", relatives_mean("soc13"), "relatives' mean SOC-13", SOC13),
    R("programme_open", lambda t: t.model.aftercare.programme_open,
      "the aftercare programme still runs (1) or has closed for good (0)", "0/1"),
    R("users_present", _users_here, "living users in the municipality", "users"),
    R("relatives_present", lambda t: t.relative_counts["present"],
      "relatives in the municipality (their user here, alive or dead)", "relatives"),
)
# fmt: on
