"""Self-help groups: formation, attendance, drop-out, roles, dissolution and meeting effects (brief 4.3-4.4)."""

import numpy as np
from conftest import discharged_model, make_model, sync_meetings

from sim import groups as G
from sim.codes import ABSTINENT, USING


def _with_members(n_users=200, **kw):
    m = discharged_model(n_users=n_users, **kw)
    gid = G.found_group(m, G.TWELVE_STEP, ext_core=3, trust=0.7, professional=False)
    idx = np.arange(20)
    G.join(m, "users", idx, np.full(20, gid, np.int32))
    return m, gid, idx


def test_groups_need_a_starter_and_enough_people():
    """No starter, no new group; with starters, a group forms only from enough waiting people."""
    m = discharged_model(starter_rate=0.0, group_starter_support=0.0)
    before = m.group_table.size
    m.users.waiting[:50] = True
    G.formation(m)
    assert m.group_table.size == before
    # 200 users x 100 inhabitants, 0.5 starters per 100,000 a week, x 5 with full starter support:
    # 0.5 starters a week, so in 20 weeks at least one with probability 1 - exp(-10)
    m2 = discharged_model(starter_rate=0.5, group_starter_support=1.0, group_min_founders=4)
    m2.users.waiting[:] = False
    m2.relatives.seeking[:] = False
    m2.users.waiting[:3] = True
    for _ in range(20):
        G.formation(m2)
        m2.week += 1
    assert m2.group_table.size == before  # too few interested
    m2.users.waiting[:10] = True
    for _ in range(20):
        G.formation(m2)
        m2.week += 1
    assert m2.group_table.size > before


def test_attendance_rises_with_tenure_and_trust():
    """Members with long tenure in trusting groups attend more than newcomers in new groups."""
    m, gid, idx = _with_members(n_users=2000)
    u, g = m.users, m.group_table
    members = np.arange(2000)
    G.join(m, "users", members[20:], np.full(1980, gid, np.int32))
    rates = {}
    for label, tenure, trust in (("new", 0, 0.3), ("settled", 200, 0.95)):
        u.tenure[:] = tenure
        g.trust[gid] = trust
        u.status[:] = ABSTINENT
        G.attendance(m)
        rates[label] = u.attended.mean()
    assert rates["settled"] > rates["new"] + 0.1


def test_more_meetings_in_crises():
    """A member who used in the last weeks attends more (seed 000, L3821-3822)."""
    m, gid, _ = _with_members(n_users=2000)
    u = m.users
    G.join(m, "users", np.arange(20, 2000), np.full(1980, gid, np.int32))
    u.status[:] = ABSTINENT
    u.last_use[:] = -100
    G.attendance(m)
    calm = u.attended.mean()
    u.tenure[:] -= 1
    u.last_use[:] = m.week - 1
    G.attendance(m)
    assert u.attended.mean() > calm


def test_early_dropout_falls_with_tenure():
    """Drop-out is high for newcomers and falls with tenure."""
    out = {}
    for tenure in (0, 104):
        m, gid, _ = _with_members(n_users=3000, user_group_join_rate=0.0)
        G.join(m, "users", np.arange(20, 3000), np.full(2980, gid, np.int32))
        m.users.tenure[:] = tenure
        G.users_membership(m)
        out[tenure] = (m.users.group < 0).mean()
    assert out[0] > 2 * out[104]


def test_relapse_never_ends_membership():
    """A member who relapses stays a member (seed 002, L57); drop-out does not depend on using."""
    res = {}
    for status in (ABSTINENT, USING):
        m, gid, _ = _with_members(n_users=3000, user_group_join_rate=0.0)
        G.join(m, "users", np.arange(20, 3000), np.full(2980, gid, np.int32))
        m.users.status[:] = status
        m.users.tenure[:] = 30
        G.users_membership(m)
        res[status] = (m.users.group >= 0).mean()
    assert abs(res[ABSTINENT] - res[USING]) < 0.02


def test_role_progression_to_service_and_sponsor():
    """Regular abstinent members take service roles; 12-step members get sponsors."""
    m, gid, idx = _with_members(service_uptake=1.0, sponsor_prob=1.0)
    u = m.users
    u.status[idx] = ABSTINENT
    u.tenure[idx] = 30
    u.weeks_in_status[idx] = 40
    for _ in range(12):
        G.roles(m)
        m.week += 1  # draws are per week (sim/rng.py): each call is a new week
    assert u.service[idx].all()
    assert u.sponsor[idx].mean() > 0.5
    u.status[idx[:5]] = USING
    G.roles(m)
    assert not u.service[idx[:5]].any()


