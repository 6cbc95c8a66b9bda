"""The words of the pages, in Norwegian bokmål (``nb``, the default) and English (``en``).

Every visible string of the teaching page, the planner's page and their pictures is a key of
:data:`UI` (or of the lever, scenario and explanation tables below) with both languages; the
test ``tests/test_app_texts.py`` fails on a missing one. The Norwegian uses the field's terms:
ettervern, pårørende, selvhjelp, opplevelse av sammenheng (OAS), begripelighet, håndterbarhet,
meningsfullhet, tilbakefall. The explanation panels are in :mod:`sim.app.intro`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGS = ("nb", "en")
DEFAULT_LANG = "nb"
LANG_NAMES = {"nb": "norsk (bokmål)", "en": "English"}


def _pairs(**entries: tuple[str, str]) -> dict[str, dict[str, str]]:
    return {key: {"nb": nb, "en": en} for key, (nb, en) in entries.items()}


UI: dict[str, dict[str, str]] = _pairs(
    # page frame
    page_title=(
        "Tilfriskning, pårørende og selvhjelp: en undervisningsside",
        "Recovery, next of kin and self-help: a teaching page",
    ),
    heading=("Tilfriskning, pårørende og selvhjelp", "Recovery, next of kin and self-help"),
    language=("Språk", "Language"),
    tab_teaching=("Undervisning", "Teaching"),
    tab_planner=("Planlegging", "Planning"),
    # controls
    scenario=("Ettervernsmodell (scenario)", "Aftercare model (scenario)"),
    classroom=(
        "Klasseromsmodus (samme historie hver gang, frø {seed})",
        "Classroom mode (same story every time, seed {seed})",
    ),
    play=("Spill av", "Play"),
    pause=("Pause", "Pause"),
    step=("Ett steg", "Step"),
    play_year=("Spill ett år", "Play one year"),
    reset=("Start på nytt", "Reset"),
    speed=("Fart", "Speed"),
    speed_slow=("sakte (2 uker/s)", "slow (2 weeks/s)"),
    speed_normal=("normal (5 uker/s)", "normal (5 weeks/s)"),
    speed_fast=("rask (10 uker/s)", "fast (10 weeks/s)"),
    colour_by=("Farge på personene", "Colour people by"),
    colour_status=("status (behandling, rusfri, bruker)", "status (treatment, abstinent, using)"),
    colour_soc=("opplevelse av sammenheng (OAS)", "sense of coherence (SOC)"),
    start_section=(
        "Utgangspunkt: opplevelse av sammenheng og håp",
        "Starting point: sense of coherence and hope",
    ),
    export_plots=("Eksporter grafene (PNG)", "Export plots (PNG)"),
    export_network=("Eksporter nettverket (PNG)", "Export network (PNG)"),
    # status line
    week_of=("Uke {week} av {weeks}", "Week {week} of {weeks}"),
    numbers=(
        "tilbakefall siden utskriving {ever_relapsed_pct:.0f} % · bruker rus nå "
        "{using_pct:.0f} % · pårørende utbrent {burnout_pct:.0f} % · i grupper: "
        "{users_in_groups_pct:.0f} % av dem i tilfriskning, {relatives_in_groups_pct:.0f} % av "
        "de pårørende · SOC-13 {soc13:.0f} · håp {hope:.0f}",
        "relapsed since discharge {ever_relapsed_pct:.0f}% · using now {using_pct:.0f}% · "
        "next of kin burnt out {burnout_pct:.0f}% · in groups: {users_in_groups_pct:.0f}% of "
        "people in recovery, {relatives_in_groups_pct:.0f}% of next of kin · "
        "SOC-13 {soc13:.0f} · hope {hope:.0f}",
    ),
    mode_classroom=("klasseromsmodus, frø {seed}", "classroom mode, seed {seed}"),
    mode_seed=("frø {seed}", "seed {seed}"),
    timing=(
        "{scenario} · {users} personer i tilfriskning · {mode} · siste steg: modell "
        "{model_ms:.0f} ms + tegning {draw_ms:.0f} ms",
        "{scenario} · {users} people in recovery · {mode} · last step: model {model_ms:.0f} ms "
        "+ drawing {draw_ms:.0f} ms",
    ),
    changed_during=("Endret underveis: {items}", "Changed during this run: {items}"),
    change_item=("uke {week}: {label} = {value}", "week {week}: {label} = {value}"),
    badge_changed=(
        "Endret fra scenarioet «{scenario}»: {items}",
        "Changed from the scenario “{scenario}”: {items}",
    ),
    badge_item=("{label} {old} → {new}", "{label} {old} → {new}"),
    badge_same=(
        "Som i scenarioet «{scenario}» (ingen endringer)",
        "As in the scenario “{scenario}” (nothing changed)",
    ),
    # story panel
    story_title=("Historien til person {who}", "The story of person {who}"),
    story_hint=(
        "Klikk på en prikk i nettverket for å se historien til en person.",
        "Click a dot in the network to see one person's story.",
    ),
    story_weeks=(
        "{weeks} uker siden utskriving (første utskriving i uke {first})",
        "{weeks} weeks since discharge (first discharged in week {first})",
    ),
    story_not_discharged=(
        "Fortsatt i behandling, ikke skrevet ut ennå",
        "Still in treatment, not yet discharged",
    ),
    story_status=("Nå: {status}", "Now: {status}"),
    story_relapses=(
        "Tilbakefall: {relapses} (første i uke {first}); kortvarige sprekker: {lapses}",
        "Relapses: {relapses} (first in week {first}); brief lapses: {lapses}",
    ),
    story_no_relapse=(
        "Tilbakefall: ingen; kortvarige sprekker: {lapses}",
        "Relapses: none; brief lapses: {lapses}",
    ),
    story_soc=(
        "Opplevelse av sammenheng: begripelighet {comp:.1f}, håndterbarhet {manage:.1f}, "
        "meningsfullhet {meaning:.1f} (1–7; SOC-13 {soc13:.0f})",
        "Sense of coherence: comprehensibility {comp:.1f}, manageability {manage:.1f}, "
        "meaningfulness {meaning:.1f} (1-7; SOC-13 {soc13:.0f})",
    ),
    story_hope=("Håp: {hope:.0f} (8–64)", "Hope: {hope:.0f} (8-64)"),
    story_resources=(
        "Motstandsressurser: {home}, {activity}, sosial støtte {support:.0f} av 100{aftercare}",
        "Resistance resources: {home}, {activity}, social support {support:.0f} of 100{aftercare}",
    ),
    home_stable=("stabil bolig", "a stable home"),
    home_unstable=("ingen stabil bolig", "no stable home"),
    home_aftercare=("ettervernsbolig", "aftercare housing"),
    activity_yes=("meningsfull aktivitet", "meaningful activity"),
    activity_no=("ingen fast aktivitet", "no regular activity"),
    in_aftercare=("; i ettervern nå", "; in aftercare now"),
    story_relatives=(
        "Pårørende: {n} ({burnt} utbrent); belastning i snitt {strain:.0f} av 100",
        "Next of kin: {n} ({burnt} burnt out); mean strain {strain:.0f} of 100",
    ),
    story_no_relatives=("Pårørende: ingen", "Next of kin: none"),
    story_group=("Gruppe: {group} ({weeks} uker)", "Group: {group} ({weeks} weeks)"),
    story_no_group=("Gruppe: ingen", "Group: none"),
    # statuses and groups (page and pictures)
    status_treatment=("i behandling", "in treatment"),
    status_abstinent=("rusfri", "abstinent"),
    status_using=("bruker rus (tilbakefall)", "using (relapsed)"),
    status_dead=("død", "died"),
    group_12step=("12-trinnsgruppe (NA/AA)", "12-step group (NA/AA)"),
    group_relatives_open=("pårørendegruppe", "relatives' group (pårørende)"),
    group_relatives_course=("pårørendekurs", "relatives' course"),
    group_mixed=("blandet selvhjelpsgruppe", "mixed self-help group"),
    group_clinic=("gruppe ledet av behandlingssted", "clinic-led group"),
    kin_little=("pårørende, lite belastet", "next of kin, little strain"),
    kin_heavy=("pårørende, sterkt belastet", "next of kin, heavy strain"),
    kin_burnout=("pårørende, utbrent", "next of kin, burnt out"),
    soc_low=("lav OAS (SOC-13 40)", "low SOC (SOC-13 40)"),
    soc_high=("høy OAS (SOC-13 80)", "high SOC (SOC-13 80)"),
    soc_colourbar=("opplevelse av sammenheng, SOC-13", "sense of coherence, SOC-13"),
    # pictures
    net_title=("Uke {week}", "Week {week}"),
    net_subtitle=(
        "{users} i tilfriskning ({using} bruker rus) · {kin} pårørende ({burnt} utbrent) · "
        "{groups} grupper",
        "{users} in recovery ({using} using) · {kin} next of kin ({burnt} burnt out) · "
        "{groups} groups",
    ),
    groups_active=("{n} aktive", "{n} active"),
    ghost=("grå stiplet: forrige kjøring ({label})", "grey dashed: previous run ({label})"),
    run_label=("{scenario}, frø {seed}", "{scenario}, seed {seed}"),
    run_label_changed=("{scenario} (endret), frø {seed}", "{scenario} (changed), seed {seed}"),
    scenario_changed=("{scenario} (endret)", "{scenario} (changed)"),
    axis_week=("uke", "week"),
    export_title=(
        "recovery-sim: {scenario}, {mode}, uke {week} av {weeks}",
        "recovery-sim: {scenario}, {mode}, week {week} of {weeks}",
    ),
    panel_relapse=("Tilbakefall", "Relapse"),
    panel_relapse_y=("% av dem i tilfriskning", "% of people in recovery"),
    line_ever_relapsed=("tilbakefall siden utskriving", "relapsed since discharge"),
    line_using=("bruker rus nå", "using now"),
    panel_kin=("Pårørende", "Next of kin (pårørende)"),
    panel_kin_y=("belastning 0–100 / %", "strain 0-100 / %"),
    line_strain=("belastning (0–100)", "strain (0-100)"),
    line_burnout=("utbrent (%)", "burnt out (%)"),
    panel_groups=("Selvhjelp", "Self-help (selvhjelp)"),
    panel_groups_y=("% i en gruppe", "% in a group"),
    line_users_groups=("personer i tilfriskning", "people in recovery"),
    line_kin_groups=("pårørende", "next of kin"),
    panel_soc=("Opplevelse av sammenheng", "Sense of coherence"),
    panel_soc_y=("OAS, snitt per ledd, 1–7", "SOC item mean, 1-7"),
    line_comp=("begripelighet", "comprehensibility"),
    line_manage=("håndterbarhet", "manageability"),
    line_meaning=("meningsfullhet", "meaningfulness"),
    panel_hope=("Håp", "Hope"),
    panel_hope_y=("håp (AHS, 8–64)", "hope (AHS, 8-64)"),
    line_hope=("håp i snitt", "mean hope"),
    panel_resources=("Motstandsressurser", "Resistance resources"),
    panel_resources_y=("% / støtte 0–100", "% / support 0-100"),
    line_home=("stabil bolig", "stable home"),
    line_activity=("aktivitet", "activity"),
    line_support=("støtte", "support"),
)


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def localise(text: str, lang: str) -> str:
    """Decimal commas in bokmål (``4,3``), points in English."""
    return _DECIMAL_POINT.sub(",", text) if lang == "nb" else text


def tr(key: str, lang: str, **fields) -> str:
    """The text ``key`` in ``lang`` (``nb`` or ``en``), with ``fields`` filled in (numbers with
    the language's decimal mark)."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    text = UI[key][lang]
    return localise(text.format(**fields), lang) if fields else text


@dataclass(frozen=True)
class SliderText:
    """What a slider is called on the page and what it means, in one or two sentences, in
    both languages (``label``/``help`` map a language to its text)."""

    name: str
    label: dict[str, str]
    help: dict[str, str]
    section: str


def _slider(name: str, section: str, nb: tuple[str, str], en: tuple[str, str]) -> SliderText:
    return SliderText(name, {"nb": nb[0], "en": en[0]}, {"nb": nb[1], "en": en[1]}, section)


SCENARIO_LABELS: dict[str, dict[str, str]] = _pairs(
    **{
        "none": ("Uten ettervern (til sammenligning)", "No aftercare (for comparison)"),
        "status-quo": ("Dagens norske blanding (status quo)", "Today's mix in Norway (status quo)"),
        "municipal": ("Kommunalt ettervern", "Municipal aftercare (kommunalt ettervern)"),
        "organisation": (
            "Organisasjonsbasert ettervern",
            "Organisation-based aftercare (organisasjonsbasert)",
        ),
        "institutional": (
            "Institusjonsbasert ettervern",
            "Institution-based aftercare (institusjonsbasert)",
        ),
    }
)

SCENARIO_SHORT: dict[str, dict[str, str]] = _pairs(
    **{
        "none": (
            "Ingen følges opp etter behandling; grupper finnes, og folk finner dem selv.",
            "Nobody is followed up after treatment; groups exist and people find them on their own.",
        ),
        "status-quo": (
            "Rundt 7 av 10 mangler god oppfølging; 15 % henvises aktivt til selvhjelpsgrupper.",
            "About 7 in 10 lack good follow-up; 15% are actively referred to self-help groups.",
        ),
        "municipal": (
            "Under halvparten får tilbud om ettervern, for det er lavt prioritert med få "
            "ansatte; én kontaktperson, stenger i ferier og ved sykdom; knyttet til psykiatri og NAV.",
            "Fewer than half are offered aftercare, as it has low priority and few staff; one "
            "contact person, closes in holidays and sickness; tied to psychiatry and welfare services.",
        ),
        "organisation": (
            "Ansatte med egenerfaring, tett kobling til selvhjelpsgrupper, lav terskel og noen "
            "boliger, men usikker finansiering.",
            "Peer staff with own experience, a strong link to self-help groups, a low "
            "threshold and some housing, but fragile funding.",
        ),
        "institutional": (
            "Planlagt før utskriving med overlapp, åpen dør tilbake, leiligheter og "
            "arbeidstrening, og en familieuke som leder pårørende inn i grupper.",
            "Planned before discharge with an overlap period, an open door back, flats and "
            "work practice, and a family week that leads relatives into groups.",
        ),
    }
)

SECTION_NAMES: dict[str, dict[str, str]] = _pairs(
    aftercare=("Ettervern", "Aftercare (ettervern)"),
    selfhelp=("Selvhjelpsgrupper og likepersoner", "Self-help groups and peers (selvhjelp)"),
    kin=("Pårørende", "Next of kin (pårørende)"),
    society=("Ressurser og samfunn", "Resources and society"),
    start=(
        "Utgangspunkt: opplevelse av sammenheng og håp",
        "Starting point: sense of coherence and hope",
    ),
)
AFTERCARE, SELFHELP, KIN, SOCIETY, START = "aftercare", "selfhelp", "kin", "society", "start"
SECTIONS = (AFTERCARE, SELFHELP, KIN, SOCIETY)

LEVER_TEXTS: tuple[SliderText, ...] = (
    _slider(
        "aftercare_coverage",
        AFTERCARE,
        (
            "Tilbud om ettervern (andel)",
            "Andelen som får tilbud om ettervern når de avslutter behandling. 0 = ingen, 1 = alle.",
        ),
        (
            "Aftercare offered to (share)",
            "Share of people leaving treatment who are offered aftercare (ettervern). "
            "0 = nobody, 1 = everybody.",
        ),
    ),
    _slider(
        "aftercare_contacts_per_week",
        AFTERCARE,
        (
            "Oppfølgingskontakter per uke",
            "Hvor ofte en ettervernsarbeider møter hver person mens ettervernet varer.",
        ),
        (
            "Follow-up contacts per week",
            "How often an aftercare worker meets each person while aftercare lasts.",
        ),
    ),
    _slider(
        "predischarge_planning",
        AFTERCARE,
        (
            "Planlagt før utskriving (andel)",
            "Andelen som får ettervernet planlagt før de skrives ut, med overlapp, så det "
            "ikke blir et tomrom etter utskriving.",
        ),
        (
            "Planned before discharge (share)",
            "Share whose aftercare is planned before they leave treatment, with an overlap, "
            "so there is no gap after discharge.",
        ),
    ),
    _slider(
        "aftercare_closure_weeks",
        AFTERCARE,
        (
            "Uker stengt per år",
            "Uker i året tjenesten er stengt på grunn av ferie og sykdom: brudd i kontinuiteten.",
        ),
        (
            "Weeks closed per year",
            "Weeks a year the service is closed for holidays and sickness: breaks in continuity.",
        ),
    ),
    _slider(
        "selfhelp_referral_share",
        SELFHELP,
        (
            "Henvist til selvhjelpsgrupper (andel)",
            "Andelen som aktivt henvises til en selvhjelpsgruppe (for eksempel NA eller AA) "
            "ved utskriving, i stedet for bare å få høre at grupper finnes.",
        ),
        (
            "Referred to self-help groups (share)",
            "Share actively referred to a self-help group (for example NA or AA) when they "
            "leave treatment, instead of just being told that groups exist.",
        ),
    ),
    _slider(
        "peer_staff",
        SELFHELP,
        (
            "Erfaringskonsulenter",
            "Ettervernsarbeidere med egen erfaring fra tilfriskning. Kontakt med dem gir håp og "
            "gjør det mer sannsynlig å gå i en gruppe. 0 = ingen, 1 = alle kontakter.",
        ),
        (
            "Peer staff (erfaringskonsulenter)",
            "Aftercare workers with their own experience of recovery. Their contacts raise hope "
            "and make joining a group more likely. 0 = none, 1 = all contacts.",
        ),
    ),
    _slider(
        "relatives_family_week",
        KIN,
        (
            "Familieuke for pårørende (andel)",
            "Andelen pårørende som inviteres til en familieuke når personen avslutter "
            "behandling. Mange går videre til en pårørendegruppe.",
        ),
        (
            "Family week for next of kin (share)",
            "Share of relatives (pårørende) invited to a family week when the person leaves "
            "treatment. Many go on to a relatives' group.",
        ),
    ),
    _slider(
        "relatives_info_visibility",
        KIN,
        (
            "Synlige tilbud til pårørende",
            "Hvor lett det er for pårørende å finne lokale tilbud: informasjonskvelder, et kjent "
            "sted å gå. 0 = skjult, 1 = svært synlig.",
        ),
        (
            "Visible offers for next of kin",
            "How easy it is for relatives to find local offers: information evenings, a known "
            "place to go. 0 = hidden, 1 = very visible.",
        ),
    ),
    _slider(
        "housing_offer_share",
        SOCIETY,
        (
            "Ettervernsbolig (andel)",
            "Andelen i ettervern uten stabil bolig som får tilbud om en leilighet delt med andre "
            "i tilfriskning. Bolig er en motstandsressurs.",
        ),
        (
            "Aftercare housing (share)",
            "Share of people in aftercare without a stable home who are offered a flat shared "
            "with others in recovery. Housing is a resistance resource.",
        ),
    ),
    _slider(
        "activity_offer",
        SOCIETY,
        (
            "Arbeid eller aktivitet (andel)",
            "Andelen i ettervern uten meningsfull aktivitet som får tilbud om arbeidstrening, "
            "studier eller annen aktivitet. Aktivitet er en motstandsressurs.",
        ),
        (
            "Work or activity offered (share)",
            "Share of people in aftercare without meaningful activity who are offered work "
            "practice, study or another activity. Activity is a resistance resource.",
        ),
    ),
    _slider(
        "structural_stigma",
        SOCIETY,
        (
            "Strukturelt stigma",
            "Hindringer innen bolig, arbeid og forsikring som gjør det vanskeligere å få "
            "ressurser etter en avhengighet. 0 = ingen, 1 = sterk.",
        ),
        (
            "Structural stigma",
            "Barriers in housing, work and insurance that make it harder to gain resources "
            "after addiction. 0 = none, 1 = strong.",
        ),
    ),
)

START_TEXTS: tuple[SliderText, ...] = (
    _slider(
        "comprehensibility",
        START,
        (
            "Begripelighet",
            "Livet gir mening: det som skjer, kan forstås. Snitt av SOC-13-leddene, "
            "1 (lav) til 7 (høy).",
        ),
        (
            "Comprehensibility (begripelighet)",
            "Life makes sense: what happens can be understood. Average of the SOC-13 items, "
            "1 (low) to 7 (high).",
        ),
    ),
    _slider(
        "manageability",
        START,
        (
            "Håndterbarhet",
            "Jeg har, eller kan få, det jeg trenger for å mestre det som skjer. 1 til 7.",
        ),
        (
            "Manageability (håndterbarhet)",
            "I have, or can get, what I need to cope with what happens. 1 to 7.",
        ),
    ),
    _slider(
        "meaningfulness",
        START,
        (
            "Meningsfullhet",
            "Livets utfordringer er verdt å engasjere seg i. Den motiverende kjernen i OAS. "
            "1 til 7.",
        ),
        (
            "Meaningfulness (meningsfullhet)",
            "Life's challenges are worth engaging in. The motivational core of SOC. 1 to 7.",
        ),
    ),
    _slider(
        "hope",
        START,
        (
            "Håp ved utskriving",
            "Adult Hope Scale, 8 til 64: å se veier videre og å tro at man kan gå dem.",
        ),
        (
            "Hope at discharge",
            "Adult Hope Scale, 8 to 64: seeing ways forward (pathways) and believing one can "
            "take them (agency).",
        ),
    ),
)


def scenario_label(name: str, lang: str) -> str:
    """The plain name of a built-in scenario (its code name for any other scenario)."""
    return SCENARIO_LABELS[name][lang] if name in SCENARIO_LABELS else name


def lever_label(name: str, lang: str) -> str:
    """The slider label of a lever or starting value (its code name if it has none)."""
    from sim.app.planner_texts import EXTRA_LEVER_TEXTS

    for text in LEVER_TEXTS + START_TEXTS + EXTRA_LEVER_TEXTS:
        if text.name == name:
            return text.label[lang]
    return name


def lever_text(name: str) -> SliderText:
    """The text of one lever slider."""
    for text in LEVER_TEXTS:
        if text.name == name:
            return text
    raise KeyError(name)


def all_texts() -> dict[str, dict[str, str]]:
    """Every translated text by a unique key (for the translation test)."""
    out = {f"ui.{k}": v for k, v in UI.items()}
    out |= {f"scenario.{k}": v for k, v in SCENARIO_LABELS.items()}
    out |= {f"scenario_short.{k}": v for k, v in SCENARIO_SHORT.items()}
    out |= {f"section.{k}": v for k, v in SECTION_NAMES.items()}
    from sim.app import intro, planner_texts

    for text in LEVER_TEXTS + START_TEXTS + planner_texts.EXTRA_LEVER_TEXTS:
        out[f"lever.{text.name}.label"] = text.label
        out[f"lever.{text.name}.help"] = text.help

    out |= {f"intro.{k}": v for k, v in intro.INTRO.items()}
    out |= {f"planner.{k}": v for k, v in planner_texts.PLANNER.items()}
    return out
