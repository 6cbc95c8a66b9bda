"""Sense of coherence (SOC) and the bounded scales shared across the model.

SOC is held as three components on the item scale 1-7 (Antonovsky's SOC-13 items):
comprehensibility (5 items), manageability (4) and meaningfulness (4), so
SOC-13 = 5 C + 4 Ma + 4 Me, range 13-91. Hope is the Adult Hope Scale total, 8-64.
Shame is 0-1.
"""

from __future__ import annotations

import numba
import numpy as np

SOC_ITEMS = np.array([5.0, 4.0, 4.0])
LOADING = 0.8  # loading of each SOC component on the common factor


def soc13(comp: np.ndarray, manage: np.ndarray, meaning: np.ndarray) -> np.ndarray:
    """SOC-13 total (13-91) from the three component item means: 5 C + 4 Ma + 4 Me."""
    return 5.0 * comp + 4.0 * manage + 4.0 * meaning


@numba.njit(cache=True, inline="always")
def soc13_of(comp, manage, meaning):
    """SOC-13 total of one person (the scalar form of :func:`soc13`, for the compiled passes)."""
    return 5.0 * comp + 4.0 * manage + 4.0 * meaning


def draw_soc_components(rng: np.random.Generator, n: int, mean13: float, sd13: float):
    """Draw three correlated SOC components (item means) whose SOC-13 has the given mean and SD.

    A common factor (loading 0.8) makes the components correlate about 0.64 (Eriksson &
    Lindstrom 2005 report a unidimensional scale with subscale correlations of this order).
    """
    item_mean = mean13 / 13.0
    common = rng.standard_normal(n)
    comps = []
    # SD of the total = sd_item * sqrt(sum_ij w_i w_j rho_ij); solve for sd_item.
    loadings = LOADING
    rho = loadings**2
    var_unit = (SOC_ITEMS**2).sum() + rho * (SOC_ITEMS.sum() ** 2 - (SOC_ITEMS**2).sum())
    sd_item = sd13 / np.sqrt(var_unit)
    for _ in range(3):
        z = loadings * common + np.sqrt(1 - loadings**2) * rng.standard_normal(n)
        comps.append(np.clip(item_mean + sd_item * z, 1.0, 7.0))
    return comps[0], comps[1], comps[2], item_mean, sd_item


@numba.njit(cache=True)
def saturating_gain(x, gain, top=7.0, bottom=1.0):
    """Gain that shrinks as ``x`` approaches the top of its scale (keeps scales bounded)."""
    return gain * (top - x) / (top - bottom)
