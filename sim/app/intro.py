"""The teaching page's explanation panel, in bokmål and English (HTML)."""

from __future__ import annotations

from sim.app.drawing import GROUP_COLOURS

_NB = """
<h3>Salutogenese: hva holder folk friske?</h3>
<p>Aaron Antonovsky snudde det vanlige spørsmålet: ikke bare <em>hva gjør folk syke</em>, men
<em>hva hjelper folk å holde seg friske</em> (salutogenese). Svaret hans er
<strong>opplevelse av sammenheng</strong> (OAS; forkortet SOC på engelsk), som har tre
deler:</p>
<ul>
<li><strong>Begripelighet</strong>: livet gir mening, det som skjer, kan forstås.</li>
<li><strong>Håndterbarhet</strong>: jeg har, eller kan få, ressursene til å mestre.</li>
<li><strong>Meningsfullhet</strong>: det er verdt å engasjere seg.</li>
</ul>
<p>En sterk opplevelse av sammenheng hjelper folk å bruke sine <strong>generelle
motstandsressurser</strong>: støtte fra andre, en selvhjelpsgruppe, et hjem, meningsfull
aktivitet. I simuleringen senker disse ressursene, og håp, hver persons ukentlige risiko for
tilbakefall, og det å ha dem styrker langsomt opplevelsen av sammenheng.</p>

<h3>Hvem er på bildet</h3>
<p>Omtrent {n_users} personer avslutter rusbehandling de første ukene (store prikker), hver med
noen få pårørende (små firkanter rundt dem). Linjer mellom personer er bekjente,
gruppemedlemmer og bofeller. Selvhjelpsgrupper er sekskantene langs kanten; en tynn linje
binder hvert medlem til gruppen sin. Hvert steg er én uke. Klikk på en prikk for å se
personens historie.</p>
<ul>
<li>Prikker: <span style="color:#4c72b0">&#9679; i behandling</span>,
<span style="color:#2e8b57">&#9679; rusfri</span>,
<span style="color:#c44e52">&#9679; bruker rus (tilbakefall)</span>; eller, med fargevalget
«opplevelse av sammenheng», fra lilla (lav OAS) til gul (høy OAS).</li>
<li>Firkanter (pårørende): lys = lite belastning, mørk oransje = stor belastning,
mørk rød med kryss = utbrent (sykmeldt).</li>
<li>Grupper: {groups}.</li>
</ul>

<h3>Ettervernsmodeller</h3>
<p>Et scenario er en pakke med spaker, ikke en merkelapp. Velg et øverst og se hvordan
tilbakefall, belastningen på pårørende og gruppelivet utvikler seg. Trykk så <em>Start på
nytt</em>: forrige kjøring blir stående i grafene som en grå stiplet linje, så to modeller kan
sammenlignes på de samme personene (slå på klasseromsmodus for å beholde de samme personene og
hendelsene). Når en spak er flyttet, viser siden tydelig at du er endret fra scenarioet.</p>

<h3>Hva spakene gjør</h3>
<p>Spakene for ettervern virker fra neste uke. De fleste avslutter behandling de første 13
ukene, så for å se hele virkningen av en spak: still den og trykk <em>Start på nytt</em>.
Opplevelse av sammenheng og håp ved start beskriver personene når de skrives ut; å endre dem
starter historien på nytt.</p>

<h3>Husk</h3>
<p>Dette er en undervisningsmodell. Tallene viser retninger og avveininger, ikke prognoser for en
virkelig kommune eller for én person. Der kunnskapsgrunnlaget er tynt, sier modellen det i
parametertabellen (<code>python -m sim params</code>).</p>
"""

_EN = """
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
<p>About {n_users} people leave addiction treatment in the first weeks (large dots), each with a
few next of kin (<em>pårørende</em>, small squares round them). Lines between people are
acquaintances, fellow group members and housemates. Self-help groups (<em>selvhjelp</em>) are
the hexagons round the edge; a thin line joins each member to their group. Each step is one
week. Click a dot to see that person's story.</p>
<ul>
<li>Dots: <span style="color:#4c72b0">&#9679; in treatment</span>,
<span style="color:#2e8b57">&#9679; abstinent</span>,
<span style="color:#c44e52">&#9679; using (relapsed)</span>; or, with the colour mode
"sense of coherence", purple (low SOC) to yellow (high SOC).</li>
<li>Squares (next of kin): pale = little strain, dark orange = heavy strain,
dark red with a cross = burnt out (on sick leave).</li>
<li>Groups: {groups}.</li>
</ul>

<h3>Aftercare models (<em>ettervern</em>)</h3>
<p>A scenario is a bundle of levers, not a label. Choose one at the top and watch how relapse,
the burden on next of kin and group life develop. Then press <em>Reset</em>: the previous run
stays in the plots as a grey dashed line, so two models can be compared on the same people
(switch on classroom mode to keep the same people and events). Once a lever is moved, the page
says plainly that you have changed the scenario.</p>

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

INTRO: dict[str, dict[str, str]] = {"html": {"nb": _NB, "en": _EN}}


def intro_html(n_users: int, lang: str) -> str:
    """The explanation panel for a cohort of ``n_users`` people, in ``lang``."""
    from sim.app.drawing import GROUP_KEYS
    from sim.app.texts import DEFAULT_LANG, tr

    lang = lang if lang in INTRO["html"] else DEFAULT_LANG
    groups = ", ".join(
        f'<span style="color:{GROUP_COLOURS[kind]}">&#11043; {tr(key, lang)}</span>'
        for kind, key in GROUP_KEYS.items()
    )
    return INTRO["html"][lang].replace("{n_users}", str(n_users)).replace("{groups}", groups)
