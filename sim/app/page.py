"""The teaching page (Solara): controls on the left; the network, the plots and the explanation.

Served by ``python -m sim app`` (see :mod:`sim.app.server`); it can also be run with
``solara run sim.app.page``, though that path does not switch off Solara's online extras.
Each browser tab gets its own :class:`~sim.app.session.Session`. The page's elements carry CSS
classes starting ``rs-`` so the browser test can find them.
"""

from __future__ import annotations

import os
import threading
import time
from typing import cast

import solara

from sim.app import server
from sim.app.session import (
    CLASSROOM_SEED,
    DEFAULT_USERS,
    DEFAULT_WEEKS,
    START_RANGES,
    Session,
    Snapshot,
)
from sim.app.texts import (
    LEVER_TEXTS,
    SCENARIO_LABELS,
    SCENARIO_SHORT,
    SECTIONS,
    START,
    START_TEXTS,
    intro_html,
)
from sim.params import BY_NAME
from sim.scenario import BUILTIN

SPEEDS = {"slow (2 weeks/s)": 0.5, "normal (5 weeks/s)": 0.2, "fast (10 weeks/s)": 0.1}
CSS = """
.rs-help { font-size: 12px; color: #555; margin: -10px 0 6px 0; line-height: 1.25; }
.rs-section { font-weight: 600; margin: 12px 0 2px 0; color: #333; }
.rs-week { font-size: 22px; font-weight: 700; }
.rs-numbers { font-size: 14px; }
.rs-timing { font-size: 12px; color: #777; }
.rs-explain h3 { font-size: 17px; margin: 12px 0 4px 0; }
.rs-explain p, .rs-explain li { font-size: 14px; line-height: 1.4; }
.rs-images img { max-width: 100%; height: auto; }
"""


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


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
    )


def _slider_step(name: str) -> float:
    param = BY_NAME[name]
    if param.integer:
        return 1
    span = param.high - param.low
    return 0.05 if span <= 1.0 else (0.1 if span <= 5 else 1.0)


@solara.component
def ReleaseSlider(label: str, value: float, min: float, max: float, step: float, on_release):
    """A slider that reports its value when released (or moved with the keyboard), not while it
    is dragged: for sliders whose change restarts the story."""
    import reacton.ipyvue as rvue
    import reacton.ipyvuetify as rv

    shown, set_shown = solara.use_state(value)

    def sync():
        set_shown(value)

    solara.use_effect(sync, [value])
    slider = rv.Slider(
        label=label,
        v_model=shown,
        on_v_model=set_shown,
        min=min,
        max=max,
        step=step,
        thumb_label=True,
        hide_details=True,
    )
    rvue.use_event(slider, "change", lambda _widget, _event, data: on_release(float(data)))
    return slider


@solara.component
def Controls(
    session: Session,
    snap: Snapshot,
    playing: solara.Reactive[bool],
    speed: solara.Reactive[str],
    refresh,
):
    """Scenario, classroom mode, play/pause/step/reset and the sliders."""

    def choose(name):
        playing.set(False)
        session.choose_scenario(name)
        refresh()

    def classroom(on):
        playing.set(False)
        session.set_classroom(on)
        refresh()

    def step():
        if not session.done:
            session.step()
        refresh()

    def reset():
        playing.set(False)
        session.reset()
        refresh()

    labels = [SCENARIO_LABELS[name] for name in BUILTIN]
    by_label = dict(zip(labels, BUILTIN))
    with solara.Div(classes=["rs-scenario"]):
        solara.Select(
            "Aftercare model (scenario)",
            values=labels,
            value=SCENARIO_LABELS[snap.scenario_name],
            on_value=lambda label: choose(by_label[label]),
        )
    solara.Text(SCENARIO_SHORT[snap.scenario_name], classes=["rs-help"])
    with solara.Div(classes=["rs-classroom"]):
        solara.Switch(
            label=f"Classroom mode (same story every time, seed {CLASSROOM_SEED})",
            value=snap.classroom,
            on_value=classroom,
        )
    with solara.Row(classes=["rs-buttons"]):
        solara.Button(
            "Pause" if playing.value else "Play",
            icon_name="mdi-pause" if playing.value else "mdi-play",
            color="primary",
            on_click=lambda: playing.set(not playing.value),
            disabled=snap.done,
            classes=["rs-play"],
        )
        solara.Button(
            "Step",
            icon_name="mdi-step-forward",
            on_click=step,
            disabled=playing.value or snap.done,
            classes=["rs-step"],
        )
        solara.Button("Reset", icon_name="mdi-restart", on_click=reset, classes=["rs-reset"])
    solara.Select("Speed", values=list(SPEEDS), value=speed)

    def lever_slider(text):
        param = BY_NAME[text.name]
        value = snap.levers[text.name]

        def changed(v, name=text.name):
            session.set_lever(name, v)
            refresh()

        with solara.Div(classes=[f"rs-slider-{text.name}"]):
            label = f"{text.label}: {value:g}"
            if param.integer:
                solara.SliderInt(
                    label,
                    value=int(value),
                    min=int(param.low),
                    max=int(param.high),
                    on_value=changed,
                )
            else:
                solara.SliderFloat(
                    label,
                    value=float(value),
                    min=param.low,
                    max=param.high,
                    step=_slider_step(text.name),
                    on_value=changed,
                )
        solara.Text(text.help, classes=["rs-help"])

    for section in SECTIONS:
        solara.Text(section, classes=["rs-section"])
        for text in LEVER_TEXTS:
            if text.section == section:
                lever_slider(text)
    solara.Text(START, classes=["rs-section"])
    for text in START_TEXTS:
        low, high, step_size = START_RANGES[text.name]

        def start_changed(v, name=text.name):
            playing.set(False)
            session.set_start(name, v)
            refresh()

        with solara.Div(classes=[f"rs-slider-{text.name}"]):
            value = float(snap.start[text.name])
            ReleaseSlider(f"{text.label}: {value:g}", value, low, high, step_size, start_changed)
        solara.Text(text.help, classes=["rs-help"])


