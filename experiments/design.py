"""Experiment designs: data that says which runs to make, read from a TOML or YAML file.

A design names a base scenario, the parameters to vary (any lever or behaviour parameter of
:mod:`sim.params`), how to sample them, the run size and the replications::

    name = "aftercare-intensity"        # the experiment's name (its partition in the results)
    description = "How much does more aftercare buy?"
    scenario = "status-quo"             # built-in name or scenario file (relative to this file);
                                        # a list of them crosses every point with every scenario
    users = 1000
    weeks = 260
    replications = 5                    # replication r of every point uses seed `seed + r`
    seed = 1
    sampler = "grid"                    # "grid" (full factorial) or "lhs" (Latin hypercube)
    samples = 40                        # lhs only: number of points

    [factors]
    aftercare_coverage = [0.2, 0.4, 0.8]                          # these values
    aftercare_duration_weeks = { low = 26, high = 104, steps = 3 } # a range (grid: `steps` values)
    selfhelp_referral_share = { low = 0.0, high = 1.0 }           # a range (lhs, morris, sobol)
    public_stigma = 0.3                                           # a constant for every run

    [sensitivity]                       # used by `python -m sim sensitivity`
    trajectories = 10                   # Morris: number of trajectories
    levels = 4                          # Morris: grid levels
    samples = 64                        # Sobol: base sample N (a power of 2)
    second_order = false                # Sobol: also second-order indices
    outputs = ["relapse_within_52w", "relatives_burnout_prevalence"]

EMA-workbench style, a design may separate the policy choices from what is not known: instead
of ``[factors]``, ``[levers]`` (policy levers of :data:`sim.params.LEVERS`, each a list of values
or a range with ``steps``: every combination is a lever bundle) and ``[uncertainties]`` (any
parameters, levers such as ``public_stigma`` included, sampled by ``sampler``). Every lever bundle is run at every uncertainty point
with the same seeds (common random numbers), and the sweep writes ``robustness.csv`` and
``robustness.md``: each bundle's outcome over the uncertainties (mean, minimum, 10th, 50th and
90th percentile, maximum)::

    sampler = "lhs"
    samples = 8
    [levers]
    aftercare_coverage = [0.2, 0.5, 0.8]
    [uncertainties]
    public_stigma = { low = 0.2, high = 0.8 }

Several experiments can share one file: ``[[experiments]]`` tables each take a ``name`` and any
of the keys above, and inherit the rest from the top level (an experiment's ``[factors]``
replaces the top-level one).

Everything is checked before any run starts: a bad design raises :class:`InputError` with one
line that names the file, the field and what is allowed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim import scenario as scn
from sim.errors import InputError
from sim.guards import check_users, check_weeks, read_text
from sim.params import BY_NAME, LEVERS
from sim.scenario import Scenario, parse_table
from sim.summary import HEADLINE

SAMPLERS = ("grid", "lhs")
SA_METHODS = ("morris", "sobol")
_EXPERIMENT_KEYS = {
    "name",
    "description",
    "scenario",
    "users",
    "weeks",
    "replications",
    "seed",
    "sampler",
    "samples",
    "factors",
    "levers",
    "uncertainties",
}
_TOP_KEYS = _EXPERIMENT_KEYS | {"sensitivity", "experiments"}
_SENSITIVITY_KEYS = {"trajectories", "levels", "samples", "second_order", "outputs", "resamples"}
_FACTOR_KEYS = {"low", "high", "steps", "values"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a list of values or a range [low, high] (with ``steps`` for a grid)."""

    name: str
    values: tuple[float, ...] | None = None
    low: float | None = None
    high: float | None = None
    steps: int | None = None

    @property
    def integer(self) -> bool:
        return BY_NAME[self.name].integer

    @property
    def is_range(self) -> bool:
        return self.values is None

    def grid_values(self) -> list[float]:
        if self.values is not None:
            return list(self.values)
        xs = np.linspace(self.low, self.high, self.steps)
        return list(dict.fromkeys(self.cast(x) for x in xs))

    def from_unit(self, u: float) -> float:
        """Map u in [0, 1) to a value: a position in the range, or one of the listed values."""
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        return self.cast(self.low + u * (self.high - self.low))

    def cast(self, x: float) -> float:
        return round(float(x)) if self.integer else float(x)

    def to_json(self) -> dict[str, Any]:
        if self.values is not None:
            return {"values": list(self.values)}
        out: dict[str, Any] = {"low": self.low, "high": self.high}
        if self.steps is not None:
            out["steps"] = self.steps
        return out


