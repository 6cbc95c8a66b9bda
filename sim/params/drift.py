"""Parameters of slow psychosocial drift: hope, shame and the SOC components (ODD 7.9)."""

from sim.params.param import LEVER, POPULATION, A, P  # noqa: F401

_L, _POP = LEVER, POPULATION

# fmt: off
TABLE = (
    P("soc_persistence_4w", 0.992, 0.98, 0.999, "autocorrelation per 4 weeks", "Eriksson & Lindstrom 2005; TARGETS T10",
      "Persistence of SOC around its mean over 4 weeks (0.992^65 = 0.59 over 5 years)."),
    P("hope_persistence", 0.97, 0.9, 0.995, "autocorrelation per week", A, "Persistence of hope around its target."),
    P("shame_persistence", 0.98, 0.9, 0.999, "autocorrelation per week", A, "Persistence of shame around its target."),
    P("resources_soc_gain", 0.004, 0.0, 0.02, "item points per 4 weeks per resource", "Antonovsky (generalized resistance resources)",
      "Rise in SOC components per 4 weeks for each resource held (support, housing, activity)."),
    P("relapse_soc_loss", 0.05, 0.0, 0.2, "item points", A, "Fall in manageability at a relapse."),
    P("relapse_hope_loss", 4.0, 0.0, 10.0, "AHS points", A, "Fall in hope at a relapse."),
    P("abstinence_hope_gain", 0.05, 0.0, 0.2, "AHS points per week abstinent", A, "Rise in hope target per week abstinent (saturating)."),
    P("integration_gain", 0.004, 0.0, 0.02, "depth per week abstinent", "seed 002, L42", "Growth of integration depth per week abstinent."),
    P("public_stigma_shame", 0.3, 0.0, 0.6, "shame units at full public stigma", "seed 003, L960-974",
      "Contribution of public stigma to the level shame returns to."),
)
# fmt: on
