"""Do the per-agent reference and the vectorised model give the same numbers, bit for bit?

:func:`differences` compares the two models' state (every users' and relatives' column, every
group table column, the weekly levers and the relatives' sums per user); :func:`lockstep` runs
both a process at a time and stops at the first process after which they differ, naming the
week, the process and what differs (the tool for finding which rule disagrees).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.groups.table import GroupTable
from sim.reference.model import ReferenceModel, kin_columns


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element by element: equal values (NaN equal to NaN)."""
    eq = a == b
    if a.dtype.kind == "f":
        eq |= np.isnan(a) & np.isnan(b)
    return eq


def differences(vec, ref: ReferenceModel) -> list[str]:
    """What differs between the vectorised model ``vec`` and the reference ``ref`` now: one line
    per column (how many differ, the first index and both values); empty if nothing differs."""
    out = []
    t = ref.tables()
    g = vec.group_table
    pairs = [("users", vec.users, t.users, ref.user_columns)]
    pairs.append(("relatives", vec.relatives, t.relatives, ref.relative_columns))
    if g.size != t.group_table.size:
        out.append(f"groups: {g.size} vectorised, {t.group_table.size} reference")
    else:
        pairs.append(("groups", g, t.group_table, tuple(GroupTable.COLUMNS)))
    for kind, a, b, names in pairs:
        for name in names:
            x = np.asarray(getattr(a, name))[: len(getattr(b, name))]
            y = getattr(b, name)
            if x.shape != y.shape:
                out.append(f"{kind}.{name}: shapes {x.shape} and {y.shape}")
                continue
            bad = np.flatnonzero(~_same(x, y))
            if len(bad):
                i = bad[0]
                out.append(
                    f"{kind}.{name}: {len(bad)} of {len(x)} differ, first [{i}]: "
                    f"{x[i]!r} vectorised, {y[i]!r} reference"
                )
    strength = np.array([u.contact_strength for u in ref.users])
    bad = np.flatnonzero(vec.aftercare.contact_strength != strength)
    if len(bad):
        out.append(f"aftercare.contact_strength: {len(bad)} differ, first [{bad[0]}]")
    if vec.network.built and ref.ties.built:
        weights = np.zeros((ref.n_users, ref.n_users))
        for i, row in enumerate(ref.ties.weights):
            for j, w in row:
                weights[i, j] = w
        if not np.array_equal(vec.network.peer.toarray(), weights):
            out.append("tie weights differ")
    kin = kin_columns(vec)
    for k, name in enumerate(("kin_enabling", "kin_limit", "kin_low_hope")):
        y = np.array([v[k] for v in ref.kin_values])
        bad = np.flatnonzero(~_same(np.asarray(kin[name], float), y))
        if len(bad):
            out.append(f"{name}: {len(bad)} differ, first [{bad[0]}]")
    for name in ("service_open", "programme_open"):
        if getattr(vec.aftercare, name) != getattr(ref, name):
            out.append(f"{name}: {getattr(vec.aftercare, name)} and {getattr(ref, name)}")
    if list(vec.aftercare.slot_owner) != ref.slot_owner:
        out.append("aftercare housing slots differ")
    return out


@dataclass
class Disagreement:
    week: int
    process: str
    what: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"week {self.week}, after {self.process}:\n  " + "\n  ".join(self.what)


def lockstep(
    scenario,
    n_users: int,
    weeks: int,
    seed: int,
    reference: type = ReferenceModel,
    inhabitants: float | None = None,
) -> Disagreement | None:
    """Run both models a process at a time; the first disagreement, or None. ``reference``: the
    reference model's class (a subclass with a rule changed, to check that this check can fail);
    ``inhabitants``: a municipality (ODD 7.1a) instead of a closed cohort."""
    from sim.model import WEEKLY_ORDER, RecoveryModel

    vec = RecoveryModel(scenario, n_users, weeks, seed, inhabitants)
    ref = reference(scenario, n_users, weeks, seed, inhabitants)
    what = differences(vec, ref)
    if what:
        return Disagreement(0, "set-up", what)
    for _ in range(weeks):
        vec.log.week = vec.week
        ref_week = ref.processes_of_the_week()
        for (name, process), ref_name in zip(WEEKLY_ORDER, ref_week):
            assert name == ref_name, (name, ref_name)
            process(vec)
            what = differences(vec, ref)
            if what:
                return Disagreement(vec.week, name, what)
        vec.recorder.record(vec)
        vec.users.weeks_in_status += 1
        vec.week += 1
        for _ in ref_week:  # the rest of the reference's week (record, next week)
            pass
        frame_v, frame_r = vec.recorder.frame(vec.week), ref.recorder.frame(ref.week)
        if not frame_v.equals(frame_r):
            cols = [c for c in frame_v if not frame_v[c].equals(frame_r[c])]
            return Disagreement(vec.week - 1, "record", [f"recorded: {cols}"])
    return None
