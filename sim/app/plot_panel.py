"""The teaching page's six small plots of the weekly history (relapse, next of kin's burden,
group membership, the three SOC components, hope, resistance resources), with the previous run
as a grey dashed ghost; drawn with matplotlib (Agg) through :class:`sim.app.drawing.Blitter`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.app.drawing import BURNOUT_COLOUR, Blitter
from sim.app.texts import DEFAULT_LANG, tr

if TYPE_CHECKING:
    from sim.app.session import History

# Per panel: title and y-label (text keys), y-range, whether the range is locked, and its lines
# as (measure, legend label's text key, colour, line style). A locked range never changes, so
# runs are drawn on the same scale; the others keep their floor and grow their top in steps.
PANELS = (
    (
        "panel_relapse",
        "panel_relapse_y",
        (0.0, 40.0),
        False,
        (
            ("ever_relapsed_pct", "line_ever_relapsed", "#c44e52", "-"),
            ("using_pct", "line_using", "#8c1c13", ":"),
        ),
    ),
    (
        "panel_kin",
        "panel_kin_y",
        (0.0, 40.0),
        False,
        (
            ("strain", "line_strain", "#dd8452", "-"),
            ("burnout_pct", "line_burnout", BURNOUT_COLOUR, ":"),
        ),
    ),
    (
        "panel_groups",
        "panel_groups_y",
        (0.0, 20.0),
        False,
        (
            ("users_in_groups_pct", "line_users_groups", "#8172b3", "-"),
            ("relatives_in_groups_pct", "line_kin_groups", "#17becf", "-"),
        ),
    ),
    (
        "panel_soc",
        "panel_soc_y",
        (1.0, 8.8),  # the item scale 1-7, and room above it for the legend
        True,
        (
            ("comprehensibility", "line_comp", "#4c72b0", "-"),
            ("manageability", "line_manage", "#55a868", "-"),
            ("meaningfulness", "line_meaning", "#c44e52", "-"),
        ),
    ),
    ("panel_hope", "panel_hope_y", (8.0, 72.0), True, (("hope", "line_hope", "#937860", "-"),)),
    (
        "panel_resources",
        "panel_resources_y",
        (0.0, 100.0),
        False,
        (
            ("stable_home_pct", "line_home", "#4c72b0", "-"),
            ("activity_pct", "line_activity", "#55a868", "-"),
            ("support", "line_support", "#8172b3", "--"),
        ),
    ),
)


def key_of(lines: tuple) -> str:
    """The first measure of a panel (names the panel in code)."""
    return lines[0][0]


GHOST = {"color": "#9a9a9a", "ls": "--", "lw": 1.0, "alpha": 0.8}


def next_limits(
    current: tuple[float, float], data: np.ndarray, fixed: tuple[float, float]
) -> tuple[float, float]:
    """The y-range of a percentage panel: its floor is fixed and its top grows in steps of 20
    (never shrinking, also not between runs) while the data reach into the legend's space."""
    if not len(data):
        return current
    hi = float(data.max())
    top = max(fixed[1], current[1])
    while hi > 0.7 * top and top < 100.0:
        top = min(top + 20.0, 100.0)
    return (fixed[0], top)


