"""Scenarios: named bundles of levers, built in or read from a user's TOML or YAML file.

A scenario file looks like this (TOML; YAML with the same keys works too)::

    name = "my-municipality"
    description = "Municipal aftercare with relatives' courses"
    base = "municipal"            # optional: start from a built-in scenario
    sources = ["seed 003, L448-460"]

    [levers]                      # aftercare-policy levers (kind "lever")
    aftercare_coverage = 0.8

    [parameters]                  # any other parameter (behaviour, population)
    relapse_shape = 0.7

    [lever_sources]               # optional: where each value comes from
    aftercare_coverage = "assumption: our planning figure"

    [ranges]                      # optional: plausible range [low, high] for an uncertainty analysis
    aftercare_coverage = [0.6, 0.9]

Every key is checked against :mod:`sim.params`; a bad file raises :class:`InputError` with
one line naming the field and the allowed values.

``[lever_sources]`` gives one string per lever or parameter: a seed line or paper that supports
the value, ``"assumption: ..."`` or ``"definition: ..."`` (the lever is off by what the scenario
is, e.g. no family week outside institutions). Every ``assumption`` needs a range in
``[ranges]``. A range is ``[low, high]`` (or ``{ low = ..., high = ... }``, as in a design's
``[uncertainties]``): inside the parameter's registry range, ``low < high``, and the scenario's
value inside it. :attr:`Scenario.ranges` holds them and :meth:`Scenario.uncertainties` gives them
in the form a design's ``[uncertainties]`` takes. A file with ``base`` inherits the base's
sources and ranges, except for the values it sets itself (their source and range are the file's).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.guards import read_text
from sim.params import BY_NAME, LEVERS, defaults

BUILTIN = ("none", "status-quo", "municipal", "organisation", "institutional")
_TOP_KEYS = {
    "name",
    "description",
    "base",
    "sources",
    "levers",
    "parameters",
    "lever_sources",
    "ranges",
}
#: A lever source starting with this word is an assumption and needs a range.
ASSUMPTION = "assumption"


@dataclass
class Scenario:
    """A resolved scenario: every parameter has a value."""

    name: str
    description: str
    values: dict[str, float]
    sources: list[str] = field(default_factory=list)
    origin: str = "built-in"
    #: Where each lever's value comes from (a seed line, a paper, "assumption: ..." or
    #: "definition: ...").
    lever_sources: dict[str, str] = field(default_factory=dict)
    #: Plausible range (low, high) of a value, for an uncertainty analysis.
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)

    def with_overrides(self, overrides: dict[str, Any], where: str = "override") -> Scenario:
        """Return a copy with some parameters changed (validated); a changed value loses its
        source and range, which were for the old value."""
        values = dict(self.values)
        for key, value in overrides.items():
            param = BY_NAME.get(key)
            if param is None:
                raise InputError(f"{where}: unknown parameter '{key}' (see `python -m sim params`)")
            values[key] = param.check(value, where)
        return Scenario(
            self.name,
            self.description,
            values,
            list(self.sources),
            self.origin,
            {k: v for k, v in self.lever_sources.items() if k not in overrides},
            {k: v for k, v in self.ranges.items() if k not in overrides},
        )

    def uncertainties(self) -> dict[str, dict[str, float]]:
        """The ranges as a design's ``[uncertainties]`` takes them: ``{name: {low, high}}``."""
        return {k: {"low": lo, "high": hi} for k, (lo, hi) in self.ranges.items()}


def _builtin_text(name: str) -> str:
    return resources.files("sim.scenarios").joinpath(f"{name}.toml").read_text("utf-8")


def parse_table(text: str, where: str, suffix: str, what: str = "scenario") -> dict[str, Any]:
    """Parse TOML (or YAML for .yaml/.yml) into a dict; any problem is one line naming ``where``."""
    try:
        if suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except Exception as exc:  # noqa: BLE001 - any parser error becomes one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{where}: malformed {what} file ({first})") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{where}: a {what} file must be a table of keys, got {type(data).__name__}"
        )
    return data