@solara.component
def Numbers(snap: Snapshot):
    """The week counter and this week's headline numbers."""
    now = snap.headline
    with solara.Row(classes=["rs-status"], style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.Text(f"Week {snap.week} of {snap.weeks}", classes=["rs-week"])
        solara.Text(
            f"relapsed since discharge {now['ever_relapsed_pct']:.0f}% · using now {now['using_pct']:.0f}% · "
            f"next of kin burnt out {now['burnout_pct']:.0f}% · in groups: {now['users_in_groups_pct']:.0f}% of "
            f"people in recovery, {now['relatives_in_groups_pct']:.0f}% of next of kin · "
            f"SOC-13 {now['soc13']:.0f} · hope {now['hope']:.0f}",
            classes=["rs-numbers"],
        )
    mode = f"classroom mode, seed {snap.seed}" if snap.classroom else f"seed {snap.seed}"
    t = snap.timing
    solara.Text(
        f"{SCENARIO_LABELS[snap.scenario_name]} · {snap.users} people in recovery · {mode} · "
        f"last step: model {t.model_ms:.0f} ms + drawing {t.draw_ms:.0f} ms",
        classes=["rs-timing"],
    )
    if snap.changes:
        solara.Text(
            "Changed during this run: " + "; ".join(snap.changes[-4:]), classes=["rs-timing"]
        )


@solara.component
def Page():
    session = solara.use_memo(make_session, [])
    shown = solara.use_reactive(cast(Snapshot | None, None))
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("normal (5 weeks/s)")

    def refresh():
        shown.set(session.snapshot())

    def play_loop(cancel: threading.Event):
        while playing.value and not cancel.is_set():
            started = time.perf_counter()
            session.step()
            refresh()
            if session.done:
                playing.set(False)
                break
            cancel.wait(max(0.02, SPEEDS.get(speed.value, 0.2) - (time.perf_counter() - started)))

    solara.use_thread(play_loop, dependencies=[playing.value], intrusive_cancel=False)
    snap = shown.value if shown.value is not None else session.snapshot()

    solara.Title("Recovery, next of kin and self-help: a teaching page")
    solara.Style(CSS)
    with solara.Columns([3, 9], style={"padding": "8px"}):
        with solara.Column(classes=["rs-controls"]):
            solara.Text(
                "Recovery, next of kin and self-help",
                style={"font-size": "20px", "font-weight": "700"},
            )
            Controls(session, snap, playing, speed, refresh)
        with solara.Column():
            Numbers(snap)
            with solara.Columns([5, 8], classes=["rs-images"]):
                with solara.Div(classes=["rs-network"]):
                    solara.Image(snap.network_png, format="png", width="100%")
                with solara.Column():
                    with solara.Div(classes=["rs-plots"]):
                        solara.Image(snap.plots_png, format="png", width="100%")
                    with solara.Row(classes=["rs-export"]):
                        solara.FileDownload(
                            session.export_plots_png,
                            filename=session.export_filename("plots"),
                            label="Export plots (PNG)",
                            mime_type="image/png",
                        )
                        solara.FileDownload(
                            session.export_network_png,
                            filename=session.export_filename("network"),
                            label="Export network (PNG)",
                            mime_type="image/png",
                        )
                    with solara.Div(classes=["rs-explain"]):
                        solara.HTML(tag="div", unsafe_innerHTML=intro_html(snap.users))
