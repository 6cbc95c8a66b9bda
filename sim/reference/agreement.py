"""Do the per-agent reference and the vectorised model agree on the headline figures?

Both are run for several seeds; for each headline figure (sim.summary.HEADLINE) the difference
of the two means is compared with its standard error, from the pooled between-seed standard
deviation: z = (mean_ref - mean_vec) / (sd_pooled * sqrt(1/K_ref + 1/K_vec)). The two agree when
every |z| is at most ``z_max``. The two implementations draw different random numbers, so
only this statistical agreement is expected, not equal numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.summary import HEADLINE


def headline(
    impl: str, scenario: str, users: int, weeks: int, seed: int, overrides: dict | None = None
) -> dict:
    """The headline figures of one run of ``impl`` ("reference" or "vectorised")."""
    from sim import scenario as scn

    sc = scn.load(scenario)
    if overrides:
        sc = sc.with_overrides(overrides)
    if impl == "reference":
        from sim.reference import ReferenceModel

        summary = ReferenceModel(sc, users, weeks, seed).run().summary()
    else:
        from sim.runner import simulate

        summary = simulate(sc, users, weeks, seed).summary
    return {k: summary[k] for k in HEADLINE}


def replicate(
    impl: str,
    scenario: str,
    users: int,
    weeks: int,
    seeds: list[int],
    overrides: dict | None = None,
    workers: int = 1,
) -> list[dict]:
    """Headline figures of ``impl`` for each seed, on ``workers`` processes."""
    from experiments.executors import PoolExecutor, SerialExecutor

    args = [(impl, scenario, users, weeks, s, overrides) for s in seeds]
    ex = PoolExecutor(workers) if workers > 1 else SerialExecutor()
    try:
        out = dict(ex.map(_headline, args))
    finally:
        ex.close()
    return [out[i] for i in range(len(args))]


def _headline(args: tuple) -> dict:
    return headline(*args)


@dataclass
class Figure:
    name: str
    reference: float
    vectorised: float
    sd: float
    z: float
    ok: bool


def compare(reference: list[dict], vectorised: list[dict], z_max: float) -> list[Figure]:
    """Compare the means of each headline figure (see the module docstring)."""
    out = []
    k_ref, k_vec = len(reference), len(vectorised)
    for name in HEADLINE:
        a = [r[name] for r in reference]
        b = [r[name] for r in vectorised]
        ma, mb = sum(a) / k_ref, sum(b) / k_vec
        ss = sum((x - ma) ** 2 for x in a) + sum((x - mb) ** 2 for x in b)
        sd = math.sqrt(ss / (k_ref + k_vec - 2))
        se = sd * math.sqrt(1.0 / k_ref + 1.0 / k_vec)
        z = (ma - mb) / se if se > 0 else (0.0 if ma == mb else math.inf)
        out.append(Figure(name, ma, mb, sd, z, abs(z) <= z_max))
    return out


def report(figures: list[Figure]) -> str:
    lines = [f"{'figure':32s} {'reference':>10s} {'vectorised':>10s} {'sd':>8s} {'z':>6s}"]
    for f in figures:
        lines.append(
            f"{f.name:32s} {f.reference:10.3f} {f.vectorised:10.3f} {f.sd:8.3f} {f.z:6.2f}"
            + ("" if f.ok else "  <- disagree")
        )
    return "\n".join(lines)
