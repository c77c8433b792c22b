"""AppTest: the four monitoring pages for every signed-in role, their filters in the URL,
and no way in for the public."""

from __future__ import annotations

import re

import pytest

from dashboard.domain.roles import PAGES, Role, pages_for
from dashboard.domain.verdicts import CHART_EXPLANATIONS, VERDICT_ICONS
from tests.helpers.apptest import all_text, registered

MONITORING = {"Projecten": "pages/projecten.py", "Welzijnscoaches": "pages/welzijnscoaches.py",
              "Kernteams": "pages/kernteams.py", "Financiën": "pages/financien.py"}
SIGNED_IN = [Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER]


def frame(at, first_header: str):
    """The first table on the page whose first column is ``first_header``."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_header)


def signal_table(at):
    """The kernteam signals: a static table, so that each verdict shows its icon."""
    return next(t.value.reset_index() for t in at.table if t.value.index.name == "Kernteam")


IMPROVEMENT = VERDICT_ICONS["verbetering"].markdown  # ":blue[:material/thumb_up: Verbetering]"
DETERIORATION = VERDICT_ICONS["verslechtering"].markdown


def test_monitoring_pages_are_registered_under_monitoring():
    specs = {p.title: p for p in PAGES if p.section == "Monitoring"}
    assert {t: s.path for t, s in specs.items()} == MONITORING
    for role in Role:
        visible = {p.title for p in pages_for(role)}
        assert (set(MONITORING) <= visible) == (role is not Role.PUBLIEK)


def test_the_public_cannot_reach_the_monitoring_pages(app):
    at = app()
    for path in MONITORING.values():
        assert not registered(at, path)


@pytest.mark.parametrize("role", SIGNED_IN)
def test_monitoring_pages_show_their_figures_for_every_role(app, role):
    at = app(role)

    at.switch_page(MONITORING["Kernteams"]).run()
    assert not at.exception and at.title[0].value == "Kernteams"
    signals = signal_table(at)
    kt07 = signals[(signals["Kernteam"] == "KT-07")
                   & (signals["Kengetal"] == "Ziekenhuisopnames per 1.000 kwetsbare ouderen")]
    assert kt07["Richting"].tolist() == ["daling"]
    assert kt07["Oordeel"].tolist() == [IMPROVEMENT]  # fewer admissions: icon and text
    assert DETERIORATION in set(signals["Oordeel"])
    assert at.selectbox(key="kt_team").value == "KT-07"  # opens on the strongest signal
    text = all_text(at)
    # the team chart: its written verdict, what the lines mean, why U and not U'
    assert f"**Oordeel:** {IMPROVEMENT} — De cijfers zijn meer veranderd dan toeval" in text
    assert CHART_EXPLANATIONS["u"] in text and "U-kaart gebruikt:" in text
    # how many signals chance gives among the 35 teams x 6 metrics shown
    assert "van de 210 reeksen (35 teams × 6 kengetallen) geven een signaal; toeval " \
           "alleen zou er ongeveer" in text
    # the funnel: over-dispersion taken into account, explained in plain Dutch
    assert CHART_EXPLANATIONS["funnel"] in text and "verbreed" in text
    funnel = frame(at, "Kernteam")
    assert funnel.set_index("Kernteam").loc["KT-07", "Ten opzichte van de grenzen"] == "onder"
    # internal pages show small counts, marked (SPEC §6)
    results = next(d.value for d in at.dataframe if "Heropnames" in d.value.columns)
    assert results["Heropnames"].str.endswith("(klein aantal)").any()
    assert not results["Met zorgplan"].str.endswith("(klein aantal)").all()

    at.switch_page(MONITORING["Welzijnscoaches"]).run()
    assert not at.exception and at.title[0].value == "Welzijnscoaches"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Fte welzijnscoaches"] == "30,0 fte"
    coaches = frame(at, "Coach")
    over = coaches["Actieve huishoudens"] > coaches["Capaciteit"]
    assert over.any()
    assert (coaches.loc[over, "Overbelast"] == "overbelast").all()
    assert (coaches.loc[~over, "Overbelast"] != "overbelast").all()
    assert metrics["Overbelaste coaches"] == f"{int(over.sum())} van {len(coaches)}"
    warning = at.warning[0].value
    assert all(code in warning for code in coaches.loc[over, "Coach"])
    # run charts with their written verdict: the planted rising waiting list is a
    # deterioration; each chart says what its lines mean
    verdicts = [m.value for m in at.markdown if m.value.startswith("**Oordeel:**")]
    assert len(verdicts) == 4 and verdicts[0].startswith(f"**Oordeel:** {DETERIORATION}")
    assert [c.value for c in at.caption].count(CHART_EXPLANATIONS["run"]) == 4

    at.switch_page(MONITORING["Projecten"]).run()
    assert not at.exception and at.title[0].value == "Projecten"
    overview = frame(at, "Code")
    assert len(overview[overview["Programma"] == "Blauwe Zorg in de wijk"]) == 8
    assert "Alle praktijken aangesloten" in at.warning[0].value  # the overdue milestone
    text = all_text(at)
    for label in ("Doel", "Aanpak en planning", "Deelnemers", "Faciliteiten",
                  "Verwachte resultaten", "Participatie van bewoners", "Contactpersoon (rol)",
                  "Budget"):
        assert f"**{label}" in text, label
    assert "opschalen" in set(frame(at, "Datum")["Besluit"])  # BZ-1's decision

    at.switch_page(MONITORING["Financiën"]).run()
    assert not at.exception and at.title[0].value == "Financiën"
    by_financier = frame(at, "Jaar")
    assert {"gemeente", "VGZ", "CZ", "provincie"} <= set(by_financier["Financier"])
    assert any(m.label.startswith("Aandeel zorgverzekeraars") for m in at.metric)
    # budget and spending of one and the same year side by side, with the realisation
    budget = next(m for m in at.metric if m.label.startswith("Gezamenlijk budget"))
    spent = next(m for m in at.metric if m.label.startswith("Uitgaven "))
    assert budget.label.rsplit(" ", 1)[1] == spent.label.rsplit(" ", 1)[1]
    assert spent.proto.delta.endswith("% van het budget")
    # and what that year's spending comes to per household coached and elderly person in view
    year = spent.label.rsplit(" ", 1)[1]
    unit = {m.label: m.value for m in at.metric if m.label.startswith("Per ")}
    assert set(unit) == {f"Per begeleid huishouden {year}", f"Per kwetsbare oudere in beeld {year}"}
    assert all(re.fullmatch(r"€ \d{1,3}(\.\d{3})*", v) for v in unit.values())


def test_filters_come_from_the_url_and_unknown_values_are_ignored(app):
    at = app(Role.BESTUURDER)
    at.query_params.update({"programma": "pluswijken", "gebied": ["hoensbroek", "atlantis"],
                            "team": "KT-99", "kengetal": "<b>"})
    at.switch_page(MONITORING["Kernteams"]).run()
    assert not at.exception
    assert at.multiselect(key="kt_gebied").value == ["hoensbroek"]
    assert at.selectbox(key="kt_kengetal").value == "admissions"
    assert at.selectbox(key="kt_team").value == "KT-07"
    teams = signal_table(at)
    assert set(teams["Gebied"]) == {"Hoensbroek"}
    assert at.query_params["gebied"] == "hoensbroek" and "team" not in at.query_params

    at.selectbox(key="kt_kengetal").set_value("falls").run()
    assert at.query_params["kengetal"] == "falls"  # a changed filter goes back to the URL


def test_blauwe_zorg_filter_narrows_projects_and_explains_empty_coach_page(app):
    at = app(Role.PROGRAMMATEAM)
    at.query_params["programma"] = "blauwe-zorg"
    at.switch_page(MONITORING["Projecten"]).run()
    assert set(frame(at, "Code")["Code"]) == {f"BZ-{i}" for i in range(1, 9)}
    at.switch_page(MONITORING["Welzijnscoaches"]).run()
    assert not at.exception
    assert "PlusWIJken" in at.info[0].value


def test_pages_explain_an_empty_database_instead_of_failing(tmp_path, monkeypatch):
    from sqlalchemy import update
    from streamlit.testing.v1 import AppTest

    from dashboard.store import accounts, writes
    from data_loaders.db import transaction
    from data_loaders.models import User
    from data_loaders.seed import prepare_database
    from tests.helpers import ROOT
    from tests.helpers.apptest_browser import sign_in_as

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = prepare_database(url, demo=False)  # areas only: no projects, coaches or teams
    assert accounts.create_user(engine, writes.COMMAND_LINE, Role.BEHEERDER, "test",
                                Role.BESTUURDER, "Zonnebloem2026lezen").ok
    with transaction(engine) as s:  # no password change first: this test is about the pages
        s.execute(update(User).where(User.username == "test").values(must_change_password=False))
    engine.dispose()
    monkeypatch.setenv("LN_DATABASE_URL", url)
    at = sign_in_as(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60),
                    "test", url)
    at.run()
    for title, path in MONITORING.items():
        at.switch_page(path).run()
        assert not at.exception, f"{title}: {[e.value for e in at.exception]}"
        assert at.title[0].value == title
        assert at.info, title  # a Dutch explanation, not a blank page


# ---------------------------------------------------------------- incomplete periods


def imported(url: str, dataset: str, rows: list[dict]) -> None:
    """Import ``rows`` as the programme team does (check, then commit what was previewed)."""
    import pandas as pd

    from dashboard.store import importers
    from data_loaders.db import make_engine

    engine = make_engine(url)
    try:
        table = pd.DataFrame(rows)
        preview = importers.check(engine, Role.PROGRAMMATEAM, dataset, table)
        result, _ = importers.commit(engine, "programmateam", Role.PROGRAMMATEAM, dataset, table,
                                     "nieuw.xlsx", previewed=preview.versions())
    finally:
        engine.dispose()
    assert result.ok, result.message  # the pages see it: the import raised its data version


def signed_in(url: str, monkeypatch, path: str):
    from streamlit.testing.v1 import AppTest

    from tests.helpers import ROOT
    from tests.helpers.apptest_browser import sign_in_as

    monkeypatch.setenv("LN_DATABASE_URL", url)
    at = sign_in_as(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60),
                    "bestuurder", url).run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


ADMISSIONS_Q3 = "Opnames per 1.000 kwetsbare ouderen (2026-Q3)"


def test_overzicht_marks_a_quarter_two_of_35_teams_delivered_and_compares_like_with_like(
        demo_sqlite_url, tmp_path, monkeypatch):
    """Issue 12: importing the new quarter for 2 of 35 kernteams made Overzicht show the
    2 teams' rate with a large, green fall 't.o.v. vorig kwartaal'."""
    from tests.helpers import copy_of_demo

    url = copy_of_demo(demo_sqlite_url, tmp_path)
    before = {m.label: (m.value, m.delta) for m in signed_in(url, monkeypatch,
                                                             "pages/overzicht.py").metric}
    imported(url, "kernteam_quarter", [
        {"kernteam": code, "quarter": "2026-Q4", "frail_elderly": 150, "with_care_plan": 90,
         "discussed_mdo": 30, "ed_visits": 4, "admissions": 1, "readmissions": 0, "falls": 1}
        for code in ("KT-01", "KT-02")])
    at = signed_in(url, monkeypatch, "pages/overzicht.py")
    after = {m.label: (m.value, m.delta) for m in at.metric}
    assert not any("2026-Q4" in label for label in after)  # not shown as if complete
    assert after[ADMISSIONS_Q3] == before[ADMISSIONS_Q3]  # the same figure and change
    captions = [c.value for c in at.caption]
    assert any("Onvolledig: 2026-Q4: 2 van 35 teams aangeleverd" in c for c in captions)
    assert any("Open in de lijn" in c and "2026-Q4 (2 van 35 teams)" in c for c in captions)


