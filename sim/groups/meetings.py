"""Meeting effects (process 4): the compiled passes over the users and the relatives who met this week."""

from __future__ import annotations

import numba
import numpy as np

from sim.groups.rules import (
    hope_after_meeting,
    integration_gain,
    meaning_gain,
    relative_hope_after_meeting,
    relative_soc_gain,
    shame_after_meeting,
)
from sim.records import record
from sim.soc import saturating_gain

UserMeetingState = record(
    "UserMeetingState", "met_in service shame hope comp manage meaning integration"
)
RelativeMeetingState = record("RelativeMeetingState", "met_in shame hope_self soc13")
GroupAtMeeting = record("GroupAtMeeting", "similarity veteran_share")


@numba.njit(cache=True)
def users_meeting_pass(idx, u, g, p):
    """Users who met this week: shame falls (more among similar members), hope rises with
    veterans present, the SOC components rise (``saturating_gain``; meaningfulness doubled with
    a service role), integration deepens."""
    # (the arrays taken out of their records once: a record's array read in the loop costs a reference count)
    met_in, service, shame, hope, comp, manage, meaning, integration = u
    similarity, veteran_share = g
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        gi = np.uint32(met_in[i])
        shame[i] = shame_after_meeting(shame[i], similarity[gi], p)
        hope[i] = hope_after_meeting(hope[i], veteran_share[gi], p)
        c, m, me = comp[i], manage[i], meaning[i]
        comp[i] = c + saturating_gain(c, p.meeting_comprehensibility_gain)
        manage[i] = m + saturating_gain(m, p.meeting_manageability_gain)
        meaning[i] = me + meaning_gain(me, service[i], p)
        integration[i] += integration_gain(integration[i], p)


@numba.njit(cache=True)
def relatives_meeting_pass(idx, r, g, p):
    """Relatives who met this week: shame falls (more among similar members), hope for oneself
    rises with veterans present, SOC-13 rises (``saturating_gain``)."""
    met_in, shame, hope_self, soc13 = r  # (out of the record once, as above)
    similarity, veteran_share = g
    for k in idx:
        i = np.uint32(k)  # (unsigned indices need no check for negative ones: docs/performance.md)
        gi = np.uint32(met_in[i])
        shame[i] = shame_after_meeting(shame[i], similarity[gi], p)
        hope_self[i] = relative_hope_after_meeting(hope_self[i], veteran_share[gi], p)
        soc13[i] += relative_soc_gain(soc13[i], p)
