"""The teaching page's logic without a browser: session, starting point, pictures, command line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.app.session import (
    CLASSROOM_SEED,
    MAIN_LEVERS,
    Session,
    apply_starting_point,
    reference_start,
)
from sim.errors import InputError
from sim.model import RecoveryModel
from sim.params import LEVERS
from sim.scenario import load

PNG = b"\x89PNG\r\n\x1a\n"


def run(session: Session, weeks: int) -> pd.DataFrame:
    session.step(weeks)
    return pd.DataFrame(session.history.rows)


def test_page_levers_are_levers():
    """Every slider of the page is an aftercare lever of the parameter table."""
    assert set(MAIN_LEVERS) <= set(LEVERS)


def test_step_advances_and_records_each_week():
    """A step runs one week and adds one row to the history (week 0 included)."""
    s = Session(users=40, weeks=20, seed=1, draw=False)
    assert s.week == 0 and len(s.history.rows) == 1
    s.step()
    assert s.week == 1 and len(s.history.rows) == 2
    s.step(100)
    assert s.done and s.week == 20 and len(s.history.rows) == 21


def test_lever_applies_to_running_model():
    """A lever slider changes the running model's parameter and is logged after week 0."""
    s = Session(users=40, weeks=20, seed=1, draw=False)
    s.set_lever("aftercare_coverage", 0.9)
    assert s.model.p.aftercare_coverage == 0.9 and s.changes == []
    s.step(2)
    s.set_lever("peer_staff", 1.0)
    assert s.model.p.peer_staff == 1.0
    assert s.changes == [(2, "peer_staff", 1.0)]
    with pytest.raises(InputError):
        s.set_lever("aftercare_coverage", 2.0)


def test_starting_point_moves_the_three_components_and_hope():
    """The hook sets each SOC component's and hope's mean, keeping the model's reference values."""
    model = RecoveryModel(load("status-quo"), n_users=300, weeks=10, seed=3)
    apply_starting_point(
        model, {"comprehensibility": 5.5, "manageability": 3.0, "meaningfulness": 4.0, "hope": 50}
    )
    u = model.users
    assert u.comp.mean() == pytest.approx(5.5, abs=0.05)
    assert u.manage.mean() == pytest.approx(3.0, abs=0.05)
    assert u.meaning.mean() == pytest.approx(4.0, abs=0.05)
    assert u.hope.mean() == pytest.approx(50, abs=0.5)
    assert model.p.users_soc13_mean == 56.0 and model.p.users_hope_mean == 40.0


def test_higher_starting_soc_means_fewer_relapses():
    """Salutogenesis made visible: the same people with a stronger sense of coherence relapse less."""
    relapsed = {}
    for level in (3.0, 6.0):
        s = Session(users=300, weeks=52, seed=5, draw=False)
        for key in ("comprehensibility", "manageability", "meaningfulness"):
            s.start[key] = level
        s.reset(keep_seed=True)
        relapsed[level] = run(s, 52)["ever_relapsed_pct"].iloc[-1]
    assert relapsed[6.0] < relapsed[3.0] - 10


def test_start_slider_restarts_the_story():
    """Changing a starting value goes back to week 0 with the same seed."""
    s = Session(users=40, weeks=20, seed=7, draw=False)
    s.step(5)
    s.set_start("hope", 55)
    assert s.week == 0 and s.seed == 7 and s.previous is not None
    assert s.headline()["hope"] == pytest.approx(55, abs=0.5)
    with pytest.raises(ValueError):
        s.set_start("hope", 100)


def test_classroom_mode_replays_the_same_story():
    """In classroom mode every session and every reset tells the same story."""
    a = Session(users=60, weeks=30, classroom=True, draw=False)
    b = Session(users=60, weeks=30, classroom=True, draw=False)
    assert a.seed == b.seed == CLASSROOM_SEED
    first = run(a, 25)
    assert run(b, 25).equals(first)
    a.reset()
    assert a.seed == CLASSROOM_SEED and a.previous is not None
    assert run(a, 25).equals(first)


def test_reset_outside_classroom_draws_a_new_seed_and_scenario_keeps_it():
    """Reset gives new people; a scenario change keeps them (arms differ by policy, not chance)."""
    s = Session(users=40, weeks=20, seed=11, draw=False)
    s.step(3)
    s.choose_scenario("institutional")
    assert s.seed == 11 and s.week == 0 and s.previous.label == "status-quo, seed 11"
    assert s.previous_about == ("status-quo", 11, False)
    assert s.levers["predischarge_planning"] == 1.0
    assert s.start == reference_start(load("institutional"))
    seeds = set()
    for _ in range(3):
        s.reset()
        seeds.add(s.seed)
    assert len(seeds) > 1


def test_pictures_and_exports_are_png():
    """The page's pictures and the exported PNGs are images; exports are larger for slides."""
    s = Session(users=40, weeks=30, seed=2)
    s.step(3)
    s.choose_scenario("organisation")
    s.step(4)
    for data in (s.network_png, s.plots_png):
        assert data.startswith(PNG) and len(data) > 5_000
    plots, network = s.export_plots_png(), s.export_network_png()
    assert plots.startswith(PNG) and len(plots) > len(s.plots_png)
    assert network.startswith(PNG) and len(network) > len(s.network_png)
    snap = s.snapshot()
    assert snap.week == 4 and snap.plots_png == s.plots_png
    assert s.export_filename("plots") == f"recovery-sim_plots_organisation_seed{s.seed}_week4.png"


