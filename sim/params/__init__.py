"""The parameter registry: every parameter of the model, with default, range, unit and source.

This list is the single source of truth. Scenario files are validated against it,
``docs/parameters.md`` is generated from it (``python -m sim params --markdown``) and a test
checks that the checked-in table matches. ``kind`` says what a parameter is:

- ``lever``: an aftercare-policy lever that scenarios set (section 5 of the brief);
- ``behaviour``: a rule's size (an effect, a rate, a threshold);
- ``population``: the make-up of the simulated municipality at the start.

Effects on the relapse hazard are log hazard ratios per unit of the covariate; a positive value
raises the hazard. Citations are ``seed NNN, Lx-y`` into ``../shared/seeds/original``.
"""

from __future__ import annotations

from typing import Any

from sim.params import (
    aftercare,
    drift,
    groups,
    meetings,
    mortality,
    network,
    population,
    relapse,
    relatives,
    treatment,
)
from sim.params.param import Param

# In the weekly order of the ODD, after the population at the start.
SECTIONS = (
    population,
    treatment,
    aftercare,
    groups,
    meetings,
    network,
    relapse,
    mortality,
    relatives,
    drift,
)
PARAMS: tuple[Param, ...] = tuple(p for section in SECTIONS for p in section.TABLE)
BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}
LEVERS: tuple[str, ...] = tuple(p.name for p in PARAMS if p.kind == "lever")


CALIBRATION_FILE = "calibrated.toml"


def calibration() -> dict[str, Any]:
    """The calibrated values in ``sim/calibrated.toml`` (empty if the file has none).

    The file has a ``[parameters]`` table (name = fitted value) and a ``[provenance]`` table
    (method, targets, date, command, git commit). Fitted values must lie in the parameter's
    range, which is the calibration's prior range.
    """
    import tomllib
    from importlib import resources

    try:
        text = resources.files("sim").joinpath(CALIBRATION_FILE).read_text("utf-8")
    except FileNotFoundError:
        return {"parameters": {}, "provenance": {}}
    data = tomllib.loads(text)
    fitted = data.get("parameters", {})
    for name, value in fitted.items():
        BY_NAME[name].check(value, CALIBRATION_FILE)
    return {"parameters": fitted, "provenance": data.get("provenance", {})}


def defaults() -> dict[str, float]:
    """Return a fresh dict of every parameter at its default (calibrated values where fitted)."""
    values = {p.name: p.default for p in PARAMS}
    values.update(calibration()["parameters"])
    return values


def markdown_table() -> str:
    """Render the parameter table as Markdown (the content of ``docs/parameters.md``)."""
    lines = [
        "# Parameters",
        "",
        "Generated from `sim/params/` (one file per process) by",
        "`python -m sim params --markdown > docs/parameters.md`;",
        "`tests/test_params.py` fails if this file and the code differ.",
        "Kind: `lever` = aftercare-policy lever set by scenarios; `behaviour` = size of a rule;",
        "`population` = make-up of the municipality.",
        "`default` is the value the model uses. For a calibrated parameter it is the fitted value from",
        "`sim/calibrated.toml` (method and targets in docs/validation.md); `prior` then shows the",
        "uncalibrated starting value, and the range is the calibration's prior range.",
    ]
    fitted = calibration()["parameters"]
    for section in SECTIONS:
        lines += ["", f"## {_heading(section)}", "", _HEADER, _RULE]
        lines += [_row(p, fitted) for p in section.TABLE]
    return "\n".join(lines) + "\n"


_HEADER = "| name | kind | default | range | unit | source | meaning | calibrated |"
_RULE = "|---|---|---|---|---|---|---|---|"


def _heading(section) -> str:
    """'Parameters of the relapse hazard (ODD 7.7).' -> 'The relapse hazard (ODD 7.7)'."""
    text = section.__doc__.strip().removeprefix("Parameters of ").rstrip(".")
    return text[0].upper() + text[1:] + f" (`sim/params/{section.__name__.rsplit('.', 1)[-1]}.py`)"


def _row(p: Param, fitted: dict[str, float]) -> str:
    if p.name in fitted:
        default = f"{fitted[p.name]:g}"
        cal = f"yes (prior {p.default:g}, range {p.low:g} to {p.high:g})"
    else:
        default = f"{p.default:g}"
        cal = "candidate, not fitted" if p.calibrated else ""
    return (
        f"| `{p.name}` | {p.kind} | {default} | {p.low:g} to {p.high:g} | {p.unit} | "
        f"{p.source} | {p.doc} | {cal} |"
    )