def _resolve(data: dict[str, Any], where: str, stack: tuple[str, ...] = ()) -> Scenario:
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise InputError(
            f"{where}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(_TOP_KEYS))})"
        )
    base_name = data.get("base")
    if base_name is not None:
        if not isinstance(base_name, str) or base_name not in BUILTIN:
            raise InputError(
                f"{where}: 'base' must be one of {', '.join(BUILTIN)}, got {base_name!r}"
            )
        if base_name in stack:
            raise InputError(f"{where}: 'base' chain loops at {base_name!r}")
        base = _resolve(
            parse_table(_builtin_text(base_name), base_name, ".toml"),
            base_name,
            stack + (base_name,),
        )
        values = dict(base.values)
        sources = list(base.sources)
        lever_sources, ranges = dict(base.lever_sources), dict(base.ranges)
    else:
        values = defaults()
        sources = []
        lever_sources, ranges = {}, {}
    for section, allowed in (("levers", "lever"), ("parameters", None)):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise InputError(f"{where}: [{section}] must be a table of name = value")
        for key, value in table.items():
            param = BY_NAME.get(key)
            if (
                param is None
                or (allowed == "lever" and param.kind != "lever")
                or (allowed is None and param.kind == "lever")
            ):
                if section == "levers":
                    raise InputError(
                        f"{where}: unknown lever '{key}' (allowed levers: {', '.join(LEVERS)})"
                    )
                raise InputError(
                    f"{where}: unknown parameter '{key}' in [parameters] "
                    "(levers go in [levers]; see `python -m sim params`)"
                )
            values[key] = param.check(value, f"{where} [{section}]")
            lever_sources.pop(key, None)  # the base's source and range were for its value
            ranges.pop(key, None)
    lever_sources.update(_lever_sources(data.get("lever_sources", {}), where))
    ranges.update(_ranges(data.get("ranges", {}), values, where))
    for key, text in lever_sources.items():
        if text.lower().startswith(ASSUMPTION) and key not in ranges:
            raise InputError(
                f"{where} [lever_sources]: '{key}' is an assumption and needs a range "
                f"in [ranges] ({key} = [low, high] within [{BY_NAME[key].low:g}, "
                f"{BY_NAME[key].high:g}])"
            )
    extra_sources = data.get("sources", [])
    if not isinstance(extra_sources, list) or not all(isinstance(s, str) for s in extra_sources):
        raise InputError(f"{where}: 'sources' must be a list of strings")
    name = data.get("name", Path(where).stem)
    description = data.get("description", "")
    if not isinstance(name, str) or not isinstance(description, str):
        raise InputError(f"{where}: 'name' and 'description' must be strings")
    return Scenario(
        name, description, values, sources + extra_sources, "built-in", lever_sources, ranges
    )


def _known(key: str, section: str, where: str):
    param = BY_NAME.get(key)
    if param is None:
        raise InputError(
            f"{where} [{section}]: unknown lever or parameter '{key}' "
            f"(allowed levers: {', '.join(LEVERS)}; see `python -m sim params`)"
        )
    return param


def _lever_sources(table: Any, where: str) -> dict[str, str]:
    """``[lever_sources]``: name = non-empty string."""
    if not isinstance(table, dict):
        raise InputError(f'{where}: [lever_sources] must be a table of name = "source"')
    out = {}
    for key, text in table.items():
        _known(key, "lever_sources", where)
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                f"{where} [lever_sources]: '{key}' must be a non-empty string "
                f'(a seed line, a paper, "assumption: ..." or "definition: ..."), got {text!r}'
            )
        out[key] = text.strip()
    return out


