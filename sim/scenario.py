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

Every key is checked against :mod:`sim.params`; a bad file raises :class:`InputError` with
one line naming the field and the allowed values.
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
_TOP_KEYS = {"name", "description", "base", "sources", "levers", "parameters"}


@dataclass
class Scenario:
    """A resolved scenario: every parameter has a value."""

    name: str
    description: str
    values: dict[str, float]
    sources: list[str] = field(default_factory=list)
    origin: str = "built-in"

    def with_overrides(self, overrides: dict[str, Any], where: str = "override") -> Scenario:
        """Return a copy with some parameters changed (validated)."""
        values = dict(self.values)
        for key, value in overrides.items():
            param = BY_NAME.get(key)
            if param is None:
                raise InputError(f"{where}: unknown parameter '{key}' (see `python -m sim params`)")
            values[key] = param.check(value, where)
        return Scenario(self.name, self.description, values, list(self.sources), self.origin)


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
    else:
        values = defaults()
        sources = []
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
    extra_sources = data.get("sources", [])
    if not isinstance(extra_sources, list) or not all(isinstance(s, str) for s in extra_sources):
        raise InputError(f"{where}: 'sources' must be a list of strings")
    name = data.get("name", Path(where).stem)
    description = data.get("description", "")
    if not isinstance(name, str) or not isinstance(description, str):
        raise InputError(f"{where}: 'name' and 'description' must be strings")
    return Scenario(name, description, values, sources + extra_sources)


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
