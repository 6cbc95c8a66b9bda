"""One model parameter: default, range, unit, source and meaning."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Param:
    """One model parameter."""

    name: str
    default: float
    low: float
    high: float
    unit: str
    source: str
    doc: str
    kind: str = "behaviour"
    integer: bool = False
    calibrated: bool = False

    def check(self, value: Any, where: str) -> float:
        """Return ``value`` as a number if it is allowed, else raise :class:`InputError`."""
        from sim.errors import InputError

        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(
                f"{where}: '{self.name}' must be a number in [{self.low:g}, {self.high:g}], "
                f"got {value!r}"
            )
        if not (self.low <= value <= self.high):  # first: NaN, infinities and huge whole numbers
            raise InputError(
                f"{where}: '{self.name}' = {value!r} is out of range; allowed "
                f"[{self.low:g}, {self.high:g}] {self.unit}"
            )
        if self.integer and float(value) != int(value):
            raise InputError(f"{where}: '{self.name}' must be a whole number, got {value!r}")
        return int(value) if self.integer else float(value)


A = "assumption"
P = Param
LEVER = "lever"
POPULATION = "population"
