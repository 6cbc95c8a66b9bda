"""The planner's page's words, in bokmål and English (see :mod:`sim.app.texts`)."""

from __future__ import annotations

from sim.app.texts import (
    AFTERCARE,
    KIN,
    LEVER_TEXTS,
    SELFHELP,
    SliderText,
    _pairs,
    _slider,
    localise,
)

PLANNER: dict[str, dict[str, str]] = _pairs(
    intro=(
        "Velg en ettervernsmodell, flytt spakene og sett kommunens størrelse. Modellen kjører "
        "planen og dagens praksis (status quo) med de samme simulerte personene og de samme "
        "tilfeldige hendelsene, mange ganger, og viser forskjellen med usikkerhet.",
        "Choose an aftercare model, move its levers and set the municipality's size. The model "
        "runs your plan and today's practice (status quo) with the same simulated people and "
        "the same chance events, many times over, and shows the difference with its "
        "uncertainty.",
    ),
    base=("Utgangspunkt (innebygd ettervernsmodell)", "Start from (built-in aftercare model)"),
    size_section=("Kommunens størrelse og beregningen", "Municipality size and the computation"),
    users=(
        "Personer som skrives ut fra behandling: {n}",
        "People discharged from treatment: {n}",
    ),
    users_help=(
        "Hvor mange som avslutter rusbehandling i kommunen (kohorten som følges).",
        "How many people leave addiction treatment in the municipality (the cohort followed).",
    ),
    weeks=("Uker som simuleres: {n}", "Weeks simulated: {n}"),
    replications=("Gjentakelser: {n}", "Replications: {n}"),
    replications_help=(
        "Flere gjentakelser gir smalere intervall, men tar lengre tid.",
        "More replications give a narrower interval but take longer.",
    ),
    run=("Sammenlign med status quo", "Compare with status quo"),
    running=("Kjører {done} av {total} simuleringer …", "Running {done} of {total} simulations …"),
    finished=(
        "Ferdig: {runs} simuleringer på {seconds:.1f} s (frø {seed} til {last}).",
        "Done: {runs} simulations in {seconds:.1f} s (seeds {seed} to {last}).",
    ),
    result_title=(
        "Per 100 som skrives ut: planen sammenlignet med status quo",
        "Per 100 discharged: your plan compared with status quo",
    ),
    fewer_relapses=(
        "Færre med tilbakefall innen ett år etter utskriving",
        "Fewer with a relapse within a year of discharge",
    ),
    fewer_burnout=(
        "Færre pårørende utbrent (i en gjennomsnittlig uke)",
        "Fewer relatives in burnout (in an average week)",
    ),
    fewer_burnout_relatives=(
        "Det samme per 100 pårørende (prosentpoeng)",
        "The same per 100 relatives (percentage points)",
    ),
    value_interval=(
        "{value} (95 % intervall {low} til {high})",
        "{value} (95% interval {low} to {high})",
    ),
    negative_note=(
        "Et negativt tall betyr flere enn i status quo.",
        "A negative number means more than in status quo.",
    ),
    sure_yes=(
        "Intervallet inneholder ikke 0: modellen skiller planen fra status quo i denne størrelsen.",
        "The interval does not include 0: the model tells your plan apart from status quo at "
        "this size.",
    ),
    sure_no=(
        "Intervallet inneholder 0: modellen kan ikke skille planen fra status quo i denne "
        "størrelsen.",
        "The interval includes 0: the model cannot tell your plan apart from status quo at "
        "this size.",
    ),
    not_modelled=(
        "Dødsfall og kostnader er ikke med i modellen ennå, så siden viser dem ikke.",
        "Deaths and costs are not in the model yet, so the page does not show them.",
    ),
    caveat=(
        "Intervallene viser modellens egen tilfeldighet, ikke usikkerheten i antakelsene. Mange "
        "effektstørrelser er antakelser (se docs/parameters.md).",
        "The intervals show the model's own randomness, not the uncertainty in its assumptions. "
        "Many effect sizes are assumptions (see docs/parameters.md).",
    ),
    download_scenario=("Last ned scenariofilen (TOML)", "Download the scenario file (TOML)"),
    download_report=("Last ned rapporten (Markdown)", "Download the report (Markdown)"),
    changed_levers=("Endret fra «{base}»: {items}", "Changed from “{base}”: {items}"),
    no_changes=("Ingen spaker endret fra «{base}».", "No levers changed from “{base}”."),
    report_title=(
        "Ettervernsplan sammenlignet med status quo",
        "Aftercare plan compared with status quo",
    ),
    report_inputs=(
        "Utgangspunkt: {base}. Personer som skrives ut: {users}. Uker: {weeks}. Gjentakelser: "
        "{reps} (parvis, frø {seed} og oppover).",
        "Starting point: {base}. People discharged: {users}. Weeks: {weeks}. Replications: "
        "{reps} (paired, seeds from {seed}).",
    ),
    report_command=("Samme tall fra kommandolinjen:", "The same figures from the command line:"),
    report_tables=("Tabeller fra `compare`", "Tables from `compare`"),
)

EXTRA_LEVER_TEXTS: tuple[SliderText, ...] = (
    _slider(
        "aftercare_duration_weeks",
        AFTERCARE,
        ("Varighet av ettervernet (uker)", "Hvor lenge ettervernet varer for hver person."),
        ("Aftercare duration (weeks)", "How long aftercare lasts for each person."),
    ),
    _slider(
        "aftercare_start_delay_weeks",
        AFTERCARE,
        (
            "Ventetid før ettervern (uker)",
            "Tomrommet etter utskriving før ettervernet starter, når det ikke er planlagt.",
        ),
        (
            "Wait before aftercare starts (weeks)",
            "The gap after discharge before aftercare starts, when it was not planned.",
        ),
    ),
    _slider(
        "open_door_weeks",
        AFTERCARE,
        (
            "Åpen dør tilbake (uker)",
            "Hvor lenge døren tilbake til institusjonen står åpen etter utskriving.",
        ),
        (
            "Open door back (weeks)",
            "How long the door back to the institution stays open after discharge.",
        ),
    ),
    _slider(
        "group_starter_support",
        SELFHELP,
        (
            "Hjelp til å starte selvhjelpsgrupper",
            "Hjelp fra kommunen til å starte nye grupper (lokaler, oppstart). 0 = ingen, 1 = mye.",
        ),
        (
            "Help to start self-help groups",
            "Help from the municipality to start new groups (rooms, start-up). 0 = none, 1 = a lot.",
        ),
    ),
    _slider(
        "relatives_courses_per_year_per_1000",
        KIN,
        (
            "Kurs for pårørende per år (per 1000 som skrives ut)",
            "Kurs for pårørende, for eksempel mestringskurs, per år og per 1000 som skrives ut.",
        ),
        (
            "Courses for relatives a year (per 1,000 discharged)",
            "Courses for relatives, for example coping courses, a year per 1,000 discharged.",
        ),
    ),
)

# The planner's levers, in the teaching page's sections, with the extra ones added.
PLANNER_LEVERS: tuple[SliderText, ...] = LEVER_TEXTS + EXTRA_LEVER_TEXTS


def planner_text(key: str, lang: str, **fields) -> str:
    """A planner text in ``lang`` with ``fields`` filled in."""
    lang = lang if lang in ("nb", "en") else "nb"
    text = PLANNER[key][lang]
    return localise(text.format(**fields), lang) if fields else text
