"""The planner's page (Solara): a built-in aftercare model, its levers grouped in plain words, the
municipality's size, a comparison against status quo with a progress bar, and the answer per 100
discharged, with downloads of the scenario file and the report. Logic in :mod:`sim.app.planner`.
"""

from __future__ import annotations

import copy
import tempfile
import threading
from pathlib import Path

import solara

from sim.app.controls import lever_slider
from sim.app.planner import (
    MAX_REPLICATIONS,
    MAX_USERS,
    MAX_WEEKS,
    MIN_WEEKS,
    Plan,
    PlanResult,
    changes_text,
    figure_text,
    report_markdown,
    run_plan,
)
from sim.app.planner_texts import PLANNER_LEVERS, planner_text
from sim.app.texts import SCENARIO_SHORT, SECTION_NAMES, SECTIONS, scenario_label
from sim.scenario import BUILTIN

_RUN_LOCK = threading.Lock()  # one comparison at a time on this machine


@solara.component
def Planner(lang: str, kept: dict | None = None):
    """The planner's page. ``kept`` (a dict the caller keeps) holds the plan and the last
    result, so that they survive a visit to the teaching tab."""
    kept = solara.use_memo(dict, []) if kept is None else kept
    plan = kept.setdefault("plan", Plan())
    revision = solara.use_reactive(0)
    running = solara.use_reactive(False)
    done = solara.use_reactive(0)
    result = solara.use_reactive(kept.get("result"))
    error = solara.use_reactive("")
    t = lambda key, **kw: planner_text(key, lang, **kw)  # noqa: E731

    def changed():
        revision.set(revision.value + 1)

    def compare_thread(cancel: threading.Event):
        if not running.value:
            return
        count = [0]

        def progress(n=1):
            count[0] += n
            done.set(count[0])

        try:
            with _RUN_LOCK, tempfile.TemporaryDirectory(prefix="recovery-sim-planner-") as out:
                kept["result"] = run_plan(copy.deepcopy(plan), Path(out), progress)
                result.set(kept["result"])
            error.set("")
        except Exception as exc:  # noqa: BLE001 - shown on the page in one line
            error.set(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        finally:
            running.set(False)

    solara.use_thread(compare_thread, dependencies=[running.value], intrusive_cancel=False)

    def start():
        done.set(0)
        result.set(None)
        running.set(True)

    _ = revision.value  # read, so that every change re-renders the page
    values = plan.values()
    with solara.Div(classes=["rs-layout", "rs-planner"]):
        with solara.Div(classes=["rs-controls"]):
            solara.Text(t("intro"), classes=["rs-help"], style={"margin": "0 0 8px 0"})
            labels = [scenario_label(name, lang) for name in BUILTIN]
            by_label = dict(zip(labels, BUILTIN))

            def choose(label):
                plan.base = by_label[label]
                plan.levers.clear()
                changed()

            with solara.Div(classes=["rs-plan-base"]):
                solara.Select(
                    t("base"),
                    values=labels,
                    value=scenario_label(plan.base, lang),
                    on_value=choose,
                    disabled=running.value,
                )
            solara.Text(SCENARIO_SHORT[plan.base][lang], classes=["rs-help"])

            def move(name, v):
                plan.set_lever(name, v)
                changed()

            for section in SECTIONS:
                solara.Text(SECTION_NAMES[section][lang], classes=["rs-section"])
                for text in PLANNER_LEVERS:
                    if text.section != section:
                        continue
                    lever_slider(
                        text, values[text.name], lang, move, "rs-plan-slider", running.value
                    )
        with solara.Div(classes=["rs-main"], style={"min-width": "0"}):
            solara.Text(t("size_section"), classes=["rs-section"])

            def size(attr):
                def set_value(v):
                    setattr(plan, attr, int(v))
                    changed()

                return set_value

            with solara.Div(classes=["rs-plan-users"], style={"max-width": "560px"}):
                solara.SliderInt(
                    t("users", n=plan.users),
                    value=plan.users,
                    min=100,
                    max=MAX_USERS,
                    step=100,
                    on_value=size("users"),
                    disabled=running.value,
                )
            solara.Text(t("users_help"), classes=["rs-help"])
            with solara.Div(classes=["rs-plan-weeks"], style={"max-width": "560px"}):
                solara.SliderInt(
                    t("weeks", n=plan.weeks),
                    value=plan.weeks,
                    min=MIN_WEEKS,
                    max=MAX_WEEKS,
                    step=13,
                    on_value=size("weeks"),
                    disabled=running.value,
                )
            with solara.Div(classes=["rs-plan-replications"], style={"max-width": "560px"}):
                solara.SliderInt(
                    t("replications", n=plan.replications),
                    value=plan.replications,
                    min=2,
                    max=MAX_REPLICATIONS,
                    on_value=size("replications"),
                    disabled=running.value,
                )
            solara.Text(t("replications_help"), classes=["rs-help"])
            solara.Text(changes_text(plan, lang), classes=["rs-badge", "rs-plan-changes"])
            with solara.Row(classes=["rs-buttons"]):
                solara.Button(
                    t("run"),
                    icon_name="mdi-scale-balance",
                    color="primary",
                    on_click=start,
                    disabled=running.value,
                    classes=["rs-plan-run"],
                )
            total = 2 * plan.replications
            if running.value:
                solara.ProgressLinear(value=100.0 * done.value / max(total, 1))
                solara.Text(
                    t("running", done=done.value, total=total), classes=["rs-plan-progress"]
                )
            if error.value:
                solara.Error(error.value)
            if result.value is not None:
                Result(result.value, lang)


@solara.component
def Result(res: PlanResult, lang: str):
    """The answer per 100 discharged, how sure it is, what is not modelled, and downloads."""
    t = lambda key, **kw: planner_text(key, lang, **kw)  # noqa: E731
    p = res.plan
    with solara.Div(classes=["rs-plan-result"]):
        solara.Text(
            t(
                "finished",
                runs=len(res.runs),
                seconds=res.seconds,
                seed=p.seed,
                last=p.seed + p.replications - 1,
            ),
            classes=["rs-timing", "rs-plan-finished"],
        )
        solara.Text(t("result_title"), classes=["rs-section"])
        for css, key, fig in (
            ("rs-plan-relapses", "fewer_relapses", res.relapses),
            ("rs-plan-burnout", "fewer_burnout", res.burnout_per_discharged),
            ("rs-plan-burnout-relatives", "fewer_burnout_relatives", res.burnout_per_relatives),
        ):
            with solara.Div(classes=["rs-plan-figure"]):
                solara.Text(t(key) + ": ", style={"font-weight": "600"})
                solara.Text(figure_text(fig, lang), classes=[css])
                solara.Text(
                    " " + (t("sure_yes") if fig.sure else t("sure_no")), classes=["rs-help"]
                )
        solara.Text(t("negative_note"), classes=["rs-help"])
        solara.Text(t("not_modelled"), classes=["rs-badge", "rs-badge-changed", "rs-plan-missing"])
        solara.Text(t("caveat"), classes=["rs-help"])
        with solara.Row(classes=["rs-export"], style={"flex-wrap": "wrap"}):
            solara.FileDownload(
                lambda: p.scenario_toml().encode("utf-8"),
                filename="plan.toml",
                label=t("download_scenario"),
                mime_type="text/plain",
            )
            solara.FileDownload(
                lambda: report_markdown(res, lang).encode("utf-8"),
                filename="plan-report.md",
                label=t("download_report"),
                mime_type="text/markdown",
            )