def test_weekly_drawing_reuses_the_static_background():
    """Each week only the changing parts are drawn (what keeps a step fast); the full figure is
    drawn again only when an axis range changes."""
    s = Session(seed=3)
    timings = [s.step() for _ in range(30)]
    network, plots = s._views
    assert network.blitter.full_draws == 1
    assert plots.blitter.full_draws <= 8
    print("median drawing ms:", np.median([t.draw_ms for t in timings]))


def test_cli_registers_app_with_local_default():
    """`python -m sim app` is registered, binds to 127.0.0.1 by default and checks its port."""
    from sim.cli import build_parser

    args = build_parser().parse_args(["app"])
    assert (
        args.host == "127.0.0.1" and args.port == 8765 and args.users == 150 and not args.classroom
    )
    with pytest.raises(SystemExit):
        build_parser().parse_args(["app", "--port", "0"])


def test_page_assets_are_local():
    """Solara's page assets are installed locally and nothing is fetched from a CDN."""
    from solara.server import cdn_helper

    from sim.app import server

    assert server.missing_assets() == []
    with pytest.raises(FileNotFoundError):
        cdn_helper.fetch_from_cdn("https://example.invalid/x.js")


def test_page_renders_and_steps_without_a_browser():
    """The Solara page renders in-process; Step advances the counter."""
    import ipyvuetify as v
    import solara

    from sim.app.page import Page

    _box, rc = solara.render(Page(), handle_error=False)

    def texts(css):
        return [w.children[0] for w in rc.find(v.Html, class_=css).widgets]

    assert texts("rs-week")[0].startswith("Uke 0 av")  # bokmål by default
    step = next(w for w in rc.find(v.Btn).widgets if w.class_ == "rs-step")
    step.click()
    assert texts("rs-week")[0].startswith("Uke 1 av")


def test_badge_differences_and_ghost_after_reset():
    """After a lever change the session lists it as a change from the scenario, also after
    Reset; the previous run is then described as changed (not as plain status quo)."""
    s = Session(users=40, weeks=20, seed=4, draw=False)
    assert s.differences() == []
    s.step(2)
    s.set_lever("peer_staff", 0.5)
    assert s.differences() == [("peer_staff", 0.0, 0.5)]
    s.reset(keep_seed=True)
    assert s.differences() == [("peer_staff", 0.0, 0.5)]
    assert s.ghost_text() == "Dagens norske blanding (status quo) (endret), frø 4"
    s.set_lang("en")
    assert s.ghost_text() == "Today's mix in Norway (status quo) (changed), seed 4"
    assert "(changed)" in s.export_title()
    s.set_start("hope", 50)
    assert ("hope", 40.0, 50.0) in s.differences()
    s.choose_scenario("status-quo")
    assert s.differences() == []


def test_click_selects_the_nearest_person_and_tells_their_story():
    """A click on the picture at a person's dot selects that person; the story has their
    numbers, in words in both languages."""
    from sim.app.story import story_lines

    s = Session(users=60, weeks=30, seed=8)
    s.step(10)
    network, _ = s._views
    for who in (0, 17, 59):
        fx, fy = network.user_fraction(who)
        assert s.select_at(fx, fy) == who
    story = s.story()
    u = s.model.users
    assert story["who"] == 59 and story["relapses"] == int(u.n_relapses[59])
    assert story["comp"] == pytest.approx(u.comp[59]) and story["hope"] == pytest.approx(u.hope[59])
    assert story["relatives"] == int((s.model.relatives.user == 59).sum())
    nb, en = story_lines(story, "nb"), story_lines(story, "en")
    assert nb[0] == "Historien til person 60" and en[0] == "The story of person 60"
    assert len(nb) == len(en) == 9
    assert s.snapshot().story == story


def test_sizes_are_capped_and_colour_modes_checked():
    from sim.app.session import MAX_USERS, MAX_WEEKS

    with pytest.raises(ValueError, match="users"):
        Session(users=MAX_USERS + 1, draw=False)
    with pytest.raises(ValueError, match="weeks"):
        Session(weeks=MAX_WEEKS + 1, draw=False)
    s = Session(users=40, weeks=10, seed=1)
    before = s.network_png
    s.set_colour("soc")
    assert s.network_png != before
    with pytest.raises(ValueError):
        s.set_colour("rainbow")


def test_locked_axes_do_not_rescale_between_runs():
    """The SOC and hope panels keep one y-range whatever the run; percentage panels never shrink."""
    s = Session(users=60, weeks=60, seed=3)
    s.step(40)
    _, plots = s._views
    ranges = [ax.get_ylim() for ax, _, _ in plots.axes]
    for name in ("comprehensibility", "manageability", "meaningfulness"):
        s.start[name] = 6.0
    s.reset(keep_seed=True)
    s.step(40)
    after = [ax.get_ylim() for ax, _, _ in plots.axes]
    assert after[3] == ranges[3] == (1.0, 8.8) and after[4] == ranges[4] == (8.0, 72.0)
    assert all(a[1] >= r[1] for a, r in zip(after, ranges))