def _ranges(table: Any, values: dict[str, float], where: str) -> dict[str, tuple[float, float]]:
    """``[ranges]``: name = [low, high] (or {low, high}) inside the registry range, around the value."""
    if not isinstance(table, dict):
        raise InputError(f"{where}: [ranges] must be a table of name = [low, high]")
    w = f"{where} [ranges]"
    out = {}
    for key, spec in table.items():
        param = _known(key, "ranges", where)
        allowed = f"[{param.low:g}, {param.high:g}] {param.unit}"
        if isinstance(spec, dict) and set(spec) == {"low", "high"}:
            spec = [spec["low"], spec["high"]]
        if not isinstance(spec, list) or len(spec) != 2:
            raise InputError(
                f"{w}: '{key}' must be [low, high] with both in {allowed}, got {spec!r}"
            )
        low, high = (param.check(v, f"{w} bound") for v in spec)
        if not low < high:
            raise InputError(f"{w}: '{key}' has an empty range (low {low:g} >= high {high:g})")
        value = values[key]
        if not low <= value <= high:
            raise InputError(
                f"{w}: '{key}' range [{low:g}, {high:g}] does not contain the scenario's value "
                f"{value:g}; allowed: a range around {value:g} within {allowed}"
            )
        out[key] = (low, high)
    return out


def load(name_or_path: str) -> Scenario:
    """Load a built-in scenario by name or a scenario file by path."""
    if name_or_path in BUILTIN:
        scenario = _resolve(
            parse_table(_builtin_text(name_or_path), name_or_path, ".toml"), name_or_path
        )
        scenario.origin = "built-in"
        return scenario
    path = Path(name_or_path)
    try:
        found = path.exists()
    except OSError as exc:  # a name too long
        raise InputError(f"scenario '{name_or_path[:60]}...': {exc.strerror}") from None
    if not path.suffix or not found:
        raise InputError(
            f"scenario '{name_or_path}' not found: use one of {', '.join(BUILTIN)} "
            "or the path of a .toml/.yaml file"
        )
    if path.suffix not in (".toml", ".yaml", ".yml"):
        raise InputError(f"scenario file '{path}' must end in .toml, .yaml or .yml")
    text = read_text(path, "scenario file")
    scenario = _resolve(parse_table(text, str(path), path.suffix), str(path))
    scenario.origin = str(path)
    return scenario


def describe_builtins() -> list[tuple[str, str]]:
    """(name, one-line description) of each built-in scenario."""
    return [(name, load(name).description) for name in BUILTIN]


def markdown_table() -> str:
    """The built-in scenarios' levers with value, range and source, as Markdown
    (the content of ``docs/scenarios.md``)."""
    scenarios = [load(name) for name in BUILTIN]
    levers = [k for k in LEVERS if any(k in sc.lever_sources for sc in scenarios)]
    lines = [
        "# Built-in scenarios: lever values, ranges and sources",
        "",
        "Generated from `sim/scenarios/*.toml` by `python -m sim scenarios --markdown > docs/scenarios.md`;",
        "`tests/test_scenarios.py` fails if this file and the scenario files differ.",
        "",
        "Each lever's source is a seed line or paper that gives its value, `assumption` (the seeds",
        "give no number, at most a direction) with a plausible range, or `definition` (the lever is",
        "off by what the scenario is). The range (`[ranges]` in the file, `Scenario.ranges` and",
        "`Scenario.uncertainties()` in Python) is for an uncertainty analysis: put it under a",
        "design's `[uncertainties]`. Seed lines refer to `../shared/seeds/original`; the reading",
        "behind the values is `docs/evidence/seed_readings_issue13.md` (item 1).",
        "",
        "## Values",
        "",
        "| lever | " + " | ".join(sc.name for sc in scenarios) + " |",
        "|---|" + "---|" * len(scenarios),
    ]
    for key in levers:
        cells = []
        for sc in scenarios:
            cell = f"{sc.values[key]:g}"
            if key in sc.ranges:
                lo, hi = sc.ranges[key]
                cell += f" ({lo:g} to {hi:g})"
            cells.append(cell)
        lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    for sc in scenarios:
        lines += ["", f"## `{sc.name}`", "", sc.description, ""]
        lines += ["| lever | value | range | source |", "|---|---|---|---|"]
        for key in levers:
            lo_hi = sc.ranges.get(key)
            rng = f"{lo_hi[0]:g} to {lo_hi[1]:g}" if lo_hi else ""
            src = sc.lever_sources.get(key, "").replace("|", "\\|")
            lines.append(f"| `{key}` | {sc.values[key]:g} | {rng} | {src} |")
    return "\n".join(lines) + "\n"
