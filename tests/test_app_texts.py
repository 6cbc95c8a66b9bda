"""Both pages in bokmål and English: every text has both languages, and a page rendered in one
language shows no words of the other (in-process render of the Solara widgets, no browser)."""

from __future__ import annotations

import re
import string

import pytest

from sim.app import server
from sim.app.texts import LANGS, UI, all_texts, tr

# Words that are common in English and not Norwegian, and the other way round. A page in one
# language showing one of these has a string that was not translated.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|of|with|people|week|weeks|relapse|relapsed|next of kin|group|share|"
    r"click|play|step|reset|speed|change|changed|none|hope|using)\b",
    re.IGNORECASE,
)
NORWEGIAN_WORDS = re.compile(
    r"\b(og|av|ikke|uke|uker|personer|med|tilbakefall|gruppe|andel|håp|endret|ingen|"
    r"klikk|fart|utbrent)\b",
    re.IGNORECASE,
)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_has_both_languages_with_the_same_fields():
    """A missing or empty translation, or one that drops a number, fails here."""
    texts = all_texts()
    assert len(texts) > 150
    for key, by_lang in texts.items():
        assert set(by_lang) == set(LANGS), key
        for lang in LANGS:
            assert by_lang[lang].strip(), f"{key} is empty in {lang}"
        if not key.startswith("intro."):
            assert fields(by_lang["nb"]) == fields(by_lang["en"]), key


def test_bokmal_uses_the_fields_terms():
    """The Norwegian words of the field are there (ettervern, pårørende, selvhjelp, OAS ...)."""
    nb = " ".join(v["nb"] for v in all_texts().values()).lower()
    for term in (
        "ettervern",
        "pårørende",
        "selvhjelp",
        "opplevelse av sammenheng",
        "begripelighet",
        "håndterbarhet",
        "meningsfullhet",
        "tilbakefall",
        "oas",
    ):
        assert term in nb, term


def test_tr_fills_fields_and_falls_back_to_bokmal():
    assert tr("week_of", "nb", week=3, weeks=10) == "Uke 3 av 10"
    assert tr("week_of", "en", week=3, weeks=10) == "Week 3 of 10"
    assert tr("week_of", "xx", week=3, weeks=10) == "Uke 3 av 10"
    assert set(UI["play"]) == {"nb", "en"}


def visible_texts(widget, out: list[str] | None = None) -> list[str]:
    """Every string a Solara/ipyvuetify widget tree shows: text children, labels, select
    items, and the HTML panels' text without tags."""
    out = [] if out is None else out
    for attr in ("label", "v_model", "items", "title"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += [v for v in value if isinstance(v, str)]
    if getattr(widget, "tag", None) and isinstance(getattr(widget, "unsafe_innerHTML", None), str):
        out.append(re.sub(r"<[^>]+>", " ", widget.unsafe_innerHTML))
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, str):
            out.append(child)
        else:
            visible_texts(child, out)
    return out


def render_page(monkeypatch, lang: str, planner: bool):
    import solara

    from sim.app.page import Page

    monkeypatch.setenv(server.ENV_LANG, lang)
    monkeypatch.setenv(server.ENV_PLANNER, "1" if planner else "0")
    monkeypatch.setenv(server.ENV_USERS, "40")
    monkeypatch.setenv(server.ENV_WEEKS, "30")
    box, rc = solara.render(Page(), handle_error=False)
    return box, rc


def _strip_allowed(text: str, lang: str) -> str:
    # the language chooser names each language in its own language; icons have names; the
    # Adult Hope Scale is an instrument's name
    if text.startswith("mdi-"):
        return ""
    for name in ("English", "norsk (bokmål)", "Adult Hope Scale"):
        text = text.replace(name, "")
    if lang == "en":  # the English pages give the field's Norwegian terms in brackets
        for term in FIELD_TERMS:
            text = text.replace(term, "")
    return text


FIELD_TERMS = ("opplevelse av sammenheng", "generelle motstandsressurser", "pårørende")


@pytest.mark.parametrize("planner", [False, True], ids=["teaching", "planner"])
def test_page_in_one_language_shows_no_words_of_the_other(monkeypatch, planner):
    """Render each page in each language and look for the other language's common words."""
    for lang, foreign in (("nb", ENGLISH_WORDS), ("en", NORWEGIAN_WORDS)):
        box, rc = render_page(monkeypatch, lang, planner)
        texts = [_strip_allowed(t, lang) for t in visible_texts(box)]
        assert len(" ".join(texts)) > 1500
        found = [(m.group(0), t[:90]) for t in texts for m in [foreign.search(t)] if m]
        assert not found, f"{lang} page shows words of the other language: {found[:5]}"
        rc.close()


def test_pictures_follow_the_language():
    """The network picture's and plots' words are in the session's language."""
    from matplotlib.text import Text

    from sim.app.session import Session

    s = Session(users=40, weeks=30, seed=2)
    s.step(2)
    s.reset(keep_seed=True)
    s.step(2)
    for lang, foreign in (("nb", ENGLISH_WORDS), ("en", NORWEGIAN_WORDS)):
        s.set_lang(lang)
        s.export_plots_png()
        network, plots = s._views
        words = []
        for fig in (network.fig, plots.fig):
            words += [t.get_text() for t in fig.findobj(Text) if t.get_text()]
        assert any(tr("axis_week", lang) == w for w in words)
        bad = [w for w in words if foreign.search(w) and "pårørende" not in w]
        assert not bad, (lang, bad[:5])
