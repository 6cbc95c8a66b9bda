"""The teaching page in a real browser: `python -m sim app` driven by headless Chromium.

Needs Debian's chromium (`.ci/setup.d/browser.sh` installs it) and Playwright (a project
dependency; its own browser downloads are not used). Skips without chromium on a developer's
machine; fails without it in CI (CI=true). Screenshots and a log with the measured step render
times go to results/app_browser_test/.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import pytest

from sim.app import browser

OUT = Path(__file__).resolve().parents[1] / "results" / "app_browser_test"
IN_CI = os.environ.get("CI", "").lower() == "true"


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


def test_page_steps_in_chromium_offline():
    """Slider, Step, Play/Pause, Reset, classroom replay and PNG export work in headless Chromium,
    with no request leaving this machine; step render times are logged."""
    _require_browser()
    OUT.mkdir(parents=True, exist_ok=True)
    log_lines: list[str] = []

    def log(text: str) -> None:
        log_lines.append(text)
        print(text)

    server_log = OUT / "server.log"
    t0 = time.perf_counter()
    try:
        with (
            browser.app_server(server_log, "--classroom") as url,
            browser.chromium_page() as (page, blocked),
        ):
            page.goto(url, timeout=90_000)
            page.wait_for_selector(".rs-week", timeout=90_000)
            browser.wait_for_week(page, 0)
            log(f"page loaded in {time.perf_counter() - t0:.1f} s (server start included)")
            assert "classroom mode, seed 2024" in page.inner_text(".rs-timing")
            page.screenshot(path=str(OUT / "page_week0.png"))
            plots_before = page.locator(".rs-plots img").screenshot()
            src_before = browser.image_src(page, ".rs-plots")

            # a slider: aftercare coverage up by four notches (0.40 -> 0.60)
            start = browser.slider_value(page, "aftercare_coverage")
            moved = browser.nudge_slider(page, "aftercare_coverage", 4)
            assert moved == pytest.approx(start + 0.2), (start, moved)

            # step: the counter and the plots change
            first = browser.step_and_time(page)
            assert browser.week_text(page).startswith("Week 1 of 260")
            assert browser.image_src(page, ".rs-plots") != src_before
            assert page.locator(".rs-plots img").screenshot() != plots_before
            # the server kept the slider's value (the page re-rendered from the session)
            assert browser.slider_value(page, "aftercare_coverage") == pytest.approx(start + 0.2)

            # more steps, timed: one week's model step, drawing and transfer to the page
            times = [first] + [browser.step_and_time(page) for _ in range(9)]
            ms = [1000 * t for t in times]
            log(
                "step render times in the browser (ms, click to both pictures shown): "
                + ", ".join(f"{m:.0f}" for m in ms)
            )
            log(
                f"step render time: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms "
                f"(goal: under 500 ms at the default size)"
            )
            log("server's own timing of the last step: " + page.inner_text(".rs-timing"))
            numbers_week10 = page.inner_text(".rs-numbers")
            page.screenshot(path=str(OUT / "page_week10.png"))

            # play and pause
            page.locator(".rs-play").click()
            page.wait_for_function(
                "() => parseInt(document.querySelector('.rs-week').innerText.split(' ')[1]) >= 14",
                timeout=30_000,
            )
            page.locator(".rs-play").click()
            page.wait_for_timeout(800)
            paused_at = browser.week_text(page)
            page.wait_for_timeout(800)
            assert browser.week_text(page) == paused_at, "the page kept stepping after Pause"
            log(f"played to {paused_at}")

            # export the plots as PNG
            with page.expect_download(timeout=30_000) as download_info:
                page.get_by_text("Export plots (PNG)").click()
            png = OUT / "exported_plots.png"
            download_info.value.save_as(str(png))
            data = png.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000

            # classroom mode: Reset replays the same story (same settings, same seed)
            page.locator(".rs-reset").click()
            browser.wait_for_week(page, 0)
            for _ in range(10):
                browser.step_and_time(page)
            assert page.inner_text(".rs-numbers") == numbers_week10

            # a starting-point slider restarts the story from week 0
            browser.nudge_slider(page, "comprehensibility", 5)
            browser.wait_for_week(page, 0)
            page.screenshot(path=str(OUT / "page_after_reset.png"))

            assert blocked == [], f"the page tried to reach other hosts: {blocked[:5]}"
    finally:
        (OUT / "test.log").write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    server_text = server_log.read_text(encoding="utf-8")
    assert "offline: missing asset" not in server_text, server_text[-2000:]
    assert "Traceback" not in server_text, server_text[-4000:]
