"""Named parameter records for the compiled passes.

A kernel never reads a parameter by position (``coef[11]``): each process declares a record
type (a ``namedtuple``, which numba passes by value and reads by field name) and builds it from
the model's parameters with :func:`fill`. Fields not among the parameters (a derived value,
such as a coefficient scaled by a reference SD) are given by keyword.

    RelapseParams = record("RelapseParams", "beta_soc beta_hope ...")
    p = fill(RelapseParams, model.p, beta_soc=model.p.beta_soc / 12.0)
"""

from __future__ import annotations

import sys
from collections import namedtuple
from typing import Any


def record(name: str, fields: str | tuple[str, ...]) -> type:
    """A record type with these field names (declare it once, at module level: numba compiles
    a kernel once per record type). The type belongs to the calling module, where numba's
    on-disk cache finds it again."""
    return namedtuple(name, fields, module=sys._getframe(1).f_globals["__name__"])


def fill(kind: type, p: Any, **derived: float) -> tuple:
    """A ``kind`` record: each field from ``derived`` if given there, else the parameter of
    that name in ``p``. Parameters are coerced to the registry's type (int for whole-number
    parameters, else float), so that a kernel is compiled once whatever a scenario file wrote."""
    from sim.params import BY_NAME

    values = {}
    for name in kind._fields:
        if name in derived:
            values[name] = derived[name]
            continue
        value = getattr(p, name)
        param = BY_NAME.get(name)
        values[name] = int(value) if param is not None and param.integer else float(value)
    unknown = set(derived) - set(kind._fields)
    if unknown:
        raise TypeError(f"{kind.__name__} has no field(s) {sorted(unknown)}")
    return kind(**values)
