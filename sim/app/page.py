"""The pages (Solara): the teaching page and the planner's page, in bokmål or English.

Served by ``python -m sim app`` (see :mod:`sim.app.server`); it can also be run with
``solara run sim.app.page``, though that path does not switch off Solara's online extras.
Each browser tab gets its own :class:`~sim.app.session.Session`. The page's elements carry CSS
classes starting ``rs-`` so the browser test can find them. Every visible word comes from
:mod:`sim.app.texts`.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Callable
from typing import cast

import solara

from sim.app import server
from sim.app.controls import SPEEDS, Controls
from sim.app.intro import intro_html
from sim.app.session import (
    DEFAULT_USERS,
    DEFAULT_WEEKS,
    Session,
    Snapshot,
)
from sim.app.story import story_lines
from sim.app.texts import (
    DEFAULT_LANG,
    LANG_NAMES,
    LANGS,
    lever_label,
    scenario_label,
    tr,
)
from sim.scenario import BUILTIN

CSS = """
.rs-layout { display: grid; grid-template-columns: minmax(300px, 360px) minmax(0, 1fr);
  gap: 12px; padding: 8px; }
.rs-main-images { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 8fr); gap: 10px; }
@media (max-width: 1100px) {
  .rs-layout { grid-template-columns: minmax(0, 1fr); }
}
@media (max-width: 900px) {
  .rs-main-images { grid-template-columns: minmax(0, 1fr); }
}
.rs-controls { min-width: 0; }
.rs-buttons { flex-wrap: wrap; gap: 6px; }
.rs-buttons .v-btn { margin: 0 !important; }
.rs-help { font-size: 12px; color: #555; margin: -10px 0 6px 0; line-height: 1.25; }
.rs-section { font-weight: 600; margin: 12px 0 2px 0; color: #333; }
.rs-week { font-size: 22px; font-weight: 700; }
.rs-numbers { font-size: 14px; }
.rs-timing { font-size: 12px; color: #777; }
.rs-badge { display: inline-block; font-size: 14px; font-weight: 600; padding: 4px 10px;
  border-radius: 12px; margin: 4px 0; }
.rs-badge-changed { background: #fff3cd; color: #7a4b00; border: 1px solid #e0b000; }
.rs-badge-same { background: #e8f3ea; color: #1e5b2f; border: 1px solid #8cc49a; }
.rs-story { font-size: 13px; line-height: 1.35; background: #f6f6f6; border-radius: 6px;
  padding: 6px 10px; margin-top: 6px; }
.rs-story-title { font-weight: 700; font-size: 14px; }
.rs-explain h3 { font-size: 17px; margin: 12px 0 4px 0; }
.rs-explain p, .rs-explain li { font-size: 14px; line-height: 1.4; }
.rs-images img { max-width: 100%; height: auto; }
.rs-planner .rs-section, .rs-planner .rs-help, .rs-planner .rs-badge, .rs-planner .rs-timing,
.rs-plan-figure, .rs-plan-progress { display: block; }
.rs-planner .rs-help { margin: 0 0 8px 0; }
.rs-plan-figure { margin: 6px 0; font-size: 15px; }
.rs-plan-result { margin-top: 10px; }
.rs-header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 4px 8px; }
.rs-header-title { font-size: 20px; font-weight: 700; }
"""


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def start_lang() -> str:
    lang = os.environ.get(server.ENV_LANG, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def make_session() -> Session:
    """A session configured by ``python -m sim app`` (through the environment)."""
    seed = os.environ.get(server.ENV_SEED)
    scenario = os.environ.get(server.ENV_SCENARIO, "status-quo")
    return Session(
        users=_env_int(server.ENV_USERS, DEFAULT_USERS),
        weeks=_env_int(server.ENV_WEEKS, DEFAULT_WEEKS),
        scenario=scenario if scenario in BUILTIN else "status-quo",
        classroom=os.environ.get(server.ENV_CLASSROOM, "0") == "1",
        seed=int(seed) if seed and seed.isdigit() else None,
        lang=start_lang(),
    )


@solara.component_vue("clickable_image.vue")
def ClickableImage(src: str, alt: str = "", event_pick: Callable[[dict], None] | None = None):
    """An image that reports where it was clicked, as fractions of its width and height."""


def badge_text(snap: Snapshot) -> tuple[str, bool]:
    """The "changed from the scenario" badge in plain words, and whether anything changed."""
    lang, name = snap.lang, scenario_label(snap.scenario_name, snap.lang)
    if not snap.differences:
        return tr("badge_same", lang, scenario=name), False
    items = "; ".join(
        tr("badge_item", lang, label=lever_label(key, lang), old=f"{old:g}", new=f"{new:g}")
        for key, old, new in snap.differences
    )
    return tr("badge_changed", lang, scenario=name, items=items), True


@solara.component
def Numbers(snap: Snapshot):
    """The week counter, this week's headline numbers and the "changed" badge."""
    lang, now = snap.lang, snap.headline
    with solara.Row(classes=["rs-status"], style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.Text(tr("week_of", lang, week=snap.week, weeks=snap.weeks), classes=["rs-week"])
        solara.Text(tr("numbers", lang, **now), classes=["rs-numbers"])
    text, changed = badge_text(snap)
    solara.Text(text, classes=["rs-badge", "rs-badge-changed" if changed else "rs-badge-same"])
    mode_key = "mode_classroom" if snap.classroom else "mode_seed"
    t = snap.timing
    solara.Text(
        tr(
            "timing",
            lang,
            scenario=scenario_label(snap.scenario_name, lang),
            users=snap.users,
            mode=tr(mode_key, lang, seed=snap.seed),
            model_ms=t.model_ms,
            draw_ms=t.draw_ms,
        ),
        classes=["rs-timing"],
    )
    if snap.changes:
        items = "; ".join(
            tr("change_item", lang, week=week, label=lever_label(name, lang), value=f"{value:g}")
            for week, name, value in snap.changes[-4:]
        )
        solara.Text(tr("changed_during", lang, items=items), classes=["rs-timing", "rs-changes"])


@solara.component
def Story(snap: Snapshot):
    """The followed person's story, or how to choose one."""
    with solara.Div(classes=["rs-story"]):
        if snap.story is None:
            solara.Text(tr("story_hint", snap.lang), classes=["rs-story-hint"])
            return
        lines = story_lines(snap.story, snap.lang)
        solara.Text(lines[0], classes=["rs-story-title"])
        for line in lines[1:]:
            with solara.Div():
                solara.Text(line)


@solara.component
def Teaching(session: Session, lang: str):
    """The teaching page: controls on the left; the network, the plots and the explanation."""
    shown = solara.use_reactive(cast(Snapshot | None, None))
    playing = solara.use_reactive(False)
    until = solara.use_reactive(session.weeks)
    speed = solara.use_reactive("speed_normal")

    def refresh():
        shown.set(session.snapshot())

    def follow_lang():
        if session.lang != lang:
            session.set_lang(lang)
            refresh()

    solara.use_effect(follow_lang, [lang])

    def play_loop(cancel: threading.Event):
        while playing.value and not cancel.is_set():
            started = time.perf_counter()
            session.step()
            refresh()
            if session.done or session.week >= until.value:
                playing.set(False)
                break
            cancel.wait(max(0.02, SPEEDS.get(speed.value, 0.2) - (time.perf_counter() - started)))

    solara.use_thread(play_loop, dependencies=[playing.value], intrusive_cancel=False)
    snap = shown.value if shown.value is not None else session.snapshot()

    def pick(data):
        session.select_at(float(data["x"]), float(data["y"]))
        refresh()

    network_src = "data:image/png;base64," + base64.b64encode(snap.network_png).decode("ascii")
    with solara.Div(classes=["rs-layout"]):
        with solara.Div(classes=["rs-controls"]):
            Controls(session, snap, playing, until, speed, refresh)
        with solara.Div(classes=["rs-main"], style={"min-width": "0"}):
            Numbers(snap)
            with solara.Div(classes=["rs-main-images", "rs-images"]):
                with solara.Div(classes=["rs-network"]):
                    ClickableImage(src=network_src, alt=tr("story_hint", lang), event_pick=pick)
                    Story(snap)
                with solara.Div():
                    with solara.Div(classes=["rs-plots"]):
                        solara.Image(snap.plots_png, format="png", width="100%")
                    with solara.Row(classes=["rs-export"], style={"flex-wrap": "wrap"}):
                        solara.FileDownload(
                            session.export_plots_png,
                            filename=session.export_filename("plots"),
                            label=tr("export_plots", lang),
                            mime_type="image/png",
                        )
                        solara.FileDownload(
                            session.export_network_png,
                            filename=session.export_filename("network"),
                            label=tr("export_network", lang),
                            mime_type="image/png",
                        )
                    with solara.Div(classes=["rs-explain"]):
                        solara.HTML(tag="div", unsafe_innerHTML=intro_html(snap.users, lang))


@solara.component
def Page():
    session = solara.use_memo(make_session, [])
    planner_kept = solara.use_memo(dict, [])
    lang = solara.use_reactive(session.lang)
    tab = solara.use_reactive(
        "planner" if os.environ.get(server.ENV_PLANNER, "0") == "1" else "teaching"
    )
    solara.Title(tr("page_title", lang.value))
    solara.Style(CSS)
    with solara.Div(classes=["rs-header"]):
        solara.Text(tr("heading", lang.value), classes=["rs-header-title"])
        tabs = {
            tr("tab_teaching", lang.value): "teaching",
            tr("tab_planner", lang.value): "planner",
        }
        with solara.Div(classes=["rs-tabs"]):
            solara.ToggleButtonsSingle(
                value=next(k for k, v in tabs.items() if v == tab.value),
                values=list(tabs),
                on_value=lambda label: tab.set(tabs[label]),
            )
        names = {LANG_NAMES[code]: code for code in LANGS}
        with solara.Div(classes=["rs-lang"]):
            solara.ToggleButtonsSingle(
                value=LANG_NAMES[lang.value],
                values=list(names),
                on_value=lambda label: lang.set(names[label]),
            )
    if tab.value == "planner":
        from sim.app.planner_page import Planner

        Planner(lang.value, planner_kept)
    else:
        Teaching(session, lang.value)
