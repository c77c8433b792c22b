"""Evidence a wethouder can act on (issue 13), as a signed-in user sees it (AppTest):
Besluiten's written evidence strength, effect sizes and difference-in-differences, the
Vergadermodus agenda's ranked signals with the chance sentence, and the Begrippen."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from tests.helpers.apptest import all_text


def open_decision(at: AppTest, subject: str) -> AppTest:
    at.switch_page("pages/besluiten.py").run()
    assert not at.exception
    box = at.selectbox(key="url_besluit")
    box.select(next(o for o in box.options if subject in o)).run()
    assert not at.exception
    return at


# ---------------------------------------------------------------- Besluiten


def test_evidence_is_written_out_with_effect_sizes_and_a_comparison(app):
    at = open_decision(app(Role.PROGRAMMATEAM), "Kernteams ouderen")
    text = all_text(at)
    # the written strength, not just a colour: level, what happened, what the comparison did
    assert "Bewijs: matig]** — Ziekenhuisopnames per 1.000 kwetsbare ouderen" in text
    assert "omlaag na de start" in text and "vergelijkingsreeksen bleven gelijk" in text
    assert "Wat betekent bewijskracht?" in text
    # the pilot: direction-aware verdict beside its change with a 95% interval
    assert ":blue[:material/thumb_up: Verbetering]" in text
    assert re.search(r"Omlaag na de start: \d+ van \d+ punten onder de ondergrens", text)
    # a fall, with an interval that lies below zero on both ends
    assert re.search(r"\*\*Verandering na de start:\*\* −\d+% \(95%-BI −\d+% tot −\d+%\)", text)
    # difference-in-differences against each comparison team of the same indicator
    did = [m.value for m in at.markdown if m.value.startswith("**Verschil-in-verschillen")]
    assert len(did) == 2
    assert any("Kernteam Hoensbroek 01 (KT-01)" in d and "95%-BI" in d for d in did)
    assert "95%-interval" in text
    # each chart says how to read it; small numbers are marked, not hidden (internal page)
    assert "U-kaart (regelkaart voor aantallen per zoveel mensen)" in text
    assert "punten met een klein aantal (<10)" in text
    numbers = at.dataframe[-1].value
    assert numbers["Teller"].str.endswith("(klein aantal)").any()


def test_a_short_baseline_gives_too_little_data_not_a_verdict(app):
    at = open_decision(app(Role.BESTUURDER), "Blauwe GGZ")
    text = all_text(at)
    assert "Bewijs: te weinig gegevens]** — GGZ-kosten per inwoner (Wittevrouwenveld): 3 punten " \
           "vóór de start, minstens 12 nodig" in text
    # Wyckerpoort's chart has a signal, but with 3 baseline points that is no evidence
    assert text.count(":gray[:material/hourglass_empty: Te weinig gegevens]") == 5
    assert "Verbetering]" not in text and "Verslechtering]" not in text
    assert "Geen bevroren grenzen: 3 perioden vóór de start, minstens 12 nodig." in text
    assert "Verandering na de start" not in text and "Verschil-in-verschillen" not in text


def test_the_board_and_list_show_the_level_in_words(app):
    at = app(Role.BESTUURDER)
    at.switch_page("pages/besluiten.py").run()
    assert any(m.value == ":blue[Bewijs: matig]" for m in at.markdown)
    listing = at.dataframe[0].value
    assert set(listing["Bewijskracht"]) >= {"matig", "te weinig gegevens", "geen gekoppelde reeksen"}


# ---------------------------------------------------------------- Vergadermodus


def test_agenda_signals_come_with_their_verdict_and_the_chance_sentence(app):
    at = app(Role.PROGRAMMATEAM)
    at.switch_page("pages/vergadermodus.py").run()
    assert not at.exception
    label = at.expander[0].label
    match = re.fullmatch(r"1\. Nieuwe signalen \((\d+)\)", label)
    assert match, label
    n = int(match.group(1))
    inside = at.expander[0]
    note = " ".join(c.value for c in inside.caption)
    assert f"{n} nieuwe signalen bij 210 reeksen (in totaal " in note  # 35 teams x 6 metrics
    assert "Bij 210 reeksen zonder echte verandering zijn ongeveer" in note
    assert "een enkel nieuw signaal is dus nog geen nieuws" in note
    items = [m.value for m in inside.markdown]
    assert len(items) == n >= 1
    # each signal with its written, direction-aware verdict, deteriorations ranked first
    worse = [i.startswith("- :orange[:material/warning: Verslechtering] · **") for i in items]
    assert all(i.startswith("- :") and " · **" in i for i in items)
    assert worse == sorted(worse, reverse=True)


# ---------------------------------------------------------------- Begrippen


def test_the_public_glossary_explains_the_charts_and_the_evidence_in_plain_words(app):
    at = app()  # public, not signed in
    at.switch_page("pages/toegankelijkheid.py").run()
    assert not at.exception
    assert any(h.value == "Begrippen" for h in at.header)
    glossary = next(m.value for m in at.markdown if m.value.startswith("- **Runchart.**"))
    for term in ("Runchart", "Regelkaart", "Trechterdiagram", "Bewijskracht",
                 "P′-kaart en U′-kaart", "95%-interval", "Verschil-in-verschillen"):
        assert f"- **{term}.** " in glossary
    assert "tussen de grenzen schommelen de cijfers door toeval" in glossary
    assert "Laney" in glossary and "gewone schommeling" in glossary


def test_the_evidence_links_to_the_glossary(app):
    at = open_decision(app(Role.BESTUURDER), "Kernteams ouderen")
    link = next(p for p in at.get("page_link") if "begrippen" in p.label.lower())
    assert link.proto.page == "toegankelijkheid"  # the public page with the Begrippen
    explanation = next(x for x in at.expander if x.label == "Wat betekent bewijskracht?")
    explained = [m.value for m in explanation.markdown]
    assert any(m.startswith("**Bewijskracht.** Hoe sterk de cijfers") for m in explained)


# ---------------------------------------------------------------- Wijkprofiel


def test_wijkprofiel_trends_carry_a_written_verdict_where_the_series_is_long_enough(app):
    at = app(Role.BESTUURDER)
    at.query_params["gebied"] = "hoensbroek"
    at.switch_page("pages/wijkprofiel.py").run()
    assert not at.exception
    verdicts = [m.value for m in at.markdown if m.value.startswith("**Oordeel**")]
    assert len(verdicts) == 8  # ten-year series; the two surveys have five waves
    # costs per insured have no denominator: an I chart; every verdict is one of the four
    assert any(v.startswith("**Oordeel** (I-kaart, 10 perioden): :") for v in verdicts)
    words = ("Verbetering", "Verslechtering", "Geen aantoonbare verandering", "Verandering")
    assert all(any(f"{w}]" in v for w in words) for v in verdicts)
    short = [c.value for c in at.caption if "te weinig gegevens voor een oordeel" in c.value]
    assert len(short) == 2
