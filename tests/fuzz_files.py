"""Seeded generators of scenario and design files for the fuzz tests (tests/test_fuzz_inputs.py).

Each file is built from the real keys and parameter names with values drawn to be valid,
out of range, of the wrong type or absurd, and some files are then corrupted (cut short,
bytes inserted, the wrong format). The same seed gives the same files.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

import yaml

from sim.params import BY_NAME, LEVERS
from sim.scenario import BUILTIN
from sim.summary import HEADLINE

OTHERS = [n for n in BY_NAME if n not in LEVERS]
WEIRD_STRINGS = ["", " ", "x" * 300, "näme", "a\nb", "../../etc", "status-quo", "NaN", "0"]


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def to_toml(data: dict[str, Any]) -> str:
    lines, tables = [], []
    for k, v in data.items():
        if isinstance(v, dict) and v and all(isinstance(x, dict) is False for x in v.values()):
            tables.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            tables.extend((f"[{k}]", x) for x in v)
        else:
            lines.append(f"{json.dumps(k)} = {toml_value(v)}")
    for name, table in tables:
        lines.append(f"\n[{name}]" if not name.startswith("[") else f"\n[{name}]")
        lines.extend(f"{json.dumps(k)} = {toml_value(x)}" for k, x in table.items())
    return "\n".join(lines) + "\n"


def number(rng: random.Random, name: str | None = None) -> Any:
    """A value for a parameter: mostly in range, sometimes not a number or absurd."""
    p = BY_NAME.get(name) if name else None
    roll = rng.random()
    if p is not None and roll < 0.6:
        x = rng.uniform(p.low, p.high)
        return int(round(x)) if p.integer else x
    choices = [
        -1,
        0,
        1,
        0.5,
        1e308,
        -1e308,
        float("nan"),
        float("inf"),
        10**30,
        True,
        "0.5",
        [0.1],
        {"a": 1},
        rng.uniform(-1e6, 1e6),
        rng.randint(-(10**12), 10**12),
    ]
    return rng.choice(choices)


def anything(rng: random.Random) -> Any:
    return rng.choice(
        [
            rng.choice(WEIRD_STRINGS),
            number(rng),
            [rng.choice(WEIRD_STRINGS)],
            [],
            {},
            {"x": rng.choice(WEIRD_STRINGS)},
        ]
    )


def corrupt(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.3:
        return text[: rng.randrange(len(text) + 1)]
    if roll < 0.6:
        i = rng.randrange(len(text) + 1)
        junk = rng.choice(["[", "]]", "=", '"', "\x00", "\ufffd", "{", "- ", ": ", "\t", "\\"])
        return text[:i] + junk + text[i:]
    if roll < 0.8:
        return rng.choice(["", "\n", "[[x]]", "x = ", "= 1", "---\n- a\n", "null", "42"])
    return "".join(rng.choice("ab=[]{}\"'\n:,-#. 01") for _ in range(rng.randrange(1, 80)))


def scenario_data(rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if rng.random() < 0.7:
        data["name"] = rng.choice([f"s{rng.randrange(999)}", *WEIRD_STRINGS, 3])
    if rng.random() < 0.5:
        data["description"] = rng.choice(["a test", 5, ["x"]])
    if rng.random() < 0.5:
        data["base"] = rng.choice([*BUILTIN, "nope", 1, ""])
    if rng.random() < 0.3:
        data["sources"] = rng.choice([["a", "b"], "a", [1], []])
    for section, names in (("levers", list(LEVERS)), ("parameters", OTHERS)):
        if rng.random() < 0.7:
            table = {}
            for _ in range(rng.randrange(0, 6)):
                pick = rng.random()
                if pick < 0.8:
                    key = rng.choice(names)
                elif pick < 0.9:
                    key = rng.choice(list(BY_NAME))  # maybe in the wrong section
                else:
                    key = rng.choice(["nope", "", "levers", "x y"])
                table[key] = number(rng, key)
            data[section] = table if rng.random() < 0.9 else anything(rng)
    if rng.random() < 0.1:
        data[rng.choice(["extra", "lever", "Name"])] = anything(rng)
    return data


def scenario_file(rng: random.Random) -> tuple[str, str]:
    """(suffix, text) of one generated scenario file."""
    data = scenario_data(rng)
    suffix = rng.choice([".toml", ".toml", ".toml", ".yaml", ".yml"])
    text = to_toml(data) if suffix == ".toml" else yaml.safe_dump(data, allow_unicode=True)
    if rng.random() < 0.25:
        text = corrupt(rng, text)
    return suffix, text


def factor_spec(rng: random.Random, name: str) -> Any:
    roll = rng.random()
    if roll < 0.35:
        return [number(rng, name) for _ in range(rng.randrange(0, 4))]
    if roll < 0.7:
        p = BY_NAME.get(name)
        low, high = (p.low, p.high) if p and rng.random() < 0.8 else (number(rng), number(rng))
        spec: dict[str, Any] = {"low": low, "high": high}
        if rng.random() < 0.6:
            spec["steps"] = rng.choice([2, 3, 4, 1, 0, 2.5, "3", 10**7, 10**12])
        if rng.random() < 0.1:
            spec[rng.choice(["values", "step", "mid"])] = [0.1]
        return spec
    if roll < 0.9:
        return number(rng, name)
    return anything(rng)


def experiment_data(rng: random.Random, top: bool) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if rng.random() < 0.8 or not top:
        data["name"] = rng.choice([f"e{rng.randrange(99)}", *WEIRD_STRINGS, 7])
    if rng.random() < 0.5:
        data["scenario"] = rng.choice(
            [*BUILTIN, "nope", ["none", "municipal"], [], 3, "missing.toml"]
        )
    for key, choices in (
        ("users", [200, 1000, 0, -5, 10**9, 10**30, 2.5, "100"]),
        ("weeks", [52, 260, 0, 10**6, 1.5]),
        ("replications", [1, 3, 0, 10**8, True]),
        ("seed", [0, 1, -1, 2**70]),
        ("sampler", ["grid", "lhs", "morris", "sobol", "random", 1]),
        ("samples", [4, 40, 0, 10**9, 2.0]),
        ("description", ["d", 1]),
    ):
        if rng.random() < 0.4:
            data[key] = rng.choice(choices)
    if rng.random() < 0.85:
        factors = {}
        for _ in range(rng.randrange(0, 5)):
            name = rng.choice(list(BY_NAME)) if rng.random() < 0.9 else rng.choice(["nope", ""])
            factors[name] = factor_spec(rng, name)
        data["factors"] = factors if rng.random() < 0.95 else anything(rng)
    return data


def valid_factor(rng: random.Random, name: str) -> Any:
    p = BY_NAME[name]

    def value() -> Any:
        x = rng.uniform(p.low, p.high)
        return int(round(x)) if p.integer else round(x, 3)

    roll = rng.random()
    if roll < 0.4:
        return sorted({value() for _ in range(rng.randrange(1, 4))})
    if roll < 0.8 and p.low < p.high:
        return {"low": p.low, "high": p.high, "steps": rng.randrange(2, 4)}
    return value()


def clean_design(rng: random.Random) -> dict[str, Any]:
    """A design that should be accepted; the caller may then spoil one field."""
    sampler = rng.choice(["grid", "grid", "lhs"])
    data: dict[str, Any] = {
        "name": f"e{rng.randrange(99)}",
        "scenario": rng.choice([*BUILTIN, ["none", "municipal"]]),
        "users": rng.choice([100, 500, 2000]),
        "weeks": rng.choice([26, 52, 260]),
        "replications": rng.randrange(1, 4),
        "seed": rng.randrange(10),
        "sampler": sampler,
    }
    names = rng.sample(list(BY_NAME), rng.randrange(1, 4))
    data["factors"] = {n: valid_factor(rng, n) for n in names}
    if sampler == "lhs":
        data["samples"] = rng.randrange(2, 20)
        data["factors"] = {
            n: {"low": BY_NAME[n].low, "high": BY_NAME[n].high}
            for n in names
            if BY_NAME[n].low < BY_NAME[n].high
        }
    return data


def design_file(rng: random.Random) -> tuple[str, str]:
    """(suffix, text) of one generated design file."""
    if rng.random() < 0.4:
        data = clean_design(rng)
        if rng.random() < 0.5:  # spoil one field with a value of the wild generator
            wild = experiment_data(rng, top=True)
            key = rng.choice(sorted(wild)) if wild else "name"
            data[key] = wild.get(key, 0)
        suffix = rng.choice([".toml", ".yaml"])
        text = to_toml(data) if suffix == ".toml" else yaml.safe_dump(data, allow_unicode=True)
        return suffix, text
    data = experiment_data(rng, top=True)
    if rng.random() < 0.3:
        sens: dict[str, Any] = {}
        for key, choices in (
            ("trajectories", [2, 10, 0, 10**9]),
            ("levels", [2, 4, 1, 3.5]),
            ("samples", [8, 64, 100, 0, 2**40]),
            ("second_order", [True, False, "yes"]),
            ("outputs", [list(HEADLINE[:2]), "relapse_within_52w", ["nope"], []]),
            ("resamples", [100, 5]),
        ):
            if rng.random() < 0.4:
                sens[key] = rng.choice(choices)
        data["sensitivity"] = sens if rng.random() < 0.9 else anything(rng)
    if rng.random() < 0.2:
        data["experiments"] = [experiment_data(rng, top=False) for _ in range(rng.randrange(0, 3))]
    if rng.random() < 0.05:
        data["unknown_key"] = 1
    suffix = rng.choice([".toml", ".toml", ".yaml"])
    text = to_toml(data) if suffix == ".toml" else yaml.safe_dump(data, allow_unicode=True)
    if rng.random() < 0.2:
        text = corrupt(rng, text)
    return suffix, text
