"""Random streams: one per kind of decision, all derived from one seed.

Each stream is keyed by its name (not by the order streams are first used), so adding a
decision never shifts the draws of another. Every weekly decision draws a fixed-size array
(one number per person) whether or not a lever makes the draw matter, so two scenarios run
with the same seed share the draws of everything their levers do not touch (common random
numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """A family of independent ``numpy.random.Generator`` streams from one seed."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._gens: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._gens.get(name)
        if gen is None:
            key = zlib.crc32(name.encode("utf-8"))
            seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(key,))
            gen = np.random.Generator(np.random.PCG64(seq))
            self._gens[name] = gen
        return gen

    def uniform(self, name: str, n: int) -> np.ndarray:
        """``n`` uniforms in [0, 1) as float32 from stream ``name``."""
        return self[name].random(n, dtype=np.float32)
