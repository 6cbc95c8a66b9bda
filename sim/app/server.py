"""Serve the teaching page with Solara, offline and bound to one local address.

Solara's page loads its JavaScript (Vue, Vuetify, require.js, fonts) through a local proxy at
``/_solara/cdn/``; the files come from the ``solara-assets`` package, installed beside Solara.
This module makes sure nothing is ever fetched from the internet: the proxy is kept on, a
missing file is refused (and reported on stderr as ``offline: missing asset ...``) instead of
being downloaded, telemetry is off, and the page never embeds the version-check frame.
"""

from __future__ import annotations

import os
import sys

APP_MODULE = "sim.app.page"

# Environment for Solara, set before it is imported (its settings read the environment once).
SOLARA_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",  # no usage reports
    "SOLARA_ASSETS_PROXY": "true",  # page assets come from this server, not a CDN
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "false",  # not used by the page
    "SOLARA_MODE": "production",  # no auto-reload, no version-check iframe
    "SOLARA_THEME_LOADER": "plain",
}

# What the page reads to configure itself (set by ``serve``).
ENV_USERS = "RECOVERY_SIM_APP_USERS"
ENV_WEEKS = "RECOVERY_SIM_APP_WEEKS"
ENV_SCENARIO = "RECOVERY_SIM_APP_SCENARIO"
ENV_CLASSROOM = "RECOVERY_SIM_APP_CLASSROOM"
ENV_SEED = "RECOVERY_SIM_APP_SEED"
ENV_LANG = "RECOVERY_SIM_APP_LANG"
ENV_PLANNER = "RECOVERY_SIM_APP_PLANNER"
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


def exposure_warning(host: str) -> str | None:
    """The warning printed when the pages listen on an address other computers can reach."""
    if host in LOCAL_ADDRESSES:
        return None
    return (
        f"recovery-sim app: warning: listening on {host}, so other computers on the network can "
        "open these pages and run simulations on this machine; use --host 127.0.0.1 (the "
        "default) to keep them on this computer only"
    )


def configure_offline() -> None:
    """Set Solara's environment and refuse any asset download from the internet."""
    for key, value in SOLARA_ENV.items():
        os.environ.setdefault(key, value)
    from solara.server import cdn_helper

    def refuse(url: str) -> bytes:
        sys.stderr.write(f"offline: missing asset {url} (not fetched; install solara-assets)\n")
        raise FileNotFoundError(url)

    cdn_helper.fetch_from_cdn = refuse


def missing_assets() -> list[str]:
    """Files the page needs that the local asset store lacks (empty when all is in place)."""
    configure_offline()
    from solara.server import settings

    root = settings.assets.proxy_cache_dir
    needed = (
        "requirejs@2.3.6/require.js",
        "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js",
        "@widgetti/solara-vuetify-app@10.1.1/dist/fonts.css",
    )
    return [name for name in needed if not (root / name).exists()]


def prepare_passes() -> float:
    """Run a small model once before serving (``sim.model.warm_up``), so that numba compiles the
    model's passes, or loads them from its on-disk cache, now rather than at a teacher's first
    click. Compiling happens once per installation (several seconds); loading takes well under
    a second."""
    from sim.model import warm_up

    print("Preparing the model (compiled once per installation) ...", flush=True)
    return warm_up()


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    users: int = 150,
    weeks: int = 260,
    scenario: str = "status-quo",
    classroom: bool = False,
    seed: int | None = None,
    lang: str = "nb",
    planner: bool = False,
) -> int:
    """Run the pages until interrupted. Returns an exit code."""
    warning = exposure_warning(host)
    if warning:
        sys.stderr.write(warning + "\n")
    os.environ[ENV_LANG] = lang
    os.environ[ENV_PLANNER] = "1" if planner else "0"
    os.environ[ENV_USERS] = str(users)
    os.environ[ENV_WEEKS] = str(weeks)
    os.environ[ENV_SCENARIO] = scenario
    os.environ[ENV_CLASSROOM] = "1" if classroom else "0"
    if seed is not None:
        os.environ[ENV_SEED] = str(seed)
    configure_offline()
    missing = missing_assets()
    if missing:
        sys.stderr.write(
            "recovery-sim app: error: Solara's page assets are missing "
            f"({', '.join(missing)}); install them with `pip install solara-assets`\n"
        )
        return 2
    prepare_passes()
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    import uvicorn
    from solara.server import settings

    settings.main.mode = "production"
    what = "Planner's page" if planner else "Teaching page"
    print(f"{what}: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    uvicorn.run(
        "solara.server.starlette:app",
        host=host,
        port=port,
        log_level="warning",
        ws_max_size=64 * 1024 * 1024,
    )
    return 0
