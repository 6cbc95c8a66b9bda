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


def _mean_group_size(t: Tally) -> float:
    sizes = t.meeting_sizes
    return _mean(sizes) if len(sizes) else float("nan")


def _mean_soc13_users(t: Tally) -> float:
    u = t.model.users
    return soc13(_mean(u.comp), _mean(u.manage), _mean(u.meaning))


R = Reporter
WEEKLY: dict[str, Reporter] = registry(
    R("users_in_treatment", lambda t: t.users["treatment"], "users in treatment", "users"),
    R(
        "users_abstinent",
        lambda t: t.users["abstinent"],
        "users out of treatment, abstinent",
        "users",
    ),
    R("users_using", lambda t: t.users["using"], "users out of treatment, using", "users"),
    R("relapses", lambda t: t.users["relapsed"], "users who relapsed this week", "users"),
    R(
        "users_in_aftercare",
        lambda t: t.users["in_aftercare"],
        "users with aftercare weeks left",
        "users",
    ),
    R(
        "aftercare_contacts",
        lambda t: t.users["contacts"],
        "aftercare contacts this week",
        "contacts",
    ),
    R("users_in_groups", lambda t: t.users["in_groups"], "users in a self-help group", "users"),
    R(
        "users_attending",
        lambda t: t.users["attending"],
        "users who attended a meeting this week",
        "users",
    ),
    R("groups_active", lambda t: len(t.attendance), "active self-help groups", "groups"),
    R(
        "groups_users",
        lambda t: (
            t.groups_by_type[TWELVE_STEP] + t.groups_by_type[MIXED] + t.groups_by_type[CLINIC]
        ),
        "active users' groups (12-step, mixed, clinic-led)",
        "groups",
    ),
    R(
        "groups_relatives",
        lambda t: t.groups_by_type[RELATIVES_OPEN] + t.groups_by_type[RELATIVES_COURSE],
        "active relatives' open groups and courses",
        "groups",
    ),
    R(
        "meetings_held",
        lambda t: len(t.meeting_sizes),
        "meetings held (2 or more present)",
        "meetings",
    ),
    R(
        "mean_group_size",
        _mean_group_size,
        "people present per meeting held (NaN: none held)",
        "people",
    ),
    R(
        "mean_soc13_users",
        _mean_soc13_users,
        "users' SOC-13 (from the mean components)",
        "SOC-13, 13-91",
    ),
    R(
        "mean_comprehensibility",
        lambda t: _mean(t.model.users.comp),
        "users' mean comprehensibility",
        "SOC item, 1-7",
    ),
    R(
        "mean_manageability",
        lambda t: _mean(t.model.users.manage),
        "users' mean manageability",
        "SOC item, 1-7",
    ),
    R(
        "mean_meaningfulness",
        lambda t: _mean(t.model.users.meaning),
        "users' mean meaningfulness",
        "SOC item, 1-7",
    ),
    R(
        "mean_hope_users",
        lambda t: _mean(t.model.users.hope),
        "users' mean hope",
        "Adult Hope Scale, 8-64",
    ),
    R("mean_shame_users", lambda t: _mean(t.model.users.shame), "users' mean shame", "0-1"),
    R(
        "mean_support_users",
        lambda t: _mean(t.model.users.support),
        "users' mean social support",
        "0-1",
    ),
    R(
        "mean_using_ties",
        lambda t: _mean(t.model.users.using_ties),
        "users' mean ties to people using",
        "ties",
    ),
    R(
        "mean_sober_ties",
        lambda t: _mean(t.model.users.sober_ties),
        "users' mean ties to sober people",
        "ties",
    ),
    R(
        "users_with_activity",
        lambda t: t.user_share("with_activity"),
        "share of users with an activity (work, school)",
        "share",
    ),
    R(
        "users_unstable_housing",
        lambda t: t.user_share("unstable_housing"),
        "share of users in unstable housing",
        "share",
    ),
    R(
        "relatives_mean_stress",
        lambda t: _mean(t.model.relatives.stress),
        "relatives' mean stress",
        "0-1",
    ),
    R(
        "relatives_mean_strain",
        lambda t: _mean(t.model.relatives.strain),
        "relatives' mean strain",
        "0-1",
    ),
    R(
        "relatives_burnout_share",
        lambda t: t.relative_shares["burnout"],
        "share of relatives in burnout",
        "share",
    ),
    R(
        "relatives_in_groups_share",
        lambda t: t.relative_shares["in_groups"],
        "share of relatives in a group or course",
        "share",
    ),
    R(
        "relatives_seeking_share",
        lambda t: t.relative_shares["seeking"],
        "share of relatives seeking a group or course",
        "share",
    ),
    R(
        "relatives_tolerant_share",
        lambda t: t.relative_shares["tolerant"],
        "share of relatives coping by tolerating (enabling)",
        "share",
    ),
    R(
        "relatives_withdrawn_share",
        lambda t: t.relative_shares["withdrawn"],
        "share of relatives coping by withdrawing",
        "share",
    ),
    R(
        "relatives_limit_share",
        lambda t: t.relative_shares["limit"],
        "share of relatives setting limits with contact",
        "share",
    ),
    R(
        "relatives_mean_shame",
        lambda t: _mean(t.model.relatives.shame),
        "relatives' mean shame",
        "0-1",
    ),
    R(
        "relatives_mean_hope_user",
        lambda t: _mean(t.model.relatives.hope_user),
        "relatives' mean hope for the user",
        "0-1",
    ),
    R(
        "relatives_mean_hope_self",
        lambda t: _mean(t.model.relatives.hope_self),
        "relatives' mean hope for themselves",
        "0-1",
    ),
    R(
        "relatives_mean_soc13",
        lambda t: _mean(t.model.relatives.soc13),
        "relatives' mean SOC-13",
        "SOC-13, 13-91",
    ),
    R(
        "programme_open",
        lambda t: t.model.aftercare.programme_open,
        "the aftercare programme still runs (1) or has closed (0)",
        "0/1",
    ),
)
