"""Parameters of the make-up of the municipality's users and relatives at the start."""

from sim.params.param import LEVER, POPULATION, A, P  # noqa: F401

_L, _POP = LEVER, POPULATION

# fmt: off
TABLE = (
    P("users_male_share", 0.70, 0.4, 0.9, "share", A + " (Norwegian specialised treatment is mostly men)",
      "Share of users who are men.", _POP),
    P("users_age_mean", 38.0, 25, 50, "years", A, "Mean age of users at discharge.", _POP),
    P("users_comorbid_share", 0.50, 0.2, 0.9, "share",
      "seed 003, L2051-2053 (8 of 9 worked on mental health); assumption for the share",
      "Share of users with comorbid mental illness.", _POP),
    P("users_unstable_housing_share", 0.35, 0.1, 0.7, "share",
      "seed 003, L521-525 (home ownership 8/10 alcohol vs 3/10 other drugs); assumption",
      "Share of users without stable housing at discharge.", _POP),
    P("users_activity_share", 0.30, 0.1, 0.7, "share", A,
      "Share of users with meaningful activity (work, study, leisure) at discharge.", _POP),
    P("users_positive_attitude_share", 0.75, 0.5, 0.9, "share", "seed 002, L73 (3 in 4 see fellowships as a resource)",
      "Share of users positive to 12-step groups.", _POP),
    P("users_old_network_using_share", 0.60, 0.3, 0.9, "share", "seed 002, L43-45; seed 003, L1001-1003; assumption for the share",
      "Share of users whose pre-treatment network supported use.", _POP),
    P("users_using_ties_mean", 4.0, 1, 10, "ties", A, "Mean number of using ties (friends who use) at discharge, outside the cohort.", _POP),
    P("users_sober_ties_mean", 2.0, 0.5, 6, "ties", "seed 003, L383-387 (little contact with drug-free friends); assumption",
      "Mean number of sober ties outside the cohort at discharge.", _POP),
    P("users_cohort_ties_mean", 2.0, 0, 6, "ties", A,
      "Mean number of ties between users of the cohort (people who know each other from the scene).", _POP),
    P("users_soc13_mean", 56.0, 45, 65, "SOC-13 points", "TARGETS T9 (users at treatment start lower than 65-71); assumption",
      "Mean SOC-13 of users at discharge.", _POP),
    P("soc13_sd", 12.0, 8, 15, "SOC-13 points", "Eriksson & Lindstrom 2005 (Nordic SD 11.7)",
      "Between-person SD of SOC-13.", _POP),
    P("users_hope_mean", 40.0, 30, 50, "AHS points (8-64)", A, "Mean Adult Hope Scale score of users at discharge.", _POP),
    P("users_shame_mean", 0.55, 0.2, 0.8, "0-1", "seed 003, L2291-2293, L978-982; assumption for the level",
      "Mean internalised shame of users at discharge.", _POP),
    P("discharge_spread_weeks", 13, 1, 52, "weeks", A,
      "Users of the cohort leave treatment spread evenly over this many first weeks.", _POP, integer=True),
    P("population_per_user", 100.0, 30, 300, "inhabitants per simulated user", A,
      "Inhabitants of the municipality per simulated user; scales group density.", _POP),
    P("relatives_per_user_mean", 3.2, 1, 6, "relatives", "seed 004, L329-331 (at least 3 per user)",
      "Mean number of next of kin per user (1 + Poisson).", _POP),
    P("relatives_female_share", 0.55, 0.4, 0.7, "share", A, "Share of women among all relatives.", _POP),
    P("relatives_soc13_mean", 68.0, 60, 72, "SOC-13 points", "Eriksson & Lindstrom 2005 (Nordic 70.7); TARGETS T9",
      "Mean SOC-13 of relatives at the start.", _POP),
    P("relatives_want_group_share", 0.37, 0.2, 0.6, "share", "seed 000, L1012-1014 (10% in a group, 37% would like to)",
      "Share of relatives who would take part in a group if one were offered.", _POP),
    P("relatives_initial_strain_mean", 0.45, 0.1, 0.8, "0-1", "seed 004, L335-337 (years with the problem before help); assumption",
      "Mean strain of relatives at the start (they have lived with the problem for years).", _POP),
    P("users_problem_years_mean", 12.0, 7.8, 20.2, "years",
      "SAMHSA, The TEDS Report: Length of Time from First Use to Adult Treatment Admission "
      "(2011): 15.6 years on average from first use to first treatment admission, 7.8 "
      "(prescription drugs) to 20.2 (alcohol) by substance (the range); seed 004, L200-204 (a "
      "partner dates the problem 12 years back); the default below 15.6 (use is not a problem "
      "from the first use): assumption",
      "Mean years the user's problem has lasted when the user enters treatment (gamma, shape 2, "
      "at most the user's age - 15): the years the relatives have lived with it.", _POP),
    P("other_groups_relatives_share", 0.5, 0.0, 1.0, "share", A,
      "Share of the other (non-12-step) groups at the start that are relatives' open groups; the rest are mixed."),
    P("relatives_share_parent", 0.30, 0.1, 0.5, "share", "seed 004, L1203-1204 (group members mostly mothers); assumption",
      "Share of relatives who are parents.", _POP),
    P("relatives_share_partner", 0.20, 0.05, 0.4, "share", "seed 000, L667-669; assumption", "Share of relatives who are partners.", _POP),
    P("relatives_share_child_minor", 0.10, 0.0, 0.3, "share", "seed 000, L667-669; assumption", "Share of relatives who are children under 18.", _POP),
    P("relatives_share_child_adult", 0.10, 0.0, 0.3, "share", "seed 004, L1850-1853; assumption", "Share of relatives who are adult children.", _POP),
    P("relatives_share_sibling", 0.20, 0.05, 0.4, "share", "seed 004, L1850-1853; assumption",
      "Share of relatives who are siblings; the rest are other close people.", _POP),
    P("relatives_initial_tolerant_share", 0.25, 0.0, 0.5, "share", "seed 004, L774-845; assumption",
      "Share of relatives in the tolerant (enabling) position at the start.", _POP),
    P("relatives_initial_withdrawn_share", 0.20, 0.0, 0.5, "share", "seed 004, L774-845; assumption",
      "Share of relatives in the withdrawn position at the start.", _POP),
    P("relatives_initial_limit_share", 0.05, 0.0, 0.3, "share", "seed 004, L249-252; assumption",
      "Share of relatives already setting limits with contact at the start.", _POP),
    # a municipality over the years (sim/population: ``RecoveryModel(inhabitants=...)`` only)
    P("adult_share", 0.79, 0.75, 0.82, "share of inhabitants",
      "assumption: about 78-79% of Norway's inhabitants are 18 or older (docs/evidence/"
      "open_population_sources.md 1e; to check against SSB table 07459)",
      "Share of the municipality's inhabitants who are adults (18+).", _POP),
    P("new_patients_per_1000_adults", 2.1, 1.0, 4.0, "new users per 1,000 adults a year",
      "rusfeltet.no 2020 ('233 av drøye 9000 nye pasienter henvist'): about 9,000 new TSB "
      "patients / 4.2 million adults = 2.1; upper end: 5,380 new referrals in the 1st tertial of "
      "2016 (rusfeltet.no), about 3.8 a year (docs/evidence/open_population_sources.md 1a, 1b)",
      "People entering specialised substance-use treatment (TSB) for the first time, per 1,000 "
      "adult inhabitants a year: the municipality's newcomers.", _POP),
    P("moving_rate_per_year", 0.046, 0.02, 0.08, "moves per person-year",
      "SSB, Innenlandske flyttinger 2020: 46.0 moves between municipalities per 1,000 mean "
      "population (docs/evidence/open_population_sources.md 8a); the same for users: assumption",
      "Chance a year that a user living in the municipality moves away (with their relatives).",
      _POP),
    P("bereaved_years", 5.0, 2.0, 10.0, "years",
      "assumption; direction: 'the research shows significant symptoms of prolonged grief for "
      "years after the loss' (Reime, Møgster & Halvorsen, Bereavement support after a "
      "drug-related death in Norway, Bereavement 2022)",
      "Years the relatives of a user who died stay in the model (bereaved, grief as stress) "
      "before they leave it.", _POP),
)
# fmt: on
