"""The calibration and validation targets: reading ``experiments/targets.toml`` and the bands.

A target (``[[targets]]``) names a published figure and one or more measures, each with a band
(``low``/``high``, a ``point`` or ``report_only``) and the reasoning for it; ``[[parameters]]``
are the free parameters a calibration fits, ``[arms]`` the comparison arms some measures need.
The distance of a parameter set from the calibration bands is

    distance = sum_k  w_k * ((mean_k - centre_k) / half_width_k) ** 2,

where ``mean_k`` is the mean of measure ``k`` over a trial's replications, ``centre_k`` the
target's point value (or the middle of its band) and ``half_width_k`` half the band: a measure
inside its band contributes less than ``w_k``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from experiments.calibration.measures import BASE_ARM, MEASURES
from experiments.compare import t_interval
from sim.errors import InputError
from sim.guards import read_text
from sim.params import BY_NAME

TARGETS_FILE = Path(__file__).resolve().parents[1] / "targets.toml"


@dataclass(frozen=True)
class Measure:
    key: str
    low: float | None
    high: float | None
    point: float | None = None
    weight: float = 1.0
    calibrate: bool = False
    unit: str = ""
    why: str = ""
    report_only: bool = False

    def centre(self) -> float:
        if self.point is not None:
            return self.point
        return 0.5 * (self.low + self.high)

    def half_width(self) -> float:
        return 0.5 * (self.high - self.low)

    def inside(self, x: float) -> bool:
        if self.report_only:
            return True
        if x is None or not math.isfinite(x):
            return False
        return (self.low is None or x >= self.low) and (self.high is None or x <= self.high)


@dataclass(frozen=True)
class Target:
    id: str
    what: str
    figure: str
    source: str
    use: str  # "calibrate" or "check"
    measures: tuple[Measure, ...]
    note: str = ""
    if_fail: str = ""


@dataclass(frozen=True)
class FreeParam:
    name: str
    low: float
    high: float
    integer: bool
    why: str
    informs: tuple[str, ...]


@dataclass
class TargetSet:
    path: Path
    targets: tuple[Target, ...]
    parameters: tuple[FreeParam, ...]
    arms: dict[str, dict[str, float]]
    scenario: str = BASE_ARM
    raw: dict = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [t.id for t in self.targets]

    def calibration_measures(self) -> list[tuple[Target, Measure]]:
        return [(t, m) for t in self.targets for m in t.measures if m.calibrate]

    def arms_needed(self, calibration_only: bool) -> list[str]:
        arms = [BASE_ARM]
        for t in self.targets:
            for m in t.measures:
                if calibration_only and not m.calibrate:
                    continue
                for a in MEASURES[m.key].get("arms", ()):
                    if a not in arms:
                        arms.append(a)
        return arms


def _num(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: must be a number, got {value!r}")
    return float(value)


def _free_in_registry(name, where: str = ""):
    """The registry entry of a parameter that may be fitted (not a scenario lever)."""
    if name not in BY_NAME:
        raise InputError(f"{where}unknown parameter {name!r} (see `python -m sim params`)")
    reg = BY_NAME[name]
    if reg.kind == "lever":
        raise InputError(f"{where}'{name}' is a scenario lever and is not calibrated")
    return reg


def load_targets(path: str | Path | None = None) -> TargetSet:
    """Read and check a targets file (default ``experiments/targets.toml``)."""
    path = Path(path) if path is not None else TARGETS_FILE
    if not path.is_file():
        raise InputError(f"targets file '{path}' not found (default: experiments/targets.toml)")
    try:
        data = tomllib.loads(read_text(path, "--targets"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"targets file '{path}': not valid TOML ({exc})") from None
    targets = []
    seen = set()
    for i, t in enumerate(data.get("targets", [])):
        where = f"{path.name}: targets[{i}]"
        tid = t.get("id")
        if not isinstance(tid, str) or not tid:
            raise InputError(f"{where}: every target needs an 'id' string")
        if tid in seen:
            raise InputError(f"{where}: duplicate target id '{tid}'")
        seen.add(tid)
        use = t.get("use", "check")
        if use not in ("calibrate", "check"):
            raise InputError(f"{where} ({tid}): 'use' must be 'calibrate' or 'check', got {use!r}")
        measures = []
        for j, m in enumerate(t.get("measures", [])):
            mwhere = f"{path.name}: {tid}.measures[{j}]"
            key = m.get("key")
            if key not in MEASURES:
                raise InputError(
                    f"{mwhere}: unknown measure {key!r} (known: {', '.join(MEASURES)})"
                )
            low, high = _num(m.get("low"), mwhere + ".low"), _num(m.get("high"), mwhere + ".high")
            report_only = bool(m.get("report_only", False))
            if low is None and high is None and not report_only:
                raise InputError(
                    f"{mwhere}: a band needs 'low', 'high' or both (or report_only = true)"
                )
            cal = bool(m.get("calibrate", False))
            if cal and report_only:
                raise InputError(f"{mwhere}: a report-only measure cannot be calibrated")
            if cal and (low is None or high is None):
                raise InputError(f"{mwhere}: a calibration measure needs both 'low' and 'high'")
            if cal and MEASURES[key].get("analysis"):
                raise InputError(f"{mwhere}: '{key}' needs survival fits and can only be a check")
            if low is not None and high is not None and low >= high:
                raise InputError(f"{mwhere}: 'low' must be below 'high'")
            measures.append(
                Measure(
                    key,
                    low,
                    high,
                    _num(m.get("point"), mwhere + ".point"),
                    float(m.get("weight", 1.0)),
                    cal,
                    str(m.get("unit", "")),
                    str(m.get("why", "")),
                    report_only,
                )
            )
        if not measures:
            raise InputError(f"{where} ({tid}): a target needs at least one measure")
        targets.append(
            Target(
                tid,
                str(t.get("what", "")),
                str(t.get("figure", "")),
                str(t.get("source", "")),
                use,
                tuple(measures),
                str(t.get("note", "")),
                str(t.get("if_fail", "")),
            )
        )
    if not targets:
        raise InputError(f"targets file '{path}': no [[targets]]")
    params = []
    for i, p in enumerate(data.get("parameters", [])):
        name = p.get("name")
        reg = _free_in_registry(name, f"{path.name}: parameters[{i}]: ")
        informs = tuple(p.get("informs", ()))
        for tid in informs:
            if tid not in seen:
                raise InputError(f"{path.name}: parameter '{name}' informs unknown target '{tid}'")
        params.append(
            FreeParam(name, reg.low, reg.high, reg.integer, str(p.get("why", "")), informs)
        )
    arms = {}
    for arm, levers in data.get("arms", {}).items():
        vals = {}
        for key, value in levers.items():
            if key not in BY_NAME:
                raise InputError(f"{path.name}: [arms.{arm}]: unknown parameter '{key}'")
            vals[key] = BY_NAME[key].check(value, f"{path.name} [arms.{arm}]")
        arms[arm] = vals
    needed = {a for t in targets for m in t.measures for a in MEASURES[m.key].get("arms", ())}
    missing = needed - set(arms)
    if missing:
        raise InputError(
            f"{path.name}: measures need arms not defined under [arms]: {', '.join(sorted(missing))}"
        )
    return TargetSet(
        path, tuple(targets), tuple(params), arms, str(data.get("scenario", BASE_ARM)), data
    )


def select_targets(ts: TargetSet, ids: Iterable[str] | None) -> TargetSet:
    """Keep only the targets ``ids`` (unknown ids raise :class:`InputError`)."""
    if not ids:
        return ts
    ids = list(ids)
    unknown = [i for i in ids if i not in ts.ids()]
    if unknown:
        raise InputError(
            f"unknown target id(s) {', '.join(unknown)} (known: {', '.join(ts.ids())})"
        )
    return replace(ts, targets=tuple(t for t in ts.targets if t.id in ids))


def select_parameters(ts: TargetSet, names: Iterable[str] | None) -> TargetSet:
    """Fit only ``names`` (any non-lever parameter of the registry; unknown names raise InputError)."""
    if not names:
        return ts
    out = []
    known = {p.name: p for p in ts.parameters}
    for name in names:
        reg = _free_in_registry(name)
        out.append(
            known.get(name)
            or FreeParam(name, reg.low, reg.high, reg.integer, "chosen on the command line", ())
        )
    return replace(ts, parameters=tuple(out))


def band_row(t: Target, m: Measure, values: list[float]) -> dict[str, Any]:
    """A measure's mean and 95% interval over replications beside its band (one table row)."""
    mean, lo, hi = t_interval(values)
    return {
        "target": t.id,
        "measure": m.key,
        "simulated": mean,
        "low": lo,
        "high": hi,
        "target_low": m.low,
        "target_high": m.high,
    }


def measure_distance(m: Measure, mean: float) -> float:
    if mean is None or not math.isfinite(mean):
        return 1e3
    return m.weight * ((mean - m.centre()) / m.half_width()) ** 2


def evaluate(
    ts: TargetSet, reps: list[dict[str, float]]
) -> tuple[float, dict[str, dict[str, float]]]:
    """Distance of a parameter set from its replications' figures, and per-measure detail."""
    total = 0.0
    detail = {}
    for t, m in ts.calibration_measures():
        mean = t_interval([r.get(m.key, float("nan")) for r in reps])[0]
        d = measure_distance(m, mean)
        total += d
        detail[f"{t.id}:{m.key}"] = {"simulated": mean, "distance": d, "inside": m.inside(mean)}
    return total, detail
