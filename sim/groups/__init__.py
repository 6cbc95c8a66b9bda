"""Self-help groups: processes 3 (groups) and 4 (meeting effects).

Process 3, each week: starters (professionals or organisations) found groups when enough people
wait, veterans of open groups found new ones, relatives' courses start; users join (referred at
discharge or on their own) and drop out (less with tenure and in trusting groups); relatives
drop out of open groups; members attend, take service roles and find sponsors; each group's
trust, outside veterans and service core change, clinic-led groups are handed over, courses end
and groups with too small a service core dissolve. Process 4: each meeting attended lowers
shame, raises hope and the sense of coherence, deepens integration and may give a sober tie.

Modules, in the order of the week: ``state`` (the people's group columns), ``table`` (the
groups' column table), ``agents`` (the Mesa
adapter), ``founding``, ``membership`` (joining, leaving, attendance and roles), ``life`` (group
life and ending), ``meetings`` (meeting effects), ``rules`` (the scalar rules and their
bounds), ``kernel`` (the compiled passes) and ``step`` (the two weekly steps).
"""

from sim.codes import CLINIC, MIXED, RELATIVES_COURSE, RELATIVES_OPEN, TWELVE_STEP
from sim.groups.agents import SelfHelpGroup, group_agents
from sim.groups.founding import (
    create_initial_groups,
    formation,
    found_group,
    found_groups,
    member_founding,
    schedule_courses,
)
from sim.groups.life import end_groups, group_life
from sim.groups.membership import (
    attendance,
    join,
    leave,
    members_pass,
    members_week,
    open_with_room,
    pick_groups,
    relatives_membership,
    roles,
    room,
    users_membership,
    waiting_lists,
    within_room,
)
from sim.groups.rules import MEMBERSHIP_PER_SEAT
from sim.groups.step import groups_step, meeting_effects
from sim.groups.table import GroupTable, members, members_of

__all__ = [
    "CLINIC",
    "MEMBERSHIP_PER_SEAT",
    "MIXED",
    "RELATIVES_COURSE",
    "RELATIVES_OPEN",
    "TWELVE_STEP",
    "GroupTable",
    "SelfHelpGroup",
    "attendance",
    "create_initial_groups",
    "end_groups",
    "formation",
    "found_group",
    "found_groups",
    "group_agents",
    "group_life",
    "groups_step",
    "join",
    "leave",
    "meeting_effects",
    "member_founding",
    "members",
    "members_of",
    "members_pass",
    "members_week",
    "open_with_room",
    "pick_groups",
    "relatives_membership",
    "roles",
    "room",
    "schedule_courses",
    "users_membership",
    "waiting_lists",
    "within_room",
]