@dataclass(frozen=True)
class Sensitivity:
    """Settings of the sensitivity analysis (SALib)."""

    trajectories: int = 10
    levels: int = 4
    samples: int = 64
    second_order: bool = False
    outputs: tuple[str, ...] = HEADLINE
    resamples: int = 1000


@dataclass(frozen=True)
class Point:
    """One design point: a base scenario with parameter values set."""

    index: int
    scenario: Scenario
    values: dict[str, float]


@dataclass
class Experiment:
    """One experiment of a design: base scenarios, factors, sampler, size and replications."""

    name: str
    description: str
    scenarios: list[Scenario]
    factors: list[Factor]
    constants: dict[str, float]
    sampler: str
    samples: int | None
    replications: int
    seed: int
    users: int
    weeks: int
    sensitivity: Sensitivity = field(default_factory=Sensitivity)
    where: str = "design"
    levers: list[Factor] = field(
        default_factory=list
    )  # [levers]: ``factors`` are then the uncertainties

    def lever_bundles(self) -> list[dict[str, float]]:
        """Every combination of the levers' values ([{}] without levers)."""
        names = [f.name for f in self.levers]
        return [
            dict(zip(names, combo))
            for combo in itertools.product(*(f.grid_values() for f in self.levers))
        ]

    def problem(self) -> dict[str, Any]:
        """The SALib problem of the range factors."""
        return {
            "num_vars": len(self.factors),
            "names": [f.name for f in self.factors],
            "bounds": [[f.low, f.high] for f in self.factors],
        }

    def unit_samples(self) -> np.ndarray | None:
        """Samples for lhs/morris/sobol (morris and sobol in parameter units); None for a grid."""
        k = len(self.factors)
        if self.sampler == "lhs":
            from scipy.stats import qmc

            try:
                sampler = qmc.LatinHypercube(d=k, rng=np.random.default_rng(self.seed))
            except TypeError:  # scipy < 1.15
                sampler = qmc.LatinHypercube(d=k, seed=np.random.default_rng(self.seed))
            return sampler.random(self.samples)
        if self.sampler == "morris":
            from SALib.sample import morris

            return morris.sample(
                self.problem(),
                self.sensitivity.trajectories,
                num_levels=self.sensitivity.levels,
                seed=self.seed,
            )
        if self.sampler == "sobol":
            from SALib.sample import sobol

            return sobol.sample(
                self.problem(),
                self.sensitivity.samples,
                calc_second_order=self.sensitivity.second_order,
                seed=self.seed,
            )
        return None

    def parameter_sets(self) -> list[dict[str, float]]:
        """Parameter values of every point before crossing with the base scenarios: with
        [levers], every lever bundle at every uncertainty point."""
        if self.levers:
            return [{**u, **b} for u in self._factor_sets() for b in self.lever_bundles()]
        return self._factor_sets()

    def _factor_sets(self) -> list[dict[str, float]]:
        """The sampled values of the factors (or uncertainties)."""
        if not self.factors:
            return [{}]
        if self.sampler == "grid":
            names = [f.name for f in self.factors]
            return [
                dict(zip(names, combo))
                for combo in itertools.product(*(f.grid_values() for f in self.factors))
            ]
        X = self.unit_samples()
        if self.sampler == "lhs":
            return [{f.name: f.from_unit(u) for f, u in zip(self.factors, row)} for row in X]
        return [{f.name: f.cast(x) for f, x in zip(self.factors, row)} for row in X]

    def points(self) -> list[Point]:
        """Every design point: each parameter set under each base scenario (validated)."""
        out = []
        for values in self.parameter_sets():
            for base in self.scenarios:
                merged = {**self.constants, **values}
                sc = base.with_overrides(merged, where=f"{self.where} [factors]")
                out.append(Point(len(out), sc, merged))
        return out

    def normalized(self) -> dict[str, Any]:
        """The experiment as plain data (for the manifest)."""
        d = {
            "name": self.name,
            "description": self.description,
            "scenarios": [s.name for s in self.scenarios],
            "scenario_origins": [s.origin for s in self.scenarios],
            "factors": {f.name: f.to_json() for f in self.factors},
            **({"levers": {f.name: f.to_json() for f in self.levers}} if self.levers else {}),
            "constants": self.constants,
            "sampler": self.sampler,
            "samples": self.samples,
            "replications": self.replications,
            "seed": self.seed,
            "users": self.users,
            "weeks": self.weeks,
        }
        if self.sampler in SA_METHODS:
            s = self.sensitivity
            d["sensitivity"] = {
                "trajectories": s.trajectories,
                "levels": s.levels,
                "samples": s.samples,
                "second_order": s.second_order,
                "outputs": list(s.outputs),
                "resamples": s.resamples,
            }
        return d


