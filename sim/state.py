"""Declared state columns (Starsim's ``define_states``, LASER's ``add_scalar_property``).

Each process declares the per-person columns it owns, with a type, a start value and a label,
next to its rules (``sim/<process>/state.py``). The people tables (:class:`sim.agents.users.Users`,
:class:`sim.relatives.state.Relatives`) allocate the declared columns once, at their full
length; nothing is appended inside the weekly loop. Columns drawn at set-up (covariates, SOC)
are declared too, with the fill they have before the draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Column:
    """One per-person column: its name, numpy type, value before anything happens, and meaning."""

    name: str
    dtype: Any
    fill: float | int | bool
    label: str


def allocate(target: Any, columns: tuple[Column, ...], n: int) -> None:
    """Give ``target`` one array of length ``n`` per declared column, at its fill value."""
    for c in columns:
        setattr(target, c.name, np.full(n, c.fill, c.dtype))


def labels(columns: tuple[Column, ...]) -> dict[str, str]:
    """Column name -> label (for docs and the people table)."""
    return {c.name: c.label for c in columns}
