"""The teaching page's two pictures, drawn with matplotlib (Agg, no pyplot, no display).

- :class:`NetworkView`: the people of a small population and their self-help groups. Users are
  dots coloured by recovery status, each with their next of kin as small squares round them,
  coloured by strain (a cross marks burnout). Acquaintances, fellow group members and
  housemates are grey lines; groups are hexagons on an outer ring, joined to their members.
- :class:`~sim.app.plot_panel.PlotPanel` (in its own module): the six small plots of the
  weekly history.

Both keep one figure and update its artists each week, which keeps a step's drawing well under
a tenth of a second at the page's default size.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import networkx as nx
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.app.texts import DEFAULT_LANG, tr
from sim.codes import TYPE_NAMES, USING
from sim.soc import soc13

if TYPE_CHECKING:
    from sim.model import RecoveryModel

STATUS_COLOURS = np.array(
    [
        [0.298, 0.447, 0.690, 1.0],  # in treatment: blue
        [0.180, 0.545, 0.341, 1.0],  # abstinent: green
        [0.769, 0.306, 0.322, 1.0],  # using: red
        [0.600, 0.600, 0.600, 0.5],  # died: faded grey
    ]
)  # indexed by sim.codes.Status
STATUS_KEYS = ("status_treatment", "status_abstinent", "status_using", "status_dead")  # texts
GROUP_COLOURS = {
    "12-step": "#8172b3",
    "relatives-open": "#17becf",
    "relatives-course": "#dd8452",
    "mixed": "#937860",
    "clinic-led": "#da8bc3",
}
GROUP_KEYS = {  # every group type of sim.codes.TYPE_NAMES, with its text key
    "12-step": "group_12step",
    "relatives-open": "group_relatives_open",
    "relatives-course": "group_relatives_course",
    "mixed": "group_mixed",
    "clinic-led": "group_clinic",
}
SOC_RANGE = (40.0, 80.0)  # SOC-13 colour scale of the "sense of coherence" mode (clipped)
SOC_CMAP = "viridis"
COLOUR_MODES = ("status", "soc")
BURNOUT_COLOUR = "#67000d"
USER_RADIUS = 0.80  # users are laid out inside this radius
KIN_RADIUS = 0.05  # next of kin sit this far from their person
GROUP_RADIUS = 1.02  # groups sit on this ring
GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))


class Blitter:
    """Redraw only what changes: the figure's static parts (axes, ticks, legends) are drawn once
    and kept as a background; each week the changing artists are drawn over it and the pixels
    encoded as PNG. ``invalidate`` after anything static changes (e.g. an axis range)."""

    def __init__(self, fig: Figure, dynamic: list):
        self.fig = fig
        self.dynamic = dynamic
        for artist in dynamic:
            artist.set_animated(True)
        self.background = None
        self.full_draws = 0

    def invalidate(self) -> None:
        self.background = None

    def png(self) -> bytes:
        canvas = self.fig.canvas
        if self.background is None:
            canvas.draw()
            self.full_draws += 1
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        from PIL import Image

        image = Image.frombuffer(
            "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        )
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def export(self, dpi: float) -> bytes:
        """The whole figure at another resolution (for slides), drawn the ordinary way and
        cropped to what is drawn plus a margin, so no title or label is cut off."""
        for artist in self.dynamic:
            artist.set_animated(False)
        try:
            buf = io.BytesIO()
            self.fig.savefig(
                buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.25, facecolor="white"
            )
            return buf.getvalue()
        finally:
            for artist in self.dynamic:
                artist.set_animated(True)
            self.background = None


def strain_colours(strain: np.ndarray) -> np.ndarray:
    """Pale yellow (no strain) to dark orange (full strain), RGBA rows."""
    s = np.clip(strain, 0.0, 1.0)[:, None]
    pale = np.array([0.98, 0.85, 0.55, 1.0])
    dark = np.array([0.80, 0.30, 0.02, 1.0])
    return pale + s * (dark - pale)


def user_layout(model: RecoveryModel, seed: int) -> np.ndarray:
    """Positions of the users: a spring layout of their ties at the start, inside a disc."""
    n = model.n_users
    peer = model.network.peer.tocoo()
    keep = peer.row < peer.col
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(peer.row[keep].tolist(), peer.col[keep].tolist()))
    pos = nx.spring_layout(graph, seed=seed, k=1.8 / np.sqrt(max(n, 1)), iterations=60)
    xy = np.array([pos[i] for i in range(n)], dtype=float).reshape(n, 2)
    xy -= xy.mean(axis=0)
    radius = np.sqrt((xy**2).sum(axis=1)).max() if n else 1.0
    return xy * (USER_RADIUS / max(radius, 1e-9))


def kin_layout(user_xy: np.ndarray, rel_user: np.ndarray) -> np.ndarray:
    """Next of kin on a small circle round their person, evenly spread."""
    counts = np.bincount(rel_user, minlength=len(user_xy))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    order = np.argsort(rel_user, kind="stable")
    rank = np.empty(len(rel_user), int)
    rank[order] = np.arange(len(rel_user)) - first[rel_user[order]]
    angle = 2.0 * np.pi * rank / np.maximum(counts[rel_user], 1) + 0.6 * rel_user
    return user_xy[rel_user] + KIN_RADIUS * np.column_stack([np.cos(angle), np.sin(angle)])


def group_position(gid: np.ndarray) -> np.ndarray:
    """Groups on the outer ring, spread by the golden angle in order of founding."""
    angle = np.pi / 2 + GOLDEN_ANGLE * np.asarray(gid, float)
    return GROUP_RADIUS * np.column_stack([np.cos(angle), np.sin(angle)])


def soc_colours(soc: np.ndarray) -> np.ndarray:
    """Users' colours in the sense-of-coherence mode: SOC-13 on :data:`SOC_CMAP`, RGBA rows."""
    from matplotlib import colormaps

    low, high = SOC_RANGE
    return colormaps[SOC_CMAP](np.clip((soc - low) / (high - low), 0.0, 1.0))