@dataclass
class Design:
    """A parsed design file: one or more experiments."""

    path: str
    text: str
    experiments: list[Experiment]

    def fingerprint(self, points: dict[str, list[Point]]) -> str:
        """A hash of everything that decides the runs: sizes, seeds, and every point's full parameter set."""
        h = hashlib.sha256()
        for exp in self.experiments:
            spec = {
                k: v
                for k, v in exp.normalized().items()
                if k not in ("description", "scenario_origins")
            }
            h.update(json.dumps(spec, sort_keys=True, default=str).encode())
            for p in points[exp.name]:
                h.update(
                    json.dumps(
                        [p.index, p.scenario.name, p.scenario.values], sort_keys=True
                    ).encode()
                )
        return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------- parsing


def _parse_text(text: str, where: str, suffix: str) -> dict[str, Any]:
    return parse_table(text, where, suffix, what="design")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _int(data: dict, key: str, where: str, default: int | None, minimum: int) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"{where}: '{key}' must be a whole number >= {minimum}, got {value!r}")
    return value


def _factor(name: str, spec: Any, where: str) -> Factor | float:
    """A factor from its spec, or a float for a constant."""
    param = BY_NAME.get(name)
    if param is None:
        raise InputError(
            f"{where} [factors]: unknown lever or parameter '{name}' (see `python -m sim params`)"
        )
    rng = f"[{param.low:g}, {param.high:g}] {param.unit}"

    def check(value: Any, what: str) -> float:
        if not _is_number(value):
            raise InputError(
                f"{where} [factors]: '{name}' {what} must be a number in {rng}, got {value!r}"
            )
        if not (param.low <= value <= param.high):
            raise InputError(
                f"{where} [factors]: '{name}' {what} = {value!r} is out of range; allowed {rng}"
            )
        if param.integer and float(value) != int(value):
            raise InputError(
                f"{where} [factors]: '{name}' {what} must be a whole number, got {value!r}"
            )
        return int(value) if param.integer else float(value)

    if isinstance(spec, dict):
        unknown = sorted(set(spec) - _FACTOR_KEYS)
        if unknown:
            raise InputError(
                f"{where} [factors]: '{name}' has unknown key '{unknown[0]}' "
                f"(allowed: {', '.join(sorted(_FACTOR_KEYS))})"
            )
        if "values" in spec:
            if set(spec) != {"values"}:
                raise InputError(
                    f"{where} [factors]: '{name}' takes either 'values' or 'low'/'high', not both"
                )
            spec = spec["values"]
        else:
            if "low" not in spec or "high" not in spec:
                raise InputError(f"{where} [factors]: '{name}' range needs both 'low' and 'high'")
            low, high = check(spec["low"], "bound 'low'"), check(spec["high"], "bound 'high'")
            if not low < high:
                raise InputError(
                    f"{where} [factors]: '{name}' has an empty range (low {low:g} >= high {high:g})"
                )
            steps = spec.get("steps")
            if steps is not None and (
                isinstance(steps, bool) or not isinstance(steps, int) or steps < 2
            ):
                raise InputError(
                    f"{where} [factors]: '{name}' steps must be a whole number >= 2, got {steps!r}"
                )
            return Factor(name, None, low, high, steps)
    if isinstance(spec, list):
        if not spec:
            raise InputError(f"{where} [factors]: '{name}' has an empty list of values")
        values = tuple(check(v, "value") for v in spec)
        if len(set(values)) != len(values):
            raise InputError(f"{where} [factors]: '{name}' lists a value twice")
        return Factor(name, values)
    return check(spec, "value")


