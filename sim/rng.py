"""Random numbers: one stream per kind of decision, all derived from one seed.

Two kinds of stream, both keyed by name (not by the order streams are first used), so adding
a decision never shifts the draws of another:

* **Per-person draws** (every weekly yes/no decision about a person). The uniform that
  person ``i`` gets for decision ``name`` in week ``t`` is a fixed function of
  ``(seed, name, t, i)``: a counter-based generator, like Philox in Random123 or Starsim's
  per-agent streams. It is output ``i`` of SplitMix64 (Steele, Lea and Flood 2014, the
  generator of Java's ``SplittableRandom``) started from a state that hashes the stream's key
  with the week. Because the draw does not depend on who else draws, a decision draws only
  for the people it concerns (the members of groups, the relatives who seek help), and two
  scenario arms run with one seed give every person the same number for every decision in
  every week, whatever their levers changed (common random numbers). The draws are float32
  multiples of 2**-24 in [0, 1). tests/test_rng.py checks uniformity and independence.
* **Generator streams** (``streams[name]``, a ``numpy.random.Generator``) for the set-up and
  for draws that are not about one person: how many groups start this week, group shocks,
  the common shocks of the SOC drift.

The per-person kernels are compiled with numba (docs/performance.md).
"""

from __future__ import annotations

import math
import zlib

import numba
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # SplitMix64's increment
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S40 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(40)
_TO_UNIT = np.float32(2.0**-24)
_MASK = (1 << 64) - 1


@numba.njit(cache=True, inline="always")
def _mix(z):
    """SplitMix64's output function (a bijection of 64-bit words)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@numba.njit(cache=True, inline="always")
def _word(key, i):
    """Output ``i`` of SplitMix64 started from ``key``: person ``i``'s 64 random bits this week."""
    return _mix(key + np.uint64(i + 1) * _GOLDEN)


@numba.njit(cache=True, inline="always")
def uniform_at(key, i):
    """The uniform of person ``i`` under a week's ``key`` (the top 24 bits of its word)."""
    return uniform_of_word(_word(key, i))


_S43, _S22, _S1 = np.uint64(43), np.uint64(22), np.uint64(1)
_LOW21 = np.uint64((1 << 21) - 1)
_TO_UNIT21 = np.float32(2.0**-21)


@numba.njit(cache=True, inline="always")
def three_fields(z):
    """The three 21-bit fields of a word (whole numbers below 2**21)."""
    return z >> _S43, (z >> _S22) & _LOW21, (z >> _S1) & _LOW21


@numba.njit(cache=True, inline="always")
def fields_to_uniforms(z):
    """The three uniforms a word gives (its 21-bit fields times 2**-21: multiples of 2**-21 in [0, 1))."""
    f1, f2, f3 = three_fields(z)
    return np.float32(f1) * _TO_UNIT21, np.float32(f2) * _TO_UNIT21, np.float32(f3) * _TO_UNIT21


@numba.njit(cache=True, inline="always")
def three_uniforms_at(key, i):
    """Three uniforms of person ``i`` from one output (three 21-bit fields of it), for a process
    that takes three decisions about everyone every week: one hash instead of three."""
    return fields_to_uniforms(_word(key, i))


@numba.njit(cache=True)
def words_all(key, n):
    """The words of persons 0 .. n-1 (a short loop the compiler runs on several at once)."""
    out = np.empty(n, np.uint64)
    for i in range(n):
        out[i] = _word(key, i)
    return out


@numba.njit(cache=True, inline="always")
def uniform_field(z):
    """The 24-bit field of a word that ``uniform_at`` turns into a uniform (f * 2**-24)."""
    return z >> _S40


@numba.njit(cache=True, inline="always")
def uniform_field_at(key, i):
    """Person ``i``'s 24-bit field under ``key`` (``uniform_at`` is it times 2**-24)."""
    return uniform_field(_word(key, i))


@numba.njit(cache=True, inline="always")
def uniform_of_word(z):
    """The uniform a word gives: its 24-bit field times 2**-24."""
    return np.float32(uniform_field(z)) * _TO_UNIT


@numba.njit(cache=True, inline="always")
def _whole_bound(chance, scale):
    """A whole number T such that a field f is below T exactly when its uniform f / ``scale`` is
    below ``chance`` (T = ceil(chance * scale): ``scale`` is a power of two, so the product is
    exact). Comparing fields with it answers the same question without converting them."""
    return np.uint64(math.ceil(min(max(chance, 0.0), 2.0) * scale))


@numba.njit(cache=True, inline="always")
def uniform_bound(chance):
    """``_whole_bound`` for the 24-bit field of ``uniform_at``."""
    return _whole_bound(chance, 16777216.0)


@numba.njit(cache=True, inline="always")
def field_bound(chance):
    """``_whole_bound`` for the 21-bit fields of ``three_uniforms_at``."""
    return _whole_bound(chance, 2097152.0)


@numba.njit(cache=True)
def _draw_at(key, idx):
    out = np.empty(len(idx), np.float32)
    for j in range(len(idx)):
        out[j] = uniform_at(key, idx[j])
    return out


def _mix_py(z: int) -> int:
    z &= _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


class Streams:
    """All random streams of one run, derived from one seed."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._gens: dict[str, np.random.Generator] = {}
        self._keys: dict[str, int] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        """The ``numpy.random.Generator`` stream ``name`` (set-up and draws not about one person)."""
        gen = self._gens.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(self._sequence(name)))
            self._gens[name] = gen
        return gen

    def _sequence(self, name: str) -> np.random.SeedSequence:
        return np.random.SeedSequence(
            entropy=self.seed, spawn_key=(zlib.crc32(name.encode("utf-8")),)
        )

    def key(self, name: str, week: int) -> np.uint64:
        """The SplitMix64 start of decision ``name`` in ``week`` (a hash of seed, name and week)."""
        base = self._keys.get(name)
        if base is None:
            base = int(self._sequence("person:" + name).generate_state(1, np.uint64)[0])
            self._keys[name] = base
        return np.uint64(_mix_py(base ^ _mix_py(int(week) + 0x632BE59BD9B4E019)))

    def draw(self, name: str, week: int, idx: np.ndarray) -> np.ndarray:
        """Uniforms (float32) of the people ``idx`` for decision ``name`` in ``week``."""
        idx = np.asarray(idx)
        if idx.dtype != np.int64:
            idx = idx.astype(np.int64)
        return _draw_at(self.key(name, week), idx)

    def draw_all(self, name: str, week: int, n: int) -> np.ndarray:
        """Uniforms of people ``0..n-1`` for decision ``name`` in ``week`` (same as ``draw`` of them all)."""
        return self.draw(name, week, np.arange(int(n), dtype=np.int64))