def test_groups_dissolve_when_too_few_take_service_roles():
    """A group whose service core stays below the minimum for the grace period dissolves (seed 000, D22)."""
    m, gid, idx = _with_members(
        group_min_service=2, group_dissolve_grace_weeks=3, external_core_recruitment=0.0
    )
    g = m.group_table
    g.ext_core[gid] = 0
    m.users.service[:] = False
    for _ in range(3):
        G.group_life(m)
        m.week += 1
    assert not g.active[gid]
    assert (m.users.group[idx] == -1).all()
    assert (m.log.frame(m.n_users).event == "group_dissolved").any()


def test_groups_with_service_core_persist():
    """A group with enough members in service roles does not dissolve."""
    m, gid, idx = _with_members(
        group_min_service=2,
        group_dissolve_grace_weeks=3,
        external_core_attrition=0.0,
        group_shock_rate=0.0,
    )
    m.group_table.ext_core[gid] = 3
    for _ in range(10):
        G.group_life(m)
        m.week += 1
    assert m.group_table.active[gid]


def test_meeting_effects_directions():
    """A meeting lowers shame and raises hope (with veterans), SOC components and integration."""
    m, gid, idx = _with_members()
    u, g = m.users, m.group_table
    u.attended[:] = False
    u.attended[idx] = True
    g.veteran_share[gid] = 0.5
    before = {
        k: getattr(u, k)[idx].copy()
        for k in ("shame", "hope", "comp", "manage", "meaning", "integration")
    }
    sync_meetings(m)
    G.meeting_effects(m)
    assert (u.shame[idx] <= before["shame"]).all() and (u.shame[idx] < before["shame"]).any()
    for k in ("hope", "comp", "manage", "meaning", "integration"):
        assert (getattr(u, k)[idx] >= before[k]).all() and (getattr(u, k)[idx] > before[k]).any(), k


def test_shame_falls_more_among_similar_members():
    """Normalisation works best among people with the same problem (seed 000, L3269-3276)."""
    drops = {}
    for gtype in (G.TWELVE_STEP, G.MIXED):
        m = discharged_model()
        gid = G.found_group(m, gtype, ext_core=3, trust=0.7, professional=False)
        G.join(m, "users", np.arange(10), np.full(10, gid, np.int32))
        m.users.attended[:] = False
        m.users.attended[:10] = True
        m.users.shame[:] = 0.6
        sync_meetings(m)
        G.meeting_effects(m)
        drops[gtype] = 0.6 - m.users.shame[:10].mean()
    assert drops[G.TWELVE_STEP] > drops[G.MIXED] > 0


def test_hope_rises_more_with_veterans_present():
    """Experiential power: more veterans present, more hope (seed 002, L41)."""
    gains = []
    for vet in (0.0, 0.8):
        m, gid, idx = _with_members()
        m.users.attended[:] = False
        m.users.attended[idx] = True
        m.group_table.veteran_share[gid] = vet
        h = m.users.hope[idx].copy()
        sync_meetings(m)
        G.meeting_effects(m)
        gains.append((m.users.hope[idx] - h).mean())
    assert gains[1] > gains[0]


def test_helper_principle_service_role_adds_meaning():
    """Members in service roles gain more meaningfulness per meeting (seed 002, L49)."""
    m, gid, idx = _with_members()
    u = m.users
    u.attended[:] = False
    u.attended[idx] = True
    u.meaning[idx] = 4.0
    u.service[idx[:10]] = True
    sync_meetings(m)
    G.meeting_effects(m)
    assert u.meaning[idx[:10]].mean() > u.meaning[idx[10:]].mean()


def test_meetings_add_sober_peer_ties():
    """Meetings give new ties between co-members."""
    m, gid, idx = _with_members(meeting_tie_prob=1.0)
    m.users.attended[:] = False
    m.users.attended[idx] = True
    n_before = len(m.network.edges()[0])
    sync_meetings(m)
    G.meeting_effects(m)
    src, dst, kind = m.network.edges()
    assert len(src) > n_before
    assert (kind[n_before:] == 1).all()


def test_clinic_groups_are_handed_over():
    """Clinic-led groups lose professional backing over time (seed 001, L1560-1562)."""
    m = discharged_model(clinic_handover_weeks=13)
    gids = [G.found_group(m, G.CLINIC, ext_core=0, trust=0.5, professional=True) for _ in range(30)]
    for _ in range(26):
        G.group_life(m)
        m.week += 1  # draws are per week (sim/rng.py): each call is a new week
    assert (~m.group_table.professional[gids]).sum() >= 10


def test_courses_end_after_their_weeks():
    """A relatives' course ends after course_weeks; some go on in open groups."""
    m = discharged_model(course_weeks=8, course_continue_prob=1.0)
    gid = G.found_group(
        m, G.RELATIVES_COURSE, ext_core=1, trust=0.5, professional=True, course_left=8
    )
    G.join(m, "relatives", np.arange(8), np.full(8, gid, np.int32))
    for _ in range(8):
        G.group_life(m)
        m.week += 1
    assert not m.group_table.active[gid]
    assert m.relatives.seeking[:8].all()