def _sensitivity(data: Any, where: str) -> Sensitivity:
    if data is None:
        return Sensitivity()
    if not isinstance(data, dict):
        raise InputError(f"{where}: [sensitivity] must be a table")
    unknown = sorted(set(data) - _SENSITIVITY_KEYS)
    if unknown:
        raise InputError(
            f"{where} [sensitivity]: unknown key '{unknown[0]}' "
            f"(allowed: {', '.join(sorted(_SENSITIVITY_KEYS))})"
        )
    w = f"{where} [sensitivity]"
    samples = _int(data, "samples", w, 64, 2)
    if samples & (samples - 1):
        raise InputError(f"{w}: 'samples' must be a power of 2 (Sobol sequence), got {samples}")
    second = data.get("second_order", False)
    if not isinstance(second, bool):
        raise InputError(f"{w}: 'second_order' must be true or false, got {second!r}")
    outputs = data.get("outputs", list(HEADLINE))
    if isinstance(outputs, str):
        outputs = [outputs]
    if not isinstance(outputs, list) or not outputs:
        raise InputError(f"{w}: 'outputs' must be a non-empty list of headline figures")
    from experiments.store import outcome_names

    for o in outputs:
        if o not in outcome_names():
            raise InputError(
                f"{w}: unknown output {o!r} (allowed: {', '.join(HEADLINE)}, or another summary figure)"
            )
    return Sensitivity(
        trajectories=_int(data, "trajectories", w, 10, 1),
        levels=_int(data, "levels", w, 4, 2),
        samples=samples,
        second_order=second,
        outputs=tuple(outputs),
        resamples=_int(data, "resamples", w, 1000, 10),
    )