def test_welzijnscoaches_marks_a_month_27_of_36_coaches_delivered(demo_sqlite_url, tmp_path,
                                                                  monkeypatch):
    from tests.helpers import copy_of_demo

    url = copy_of_demo(demo_sqlite_url, tmp_path)
    imported(url, "coach_month", [
        {"coach": f"WC-{i:02d}", "month": "2026-11", "active_households": 10,
         "new_huisarts": 1, "new_wijkteam": 0, "new_zelf": 0, "new_overig": 0,
         "closed_goal_reached": 1, "closed_referred": 0, "closed_dropped_out": 0,
         "waiting_list": 1, "mean_duration_days": 100} for i in range(1, 28)])
    at = signed_in(url, monkeypatch, "pages/welzijnscoaches.py")
    metrics = {m.label: m.value for m in at.metric}
    assert "Actieve huishoudens (okt 2026)" in metrics  # the latest complete month
    assert int(metrics["Actieve huishoudens (okt 2026)"].replace(".", "")) > 27 * 10
    assert "Onvolledig: nov 2026: 27 van 36 coaches aangeleverd" in at.warning[0].value
    at.switch_page("pages/overzicht.py").run()
    assert any("Onvolledig: nov 2026: 27 van 36 coaches aangeleverd" in c.value
               for c in at.caption)


