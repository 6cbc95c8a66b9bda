"""Parameters of relatives' stress, strain, coping, burnout and help-seeking (ODD 7.8)."""

from sim.params.param import LEVER, POPULATION, A, P  # noqa: F401

_L, _POP = LEVER, POPULATION

# fmt: off
TABLE = (
    P("stress_using", 0.70, 0.3, 1.0, "0-1", "seed 004, L321-329; Orford's stress-strain model", "Stress when the user is using."),
    P("stress_treatment", 0.35, 0.0, 0.7, "0-1", A, "Stress while the user is in treatment."),
    P("stress_abstinent", 0.10, 0.0, 0.4, "0-1", A, "Stress while the user is abstinent."),
    P("stress_bereaved", 0.50, 0.2, 1.0, "0-1", A + " (grief as strain: issue 12)", "Stress while the user has died (bereavement)."),
    P("stress_crisis", 0.30, 0.0, 0.6, "0-1", "seed 004, L321-326, L633-635 (constant alarm, repeated crises)", "Extra stress in a week of relapse or treatment entry."),
    P("strain_gain", 0.03, 0.005, 0.1, "per week per unit stress", "seed 004, L241-243", "Weekly growth of strain with stress."),
    P("strain_decay", 0.008, 0.001, 0.05, "per week", "seed 004, L241-243; seed 000, L4343-4345 (does not reset)",
      "Weekly decay of strain (slow: strain outlasts the user's recovery)."),
    P("strain_group_relief", 0.5, 0.0, 0.9, "share", "seed 004, L470-474, L1227-1229; seed 000, L502-508; TARGETS T15",
      "Share by which strain growth is lowered and decay raised for relatives in a group or course."),
    P("burnout_threshold", 0.55, 0.4, 0.9, "strain 0-1", A, "Strain above which burnout can start."),
    P("burnout_onset_rate", 0.03, 0.0, 0.1, "per week at full strain", "seed 004, L350-353 (>50% sick leave), L1841-1842 (>70% exhausted); help-seeking samples",
      "Weekly chance of burnout onset, scaled by strain above the threshold."),
    P("burnout_recovery_rate", 0.03, 0.005, 0.1, "per week", A, "Weekly chance of recovery from burnout (doubled in a group)."),
    P("coping_to_enabling", 0.010, 0.0, 0.05, "per week", "seed 004, L774-845", "Weekly chance an engaged relative becomes tolerant (enabling)."),
    P("coping_to_withdrawn", 0.015, 0.0, 0.05, "per week at full strain", "seed 004, L774-845, L1205-1208",
      "Weekly chance a relative withdraws, scaled by strain."),
    P("coping_learn_limit", 0.06, 0.0, 0.3, "per week in a group or intervention", "seed 004, L1258-1265",
      "Weekly chance a relative in a group, course or brief intervention learns limit-setting with contact."),
    P("coping_return_engaged", 0.01, 0.0, 0.05, "per week", A, "Weekly chance a relative returns to the engaged position."),
    P("helpseek_base", 0.006, 0.0, 0.02, "per week", "seed 004, L335-337 (5-18 years before seeking help)",
      "Weekly chance a relative who would take part seeks a group without any trigger.", calibrated=True),
    P("helpseek_strain_effect", 2.0, 0.0, 5.0, "ratio - 1 at full strain",
      "Orford's stress-strain-coping-support model (strain drives coping and support-seeking); "
      "seed 004, L335-337 (relatives come after years, marked by the strain), L1841-1842 (more "
      "than 70% of relatives in treatment exhausted); the size: assumption",
      "How much help-seeking rises with strain (burnout counts as full strain): the chance is "
      "multiplied by (1 + effect x strain), normalised to 1 at the relatives' mean strain at the start."),
    P("helpseek_event", 0.1, 0.0, 0.3, "probability per event", "seed 000, L5319-5325 (changes in the user trigger help-seeking)",
      "Chance a user's event (treatment entry, relapse) triggers a relative's help-seeking."),
    P("helpseek_shame_effect", 0.6, 0.0, 1.0, "share reduction at full shame", "seed 000, L4507-4521; seed 004, L321-323 (secrecy and shame)",
      "How much shame delays relatives' help-seeking."),
    P("helpseek_female_ratio", 5.0, 1.0, 8.0, "ratio", "seed 000, L1027; seed 004, L1870-1871 (85-87% women); TARGETS T7",
      "Help-seeking of women relative to men.", calibrated=True),
    P("relatives_gp_rate", 0.002, 0.0005, 0.01, "per week at full strain",
      "seed 004, L544-548 (strain brings illness and more primary-care consultations, Orford 1998), "
      "L350-353 (more than half on sick leave), L1868-1870 (relatives' treatment is reached via "
      "the GP); the rate: assumption",
      "Weekly chance a relative sees the GP about their own complaints, times strain (burnout "
      "counts as full strain)."),
    P("relatives_gp_referral", 0.25, 0.05, 0.5, "probability per visit",
      "seed 004, L353-355 (the GP does not know the family situation in nearly half of cases: at "
      "most about half can be referred), L1805, L1868-1870 (referred by the GP); assumption",
      "Chance a GP visit about the relative's own complaints ends in a referral to relatives' own treatment."),
    P("relatives_treatment_weeks", 20, 8, 52, "weeks",
      "seed 004, L1847-1859 (Borgestadklinikken: conversation therapy alone or in groups, day and "
      "periodic inpatient programmes for relatives with their own health problems); the length: assumption",
      "Weeks of relatives' own treatment after a GP referral (helped: strain relief as in a group).",
      integer=True),
    P("relatives_dropout", 0.02, 0.0, 0.1, "per week", A, "Weekly chance a relative leaves an open relatives' group.", calibrated=True),
    P("relatives_attend", 0.7, 0.3, 1.0, "probability per week", A, "Chance a member relative attends in a week."),
    P("relative_hope_fall_relapse", 0.35, 0.0, 0.8, "share", "seed 000, L3389-3391; seed 004, L1454-1459 (hope comes and goes)",
      "Share of hope for the user lost when the user relapses."),
    P("closeness_distant", 0.6, 0.2, 1.0, "ratio", "seed 000, L685-699 (relation moderates burden a little)",
      "Stress of siblings and other close relatives relative to partners, parents and children."),
    P("limit_setting_strain_relief", 0.3, 0.0, 0.7, "share", "seed 004, L249-252 (limit-setting without distancing is the key)",
      "Share by which limit-setting with contact lowers strain growth."),
    P("relatives_find_group", 0.5, 0.1, 1.0, "per week", "seed 000, L4503 (choice of group fairly random); assumption",
      "Weekly chance a help-seeking relative finds a group with room."),
)
# fmt: on
