"""One classroom session: a model, the page's settings, its history and its pictures.

The teaching page (``sim.app.page``) is a thin layer over :class:`Session`; everything that can
be tested without a browser lives here. A session holds:

- the chosen scenario and the current values of the page's levers (applied to the running model
  from the next week on);
- the starting sense of coherence (three components on the SOC-13 item scale, 1-7) and hope
  (Adult Hope Scale, 8-64), applied to the people right after the model is built (see
  :func:`apply_starting_point`); changing them starts the story again;
- classroom mode: a fixed seed, so that Reset replays the same people and the same events;
- a weekly history of the plotted measures, the previous run (drawn as a grey ghost) and the
  two pictures (network and plots) as PNG bytes.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from sim.app.settings import PageSettings
from sim.app.texts import DEFAULT_LANG, LANGS, LEVER_TEXTS, scenario_label, tr
from sim.model import RecoveryModel
from sim.params import BY_NAME
from sim.reporting import report
from sim.reporting.teaching import PAGE
from sim.scenario import BUILTIN, Scenario, load
from sim.soc import soc13

CLASSROOM_SEED = 2024
DEFAULT_USERS = 150
DEFAULT_WEEKS = 260
MAX_USERS = 1000  # caps that keep a classroom machine responsive
MAX_WEEKS = 520
MAIN_LEVERS: tuple[str, ...] = tuple(t.name for t in LEVER_TEXTS)
START_NAMES = ("comprehensibility", "manageability", "meaningfulness", "hope")
START_RANGES = {
    "comprehensibility": (1.5, 6.5, 0.1),
    "manageability": (1.5, 6.5, 0.1),
    "meaningfulness": (1.5, 6.5, 0.1),
    "hope": (16.0, 60.0, 1.0),
}


def reference_start(scenario: Scenario) -> dict[str, float]:
    """The starting point the scenario's population has: every SOC component at the item mean
    of ``users_soc13_mean`` and hope at ``users_hope_mean``."""
    item = float(scenario.values["users_soc13_mean"]) / 13.0
    return {
        "comprehensibility": round(item, 1),
        "manageability": round(item, 1),
        "meaningfulness": round(item, 1),
        "hope": round(float(scenario.values["users_hope_mean"])),
    }


def apply_starting_point(model: RecoveryModel, start: dict[str, float]) -> None:
    """Move the users' starting SOC components and hope to the given means (the page's hook).

    Each person keeps their place in the distribution: a component is shifted by the gap
    between the wanted mean and the drawn mean, then kept on its scale. The model's reference
    values (``users_soc13_mean``, ``users_hope_mean``) stay as the scenario has them, so a
    population starting above the reference has a lower relapse hazard. SOC drifts slowly
    round the new overall item mean; hope drifts back towards the reference within months,
    as hope does in the model.
    """
    u = model.users
    for attr, key in (
        ("comp", "comprehensibility"),
        ("manage", "manageability"),
        ("meaning", "meaningfulness"),
    ):
        setattr(u, attr, _shift_mean(getattr(u, attr), float(start[key]), 1.0, 7.0))
    u.soc_item_mean = float(soc13(u.comp, u.manage, u.meaning).mean()) / 13.0
    u.hope = _shift_mean(u.hope, float(start["hope"]), 8.0, 64.0)
    model.users_soc13_start = soc13(u.comp, u.manage, u.meaning)


def _shift_mean(x: np.ndarray, target: float, low: float, high: float) -> np.ndarray:
    """Shift ``x`` so its mean is ``target`` while staying in [low, high] (a few passes make
    up for what the bounds cut off)."""
    shifted = x.astype(float)
    offset = 0.0
    for _ in range(5):
        offset += target - shifted.mean()
        shifted = np.clip(x + offset, low, high)
    return shifted


def measure(model: RecoveryModel) -> dict[str, float]:
    """The plotted measures of one week (percentages 0-100 unless named otherwise), as declared
    in sim/reporting/teaching.py (``PAGE``)."""
    return report(model, PAGE.values())


@dataclass
class History:
    """Weekly rows of :func:`measure`, with the run's label."""

    label: str
    rows: list[dict[str, float]] = field(default_factory=list)

    def column(self, key: str) -> np.ndarray:
        return np.array([row[key] for row in self.rows])


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the page shows at one moment, taken under the session's lock so that the week
    counter, the numbers and the pictures always belong to the same week."""

    revision: int
    week: int
    weeks: int
    done: bool
    seed: int
    classroom: bool
    scenario_name: str
    users: int
    network_png: bytes
    plots_png: bytes
    headline: dict
    timing: Timing
    changes: tuple
    levers: dict
    start: dict
    lang: str = DEFAULT_LANG
    colour: str = "status"
    differences: tuple = ()
    story: dict | None = None


@dataclass
class Timing:
    """How long the last step took, in milliseconds."""

    model_ms: float = 0.0
    draw_ms: float = 0.0

    @property
    def total_ms(self) -> float:
        return self.model_ms + self.draw_ms


class Session(PageSettings):
    """The state behind one open teaching page.

    Args:
        users: people leaving treatment in the simulated cohort (each has next of kin).
        weeks: horizon; the page stops there.
        scenario: a built-in scenario name.
        classroom: start in classroom mode (fixed seed).
        seed: seed of the first run when not in classroom mode (random if None).
        draw: make the pictures (switch off for fast tests of the logic).
    """

    def __init__(
        self,
        users: int = DEFAULT_USERS,
        weeks: int = DEFAULT_WEEKS,
        scenario: str = "status-quo",
        classroom: bool = False,
        seed: int | None = None,
        draw: bool = True,
        lang: str = DEFAULT_LANG,
    ):
        if not 1 <= int(users) <= MAX_USERS:
            raise ValueError(f"users must be a whole number in [1, {MAX_USERS}], got {users}")
        if not 1 <= int(weeks) <= MAX_WEEKS:
            raise ValueError(f"weeks must be a whole number in [1, {MAX_WEEKS}], got {weeks}")
        self.users = int(users)
        self.weeks = int(weeks)
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.colour = "status"
        self.selected: int | None = None
        self._layout = None
        self.run_about = self.previous_about = ("", 0, False)
        self.classroom = bool(classroom)
        self.draw_enabled = draw
        self.lock = threading.RLock()
        self.seed = (
            CLASSROOM_SEED if classroom else (seed if seed is not None else self._new_seed())
        )
        self.previous: History | None = None
        self.timing = Timing()
        self.network_png = b""
        self.plots_png = b""
        self.changes: list[str] = []
        self.revision = 0
        self._views = None
        self._views_key = None
        self._set_scenario(scenario)
        self._build()

    # ------------------------------------------------------------------ settings
    @staticmethod
    def _new_seed() -> int:
        return random.SystemRandom().randrange(1, 1_000_000)

    def _set_scenario(self, name: str) -> None:
        if name not in BUILTIN:
            raise ValueError(f"unknown scenario {name!r}; choose one of {', '.join(BUILTIN)}")
        self.scenario_name = name
        self.scenario = load(name)
        self.levers = {key: self.scenario.values[key] for key in MAIN_LEVERS}
        self.start = reference_start(self.scenario)

    def choose_scenario(self, name: str) -> None:
        """Switch scenario: its levers and starting point replace the sliders and the story
        restarts with the same seed, so the previous run (now the grey ghost) had the same people:
        the two scenarios differ by policy, not by chance."""
        with self.lock:
            self._set_scenario(name)
            self.reset(keep_seed=True)

    def set_lever(self, name: str, value: float) -> None:
        """Change an aftercare lever; the running model uses it from the next week."""
        if name not in MAIN_LEVERS:
            raise ValueError(f"{name!r} is not one of the page's levers")
        value = BY_NAME[name].check(value, "slider")
        with self.lock:
            if self.levers[name] == value:
                return
            self.levers[name] = value
            setattr(self.model.p, name, value)
            self.model.values[name] = value
            if self.model.week > 0:
                self.changes.append((self.model.week, name, value))

    def set_start(self, name: str, value: float) -> None:
        """Change the starting SOC component or hope; the story restarts from week 0."""
        if name not in START_NAMES:
            raise ValueError(f"{name!r} is not one of {', '.join(START_NAMES)}")
        low, high, _ = START_RANGES[name]
        value = float(value)
        if not low <= value <= high:
            raise ValueError(f"{name} must be in [{low:g}, {high:g}], got {value:g}")
        with self.lock:
            if self.start[name] == value:
                return
            self.start[name] = value
            self.reset(keep_seed=True)

    def set_classroom(self, on: bool) -> None:
        """Classroom mode: a fixed seed, so Reset replays the same story. Restarts the story."""
        with self.lock:
            self.classroom = bool(on)
            self.reset()

    # ------------------------------------------------------------------ running
    def _scenario_with_levers(self) -> Scenario:
        return self.scenario.with_overrides(self.levers, "page")

    def _build(self) -> None:
        self.model = RecoveryModel(
            self._scenario_with_levers(), n_users=self.users, weeks=self.weeks, seed=self.seed
        )
        apply_starting_point(self.model, self.start)
        self.history = History(self.run_label())
        self.run_about = (self.scenario_name, self.seed, bool(self.differences()))
        self.history.rows.append(measure(self.model))
        self.changes = []
        self.timing = Timing()
        if self.draw_enabled:
            self._draw()

    def run_label(self) -> str:
        return f"{self.scenario_name}, seed {self.seed}"

    def reset(self, keep_seed: bool = False) -> None:
        """Start again from week 0 with the current settings. The run so far becomes the
        'previous run' of the plots (if it got anywhere). In classroom mode the seed is fixed,
        otherwise each reset draws a new one unless ``keep_seed``."""
        with self.lock:
            if self.model.week > 0:
                self.previous = self.history
                name, seed, changed = self.run_about
                self.previous_about = (name, seed, changed or bool(self.changes))
            if self.classroom:
                self.seed = CLASSROOM_SEED
            elif not keep_seed:
                self.seed = self._new_seed()
            self._build()

    @property
    def week(self) -> int:
        return self.model.week

    @property
    def done(self) -> bool:
        return self.model.week >= self.weeks

    def step(self, weeks: int = 1) -> Timing:
        """Run ``weeks`` weeks (stopping at the horizon) and redraw once."""
        with self.lock:
            t0 = time.perf_counter()
            for _ in range(weeks):
                if self.done:
                    break
                self.model.step()
                self.history.rows.append(measure(self.model))
            t1 = time.perf_counter()
            if self.draw_enabled:
                self._draw()
            t2 = time.perf_counter()
            self.timing = Timing(1000.0 * (t1 - t0), 1000.0 * (t2 - t1))
            return self.timing

    # ------------------------------------------------------------------ pictures
    def _draw(self) -> None:
        network, plots = self._ensure_views()
        network.selected = self.selected
        self.network_png = network.png(self.model)
        self.plots_png = plots.png(self.history, self.previous, ghost=self.ghost_text())

    def _ensure_views(self):
        from sim.app.drawing import NetworkView, user_layout
        from sim.app.plot_panel import PlotPanel

        # The network's layout depends only on the people (seed and size): a restart with the
        # same seed reuses it, which keeps Reset and the starting-point sliders quick. The plot
        # panel is kept across runs (its axes do not jump) unless the language changes.
        people = (self.seed, self.users)
        if self._layout is None or self._layout[0] != people:
            self._layout = (people, user_layout(self.model, self.seed))
        key = (people, self.lang, self.colour)
        if self._views is None or key != self._views_key:
            plots = self._views[1] if self._views and self._views[1].lang == self.lang else None
            self._views = (
                NetworkView(self.model, lang=self.lang, colour=self.colour, layout=self._layout[1]),
                plots or PlotPanel(self.weeks, lang=self.lang),
            )
        self._views_key = key
        return self._views

    def export_plots_png(self) -> bytes:
        """The current plots as a PNG for slides: larger, with a title naming the run."""
        with self.lock:
            _, plots = self._ensure_views()
            data = plots.export_png(
                self.history, self.previous, title=self.export_title(), ghost=self.ghost_text()
            )
            plots.update(self.history, self.previous, ghost=self.ghost_text())
            return data

    def export_network_png(self) -> bytes:
        """The current network picture as a PNG, larger, with the run in its title."""
        with self.lock:
            network, _ = self._ensure_views()
            data = network.export_png(self.model, title=self.export_title())
            network.update(self.model)
            return data

    def export_title(self) -> str:
        mode = tr("mode_classroom" if self.classroom else "mode_seed", self.lang, seed=self.seed)
        scenario = scenario_label(self.scenario_name, self.lang)
        if self.differences() or self.changes:
            scenario = tr("scenario_changed", self.lang, scenario=scenario)
        return tr(
            "export_title",
            self.lang,
            scenario=scenario,
            mode=mode,
            week=self.week,
            weeks=self.weeks,
        )

    def export_filename(self, what: str) -> str:
        return f"recovery-sim_{what}_{self.scenario_name}_seed{self.seed}_week{self.week}.png"

    # ------------------------------------------------------------------ numbers for the page
    def headline(self) -> dict[str, float]:
        """The latest measures (what the page shows as numbers)."""
        return self.history.rows[-1]

    def snapshot(self) -> Snapshot:
        """Everything the page shows, consistent with itself."""
        with self.lock:
            self.revision += 1
            return Snapshot(
                revision=self.revision,
                week=self.week,
                weeks=self.weeks,
                done=self.done,
                seed=self.seed,
                classroom=self.classroom,
                scenario_name=self.scenario_name,
                users=self.users,
                network_png=self.network_png,
                plots_png=self.plots_png,
                headline=dict(self.headline()),
                timing=self.timing,
                changes=tuple(self.changes),
                levers=dict(self.levers),
                start=dict(self.start),
                lang=self.lang,
                colour=self.colour,
                differences=tuple(self.differences()),
                story=self.story(),
            )
