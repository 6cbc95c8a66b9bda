"""Parameters of mortality (ODD 7.7a): a weekly death chance from a rate per person-year."""

from sim.params.param import A, P

_RL = "Ravndal, Lauritzen & Gossop 2015, J Addict Res Ther 6:216"
_RA = "Ravndal & Amundsen 2010, Drug Alcohol Depend"

# fmt: off
TABLE = (
    P("death_rate_base", 0.0044, 0.001, 0.015, "deaths per person-year",
      "calibrated to TARGETS T17: " + _RL + " ('a mortality rate of 1.5 per 100 person-years'), divided by the "
      "cohort's mean risk ratio (docs/ODD.md 7.7a)",
      "All-cause death rate of a woman not using, outside the first weeks after a discharge or "
      "a relapse (the reference person of the rate ratios below)."),
    P("death_rr_male", 2.0, 1.4, 2.9, "rate ratio",
      _RL + " ('the relative risk of mortality among males was twice that of females'); "
      "range: Cornish et al. 2010, BMJ 341:c5475 (RR 2.0, 1.4 to 2.9)",
      "Death rate of men relative to women."),
    P("death_rr_using", 2.38, 1.79, 3.20, "rate ratio",
      "proxy: Degenhardt et al. 2011, Addiction 106:32-51 (out- vs in-treatment pooled RR 2.38, "
      "1.79 to 3.17); upper end: Sordo et al. 2017, BMJ 357:j1550 (out vs in methadone, RR 3.20)",
      "Death rate while using relative to not using (in treatment or abstinent)."),
    P("death_rr_after_discharge", 15.7, 5.3, 38.3, "rate ratio",
      _RA + " ('During the first 4 weeks after discharge six persons died, yielding an "
      "unadjusted excess mortality of 15.7 (rate ratio) in this period (CI 5.3-38.3)')",
      "Death rate in the first 4 weeks after a discharge from treatment (lost tolerance) "
      "relative to later weeks."),
    P("death_rr_after_relapse", 15.7, 1.0, 38.3, "rate ratio",
      A + " (lost tolerance as after a discharge: the same excess as " + _RA + ")",
      "Death rate in the first 4 weeks after a relapse (while still using) relative to later "
      "weeks."),
)
# fmt: on