def test_a_table_shows_the_products_own_icons_and_escapes_everything_else():
    """ui.md_table leaves a cell alone only when it is exactly one of the verdict icons;
    a typed look-alike stays text."""
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd

        from dashboard import ui
        from dashboard.domain.verdicts import VERDICT_ICONS

        icon = VERDICT_ICONS["verbetering"].markdown
        ui.md_table(pd.DataFrame({"Oordeel": [icon, icon + " [klik](https://x.nl)",
                                              ":red[:material/warning: Nep]"]}))

    at = AppTest.from_function(page).run()
    cells = at.table[0].value["Oordeel"].tolist()
    assert cells[0] == IMPROVEMENT
    assert cells[1] != IMPROVEMENT + " [klik](https://x.nl)" and "\\[klik\\]" in cells[1]
    assert "\\[" in cells[2] and ":\u200c" in cells[2]  # no colour, no icon: text


def test_overzicht_answers_is_it_working_per_programme(app):
    at = app(Role.BESTUURDER)
    assert not at.exception
    assert any(s.value == "Is het aan het werken?" for s in at.subheader)
    answers = [m.value for m in at.markdown if m.value.startswith("**Blauwe Zorg in de wijk** — ")
               or m.value.startswith("**PlusWIJken** — ")]
    assert len(answers) == 2
    openings = ("Ja, zichtbaar", "Nee, nog niet", "Gemengd", "Nog niet aantoonbaar",
                "Nog niet te zeggen", "Nog geen uitkomstcijfers")
    whole = "Het programma als geheel: "  # the answer is the programme total's
    assert all(a.split(" — ", 1)[1].startswith(whole) for a in answers)
    assert all(a.split(whole, 1)[1].capitalize().startswith(openings) for a in answers)
    tables = [t.value for t in at.table if "Nederland" in t.value.columns]
    # on the first screen, per programme: the programme as a whole per outcome indicator
    totals = [t for t in tables if "Gebied" not in t.columns and t.index.name == "Indicator"]
    assert len(totals) == 2 and all(len(t) >= 5 for t in totals)
    assert {"Periode", "Waarde", "Gemeente", "Nederland", "Oordeel"} <= set(totals[0].columns)
    # and in the expander per area
    table = next(t for t in tables if t.index.name == "Gebied")
    assert {"Indicator", "Waarde", "Gemeente", "Nederland", "Oordeel"} <= set(table.columns)
    assert table["Oordeel"].str.startswith(":").all()  # the verdict icons with their text


def test_a_programme_of_many_areas_shows_its_total_and_points_to_the_map(engine, monkeypatch):
    """At national scale one programme may hold thousands of areas: Overzicht then shows the
    programme as a whole and says where the areas are, instead of a verdict per area."""
    from dashboard.store.queries import QUERIES
    from dashboard.ui import profile

    def load(query, **params):  # type: ignore[no-untyped-def]
        return QUERIES[query](engine, Role.BESTUURDER, **params)

    monkeypatch.setattr(profile, "MAX_OUTCOME_AREAS", 4)  # PlusWIJken has more, Blauwe Zorg 4
    many = profile.programme_outcomes(load, programme_key="pluswijken")
    few = profile.programme_outcomes(load, programme_key="blauwe-zorg")
    assert many.table.empty and many.note == "Per gebied: zie de Kaart en het Wijkprofiel van elk gebied."
    assert len(many.total) >= 5 and many.answer.startswith("Het programma als geheel: ")
    assert set(few.table["Gebied"]) == {"Limmel", "Nazareth", "Wittevrouwenveld", "Wyckerpoort"}
    assert not few.note
