"""Plain-language words of the teaching page: slider labels and help, scenario names, explanations.

Written for teachers and students in health and social-work education, in English with the
Norwegian terms that matter in the field (ettervern, pårørende, selvhjelp, opplevelse av
sammenheng). Kept apart from the page so it can be read, checked and translated on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SliderText:
    """What a slider is called on the page and what it means, in one or two sentences."""

    name: str
    label: str
    help: str
    section: str


SCENARIO_LABELS: dict[str, str] = {
    "none": "No aftercare (for comparison)",
    "status-quo": "Today's mix in Norway (status quo)",
    "municipal": "Municipal aftercare (kommunalt ettervern)",
    "organisation": "Organisation-based aftercare (organisasjonsbasert)",
    "institutional": "Institution-based aftercare (institusjonsbasert)",
}

SCENARIO_SHORT: dict[str, str] = {
    "none": "Nobody is followed up after treatment; groups exist and people find them on their own.",
    "status-quo": "About 7 in 10 lack good follow-up; 15% are actively referred to self-help groups.",
    "municipal": "Most are offered aftercare with one contact person, but the service closes in "
    "holidays and sickness; tied to psychiatry and welfare services.",
    "organisation": "Peer staff with own experience, a strong link to self-help groups, a low "
    "threshold and some housing, but fragile funding.",
    "institutional": "Planned before discharge with an overlap period, an open door back, flats and "
    "work practice, and a family week that leads relatives into groups.",
}

AFTERCARE = "Aftercare (ettervern)"
SELFHELP = "Self-help groups and peers (selvhjelp)"
KIN = "Next of kin (pårørende)"
SOCIETY = "Resources and society"
START = "Starting point: sense of coherence and hope"

LEVER_TEXTS: tuple[SliderText, ...] = (
    SliderText(
        "aftercare_coverage",
        "Aftercare offered to (share)",
        "Share of people leaving treatment who are offered aftercare (ettervern). "
        "0 = nobody, 1 = everybody.",
        AFTERCARE,
    ),
    SliderText(
        "aftercare_contacts_per_week",
        "Follow-up contacts per week",
        "How often an aftercare worker meets each person while aftercare lasts.",
        AFTERCARE,
    ),
    SliderText(
        "predischarge_planning",
        "Planned before discharge (share)",
        "Share whose aftercare is planned before they leave treatment, with an overlap, "
        "so there is no gap after discharge.",
        AFTERCARE,
    ),
    SliderText(
        "aftercare_closure_weeks",
        "Weeks closed per year",
        "Weeks a year the service is closed for holidays and sickness: breaks in continuity.",
        AFTERCARE,
    ),
    SliderText(
        "selfhelp_referral_share",
        "Referred to self-help groups (share)",
        "Share actively referred to a self-help group (for example NA or AA) when they "
        "leave treatment, instead of just being told that groups exist.",
        SELFHELP,
    ),
    SliderText(
        "peer_staff",
        "Peer staff (erfaringskonsulenter)",
        "Aftercare workers with their own experience of recovery. Their contacts raise hope "
        "and make joining a group more likely. 0 = none, 1 = all contacts.",
        SELFHELP,
    ),
    SliderText(
        "relatives_family_week",
        "Family week for next of kin (share)",
        "Share of relatives (pårørende) invited to a family week when the person leaves "
        "treatment. Many go on to a relatives' group.",
        KIN,
    ),
    SliderText(
        "relatives_info_visibility",
        "Visible offers for next of kin",
        "How easy it is for relatives to find local offers: information evenings, a known "
        "place to go. 0 = hidden, 1 = very visible.",
        KIN,
    ),
    SliderText(
        "housing_offer_share",
        "Aftercare housing (share)",
        "Share of people in aftercare without a stable home who are offered a flat shared "
        "with others in recovery. Housing is a resistance resource.",
        SOCIETY,
    ),
    SliderText(
        "activity_offer",
        "Work or activity offered (share)",
        "Share of people in aftercare without meaningful activity who are offered work "
        "practice, study or another activity. Activity is a resistance resource.",
        SOCIETY,
    ),
    SliderText(
        "structural_stigma",
        "Structural stigma",
        "Barriers in housing, work and insurance that make it harder to gain resources "
        "after addiction. 0 = none, 1 = strong.",
        SOCIETY,
    ),
)

START_TEXTS: tuple[SliderText, ...] = (
    SliderText(
        "comprehensibility",
        "Comprehensibility (begripelighet)",
        "Life makes sense: what happens can be understood. Average of the SOC-13 items, "
        "1 (low) to 7 (high).",
        START,
    ),
    SliderText(
        "manageability",
        "Manageability (håndterbarhet)",
        "I have, or can get, what I need to cope with what happens. 1 to 7.",
        START,
    ),
    SliderText(
        "meaningfulness",
        "Meaningfulness (meningsfullhet)",
        "Life's challenges are worth engaging in. The motivational core of SOC. 1 to 7.",
        START,
    ),
    SliderText(
        "hope",
        "Hope at discharge",
        "Adult Hope Scale, 8 to 64: seeing ways forward (pathways) and believing one can "
        "take them (agency).",
        START,
    ),
)

SECTIONS = (AFTERCARE, SELFHELP, KIN, SOCIETY)

INTRO_HTML = """
<h3>Salutogenesis: what keeps people well?</h3>
<p>Aaron Antonovsky turned the usual question round: not only <em>what makes people ill</em>,
but <em>what helps people stay well</em> (salutogenesis, <em>salutogenese</em>). His answer is
the <strong>sense of coherence</strong> (SOC, <em>opplevelse av sammenheng</em>), made of three
parts:</p>
<ul>
<li><strong>Comprehensibility</strong> (<em>begripelighet</em>): life makes sense, what happens
can be understood.</li>
<li><strong>Manageability</strong> (<em>håndterbarhet</em>): I have, or can get, the resources to
cope.</li>
<li><strong>Meaningfulness</strong> (<em>meningsfullhet</em>): it is worth engaging in.</li>
</ul>
<p>A strong sense of coherence helps people use their <strong>generalized resistance
resources</strong> (<em>generelle motstandsressurser</em>): support from others, a self-help
group, a home, meaningful activity. In this simulation these resources, and hope, lower each
person's weekly risk of relapse, and having them slowly strengthens the sense of coherence.</p>

