"""Parameters of what a meeting does to those who attend (ODD 7.5)."""

from sim.params.param import LEVER, POPULATION, A, P  # noqa: F401

_L, _POP = LEVER, POPULATION

# fmt: off
TABLE = (
    P("meeting_shame_drop", 0.015, 0.0, 0.05, "shame units per meeting", "seed 002, L40 (normalisation)",
      "Fall in shame per meeting attended (times group similarity)."),
    P("meeting_hope_gain", 0.25, 0.0, 1.0, "AHS points per meeting at full veteran share", "seed 002, L41 (experiential power)",
      "Rise in hope per meeting, scaled by the share of veterans present."),
    P("meeting_comprehensibility_gain", 0.010, 0.0, 0.04, "item points per meeting", "seed 000, L4816-4818, L3292-3294; assumption for size",
      "Rise in comprehensibility (insight) per meeting."),
    P("meeting_manageability_gain", 0.010, 0.0, 0.04, "item points per meeting", "seed 000, L4056-4058; seed 004, L881-884; assumption for size",
      "Rise in manageability (coping, support) per meeting."),
    P("meeting_meaningfulness_gain", 0.010, 0.0, 0.04, "item points per meeting", "seed 002, L49; seed 000, L3781, L4865-4867 (helper principle)",
      "Rise in meaningfulness (belonging) per meeting; doubled for members with a service role."),
    P("meeting_integration_gain", 0.012, 0.0, 0.05, "depth per meeting", "seed 002, L42 (working the steps)",
      "Rise in integration depth per meeting."),
    P("meeting_tie_prob", 0.04, 0.0, 0.2, "probability per meeting", "seed 003, L3461-3465; seed 000, L4617-4619 (contact outside meetings, few friends)",
      "Chance a meeting gives a new sober tie to a co-member."),
    P("mixed_group_similarity", 0.6, 0.2, 1.0, "ratio", "seed 000, L3269-3276 (works best among relatives only)",
      "Strength of the shame effect in mixed groups relative to same-problem groups."),
    P("relatives_hope_self_gain", 0.02, 0.0, 0.1, "0-1 per meeting at full veteran share", "seed 000, L3324, L4629-4631",
      "Rise in a relative's hope for self per meeting, scaled by veterans present."),
)
# fmt: on
