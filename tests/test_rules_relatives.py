"""Relatives: stress, strain, coping, burnout, hope and help-seeking (brief 2 and 4.7)."""

import numpy as np
from conftest import discharged_model, make_model, sync_meetings

from sim import groups as G
from sim.codes import ABSTINENT, ENGAGED, LIMIT, TOLERANT, TREATMENT, USING
from sim.relatives import relatives_step


def test_relatives_per_user_at_least_three_on_average():
    """At least 3 relatives per user on average (seed 004, L329-331; T5)."""
    m = make_model(n_users=3000)
    assert m.relatives.n / m.n_users >= 3.0
    assert np.bincount(m.relatives.user).min() >= 1


def test_stress_follows_the_users_state():
    """Stress is highest while the user uses, then in treatment, lowest while abstinent."""
    m = discharged_model()
    means = {}
    for status in (USING, TREATMENT, ABSTINENT):
        m.users.status[:] = status
        relatives_step(m)
        means[status] = m.relatives.stress.mean()
    assert means[USING] > means[TREATMENT] > means[ABSTINENT]


def test_user_relapse_raises_relatives_strain():
    """A relapse of the user (a crisis) raises the relative's strain."""
    res = []
    for relapse in (False, True):
        m = discharged_model(seed=3)
        m.users.status[:] = USING if relapse else ABSTINENT
        m.users.crisis[:] = relapse
        m.users.relapsed[:] = relapse
        before = m.relatives.strain.copy()
        relatives_step(m)
        res.append((m.relatives.strain - before).mean())
    assert res[1] > res[0]


def test_strain_does_not_reset_when_the_user_recovers():
    """After years of use, strain decays only slowly once the user is abstinent (seed 004, L241-243)."""
    m = discharged_model()
    r = m.relatives
    r.group[:] = -1
    m.users.status[:] = USING
    for _ in range(150):
        relatives_step(m)
    high = r.strain.mean()
    m.users.status[:] = ABSTINENT
    m.users.weeks_in_status[:] = 0
    for _ in range(26):
        relatives_step(m)
        m.users.weeks_in_status += 1
    assert r.strain.mean() > 0.75 * high
    assert r.strain.mean() > 0.3


def test_group_or_intervention_lowers_strain_growth():
    """Taking part in a group lowers the relative's own strain (T15)."""
    res = {}
    for helped in (False, True):
        m = discharged_model(seed=4)
        m.users.status[:] = USING
        m.relatives.intervention_left[:] = 100 if helped else 0
        for _ in range(20):
            relatives_step(m)
        res[helped] = m.relatives.strain.mean()
    assert res[True] < res[False]


def test_limit_setting_is_learned_in_groups():
    """Groups, courses and brief interventions teach limit-setting with contact (seed 004, L1258-1265)."""
    res = {}
    for helped in (False, True):
        m = discharged_model(seed=5)
        m.relatives.coping[:] = ENGAGED
        m.relatives.intervention_left[:] = 100 if helped else 0
        for _ in range(10):
            relatives_step(m)
            m.week += 1  # draws are per week (sim/rng.py): each call is a new week
        res[helped] = (m.relatives.coping == LIMIT).mean()
    assert res[True] > res[False] + 0.2


def test_high_hope_for_user_makes_enabling_more_likely():
    """Engaged relatives drift to the tolerant (enabling) position, more with high hope for the user."""
    res = {}
    for hope in (0.0, 1.0):
        m = discharged_model(n_users=1000, seed=6, coping_to_withdrawn=0.0)
        m.relatives.coping[:] = ENGAGED
        m.relatives.hope_user[:] = hope
        m.users.status[:] = ABSTINENT
        relatives_step(m)
        res[hope] = (m.relatives.coping == TOLERANT).mean()
    assert res[1.0] > res[0.0]


def test_sustained_high_strain_leads_to_burnout_and_recovery_is_slow():
    """Burnout starts only above the strain threshold; recovery takes many weeks."""
    m = discharged_model(n_users=1000)
    r = m.relatives
    r.burnout[:] = False
    r.strain[:] = 0.3
    m.users.status[:] = ABSTINENT
    relatives_step(m)
    assert r.burnout.mean() == 0.0
    r.strain[:] = 0.95
    m.users.status[:] = USING
    for _ in range(30):
        m.week += 1  # draws are per week (sim/rng.py): each call is a new week
        relatives_step(m)
    assert r.burnout.mean() > 0.1
    onset = r.burnout.copy()
    m.users.status[:] = ABSTINENT
    m.week += 1
    relatives_step(m)
    assert r.burnout[onset].mean() > 0.8  # most still in burnout a week later


def test_hope_for_user_falls_sharply_at_relapse():
    """Relatives' hope for the user falls at a relapse (seed 000, L3389-3391)."""
    m = discharged_model()
    m.relatives.hope_user[:] = 0.8
    m.users.status[:] = USING
    m.users.relapsed[:] = True
    relatives_step(m)
    assert m.relatives.hope_user.mean() < 0.6


def test_help_seeking_triggered_by_events_delayed_by_shame_sped_by_offers():
    """Events trigger help-seeking; shame delays it; visible local offers speed it (seed 000, L4507-4521)."""

    def share(crisis, shame, visibility):
        m = discharged_model(n_users=2000, seed=8, relatives_info_visibility=visibility)
        r = m.relatives
        r.wants_group[:] = True
        r.seeking[:] = False
        r.group[:] = -1
        r.shame[:] = shame
        m.users.crisis[:] = crisis
        m.group_table.active[:] = False  # nobody finds a group this week
        relatives_step(m)
        return r.seeking.mean()

    assert share(True, 0.2, 0.1) > share(False, 0.2, 0.1)
    assert share(True, 0.9, 0.1) < share(True, 0.1, 0.1)
    assert share(True, 0.5, 1.0) > share(True, 0.5, 0.0)


def test_women_seek_help_more():
    """Help-seeking relatives are mostly women (T7)."""
    m = discharged_model(n_users=3000)
    r = m.relatives
    r.wants_group[:] = True
    m.users.crisis[:] = True
    m.group_table.active[:] = False
    relatives_step(m)
    assert r.female[r.seeking].mean() > 0.75


def test_family_week_leads_relatives_into_groups():
    """A family week at discharge leads relatives into groups (seed 000, L1975-1979)."""
    res = {}
    for fw in (0.0, 1.0):
        m = make_model(
            n_users=500,
            weeks=30,
            seed=2,
            relatives_family_week=fw,
            aftercare_coverage=1.0,
            discharge_spread_weeks=1,
        )
        m.run()
        res[fw] = m.relatives.ever_group.mean()
    assert res[1.0] > res[0.0] + 0.05


def test_relatives_groups_lower_relatives_shame():
    """Meetings lower relatives' shame (normalisation; T15)."""
    m = discharged_model()
    gid = G.found_group(m, G.RELATIVES_OPEN, ext_core=3, trust=0.7, professional=False)
    G.join(m, "relatives", np.arange(10), np.full(10, gid, np.int32))
    m.relatives.attended[:] = False
    m.relatives.attended[:10] = True
    m.users.attended[:] = False
    before = m.relatives.shame[:10].copy()
    sync_meetings(m)
    G.meeting_effects(m)
    assert (m.relatives.shame[:10] < before).all()