<h3>Who is in the picture</h3>
<p>About {n_users} people leave addiction treatment in the first weeks (large dots), each with a few
next of kin (<em>pårørende</em>, small squares round them). Lines between people are
acquaintances, fellow group members and housemates. Self-help groups (<em>selvhjelp</em>) are
the hexagons round the edge; a thin line joins each member to their group.
Each step is one week.</p>
<ul>
<li>Dots: <span style="color:#4c72b0">&#9679; in treatment</span>,
<span style="color:#2e8b57">&#9679; abstinent</span>,
<span style="color:#c44e52">&#9679; using (relapsed)</span>.</li>
<li>Squares (next of kin): pale = little strain, dark orange = heavy strain,
dark red with a cross = burnt out (on sick leave).</li>
</ul>

<h3>Aftercare models (<em>ettervern</em>)</h3>
<p>A scenario is a bundle of levers, not a label. Choose one at the top and watch how relapse,
the burden on next of kin and group life develop. Then press <em>Reset</em>: the previous run
stays in the plots as a grey dashed line, so two models can be compared on the same people
(switch on classroom mode to keep the same people and events).</p>

<h3>What the sliders do</h3>
<p>Aftercare levers take effect from the next week. Most people leave treatment in the first
13 weeks, so to see a lever's full effect, set it and press <em>Reset</em>. The starting sense of
coherence and hope describe people when they leave treatment: changing them starts the story
again.</p>

<h3>Keep in mind</h3>
<p>This is a teaching model. The numbers show directions and trade-offs, not forecasts for a
real municipality or for a single person. Where the evidence is thin, the model says so in its
parameter table (<code>python -m sim params</code>).</p>
"""


def intro_html(n_users: int) -> str:
    """The explanation panel for a cohort of ``n_users`` people."""
    return INTRO_HTML.replace("{n_users}", str(n_users))


def lever_text(name: str) -> SliderText:
    """The text of one lever slider."""
    for text in LEVER_TEXTS:
        if text.name == name:
            return text
    raise KeyError(name)
