"""Parameters of treatment, discharge and re-entry (ODD 7.2)."""

from sim.params.param import LEVER, POPULATION, A, P  # noqa: F401

_L, _POP = LEVER, POPULATION

# fmt: off
TABLE = (
    P("treatment_weeks", 12, 4, 52, "weeks", A, "Length of a treatment episode after re-entry.", integer=True),
    P("treatment_reentry_rate", 0.015, 0.002, 0.08, "per week", A,
      "Weekly chance that a using user enters treatment again (before stigma and open door)."),
    P("stigma_reentry_effect", 0.6, 0.0, 1.0, "share reduction at full shame", "seed 003, L966-968, L2134-2138",
      "How much shame lowers treatment re-entry."),
    P("self_quit_rate", 0.02, 0.0, 0.08, "per week", "seed 003, L3506-3510 (recovery without treatment)",
      "Weekly chance that a using user stops by their own means."),
    P("treatment_places_per_1000", 1000, 0, 1000, "places per 1,000 users", A + " (1,000: no rationing); context: "
      "docs/evidence/open_population_sources.md 1, 3a (1,883 TSB inpatient places at the end of 2019; "
      "mean waiting time for TSB 33.0 days in 2023, Helsedirektoratet)",
      "Treatment places per 1,000 users of the simulated cohort; when all are taken, users whose "
      "re-entry is decided wait in a first-in, first-out queue.", _L),
)
# fmt: on
