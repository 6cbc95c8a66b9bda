"""The parameter table cannot drift from the code."""

import re
from pathlib import Path

from sim.params import PARAMS, defaults, markdown_table

ROOT = Path(__file__).resolve().parents[1]
CITATION = re.compile(
    r"(seed \d{3}, L\d+|assumption|TARGETS|et al\.|Eriksson|McLellan|Hunt|Kelly|Antonovsky|Ravndal"
    r"|MODEL_BRIEF|SSB|rusfeltet\.no|Helsedirektoratet)"
)


def test_docs_parameter_table_matches_code():
    """docs/parameters.md is exactly what `python -m sim params --markdown` prints."""
    assert (ROOT / "docs" / "parameters.md").read_text() == markdown_table()


def test_every_parameter_has_default_in_range_unit_and_source():
    """Each parameter: default within its range, a unit, and a source (seed line, paper or 'assumption')."""
    for p in PARAMS:
        assert p.low <= p.default <= p.high, p.name
        assert p.unit.strip(), p.name
        assert CITATION.search(p.source), f"{p.name}: source {p.source!r} cites nothing"
        assert p.kind in ("lever", "behaviour", "population"), p.name
    assert len({p.name for p in PARAMS}) == len(PARAMS)


def _record_fields() -> set[str]:
    """Fields of the processes' named parameter records (sim.records.record): a kernel reads
    derived fields (``p.beta_soc_per_point``) from them by name as it reads parameters."""
    import importlib
    import pkgutil

    import sim

    fields: set[str] = set()
    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        if ".app" in info.name or ".reference" in info.name:
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, tuple) and hasattr(obj, "_fields"):
                fields |= set(obj._fields)
    return fields


def test_every_parameter_is_used_and_every_used_parameter_is_registered():
    """No dead parameters in the table, and no rule reads a parameter the table does not list."""
    code = "\n".join(
        f.read_text()
        for f in (ROOT / "sim").rglob("*.py")
        if f.name != "params.py" and "reference" not in f.parts and "app" not in f.parts
    )
    param_fields = {
        "name",
        "default",
        "low",
        "high",
        "unit",
        "source",
        "doc",
        "kind",
        "integer",
        "calibrated",
        "check",
    }
    used = set(re.findall(r"\bp\.([a-z_0-9]+)", code)) - param_fields - _record_fields()
    names = {p.name for p in PARAMS}
    unregistered = used - names
    assert not unregistered, unregistered
    unused = {n for n in names if not re.search(rf"\b{n}\b", code)}
    assert not unused, unused


def test_defaults_are_complete():
    """defaults() gives every registered parameter."""
    assert set(defaults()) == {p.name for p in PARAMS}