def test_joining_respects_room():
    """No group takes more new members than it has places for."""
    m = discharged_model(n_users=2000, user_group_join_rate=1.0)
    G.users_membership(m)
    g = m.group_table
    n = g.size
    members = np.bincount(m.users.group[m.users.group >= 0], minlength=n)
    cap = np.floor(G.MEMBERSHIP_PER_SEAT * g.capacity[:n])
    assert (members + g.ext_core[:n] <= np.maximum(cap, g.ext_core[:n])).all()


def test_relatives_take_rotating_service_roles_in_open_groups():
    """Relatives in open groups take service roles (Al-Anon, seed 000, L3198-3202); not in courses."""
    m = discharged_model(service_uptake=1.0)
    gid = G.found_group(m, G.RELATIVES_OPEN, ext_core=0, trust=0.7, professional=False)
    cid = G.found_group(
        m, G.RELATIVES_COURSE, ext_core=1, trust=0.5, professional=True, course_left=10
    )
    G.join(m, "relatives", np.arange(10), np.full(10, gid, np.int32))
    G.join(m, "relatives", np.arange(10, 20), np.full(10, cid, np.int32))
    m.relatives.tenure[:20] = 20
    G.roles(m)
    assert m.relatives.service[:10].all() and not m.relatives.service[10:20].any()
    G.group_life(m)
    assert m.group_table.service[gid] >= 10


def test_member_founded_groups_start_with_a_chair_and_survive():
    """A group founded by members has a founder in a service role, so it does not dissolve at once."""
    m = discharged_model(
        group_split_rate=50.0,
        group_min_founders=4,
        external_core_attrition=0.0,
        group_shock_rate=0.0,
    )
    m.users.waiting[:] = False
    m.relatives.seeking[:] = False
    m.relatives.group[:] = -1
    m.relatives.seeking[:40] = True
    before = m.group_table.size
    G.member_founding(m)
    new = np.arange(before, m.group_table.size)
    assert len(new) > 0
    for _ in range(m.p.group_dissolve_grace_weeks + 2):
        G.group_life(m)
        m.week += 1
    assert m.group_table.active[new].all()


def test_members_week_is_the_rules_one_after_another():
    """The weekly one-pass version (``members_week``) gives the same drop-outs, attendance, roles,
    counts, events and group life as the rule functions called one after another."""
    import copy

    fused = make_model(n_users=1500, weeks=80, seed=11)
    for _ in range(60):
        fused.step()
    apart = copy.deepcopy(fused)
    for m in (fused, apart):
        m.week += 1
        G.formation(m)
        G.member_founding(m)
        G.schedule_courses(m)
        G.users_membership(m)
    who, counts = G.members_week(fused)
    G.group_life(fused, who, counts)
    G.relatives_membership(apart)
    G.attendance(apart)
    G.roles(apart)
    G.group_life(apart)
    assert (
        fused.relatives.group >= 0
    ).sum() > 100 and fused.users.attended.sum() > 50  # not an empty week
    for kind in ("users", "relatives"):
        a, b = getattr(fused, kind), getattr(apart, kind)
        for name in ("group", "tenure", "service", "attended", "met_in"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), (kind, name)
    assert np.array_equal(fused.users.sponsor, apart.users.sponsor)
    for col in fused.group_table.COLUMNS:
        assert np.array_equal(getattr(fused.group_table, col), getattr(apart.group_table, col)), col
    assert fused.log.frame(1500).equals(apart.log.frame(1500))


def test_active_groups_are_mesa_agents_when_asked_for():
    """``model.agents`` holds one SelfHelpGroup per active group, reading the group table; groups
    founded since are added and ended ones removed (from Mesa too) the next time agents are asked for."""
    m = make_model(n_users=1500, weeks=80, seed=5)
    for _ in range(60):
        m.step()
    g = m.group_table
    ids = {a.gid for a in m.agents}
    assert ids == set(np.flatnonzero(g.active[: g.size]).tolist()) and len(ids) > 5
    gone = sorted(ids)[:2]
    G.end_groups(m, np.array(gone), "group_dissolved")
    new = G.found_group(m, G.MIXED, ext_core=1, trust=0.5, professional=False)
    agents = m.agents_by_type[G.SelfHelpGroup]
    assert {a.gid for a in agents} == ids - set(gone) | {new}
    assert set(m.group_agents) == {a.gid for a in m.agents}
    a = m.group_agents[new]
    assert a.kind == "mixed" and a.self_organised and a.size == 1 and a.trust == 0.5