def _experiment(
    data: dict[str, Any], where: str, base_dir: Path, sensitivity: Sensitivity
) -> Experiment:
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise InputError(f"{where}: 'name' must be letters, digits, '_', '-' or '.', got {name!r}")
    w = where
    description = data.get("description", "")
    if not isinstance(description, str):
        raise InputError(f"{w}: 'description' must be a string")
    refs = data.get("scenario", "status-quo")
    refs = [refs] if isinstance(refs, str) else refs
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
        raise InputError(f"{w}: 'scenario' must be a scenario name or file, or a list of them")
    scenarios = []
    for ref in refs:
        if ref not in scn.BUILTIN and not Path(ref).is_absolute() and (base_dir / ref).exists():
            ref = str(base_dir / ref)
        scenarios.append(scn.load(ref))
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError(f"{w}: two base scenarios share the name {names!r}")
    sampler = data.get("sampler", "grid")
    if sampler not in SAMPLERS + SA_METHODS:
        raise InputError(
            f"{w}: 'sampler' must be one of {', '.join(SAMPLERS + SA_METHODS)}, got {sampler!r}"
        )
    factors, constants, levers = _factor_tables(data, w)
    samples = _int(data, "samples", w, None, 1)
    if sampler == "lhs" and samples is None:
        raise InputError(f"{w}: the lhs sampler needs 'samples' (number of points)")
    if sampler == "grid":
        for f in factors:
            if f.is_range and f.steps is None:
                raise InputError(
                    f"{w} [factors]: '{f.name}' is a range; the grid sampler needs 'steps' "
                    '(or give a list of values, or use sampler = "lhs")'
                )
    exp = Experiment(
        name=name,
        description=description,
        scenarios=scenarios,
        factors=factors,
        constants=constants,
        sampler=sampler,
        samples=samples,
        replications=_int(data, "replications", w, 1, 1),
        seed=_int(data, "seed", w, 0, 0),
        users=check_users(_int(data, "users", w, 2000, 1), f"{w}: 'users'"),
        weeks=check_weeks(_int(data, "weeks", w, 260, 1), f"{w}: 'weeks'"),
        sensitivity=sensitivity,
        where=w,
        levers=levers,
    )
    if sampler in SA_METHODS:
        check_sensitivity(exp)
    check_size(exp)
    return exp


def _factor_tables(
    data: dict[str, Any], w: str
) -> tuple[list[Factor], dict[str, float], list[Factor]]:
    """The factors (or uncertainties), the constants and the levers of an experiment's tables."""
    has_split = "levers" in data or "uncertainties" in data
    if has_split and "factors" in data:
        raise InputError(f"{w}: give [factors], or [levers] and [uncertainties], not both")
    if has_split and "levers" not in data:
        raise InputError(f"{w}: [uncertainties] needs [levers] (the policy choices to compare)")
    factors, constants, levers = [], {}, []
    for section in ("levers", "uncertainties") if has_split else ("factors",):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise InputError(f"{w}: [{section}] must be a table of name = values")
        for key, spec in table.items():
            if key in constants or any(f.name == key for f in factors + levers):
                raise InputError(f"{w}: '{key}' is in both [levers] and [uncertainties]")
            f = _factor(key, spec, w)
            if section == "levers" and key not in LEVERS:
                raise InputError(
                    f"{w} [levers]: '{key}' is not a policy lever (allowed: {', '.join(LEVERS)}); "
                    "put it under [uncertainties]"
                )
            if not isinstance(f, Factor):
                constants[key] = f
            elif section != "levers":
                factors.append(f)
            elif f.is_range and f.steps is None:
                raise InputError(
                    f"{w} [levers]: '{key}' is a range; lever bundles need 'steps' or a list of values"
                )
            else:
                levers.append(f)
    if has_split and not levers:
        raise InputError(f"{w} [levers]: give at least one lever with several values")
    return factors, constants, levers


#: Largest experiment a design may ask for: the plan holds every point (a full scenario each)
#: and every run in memory before the first run starts.
MAX_POINTS = 100_000
MAX_RUNS = 1_000_000


def n_parameter_sets(exp: Experiment) -> int:
    """How many parameter sets ``exp`` expands to, counted without expanding it."""
    bundles = math.prod(len(f.grid_values()) for f in exp.levers)
    return bundles * _n_factor_sets(exp)


def _n_factor_sets(exp: Experiment) -> int:
    k = len(exp.factors)
    if not k:
        return 1
    if exp.sampler == "grid":
        return math.prod(len(f.values) if f.values is not None else f.steps for f in exp.factors)
    if exp.sampler == "lhs":
        return exp.samples or 0
    if exp.sampler == "morris":
        return exp.sensitivity.trajectories * (k + 1)
    return exp.sensitivity.samples * (2 * k + 2 if exp.sensitivity.second_order else k + 2)


