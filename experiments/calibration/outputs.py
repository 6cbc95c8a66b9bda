"""What a calibration writes: ``calibrated.toml`` (with its provenance), the trial tables and a summary."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from experiments.calibration.targets import TargetSet
from sim.staging import atomic_write_text, staged

ROOT = Path(__file__).resolve().parents[2]
CALIBRATED_FILE = ROOT / "sim" / "calibrated.toml"


def _rel(path: Path) -> str:
    """A path relative to the repository root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def calibrated_toml(
    fitted: dict[str, float], start: dict[str, float], ts: TargetSet, provenance: dict
) -> str:
    lines = [
        "# Calibrated parameter values, layered over the defaults in sim/params/.",
        "# Written by `python -m sim calibrate`; see docs/validation.md. Do not edit by hand:",
        "# re-run the calibration (the command is under [provenance]).",
        "",
        "[parameters]",
    ]
    why = {fp.name: fp for fp in ts.parameters}
    for name, value in fitted.items():
        fp = why[name]
        lines.append(
            f"{name} = {_toml_value(value)}  # prior range {fp.low:g} to {fp.high:g}; "
            f"start {start[name]:g}; informs {', '.join(fp.informs) or '-'}"
        )
    lines += ["", "[provenance]"]
    for k, v in provenance.items():
        lines.append(f"{k} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


def write_outputs(
    out: Path, ts: TargetSet, fitted, start, per_df, trials_df, best_df, provenance, install
) -> None:
    """Write calibrated.toml, the trial tables, calibration.json and calibration.md to ``out``
    (all together, or none on a full disk), and install calibrated.toml if asked."""
    text = calibrated_toml(fitted, start, ts, provenance)
    tomllib.loads(text)  # must parse
    with staged(out) as stage:
        _write_tables(stage, text, fitted, start, per_df, trials_df, best_df, provenance, ts)
    if install:
        atomic_write_text(CALIBRATED_FILE, text)


def _write_tables(out, text, fitted, start, per_df, trials_df, best_df, provenance, ts) -> None:
    (out / "calibrated.toml").write_text(text)
    trials_df.to_csv(out / "trials.csv", index=False)
    best_df.to_csv(out / "best_trials.csv", index=False)
    per_df.to_csv(out / "distance_per_target.csv", index=False)
    (out / "calibration.json").write_text(
        json.dumps(
            {
                "fitted": fitted,
                "start": start,
                "provenance": provenance,
                "per_measure": json.loads(per_df.to_json(orient="records")),
            },
            indent=2,
        )
        + "\n"
    )
    lines = [
        "# Calibration",
        "",
        f"Method: {provenance['method']}.",
        "",
        f"Budget: {provenance['budget']}.",
        "",
        f"Distance {provenance['start_distance']} at the start, {provenance['distance']} fitted.",
        "",
        "| parameter | start | fitted | prior range | informs |",
        "|---|---|---|---|---|",
    ]
    for fp in ts.parameters:
        lines.append(
            f"| `{fp.name}` | {start[fp.name]:g} | {fitted[fp.name]:g} | {fp.low:g} to {fp.high:g} | "
            f"{', '.join(fp.informs)} |"
        )
    lines += [
        "",
        "| target | measure | simulated (95% interval) | band | distance |",
        "|---|---|---|---|---|",
    ]
    for _, r in per_df.iterrows():
        lines.append(
            f"| {r.target} | {r.measure} | {r.simulated:.4g} ({r.low:.4g} to {r.high:.4g}) | "
            f"{r.target_low:g} to {r.target_high:g} | {r.distance:.3f} |"
        )
    (out / "calibration.md").write_text("\n".join(lines) + "\n")
