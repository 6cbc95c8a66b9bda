"""Drive the teaching page in headless Chromium (Debian's ``/usr/bin/chromium``) with Playwright.

Used by the browser test (``tests/test_app_browser.py``) and by :mod:`sim.app.screenshots`,
which makes the pictures of ``docs/teachers.md``. The page is served by ``python -m sim app``
in a subprocess on a free port of 127.0.0.1; every request the browser makes to any other host
is blocked and recorded, so a page that needs the internet fails here.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--no-proxy-server",
]
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the page is local
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(log_path: Path, *args: str, timeout: float = 90.0) -> Iterator[str]:
    """Start ``python -m sim app`` on a free local port; yield its URL; stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "app", "--host", "127.0.0.1", "--port", str(port), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            yield _wait_until_up(proc, url, log_path, timeout)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def _wait_until_up(proc: subprocess.Popen, url: str, log_path: Path, timeout: float) -> str:
    """Poll ``url`` until the server answers (bounded by ``timeout``); return it."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode}; see {log_path}")
        try:
            with _NO_PROXY.open(url, timeout=2) as response:
                if response.status == 200:
                    return url
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"the app did not answer at {url} within {timeout:.0f} s; see {log_path}"
            )
        time.sleep(0.25)


@contextlib.contextmanager
def chromium_page(width: int = 1600, height: int = 1000) -> Iterator[tuple[object, list[str]]]:
    """A Playwright page in headless Chromium with a fresh profile. Yields ``(page, blocked)``:
    ``blocked`` collects every URL the page tried to load from a host other than this machine."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            blocked.append(url)
            route.abort()
        else:
            route.continue_()

    with (
        tempfile.TemporaryDirectory(prefix="recovery-sim-chromium-") as profile,
        sync_playwright() as pw,
    ):
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
            accept_downloads=True,
            env={**os.environ, "HOME": profile},
        )
        try:
            context.route("**/*", guard)
            page = context.pages[0] if context.pages else context.new_page()
            yield page, blocked
        finally:
            context.close()


WEEK_JS = "(() => { const e = document.querySelector('.rs-week'); return e ? parseInt(e.innerText.match(/\\d+/)[0]) : -1; })()"


def week_text(page) -> str:
    return page.inner_text(".rs-week")


def week_number(page) -> int:
    """The week the page's counter shows (``Uke 3 av 260`` or ``Week 3 of 260``)."""
    return int(page.evaluate(WEEK_JS))


def wait_for_week(page, week: int, timeout_ms: float = 15000) -> None:
    """Wait until the page's counter shows week ``week`` (in either language)."""
    page.wait_for_function(f"w => {WEEK_JS} === w", arg=week, timeout=timeout_ms)


def image_src(page, css: str) -> str:
    return page.locator(f"{css} img").get_attribute("src") or ""


def step_and_time(page) -> float:
    """Press Step; return seconds until the counter and both pictures show the next week."""
    week = week_number(page)
    plots, network = image_src(page, ".rs-plots"), image_src(page, ".rs-network")
    started = time.perf_counter()
    page.locator(".rs-step").click()
    page.wait_for_function(
        """([w, p, n]) => {
            const e = document.querySelector('.rs-week');
            const pi = document.querySelector('.rs-plots img');
            const ni = document.querySelector('.rs-network img');
            return e && parseInt(e.innerText.match(/\\d+/)[0]) === w && pi && pi.src !== p && ni
                && ni.src !== n && pi.complete && ni.complete;
        }""",
        arg=[week + 1, plots, network],
        timeout=15000,
    )
    return time.perf_counter() - started


# Controls whose box reaches past the window's right edge, or whose text is cut off inside them
# (scrollWidth beyond clientWidth), and whether the page scrolls sideways.
CLIPPED_JS = """() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  const sel = '.v-btn, .v-input, .v-select, .v-slider, .rs-badge, .rs-week, .rs-numbers, '
    + '.rs-story, .rs-network img, .rs-plots img, .rs-section, .v-input label';
  for (const e of document.querySelectorAll(sel)) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const cut = e.matches('.v-btn, .v-input label') && e.scrollWidth > e.clientWidth + 1;
    if (r.right > W + 1 || r.left < -1 || cut) {
      out.push((e.className || e.tagName) + ' ' + (e.innerText || '').slice(0, 40)
        + ' [' + Math.round(r.left) + ',' + Math.round(r.right) + ' of ' + W + (cut ? ', text cut' : '') + ']');
    }
  }
  if (document.documentElement.scrollWidth > W + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + W);
  return out;
}"""


def clipped_controls(page) -> list[str]:
    """Controls that do not fit the window (see :data:`CLIPPED_JS`); empty when all fit."""
    return page.evaluate(CLIPPED_JS)


def slider_value(page, name: str, prefix: str = "rs-slider-") -> float:
    """The value of the slider in the element of class ``prefix + name``."""
    handle = page.locator(f".{prefix}{name} [role=slider]")
    return float(handle.get_attribute("aria-valuenow"))


def nudge_slider(page, name: str, presses: int) -> float:
    """Move a slider with the keyboard (right for positive ``presses``); return its new value."""
    handle = page.locator(f".rs-slider-{name} [role=slider]")
    handle.focus()
    key = "ArrowRight" if presses > 0 else "ArrowLeft"
    for _ in range(abs(presses)):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    return slider_value(page, name)


def set_slider(
    page,
    name: str,
    target: float,
    tolerance: float = 1e-6,
    max_presses: int = 80,
    prefix: str = "rs-slider-",
    wait_ms: int = 250,
) -> float:
    """Move a slider with the keyboard, one notch at a time and waiting for the page between
    notches, until it shows ``target``; return the value it shows."""
    handle = page.locator(f".{prefix}{name} [role=slider]")
    for _ in range(max_presses):
        value = slider_value(page, name, prefix)
        if abs(value - target) <= tolerance:
            break
        handle.focus()
        page.keyboard.press("ArrowRight" if value < target else "ArrowLeft")
        page.wait_for_timeout(wait_ms)
    page.wait_for_timeout(500)
    return slider_value(page, name, prefix)
