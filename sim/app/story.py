"""One person's story for the teaching page's story panel: what the model knows about them now
(:func:`person_story`, numbers) and the same in words (:func:`story_lines`, either language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.app.drawing import GROUP_KEYS, STATUS_KEYS
from sim.app.texts import tr
from sim.codes import AFTERCARE_HOUSING, TYPE_NAMES, UNSTABLE
from sim.soc import soc13

if TYPE_CHECKING:
    from sim.model import RecoveryModel


def person_story(model: RecoveryModel, who: int) -> dict:
    """The state of user ``who`` this week: weeks since discharge, relapses, SOC components,
    hope, resources, next of kin and group."""
    u, r, g = model.users, model.relatives, model.group_table
    kin = np.flatnonzero(r.user == who)
    group = int(u.group[who])
    return {
        "who": int(who),
        "week": int(model.week),
        "status": int(u.status[who]),
        "first_discharge": int(u.first_discharge[who]),
        "relapses": int(u.n_relapses[who]),
        "first_relapse": int(u.first_relapse[who]),
        "lapses": int(u.n_lapses[who]),
        "comp": float(u.comp[who]),
        "manage": float(u.manage[who]),
        "meaning": float(u.meaning[who]),
        "soc13": float(
            soc13(u.comp[who : who + 1], u.manage[who : who + 1], u.meaning[who : who + 1])[0]
        ),
        "hope": float(u.hope[who]),
        "housing": int(u.housing[who]),
        "activity": bool(u.activity[who]),
        "support": 100.0 * float(u.support[who]),
        "in_aftercare": bool(u.ac_left[who] > 0),
        "relatives": len(kin),
        "relatives_burnt_out": int(r.burnout[kin].sum()),
        "relatives_strain": 100.0 * float(r.strain[kin].mean()) if len(kin) else 0.0,
        "group": TYPE_NAMES[int(g.gtype[group])] if group >= 0 else None,
        "group_weeks": int(u.tenure[who]),
    }


def story_lines(story: dict, lang: str) -> list[str]:
    """The story panel's lines in ``lang``."""
    s = story
    lines = [tr("story_title", lang, who=s["who"] + 1)]
    if s["first_discharge"] >= 0:
        lines.append(
            tr(
                "story_weeks",
                lang,
                weeks=s["week"] - s["first_discharge"],
                first=s["first_discharge"],
            )
        )
    else:
        lines.append(tr("story_not_discharged", lang))
    lines.append(tr("story_status", lang, status=tr(STATUS_KEYS[s["status"]], lang)))
    if s["relapses"]:
        lines.append(
            tr(
                "story_relapses",
                lang,
                relapses=s["relapses"],
                first=s["first_relapse"],
                lapses=s["lapses"],
            )
        )
    else:
        lines.append(tr("story_no_relapse", lang, lapses=s["lapses"]))
    lines.append(
        tr(
            "story_soc",
            lang,
            comp=s["comp"],
            manage=s["manage"],
            meaning=s["meaning"],
            soc13=s["soc13"],
        )
    )
    lines.append(tr("story_hope", lang, hope=s["hope"]))
    home = {UNSTABLE: "home_unstable", AFTERCARE_HOUSING: "home_aftercare"}.get(
        s["housing"], "home_stable"
    )
    lines.append(
        tr(
            "story_resources",
            lang,
            home=tr(home, lang),
            activity=tr("activity_yes" if s["activity"] else "activity_no", lang),
            support=s["support"],
            aftercare=tr("in_aftercare", lang) if s["in_aftercare"] else "",
        )
    )
    if s["relatives"]:
        lines.append(
            tr(
                "story_relatives",
                lang,
                n=s["relatives"],
                burnt=s["relatives_burnt_out"],
                strain=s["relatives_strain"],
            )
        )
    else:
        lines.append(tr("story_no_relatives", lang))
    if s["group"] is not None:
        lines.append(
            tr("story_group", lang, group=tr(GROUP_KEYS[s["group"]], lang), weeks=s["group_weeks"])
        )
    else:
        lines.append(tr("story_no_group", lang))
    return lines
