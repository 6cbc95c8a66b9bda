"""Parameters of ties, resources and support (ODD 7.6)."""

from sim.params.param import LEVER, POPULATION, A, P  # noqa: F401

_L, _POP = LEVER, POPULATION

# fmt: off
TABLE = (
    P("using_tie_fade", 0.02, 0.0, 0.1, "per week", "seed 003, L3018-3022, L2689-2692",
      "Weekly share of using ties cut or faded while abstinent."),
    P("using_tie_regain", 0.10, 0.0, 0.3, "per week", A, "Weekly regain of using ties (towards the start) while using."),
    P("sober_tie_return", 0.004, 0.0, 0.02, "ties per week", "seed 003, L2918-2922 (pre-addiction friends return slowly)",
      "Sober ties regained per week while abstinent, lowered by public stigma."),
    P("activity_tie_gain", 0.01, 0.0, 0.05, "ties per week", "seed 003, L3030-3036, L2707-2711",
      "Sober ties gained per week from work and activities."),
    P("sober_tie_fade", 0.002, 0.0, 0.02, "per week", A, "Weekly share of sober ties that fade."),
    P("support_half_ties", 4.0, 1, 10, "weighted ties", A, "Weighted ties that give half of full support (saturating)."),
    P("support_depletion", 0.5, 0.0, 1.0, "share", "seed 004, L1326-1336 (informal support depletes)",
      "How much a relative's strain lowers the support they give."),
    P("gain_activity_rate", 0.01, 0.0, 0.05, "per week", "seed 003, L563-568; assumption",
      "Weekly chance an abstinent user without activity finds one (before structural stigma and welfare integration)."),
    P("gain_housing_rate", 0.01, 0.0, 0.05, "per week", "seed 003, L525-533; assumption",
      "Weekly chance an abstinent user in unstable housing finds stable housing (before levers)."),
    P("lose_on_relapse", 0.05, 0.0, 0.3, "per week using", A, "Weekly chance a using user loses activity or stable housing."),
    P("support_weight_relative", 1.0, 0.0, 3.0, "weighted ties per relative", "seed 003, L2823-2825; seed 004, L926-929",
      "Support weight of one engaged relative with no strain."),
    P("support_weight_group", 2.0, 0.0, 5.0, "weighted ties", "seed 003, L2742-2744 (belonging)",
      "Support weight of attending a group this week."),
    P("withdrawn_support", -0.3, -1.0, 0.5, "weighted ties", "seed 004, L944-947 (condemning attitudes)",
      "Support weight of a withdrawn relative (negative: condemning tie)."),
)
# fmt: on
