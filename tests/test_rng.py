"""The per-person generator (sim/rng.py) gives uniform, independent draws.

Tolerances: chi-square statistics are compared with their 99.99% quantile and correlations with
5 standard errors, each on 200,000 or more draws at fixed seeds, so a correct generator passes
with certainty at these seeds and a biased one (a bad mixing constant, a field taken from the
wrong bits, a key that ignores the week) fails by a wide margin.
"""

import numba
import numpy as np
from scipy import stats

from sim.rng import Streams, three_uniforms_at

N = 200_000


def _chi2_uniform(u: np.ndarray, bins: int = 100) -> float:
    counts = np.bincount(np.minimum((u * bins).astype(int), bins - 1), minlength=bins)
    return float(((counts - len(u) / bins) ** 2 / (len(u) / bins)).sum())


def _limit(df: int) -> float:
    return float(stats.chi2.ppf(0.9999, df))


def test_draws_are_uniform_in_unit_interval():
    u = Streams(1).draw_all("x", 0, N)
    assert u.dtype == np.float32 and u.min() >= 0.0 and u.max() < 1.0
    assert _chi2_uniform(u) < _limit(99)
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / N)


def test_neighbours_weeks_and_decisions_are_uncorrelated():
    s = Streams(2)
    se = 5 / np.sqrt(N)
    a = s.draw_all("x", 10, N + 1)
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < se  # person i and i + 1
    assert abs(np.corrcoef(a[:-1], s.draw_all("x", 11, N))[0, 1]) < se  # week t and t + 1
    assert abs(np.corrcoef(a[:-1], s.draw_all("y", 10, N))[0, 1]) < se  # two decisions
    assert abs(np.corrcoef(a[:-1], Streams(3).draw_all("x", 10, N))[0, 1]) < se  # two seeds
    # pairs of neighbours fill the unit square evenly (10 x 10 cells)
    cells = np.minimum((a[:-1] * 10).astype(int), 9) * 10 + np.minimum((a[1:] * 10).astype(int), 9)
    counts = np.bincount(cells, minlength=100)
    assert float(((counts - N / 100) ** 2 / (N / 100)).sum()) < _limit(99)


@numba.njit
def _fields(key, n):
    out = np.empty((3, n), np.float32)
    for i in range(n):
        a, b, c = three_uniforms_at(key, i)
        out[0, i], out[1, i], out[2, i] = a, b, c
    return out


def test_three_fields_of_one_draw_are_uniform_and_independent():
    f = _fields(Streams(4).key("relatives_week", 3), N)
    se = 5 / np.sqrt(N)
    for k in range(3):
        assert _chi2_uniform(f[k]) < _limit(99)
    assert abs(np.corrcoef(f[0], f[1])[0, 1]) < se
    assert abs(np.corrcoef(f[1], f[2])[0, 1]) < se
    assert abs(np.corrcoef(f[0], f[2])[0, 1]) < se


def test_whole_number_bounds_answer_as_the_uniforms_do():
    """Comparing a field with ``uniform_bound`` / ``field_bound`` of a chance gives the same answer
    as comparing its uniform with the chance, for fields at and around every bound."""
    from sim.rng import _TO_UNIT, _TO_UNIT21, field_bound, uniform_bound

    rng = np.random.default_rng(5)
    chances = np.concatenate(
        [rng.random(300), rng.random(50) * 1e-4, [0.0, 0.5, 1.0, 2.0**-21, 2.0**-24, 0.9999999]]
    )

    @numba.njit
    def bounds(c):
        return np.array([uniform_bound(x) for x in c]), np.array([field_bound(x) for x in c])

    t24, t21 = bounds(chances)
    for c, a, b in zip(chances, t24, t21):
        for f in range(max(int(a) - 3, 0), int(a) + 3):
            assert (f < a) == (np.float32(f) * _TO_UNIT < c)
        for f in range(max(int(b) - 3, 0), int(b) + 3):
            assert (f < b) == (np.float32(f) * _TO_UNIT21 < c)
