"""The groups' weekly steps: process 3 (groups) and process 4 (meeting effects), as in the ODD."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.groups.founding import formation, member_founding, schedule_courses
from sim.groups.kernel import columns
from sim.groups.life import group_life
from sim.groups.meetings import (
    GroupAtMeeting,
    RelativeMeetingState,
    UserMeetingState,
    relatives_meeting_pass,
    users_meeting_pass,
)
from sim.groups.membership import members_week, users_membership
from sim.groups.rules import RelativeMeetingParams, UserMeetingParams
from sim.groups.table import members
from sim.records import fill

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def groups_step(model: RecoveryModel) -> None:
    """Process 3: formation, membership, attendance, roles, group life and dissolution."""
    # the lists of who waits for a group are found once; founders and course places take from their front
    waiting = member_founding(model, formation(model))
    schedule_courses(model, waiting[1])
    users_membership(model)
    # relatives' drop-out, attendance and roles in one pass over the members (``members_week``);
    # membership does not change again until groups end at the close of group life
    who, counts = members_week(model)
    group_life(model, who, counts)


def meeting_effects(model: RecoveryModel) -> None:
    """Process 4: effects of each meeting attended (direction from the seeds, sizes parameters).

    Shame falls (normalisation, more among similar members); hope rises with veterans present
    (experiential power); comprehensibility with insight, manageability with coping and support,
    meaningfulness with belonging and helping others (doubled with a service role); integration
    deepens (working the programme); and a meeting may give a new sober tie to a co-member.
    """
    p, u, r = model.p, model.users, model.relatives
    groups = columns(GroupAtMeeting, model.group_table)
    a = members(u.met_in)  # the users who met this week
    users_meeting_pass(a, columns(UserMeetingState, u), groups, fill(UserMeetingParams, p))
    chosen = a[model.draw("meeting_ties", a) < p.meeting_tie_prob]
    model.network.add_meeting_ties(a, u.met_in, chosen, model.draw("meeting_tie_partner", chosen))
    soc_gain = (
        p.meeting_comprehensibility_gain
        + p.meeting_manageability_gain
        + p.meeting_meaningfulness_gain
    )
    relatives_meeting_pass(
        members(r.met_in),
        columns(RelativeMeetingState, r),
        groups,
        fill(RelativeMeetingParams, p, soc_gain=soc_gain / 3.0),
    )
