"""Both pages in a real browser: `python -m sim app` driven by headless Chromium.

Needs Debian's chromium (`.ci/setup.d/browser.sh` installs it) and Playwright (a project
dependency; its own browser downloads are not used). Skips without chromium on a developer's
machine; fails without it in CI (CI=true). Screenshots, downloads and a log with the measured
timings go to results/app_browser_test/ (the test's artifacts).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from sim.app import browser

OUT = Path(__file__).resolve().parents[1] / "results" / "app_browser_test"
IN_CI = os.environ.get("CI", "").lower() == "true"
PNG = b"\x89PNG\r\n\x1a\n"
# 1280x720 at 150% zoom lays the page out in a window of 1280/1.5 x 720/1.5 CSS pixels.
ZOOM_150 = {"width": 853, "height": 480}


def _require_browser() -> None:
    problems = []
    if not browser.CHROMIUM.exists():
        problems.append(f"{browser.CHROMIUM} is missing (run .ci/setup.d/browser.sh as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is not installed (pip install -e .)")
    if problems:
        if IN_CI:
            pytest.fail("browser test cannot run in CI: " + "; ".join(problems))
        pytest.skip("browser test needs " + "; ".join(problems))


class Log:
    def __init__(self, name: str):
        self.path, self.lines = OUT / f"{name}.log", []

    def __call__(self, text: str) -> None:
        self.lines.append(text)
        print(text)

    def write(self) -> None:
        self.path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def check_layout(page, name: str, log: Log) -> None:
    """At 1280x720 and at 150% zoom every control fits the window (screenshots saved)."""
    for label, size in (("1280x720", {"width": 1280, "height": 720}), ("zoom150", ZOOM_150)):
        page.set_viewport_size(size)
        page.wait_for_timeout(600)
        page.screenshot(path=str(OUT / f"{name}_{label}.png"), full_page=True)
        clipped = browser.clipped_controls(page)
        log(f"{name} at {label}: {len(clipped)} clipped controls")
        assert clipped == [], f"{name} at {label}: {clipped[:6]}"
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.wait_for_timeout(400)


def png_margins_are_blank(data: bytes) -> bool:
    """The outer 3 pixels of an exported image are white: nothing was cut at an edge."""
    import io

    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(data)).convert("L"))
    frame = np.concatenate(
        [image[:3].ravel(), image[-3:].ravel(), image[:, :3].ravel(), image[:, -3:].ravel()]
    )
    return bool(frame.min() >= 250)


def server_checks(server_log: Path) -> None:
    text = server_log.read_text(encoding="utf-8")
    assert "offline: missing asset" not in text, text[-2000:]
    assert "Traceback" not in text, text[-4000:]


def test_teaching_page_in_chromium_offline():
    """Both languages; slider, Step, Play/Pause, Play one year, Reset and the changed badge;
    a click on a person and their story; the SOC colour mode; exports that keep their titles;
    layout at 1280x720 and 150% zoom; classroom replay; no request leaves this machine."""
    _require_browser()
    OUT.mkdir(parents=True, exist_ok=True)
    log = Log("teaching")
    server_log = OUT / "teaching_server.log"
    t0 = time.perf_counter()
    try:
        with (
            browser.app_server(server_log, "--classroom", "--users", "300") as url,
            browser.chromium_page() as (page, blocked),
        ):
            page.goto(url, timeout=90_000)
            page.wait_for_selector(".rs-week", timeout=90_000)
            browser.wait_for_week(page, 0)
            log(f"page loaded in {time.perf_counter() - t0:.1f} s (server start included)")
            # bokmål by default, nothing changed yet
            assert browser.week_text(page).startswith("Uke 0 av 260")
            assert "klasseromsmodus, frø 2024" in page.inner_text(".rs-timing")
            assert "ingen endringer" in page.inner_text(".rs-badge")
            page.screenshot(path=str(OUT / "teaching_nb_week0.png"))
            check_layout(page, "teaching_nb", log)
            src_before = browser.image_src(page, ".rs-plots")

            # a lever: aftercare coverage up by four notches (0.40 -> 0.60); the badge says so
            start = browser.slider_value(page, "aftercare_coverage")
            moved = browser.nudge_slider(page, "aftercare_coverage", 4)
            assert moved == pytest.approx(start + 0.2), (start, moved)
            badge = page.inner_text(".rs-badge")
            assert "Endret fra scenarioet" in badge and "Tilbud om ettervern" in badge, badge

            # step, timed at 300 people: model step, drawing and transfer to the page
            times = [browser.step_and_time(page) for _ in range(12)]
            assert browser.week_number(page) == 12
            assert browser.image_src(page, ".rs-plots") != src_before
            ms = [1000 * t for t in times]
            log(
                "teaching step at 300 people, ms (click to both pictures shown): "
                + ", ".join(f"{m:.0f}" for m in ms)
            )
            log(
                f"teaching step at 300 people: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms (goal: median under 300 ms)"
            )
            log("server's own timing of the last step: " + page.inner_text(".rs-timing"))

            # click a person: the story panel tells their story
            img = page.locator(".rs-network img")
            box = img.bounding_box()
            img.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.42})
            page.wait_for_function(
                "() => { const e = document.querySelector('.rs-story');"
                " return e && e.innerText.trim().split('\\n').filter(x => x.trim()).length >= 9; }",
                timeout=15_000,
            )
            story = page.inner_text(".rs-story")
            log("story panel (nb): " + story.replace("\n", " | "))
            for word in ("Historien til person", "uker siden utskriving", "Tilbakefall", "begripelighet",
                         "håndterbarhet", "meningsfullhet", "Håp", "Motstandsressurser",
                         "Pårørende", "Gruppe"):  # fmt: skip
                assert word in story, (word, story)
            page.locator(".rs-network").screenshot(path=str(OUT / "teaching_story_nb.png"))

            # colour by sense of coherence: the picture changes
            net_before = browser.image_src(page, ".rs-network")
            page.locator(".rs-colour .v-select__slot").click()
            page.locator(
                ".v-menu__content .v-list-item", has_text="opplevelse av sammenheng"
            ).click()
            page.wait_for_function(
                "s => document.querySelector('.rs-network img').src !== s",
                arg=net_before,
                timeout=15_000,
            )
            page.locator(".rs-network").screenshot(path=str(OUT / "teaching_soc_colours.png"))

            # play one year: 52 weeks on, then it stops by itself
            page.locator(".rs-year").click()
            page.wait_for_function(f"() => {browser.WEEK_JS} >= 64", timeout=60_000)
            page.wait_for_timeout(1200)
            assert browser.week_number(page) == 64, browser.week_text(page)
            log(f"play one year: {browser.week_text(page)}")

            # play and pause
            page.locator(".rs-play").click()
            page.wait_for_function(f"() => {browser.WEEK_JS} >= 67", timeout=30_000)
            page.locator(".rs-play").click()
            page.wait_for_timeout(800)
            paused_at = browser.week_text(page)
            page.wait_for_timeout(800)
            assert browser.week_text(page) == paused_at, "the page kept stepping after Pause"
            numbers = page.inner_text(".rs-numbers")

            # exports: PNGs whose titles are not cut at an edge
            for label, name in (
                ("Eksporter grafene (PNG)", "plots"),
                ("Eksporter nettverket (PNG)", "network"),
            ):
                with page.expect_download(timeout=30_000) as download_info:
                    page.get_by_text(label).click()
                path = OUT / f"exported_{name}.png"
                download_info.value.save_as(str(path))
                data = path.read_bytes()
                assert data[:8] == PNG and len(data) > 20_000
                assert png_margins_are_blank(data), f"exported {name} touches an edge (clipped)"

            # English: every word switches, the numbers stay
            page.get_by_text("English", exact=True).click()
            page.wait_for_function(
                "() => document.querySelector('.rs-week').innerText.startsWith('Week')",
                timeout=15_000,
            )
            # the panels re-render one by one: wait for the story too (flaky under load before)
            page.wait_for_function(
                "() => document.querySelector('.rs-story').innerText.includes('The story of person')",
                timeout=15_000,
            )
            assert page.inner_text(".rs-numbers").split("·")[0] != numbers.split("·")[0]
            assert "Changed from the scenario" in page.inner_text(".rs-badge")
            assert "The story of person" in page.inner_text(".rs-story")
            page.screenshot(path=str(OUT / "teaching_en.png"))
            check_layout(page, "teaching_en", log)

            # Reset: the same story again in classroom mode; still marked as changed
            page.locator(".rs-reset").click()
            browser.wait_for_week(page, 0)
            assert "Changed from the scenario" in page.inner_text(".rs-badge")
            for _ in range(3):
                browser.step_and_time(page)
            week3 = page.inner_text(".rs-numbers")
            page.locator(".rs-reset").click()
            browser.wait_for_week(page, 0)
            for _ in range(3):
                browser.step_and_time(page)
            assert page.inner_text(".rs-numbers") == week3

            # a starting-point slider restarts the story from week 0
            browser.nudge_slider(page, "comprehensibility", 5)
            browser.wait_for_week(page, 0)
            page.screenshot(path=str(OUT / "teaching_after_reset.png"))
            assert blocked == [], f"the page tried to reach other hosts: {blocked[:5]}"
            log("requests to other hosts: none")
    finally:
        log.write()
    server_checks(server_log)


def test_planner_page_in_chromium_matches_compare():
    """Move levers, set the size, run the comparison with its progress bar; the numbers shown
    equal those of `compare` for the same inputs; downloads; both languages; layout; offline."""
    _require_browser()
    from experiments.compare import compare
    from sim.app.planner import Plan, burnout_per_100_discharged, fewer_per_100, fmt
    from sim.scenario import load

    OUT.mkdir(parents=True, exist_ok=True)
    log = Log("planner")
    server_log = OUT / "planner_server.log"
    try:
        with (
            browser.app_server(server_log, "--planner", "--lang", "en") as url,
            browser.chromium_page() as (page, blocked),
        ):
            page.goto(url, timeout=90_000)
            page.wait_for_selector(".rs-plan-run", timeout=90_000)
            assert "compare with status quo" in page.inner_text(".rs-plan-run").lower()
            check_layout(page, "planner_en", log)

            # the default comparison (institution-based aftercare, default size), timed
            t0 = time.perf_counter()
            page.locator(".rs-plan-run").click()
            page.wait_for_selector(".rs-plan-progress", timeout=30_000)
            page.wait_for_selector(".rs-plan-relapses", timeout=300_000)
            log(f"planner comparison at the default size: {time.perf_counter() - t0:.1f} s in the browser; "
                + page.inner_text(".rs-plan-finished"))  # fmt: skip

            # a smaller plan with two levers moved
            prefix = "rs-plan-slider-"
            browser.set_slider(page, "peer_staff", 1.0, prefix=prefix, wait_ms=150)
            browser.set_slider(page, "aftercare_closure_weeks", 0, prefix=prefix, wait_ms=150)
            browser.set_slider(page, "", 400, max_presses=40, prefix="rs-plan-users", wait_ms=150)
            browser.set_slider(page, "", 78, max_presses=40, prefix="rs-plan-weeks", wait_ms=150)
            browser.set_slider(
                page, "", 4, max_presses=20, prefix="rs-plan-replications", wait_ms=150
            )
            changes = page.inner_text(".rs-plan-changes")
            assert "Peer staff" in changes and "Weeks closed per year" in changes, changes
            page.locator(".rs-plan-run").click()
            page.wait_for_function(
                "() => { const e = document.querySelector('.rs-plan-finished'); return e && e.innerText.includes('8 simulations'); }",
                timeout=120_000,
            )
            shown = {
                css: page.inner_text(f".{css}")
                for css in ("rs-plan-relapses", "rs-plan-burnout", "rs-plan-burnout-relatives")
            }
            log(f"planner (400 people, 78 weeks, 4 replications): {shown}")
            page.screenshot(path=str(OUT / "planner_result_en.png"), full_page=True)
            assert "not in the model yet" in page.inner_text(".rs-plan-missing")

            # downloads: the scenario file and the report
            with page.expect_download(timeout=30_000) as info:
                page.get_by_text("Download the scenario file (TOML)").click()
            toml_path = OUT / "plan.toml"
            info.value.save_as(str(toml_path))
            with page.expect_download(timeout=30_000) as info:
                page.get_by_text("Download the report (Markdown)").click()
            report_path = OUT / "plan-report.md"
            info.value.save_as(str(report_path))

            # bokmål: the same figures in Norwegian words
            page.get_by_text("norsk (bokmål)", exact=True).click()
            page.wait_for_function(
                "() => document.querySelector('.rs-plan-run').innerText.toLowerCase().includes('sammenlign')",
                timeout=15_000,
            )
            assert "intervall" in page.inner_text(".rs-plan-relapses")
            assert "ikke med i modellen" in page.inner_text(".rs-plan-missing")
            page.screenshot(path=str(OUT / "planner_result_nb.png"), full_page=True)
            # the plan and its answer survive a visit to the teaching tab
            page.get_by_text("Undervisning", exact=True).click()
            page.wait_for_selector(".rs-week", timeout=30_000)
            page.get_by_text("Planlegging", exact=True).click()
            page.wait_for_selector(".rs-plan-relapses", timeout=30_000)
            assert (
                page.inner_text(".rs-plan-relapses").replace(",", ".").split(" (")[0]
                == (shown["rs-plan-relapses"].split(" (")[0])
            )
            check_layout(page, "planner_nb", log)
            assert blocked == [], f"the page tried to reach other hosts: {blocked[:5]}"
    finally:
        log.write()
    server_checks(server_log)

    # the same inputs through `compare` itself
    plan_sc = load(str(toml_path))
    expected = Plan(
        "institutional", {"peer_staff": 1.0, "aftercare_closure_weeks": 0}, 400, 78, 4, 1
    )
    assert plan_sc.values == expected.scenario().values
    with tempfile.TemporaryDirectory() as out:
        runs, _, diff = compare(
            [load("status-quo"), plan_sc], "status-quo", 4, 400, 78, 1, Path(out)
        )
    for css, fig in (
        ("rs-plan-relapses", fewer_per_100(diff, "relapse_within_52w")),
        ("rs-plan-burnout", burnout_per_100_discharged(runs)),
        ("rs-plan-burnout-relatives", fewer_per_100(diff, "relatives_burnout_prevalence")),
    ):
        assert shown[css] == f"{fmt(fig.fewer)} (95% interval {fmt(fig.low)} to {fmt(fig.high)})", (
            css
        )
    row = diff[diff.metric == "relapse_within_52w"].iloc[0]
    assert shown["rs-plan-relapses"].startswith(fmt(-100 * row["difference"]))
    report = report_path.read_text(encoding="utf-8")
    assert shown["rs-plan-relapses"] in report and "python -m sim compare" in report
