"""The teaching page's column of controls: scenario, classroom mode, play/step/play one
year/reset, speed, colour mode, the lever sliders and the starting point (Solara)."""

from __future__ import annotations

import solara

from sim.app.session import CLASSROOM_SEED, START_RANGES, Session, Snapshot
from sim.app.texts import (
    LEVER_TEXTS,
    SCENARIO_SHORT,
    SECTION_NAMES,
    SECTIONS,
    START,
    START_TEXTS,
    localise,
    scenario_label,
    tr,
)
from sim.params import BY_NAME
from sim.scenario import BUILTIN

SPEEDS = {"speed_slow": 0.5, "speed_normal": 0.2, "speed_fast": 0.1}
YEAR = 52


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
    until: solara.Reactive[int],
    speed: solara.Reactive[str],
    refresh,
):
    """Scenario, classroom mode, play/pause/step/reset, colour mode and the sliders."""
    lang = snap.lang

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

    def play():
        until.set(session.weeks)
        playing.set(not playing.value)

    def play_year():
        until.set(min(session.week + YEAR, session.weeks))
        playing.set(True)

    labels = [scenario_label(name, lang) for name in BUILTIN]
    by_label = dict(zip(labels, BUILTIN))
    with solara.Div(classes=["rs-scenario"]):
        solara.Select(
            tr("scenario", lang),
            values=labels,
            value=scenario_label(snap.scenario_name, lang),
            on_value=lambda label: choose(by_label[label]),
        )
    solara.Text(SCENARIO_SHORT[snap.scenario_name][lang], classes=["rs-help"])
    with solara.Div(classes=["rs-classroom"]):
        solara.Switch(
            label=tr("classroom", lang, seed=CLASSROOM_SEED),
            value=snap.classroom,
            on_value=classroom,
        )
    with solara.Row(classes=["rs-buttons"]):
        solara.Button(
            tr("pause" if playing.value else "play", lang),
            icon_name="mdi-pause" if playing.value else "mdi-play",
            color="primary",
            on_click=play,
            disabled=snap.done,
            classes=["rs-play"],
        )
        solara.Button(
            tr("step", lang),
            icon_name="mdi-step-forward",
            on_click=step,
            disabled=playing.value or snap.done,
            classes=["rs-step"],
        )
        solara.Button(
            tr("play_year", lang),
            icon_name="mdi-fast-forward",
            on_click=play_year,
            disabled=playing.value or snap.done,
            classes=["rs-year"],
        )
        solara.Button(
            tr("reset", lang), icon_name="mdi-restart", on_click=reset, classes=["rs-reset"]
        )
    speed_labels = {tr(key, lang): key for key in SPEEDS}
    with solara.Div(classes=["rs-speed"]):
        solara.Select(
            tr("speed", lang),
            values=list(speed_labels),
            value=tr(speed.value, lang),
            on_value=lambda label: speed.set(speed_labels[label]),
        )
    colour_labels = {tr("colour_status", lang): "status", tr("colour_soc", lang): "soc"}

    def colour(label):
        session.set_colour(colour_labels[label])
        refresh()

    with solara.Div(classes=["rs-colour"]):
        solara.Select(
            tr("colour_by", lang),
            values=list(colour_labels),
            value=next(k for k, v in colour_labels.items() if v == snap.colour),
            on_value=colour,
        )

    def changed(name, v):
        session.set_lever(name, v)
        refresh()

    for section in SECTIONS:
        solara.Text(SECTION_NAMES[section][lang], classes=["rs-section"])
        for text in LEVER_TEXTS:
            if text.section == section:
                lever_slider(text, snap.levers[text.name], lang, changed, "rs-slider")
    solara.Text(SECTION_NAMES[START][lang], classes=["rs-section"])
    for text in START_TEXTS:
        low, high, step_size = START_RANGES[text.name]

        def start_changed(v, name=text.name):
            playing.set(False)
            session.set_start(name, v)
            refresh()

        with solara.Div(classes=[f"rs-slider-{text.name}"]):
            value = float(snap.start[text.name])
            ReleaseSlider(
                localise(f"{text.label[lang]}: {value:g}", lang),
                value,
                low,
                high,
                step_size,
                start_changed,
            )
        solara.Text(text.help[lang], classes=["rs-help"])


def lever_slider(text, value: float, lang: str, on_change, prefix: str, disabled=False) -> None:
    """One lever's slider (whole numbers or not, by its parameter) and its help line: the
    teaching page's and the planner's. ``on_change(name, value)`` is called on a move."""
    param = BY_NAME[text.name]

    def move(v, name=text.name):
        on_change(name, v)

    with solara.Div(classes=[f"{prefix}-{text.name}"]):
        label = localise(f"{text.label[lang]}: {value:g}", lang)
        if param.integer:
            solara.SliderInt(
                label,
                value=int(value),
                min=int(param.low),
                max=int(param.high),
                on_value=move,
                disabled=disabled,
            )
        else:
            solara.SliderFloat(
                label,
                value=float(value),
                min=param.low,
                max=param.high,
                step=_slider_step(text.name),
                on_value=move,
                disabled=disabled,
            )
    solara.Text(text.help[lang], classes=["rs-help"])
