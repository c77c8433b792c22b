"""AppTest: the four monitoring pages for every signed-in role, their filters in the URL,
and no way in for the public."""

from __future__ import annotations

import pytest

from dashboard.domain.roles import PAGES, Role, pages_for
from tests.test_app import all_text, app, app_db_url, registered  # noqa: F401 - fixtures

MONITORING = {"Projecten": "pages/projecten.py", "Welzijnscoaches": "pages/welzijnscoaches.py",
              "Kernteams": "pages/kernteams.py", "Financiën": "pages/financien.py"}
SIGNED_IN = [Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER]


def frame(at, first_header: str):
    """The first table on the page whose first column is ``first_header``."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_header)


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
    signals = frame(at, "Kernteam")
    kt07 = signals[signals["Kernteam"] == "KT-07"]
    assert "Ziekenhuisopnames per 1.000 kwetsbare ouderen" in set(kt07["Kengetal"])
    assert "daling" in set(kt07["Richting"])
    assert at.selectbox(key="kt_team").value == "KT-07"  # opens on the strongest signal
    assert any(c.value.startswith("Beoordeling: **signaal**") for c in at.caption)
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


def test_filters_come_from_the_url_and_unknown_values_are_ignored(app):
    at = app(Role.BESTUURDER)
    at.query_params.update({"programma": "pluswijken", "gebied": ["hoensbroek", "atlantis"],
                            "team": "KT-99", "kengetal": "<b>"})
    at.switch_page(MONITORING["Kernteams"]).run()
    assert not at.exception
    assert at.multiselect(key="kt_gebied").value == ["hoensbroek"]
    assert at.selectbox(key="kt_kengetal").value == "admissions"
    assert at.selectbox(key="kt_team").value == "KT-07"
    teams = frame(at, "Kernteam")
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
    from tests.apptest_browser import sign_in_as
    from tests.test_app import ROOT

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
