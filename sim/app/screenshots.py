"""Make the screenshots of ``docs/teachers.md`` from the running page (classroom mode).

Usage: ``python -m sim.app.screenshots [docs/img] [en|nb]`` (English by default, the language
of ``docs/teachers.md``). Needs Debian's chromium and Playwright,
as the browser test does. The story is the lesson plan's: status quo for a year, then the same
people under institution-based aftercare, then a stronger sense of coherence.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.app import browser
from sim.app.texts import scenario_label


def steps(page, n: int) -> None:
    for _ in range(n):
        browser.step_and_time(page)


def choose_scenario(page, name: str, lang: str = "en") -> None:
    page.locator(".rs-scenario .v-select__slot").click()
    page.locator(".v-menu__content .v-list-item", has_text=scenario_label(name, lang)).click()
    browser.wait_for_week(page, 0)
    page.wait_for_timeout(500)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "docs/img")
    lang = argv[1] if len(argv) > 1 else "en"
    out.mkdir(parents=True, exist_ok=True)
    log = Path("results/screenshots_server.log")
    started = time.perf_counter()
    with (
        browser.app_server(log, "--classroom", "--lang", lang) as url,
        browser.chromium_page(1600, 1000) as (page, blocked),
    ):
        page.goto(url, timeout=90_000)
        browser.wait_for_week(page, 0, timeout_ms=90_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "page_start.png"))
        page.set_viewport_size({"width": 1600, "height": 2000})  # the whole column of controls
        page.wait_for_timeout(500)
        page.locator(".rs-controls").screenshot(path=str(out / "controls.png"))
        page.set_viewport_size({"width": 1600, "height": 1000})
        steps(page, 52)
        page.wait_for_timeout(300)
        page.screenshot(path=str(out / "status_quo_week52.png"))
        page.locator(".rs-network").screenshot(path=str(out / "network_week52.png"))
        choose_scenario(page, "institutional", lang)
        steps(page, 52)
        page.wait_for_timeout(300)
        page.locator(".rs-plots").screenshot(path=str(out / "institutional_vs_status_quo.png"))
        choose_scenario(page, "status-quo", lang)
        steps(page, 52)  # the baseline again, so it becomes the grey ghost of the next run
        for name in ("comprehensibility", "manageability", "meaningfulness"):
            browser.set_slider(page, name, 5.8, tolerance=0.01)
            browser.wait_for_week(page, 0)
        page.wait_for_timeout(500)
        steps(page, 52)
        page.wait_for_timeout(300)
        page.screenshot(path=str(out / "strong_soc_week52.png"))
        page.locator(".rs-plots").screenshot(path=str(out / "strong_soc_plots.png"))
        if blocked:
            raise RuntimeError(f"the page tried to reach other hosts: {blocked[:5]}")
    print(f"screenshots in {out} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
