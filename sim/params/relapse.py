"""Parameters of the relapse hazard and lapses (ODD 7.7)."""

from sim.params.param import LEVER, POPULATION, A, P  # noqa: F401

_L, _POP = LEVER, POPULATION

# fmt: off
TABLE = (
    P("relapse_scale_weeks", 52.0, 15, 200, "weeks", "McLellan et al. 2000 (40-60% in a year); TARGETS T1",
      "Log-logistic scale of the baseline time to first use (median weeks for a reference user).", calibrated=True),
    P("relapse_shape", 0.75, 0.4, 1.5, "dimensionless", "Hunt et al. 1971; Kirshenbaum et al. 2009; TARGETS T2",
      "Log-logistic shape of the baseline hazard (below 1: hazard falls with time abstinent).", calibrated=True),
    P("lapse_share", 0.30, 0.0, 0.6, "share", A + " (a use episode that ends within the week)",
      "Share of use episodes that are brief lapses rather than relapses, for a reference user."),
    P("beta_soc", -0.35, -1.0, 0.0, "log HR per SD of SOC-13", A + " (direction: Antonovsky)",
      "Effect of SOC on the relapse hazard."),
    P("beta_hope", -0.30, -1.0, 0.0, "log HR per 10 AHS points", "seed 003, L2246-2250; seed 002, L41; TARGETS T14",
      "Effect of hope on the relapse hazard."),
    P("beta_shame", 0.40, 0.0, 1.5, "log HR per unit shame", "seed 003, L2439-2441; assumption for size",
      "Effect of internalised shame on the relapse hazard."),
    P("beta_support", -0.50, -1.5, 0.0, "log HR per unit support", "seed 003, L383-387, L2914-2916",
      "Effect of network support (0-1) on the relapse hazard."),
    P("beta_using_ties", 0.30, 0.0, 1.0, "log HR per log(1+ties)", "seed 002, L43-45; seed 003, L1001-1003",
      "Effect of using ties on the relapse hazard."),
    P("beta_sober_ties", -0.15, -0.6, 0.0, "log HR per log(1+ties)", "seed 002, L43-45",
      "Effect of sober ties on the relapse hazard."),
    P("sober_ties_old_network_multiplier", 2.0, 1.0, 4.0, "ratio", "seed 002, L43-45 (matters most where old network supported use)",
      "Sober ties protect this many times more for users whose old network supported use."),
    P("beta_group", -0.45, -1.2, 0.0, "log HR when attending this week", "seed 002, L27 (dose-response); seed 003, L3550-3558; Kelly et al. 2020",
      "Effect of attending a self-help meeting this week.", calibrated=True),
    P("beta_sponsor", -0.25, -0.8, 0.0, "log HR", "seed 002, L63; seed 000, L3769-3771", "Effect of having a sponsor (or being one)."),
    P("beta_aftercare_contact", -0.40, -1.2, 0.0, "log HR when in contact this week", "seed 003, L154-156, L403-405; assumption for size",
      "Effect of an aftercare contact this week."),
    P("beta_unstable_housing", 0.35, 0.0, 1.0, "log HR", "seed 003, L3111-3117, L3120-3124", "Effect of unstable housing."),
    P("beta_activity", -0.30, -1.0, 0.0, "log HR", "seed 003, L1104-1108, L3227-3231", "Effect of meaningful activity."),
    P("beta_comorbid", 0.30, 0.0, 1.0, "log HR", "seed 003, L156-158", "Effect of comorbid mental illness."),
    P("beta_lonely", 0.30, 0.0, 1.0, "log HR", "seed 003, L2738-2740, L3621-3623", "Effect of loneliness (low support and few ties)."),
    P("beta_integration", -0.60, -1.5, 0.0, "log HR per unit depth", "seed 002, L42 ('white knuckles')",
      "Effect of integration depth (0-1) on the relapse hazard."),
    P("beta_relatives_enabling", 0.20, 0.0, 0.8, "log HR per enabling relative", "seed 004, L774-845, L1304-1309 (tolerant relative as enabler); assumption for size",
      "Effect of each relative in a tolerant (enabling) coping position."),
    P("beta_relatives_limit", -0.15, -0.6, 0.0, "log HR per limit-setting relative", "seed 004, L249-252, L1258-1265; assumption for size",
      "Effect of each relative setting limits while keeping contact."),
    P("beta_relatives_expect", 0.10, 0.0, 0.5, "log HR per unit of relatives' low hope", "seed 003, L509-511, L986-988",
      "Relatives who expect relapse (low hope for the user) raise the hazard a little."),
    P("beta_contagion", 1.0, 0.0, 3.0, "log HR at all close ties using", "seed 003, L535-541, L3445-3447",
      "Effect of the weighted share of cohort ties (peers, housemates) who use now; second-degree ties add at the decay below."),
    P("contagion_distance_decay", 0.25, 0.0, 0.6, "ratio", A, "Weight of second-degree ties relative to direct ties."),
    P("housemate_tie_weight", 2.0, 1.0, 4.0, "ratio to a peer tie", "seed 003, L3445-3447 (shared housing can tip)",
      "Weight of a tie between housemates in aftercare housing."),
    P("lapse_protection", 0.5, 0.0, 1.0, "ratio", A,
      "The same factors that lower the hazard make a use episode more likely a lapse: odds x exp(-this x log HR)."),
)
# fmt: on