class PlotPanel:
    """Six small plots of the weekly history against week 0 to the horizon."""

    def __init__(
        self, weeks: int, width_in: float = 8.4, dpi: float = 95, lang: str = DEFAULT_LANG
    ):
        self.weeks, self.lang = weeks, lang
        fig = Figure(figsize=(width_in, width_in * 0.58), dpi=dpi)
        FigureCanvasAgg(fig)
        axes = fig.subplots(2, 3)
        fig.subplots_adjust(left=0.065, right=0.98, top=0.9, bottom=0.085, hspace=0.5, wspace=0.3)
        self.fig = fig
        self.suptitle = fig.suptitle("", y=1.04, fontsize=12, weight="bold")  # above the ghost note
        self.axes = []
        ticks = np.arange(0, weeks + 1, 52 if weeks > 104 else 13)
        dynamic = []
        for ax, (title, ylabel, yrange, locked, lines) in zip(axes.ravel(), PANELS):
            ax.set_title(tr(title, lang), fontsize=12, loc="left")
            ax.set_ylabel(tr(ylabel, lang), fontsize=9.5)
            ax.set_xlim(-0.015 * weeks, weeks)  # room for the week-0 marker
            ax.set_xticks(ticks)
            ax.set_ylim(*yrange)
            if locked:  # ticks on the scale itself, none in the legend's space
                scale_top = 7.0 if key_of(lines) == "comprehensibility" else 64.0
                ax.set_yticks(np.linspace(yrange[0], scale_top, 7 if scale_top == 7.0 else 8))
            ax.tick_params(labelsize=9.5)
            ax.grid(alpha=0.3, lw=0.5)
            ghosts = {key: ax.plot([], [], **GHOST)[0] for key, *_ in lines}
            live = {
                key: ax.plot(
                    [],
                    [],
                    color=colour,
                    ls=style,
                    lw=1.6,
                    label=tr(label, lang),
                    marker="o",
                    ms=3.5,
                    markevery=[-1],
                )[0]
                for key, label, colour, style in lines
            }
            ax.legend(
                fontsize=9.5,
                loc="upper left",
                frameon=False,
                handlelength=1.5,
                ncol=2 if key_of(lines) == "stable_home_pct" else 1,
                columnspacing=0.6,
                borderaxespad=0.3,
                handletextpad=0.4,
                labelspacing=0.25,
            )
            self.axes.append((ax, live, ghosts))
            dynamic += list(ghosts.values()) + list(live.values())
        for ax in axes[1]:
            ax.set_xlabel(tr("axis_week", lang), fontsize=9.5)
        self.groups_title = self.axes[2][0].set_title("", fontsize=12, loc="right", color="#8172b3")
        self.ghost_note = fig.text(
            0.99, 0.975, "", ha="right", va="top", fontsize=10, color="#666666"
        )
        dynamic += [self.groups_title, self.ghost_note, self.suptitle]
        self.blitter = Blitter(fig, dynamic)

    def update(
        self,
        history: History,
        previous: History | None,
        title: str | None = None,
        ghost: str = "",
    ) -> None:
        """Draw ``history`` and, grey and dashed, ``previous`` (described by ``ghost``)."""
        week = history.column("week")
        old_week = previous.column("week") if previous else np.empty(0)
        for (ax, live, ghosts), (_, _, yrange, locked, _lines) in zip(self.axes, PANELS):
            values = []
            for key, line in live.items():
                y = history.column(key)
                line.set_data(week, y)
                values.append(y)
            for key, line in ghosts.items():
                y = previous.column(key) if previous else np.empty(0)
                line.set_data(old_week, y)
                values.append(y)
            if locked:
                continue
            data = np.concatenate(values)
            data = data[np.isfinite(data)]
            limits = next_limits(ax.get_ylim(), data, yrange)
            if limits != tuple(ax.get_ylim()):
                ax.set_ylim(*limits)
                self.blitter.invalidate()
        groups = int(history.rows[-1]["groups_active"])
        self.groups_title.set_text(tr("groups_active", self.lang, n=groups))
        self.suptitle.set_text(title or "")
        self.ghost_note.set_text(tr("ghost", self.lang, label=ghost) if previous else "")

    def png(
        self, history: History, previous: History | None, title: str | None = None, ghost: str = ""
    ) -> bytes:
        """The plots of this week, as shown on the page."""
        self.update(history, previous, title, ghost)
        return self.blitter.png()

    def export_png(
        self,
        history: History,
        previous: History | None,
        title: str | None = None,
        dpi: float = 150,
        ghost: str = "",
    ) -> bytes:
        """The plots at slide resolution."""
        self.update(history, previous, title, ghost)
        return self.blitter.export(dpi)