def check_size(exp: Experiment) -> None:
    """Refuse an experiment of more than :data:`MAX_POINTS` points or :data:`MAX_RUNS` runs."""
    points = n_parameter_sets(exp) * len(exp.scenarios)
    runs = points * exp.replications
    if points > MAX_POINTS or runs > MAX_RUNS:
        shown = f"{runs:,}" if runs < 10**15 else f"a {len(str(runs))}-digit number of"
        raise InputError(
            f"{exp.where}: {points:,} points x {exp.replications:,} replications = {shown} runs "
            f"is too large (at most {MAX_POINTS:,} points and {MAX_RUNS:,} runs per experiment; "
            "split it into several experiments or designs)"
        )


def check_sensitivity(exp: Experiment) -> None:
    """A sensitivity analysis needs at least two factors, all of them ranges (and no levers)."""
    if exp.levers:
        raise InputError(
            f"{exp.where}: a sensitivity analysis takes [factors], not [levers] and [uncertainties]"
        )
    if len(exp.factors) < 2:
        raise InputError(
            f"{exp.where}: a sensitivity analysis needs at least 2 factors with a range, "
            f"got {len(exp.factors)}"
        )
    for f in exp.factors:
        if not f.is_range:
            raise InputError(
                f"{exp.where} [factors]: '{f.name}' is a list; a sensitivity analysis needs "
                "ranges ({ low = ..., high = ... })"
            )


def parse(
    text: str,
    where: str = "design",
    suffix: str = ".toml",
    base_dir: Path | None = None,
    method: str | None = None,
) -> Design:
    """Parse and check a design; ``method`` ("morris"/"sobol") replaces every experiment's sampler."""
    data = _parse_text(text, where, suffix)
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise InputError(
            f"{where}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(_TOP_KEYS))})"
        )
    base_dir = base_dir or Path(".")
    sensitivity = _sensitivity(data.get("sensitivity"), where)
    top = {k: v for k, v in data.items() if k in _EXPERIMENT_KEYS}
    top.setdefault("name", Path(where).stem if where != "design" else "experiment")
    entries = data.get("experiments")
    if entries is None:
        specs = [(top, where)]
    else:
        if (
            not isinstance(entries, list)
            or not entries
            or not all(isinstance(e, dict) for e in entries)
        ):
            raise InputError(f"{where}: 'experiments' must be a non-empty list of tables")
        specs = []
        for i, entry in enumerate(entries):
            bad = sorted(set(entry) - _EXPERIMENT_KEYS)
            if bad:
                raise InputError(
                    f"{where} experiments[{i}]: unknown key '{bad[0]}' "
                    f"(allowed: {', '.join(sorted(_EXPERIMENT_KEYS))})"
                )
            if "name" not in entry:
                raise InputError(f"{where} experiments[{i}]: every experiment needs a 'name'")
            specs.append(({**top, **entry}, f"{where} experiments[{i}]"))
    if method is not None:
        if method not in SA_METHODS:
            raise InputError(f"--method must be one of {', '.join(SA_METHODS)}, got {method!r}")
        specs = [({**spec, "sampler": method}, w) for spec, w in specs]
    experiments = [_experiment(spec, w, base_dir, sensitivity) for spec, w in specs]
    names = [e.name for e in experiments]
    if len(set(names)) != len(names):
        raise InputError(f"{where}: two experiments share a name ({', '.join(names)})")
    return Design(where, text, experiments)


def load(path: str | Path, method: str | None = None) -> Design:
    """Read and check a design file (.toml, .yaml or .yml)."""
    p = Path(path)
    if p.suffix not in (".toml", ".yaml", ".yml"):
        raise InputError(f"design file '{p}' must end in .toml, .yaml or .yml")
    try:
        found = p.exists()
    except OSError as exc:  # a name too long
        raise InputError(f"--design: cannot use '{str(p)[:60]}' ({exc.strerror})") from None
    if not found:
        raise InputError(f"design file '{p}' not found")
    return parse(read_text(p, "--design"), str(p), p.suffix, p.parent, method)