def _marker(marker: str, label: str, size: float, face, edge="none") -> Line2D:
    return Line2D([], [], ls="", marker=marker, ms=size, mfc=face, mec=edge, label=label)


class NetworkView:
    """The population as a picture; the layout is fixed when the view is made (week 0).

    ``colour`` is ``"status"`` (treatment, abstinent, using) or ``"soc"`` (sense of coherence);
    ``lang`` the language of the picture's words. ``layout`` reuses a user layout already made
    for the same people (it depends only on the seed and the size)."""

    def __init__(
        self,
        model: RecoveryModel,
        width_in: float = 5.2,
        dpi: float = 92,
        lang: str = DEFAULT_LANG,
        colour: str = "status",
        layout: np.ndarray | None = None,
    ):
        self.lang, self.colour = lang, colour
        self.user_xy = user_layout(model, model.seed) if layout is None else layout
        self.kin_xy = kin_layout(self.user_xy, model.relatives.user)
        self._peer = None
        self.selected: int | None = None
        fig = Figure(figsize=(width_in, width_in * 1.2), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.0, 0.225, 1.0, 0.70))
        ax.set_xlim(-1.16, 1.16)
        ax.set_ylim(-1.16, 1.16)
        ax.set_aspect("equal")
        ax.axis("off")
        self.fig, self.ax = fig, ax
        kin_segments = np.stack([self.user_xy[model.relatives.user], self.kin_xy], axis=1)
        ax.add_collection(LineCollection(kin_segments, colors="#c8c8c8", linewidths=0.5, zorder=1))
        self.peer_lines = LineCollection([], colors="#8c9bb0", linewidths=0.5, alpha=0.55, zorder=1)
        self.member_lines = LineCollection([], linewidths=0.6, alpha=0.45, zorder=2)
        ax.add_collection(self.peer_lines)
        ax.add_collection(self.member_lines)
        empty = np.empty((0, 2))
        self.groups = ax.scatter(
            empty[:, 0],
            empty[:, 1],
            marker="h",
            s=[],
            edgecolors="#333333",
            linewidths=0.8,
            zorder=5,
        )
        self.kin = ax.scatter(
            self.kin_xy[:, 0], self.kin_xy[:, 1], marker="s", s=12, linewidths=0, zorder=3
        )
        self.burnout = ax.scatter(
            empty[:, 0], empty[:, 1], marker="x", s=14, c=BURNOUT_COLOUR, linewidths=1.0, zorder=4
        )
        self.users = ax.scatter(
            self.user_xy[:, 0],
            self.user_xy[:, 1],
            marker="o",
            s=42,
            edgecolors="white",
            linewidths=0.5,
            zorder=6,
        )
        self.ring = ax.scatter(
            empty[:, 0], empty[:, 1], marker="o", s=260, facecolors="none", edgecolors="black",
            linewidths=2.0, zorder=7,
        )  # fmt: skip
        self.title = fig.text(0.5, 0.985, "", ha="center", va="top", fontsize=13, weight="bold")
        self.subtitle = fig.text(
            0.5, 0.945, "", ha="center", va="top", fontsize=9.5, color="#444444"
        )
        fig.legend(
            handles=self._legend_handles(),
            loc="lower center",
            ncol=2,
            fontsize=9.5,
            frameon=False,
            bbox_to_anchor=(0.5, 0.0),
            handletextpad=0.3,
            columnspacing=1.0,
        )
        self.blitter = Blitter(
            fig,
            [
                self.peer_lines,
                self.member_lines,
                self.kin,
                self.burnout,
                self.users,
                self.ring,
                self.groups,
                self.title,
                self.subtitle,
            ],
        )

    def _legend_handles(self) -> list[Line2D]:
        t = self.lang
        if self.colour == "soc":
            handles = [
                _marker("o", tr("soc_low", t), 6, soc_colours(np.array([40.0]))[0], "white"),
                _marker("o", tr("soc_high", t), 6, soc_colours(np.array([80.0]))[0], "white"),
            ]
        else:
            handles = [
                _marker("o", tr(STATUS_KEYS[i], t), 6, STATUS_COLOURS[i], "white")
                for i in range(len(STATUS_KEYS))
            ]
        handles += [
            _marker("s", tr("kin_little", t), 5, strain_colours(np.array([0.1]))[0]),
            _marker("s", tr("kin_heavy", t), 5, strain_colours(np.array([0.9]))[0]),
            Line2D([], [], ls="", marker="x", ms=5, mec=BURNOUT_COLOUR, label=tr("kin_burnout", t)),
        ]
        handles += [
            _marker("h", tr(key, t), 8, GROUP_COLOURS[kind], "#333333")
            for kind, key in GROUP_KEYS.items()
        ]
        return handles

    def update(self, model: RecoveryModel, title: str | None = None) -> None:
        """Move the picture to the model's current week."""
        u, r, g = model.users, model.relatives, model.group_table
        if model.network.peer is not self._peer:
            self._peer = model.network.peer
            coo = self._peer.tocoo()
            keep = (coo.row < coo.col) & (coo.data > 0)
            self.peer_lines.set_segments(
                np.stack([self.user_xy[coo.row[keep]], self.user_xy[coo.col[keep]]], axis=1)
            )
        if self.colour == "soc":
            self.users.set_facecolors(soc_colours(soc13(u.comp, u.manage, u.meaning)))
        else:
            self.users.set_facecolors(STATUS_COLOURS[u.status])
        self.kin.set_facecolors(strain_colours(r.strain))
        self.burnout.set_offsets(self.kin_xy[r.burnout] if r.burnout.any() else np.empty((0, 2)))
        chosen = self.selected is not None and 0 <= self.selected < len(self.user_xy)
        self.ring.set_offsets(self.user_xy[[self.selected]] if chosen else np.empty((0, 2)))
        active = np.flatnonzero(g.active[: g.size])
        gxy = group_position(active)
        kinds = [TYPE_NAMES[int(t)] for t in g.gtype[active]]
        self.groups.set_offsets(gxy if len(active) else np.empty((0, 2)))
        size = g.members[active] + g.ext_core[active]
        self.groups.set_sizes(60.0 + 10.0 * size)
        self.groups.set_facecolors([GROUP_COLOURS[k] for k in kinds])
        slot = np.full(g.size, -1)
        slot[active] = np.arange(len(active))
        segments, colours = [], []
        for who_xy, group in ((self.user_xy, u.group), (self.kin_xy, r.group)):
            members = np.flatnonzero(group >= 0)
            members = members[slot[group[members]] >= 0]
            if len(members):
                segments.append(np.stack([who_xy[members], gxy[slot[group[members]]]], axis=1))
                colours += [GROUP_COLOURS[kinds[s]] for s in slot[group[members]]]
        self.member_lines.set_segments(np.concatenate(segments) if segments else [])
        self.member_lines.set_color(colours if colours else "none")
        n_using = int((u.status == USING).sum())
        self.title.set_text(title or tr("net_title", self.lang, week=model.week))
        self.subtitle.set_text(
            tr(
                "net_subtitle",
                self.lang,
                users=u.n,
                using=n_using,
                kin=r.n,
                burnt=int(r.burnout.sum()),
                groups=len(active),
            )
        )

    def user_at(self, fx: float, fy: float) -> int:
        """The user nearest to a point of the page's picture, given as fractions of its width
        and height from the top left (what a click on the picture reports)."""
        self.ax.apply_aspect()
        px = self.ax.transData.transform(self.user_xy)
        width, height = self.fig.bbox.width, self.fig.bbox.height
        where = np.column_stack([px[:, 0] / width, 1.0 - px[:, 1] / height])
        return int(np.argmin(((where - [fx, fy]) ** 2).sum(axis=1)))

    def user_fraction(self, who: int) -> tuple[float, float]:
        """Where a user's dot is on the page's picture (fractions from the top left)."""
        self.ax.apply_aspect()
        x, y = self.ax.transData.transform(self.user_xy[who])
        return float(x / self.fig.bbox.width), float(1.0 - y / self.fig.bbox.height)

    def png(self, model: RecoveryModel, title: str | None = None) -> bytes:
        """The picture of this week, as shown on the page."""
        self.update(model, title)
        return self.blitter.png()

    def export_png(self, model: RecoveryModel, title: str | None = None, dpi: float = 150) -> bytes:
        """The picture of this week at slide resolution."""
        self.update(model, title)
        return self.blitter.export(dpi)
