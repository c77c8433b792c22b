"""AppTest of the Beheer pages: conflicts show both values, deletes need confirmation,
the meeting agenda and the account pages work for the roles that may see them."""

from __future__ import annotations

from sqlalchemy import select

from dashboard.domain.roles import Role
from dashboard.store import writes
from data_loaders.db import make_engine, transaction
from data_loaders.models import AuditLog, User
from tests.helpers.apptest import all_text, widget

PT = Role.PROGRAMMATEAM


def test_stale_save_on_the_page_shows_both_values_and_reloads(app, engine):
    at = app(PT)
    at.switch_page("pages/gegevens_beheren.py").run()
    row = writes.list_rows(engine, PT, "project").iloc[0]
    form = f"edit-project-{row['id']}-{row['version']}"
    widget(at, "text_input", f"{form}-name").input("Naam van mij")
    # a colleague saves the same project first
    theirs = {k: row[k] for k in row.index if k not in ("id", "version")} | {"name": "Naam van collega"}
    assert writes.update(engine, "beheerder", PT, "project", int(row["id"]), int(row["version"]),
                         theirs).ok
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception
    assert "Iemand anders heeft deze gegevens intussen gewijzigd" in at.error[0].value
    comparison = at.dataframe[0].value
    name_row = comparison[comparison["Veld"] == "Naam"].iloc[0]
    assert (name_row["Jouw waarde"], name_row["Opgeslagen waarde"]) == (
        "Naam van mij", "Naam van collega")
    assert writes.get_row(engine, PT, "project", int(row["id"]))["name"] == "Naam van collega"

    next(b for b in at.button if b.label == "Opnieuw laden").click().run()
    reloaded = f"edit-project-{row['id']}-{int(row['version']) + 1}-name"
    assert widget(at, "text_input", reloaded).value == "Naam van collega"


def test_delete_asks_for_confirmation_first(app, engine):
    at = app(PT)
    at.switch_page("pages/gegevens_beheren.py").run()
    at.selectbox(key="beheer_dataset").set_value("milestone").run()
    at.text_input(key="beheer_search_milestone").input("Tussenevaluatie").run()
    row_id = at.selectbox(key="beheer_row_milestone").value
    assert writes.get_row(engine, PT, "milestone", row_id) is not None
    next(b for b in at.button if b.label.startswith("Verwijderen")).click().run()
    assert writes.get_row(engine, PT, "milestone", row_id) is not None  # not yet
    assert "Weet je zeker" in at.warning[0].value
    next(b for b in at.button if b.label == "Ja, verwijderen").click().run()
    assert not at.exception
    assert writes.get_row(engine, PT, "milestone", row_id) is None
    assert at.success[0].value == "Verwijderd."


def test_invalid_new_row_shows_the_rule_and_saves_nothing(app, engine):
    at = app(PT)
    at.switch_page("pages/gegevens_beheren.py").run()
    before = len(writes.list_rows(engine, PT, "project"))
    at.text_input(key="new-project-code").input("PW-10")
    at.text_input(key="new-project-name").input("Nieuw project")
    at.multiselect(key="new-project-domains").set_value(["Wmo"])
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    messages = " ".join(e.value for e in at.error)
    assert "**Domeinen**: Domeinen: kies er minstens 2." in messages
    assert "**Programma**: Programma is verplicht." in messages
    assert len(writes.list_rows(engine, PT, "project")) == before


def test_meeting_mode_lists_the_overdue_milestone_and_recent_changes(app, engine):
    row = writes.list_rows(engine, PT, "budget").iloc[0]
    values = {k: row[k] for k in row.index if k not in ("id", "version")}
    values["amount_eur"] = row["amount_eur"] + 1000
    assert writes.update(engine, "programmateam", PT, "budget", int(row["id"]),
                         int(row["version"]), values).ok
    at = app(PT)
    at.switch_page("pages/vergadermodus.py").run()
    assert not at.exception
    text = all_text(at)
    assert "Mijlpalen over tijd (" in text and "Mijlpalen over tijd (0)" not in text
    assert "Alle praktijken aangesloten" in text
    assert "Besluiten om te evalueren" in text
    reports = [b.label for b in at.get("download_button")]
    assert "Vergaderverslag (HTML)" in reports and "Vergaderverslag (pdf)" in reports
    changes = next(df.value for df in at.dataframe if "Wijziging" in df.value.columns)
    budget = changes[changes["Gegevens"] == "Budgetten (ontschotting)"].iloc[0]
    assert "Bedrag (euro): " in budget["Wijziging"] and " → " in budget["Wijziging"]


def test_beheerder_creates_an_account_that_must_change_its_password(app, engine):
    at = app(Role.BEHEERDER)
    at.switch_page("pages/gebruikers.py").run()
    at.text_input(key="users-new-name").input("coordinator.west")
    at.selectbox(key="users-new-role").set_value("programmateam")
    at.text_input(key="users-new-password").input("kort")
    next(b for b in at.button if b.label == "Account aanmaken").click().run()
    assert "minstens 12 tekens" in " ".join(e.value for e in at.error)
    at.text_input(key="users-new-password").input("Tijdelijk2026west")
    next(b for b in at.button if b.label == "Account aanmaken").click().run()
    assert not at.exception
    assert at.success[0].value == "Account 'coordinator.west' aangemaakt."
    with transaction(engine) as s:
        user = s.scalar(select(User).where(User.username == "coordinator.west"))
        assert user.role.value == "programmateam" and user.must_change_password
        assert "Tijdelijk2026west" not in str(s.scalars(select(AuditLog.new_values)).all())


def test_demo_password_outside_demo_mode_must_be_changed_before_any_page(
        demo_sqlite_url, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from sqlalchemy import update as sql_update
    from streamlit.testing.v1 import AppTest

    from data_loaders.models import Setting
    from tests.helpers.apptest import sign_in

    copy = tmp_path / "no-demo.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    e = make_engine(f"sqlite:///{copy}")
    with transaction(e) as s:
        s.execute(sql_update(Setting).where(Setting.key == "demo_data").values(value=False))
    monkeypatch.setenv("LN_DATABASE_URL", f"sqlite:///{copy}")
    root = Path(__file__).resolve().parents[2]
    at = sign_in(AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=60).run(),
                 "bestuurder", "demo")
    assert at.title[0].value == "Wachtwoord wijzigen"
    assert not at.metric  # Overzicht did not open
    fields = at.text_input
    fields[-3].input("demo")
    fields[-2].input("Bestuur2026veilig")
    fields[-1].input("Bestuur2026veilig")
    next(b for b in at.button if b.label == "Wachtwoord wijzigen").click().run()
    assert not at.exception
    assert at.title[0].value == "Overzicht"
    e.dispose()


def test_every_dataset_opens_for_editing_adding_and_export(app, engine):
    """Regression: indicator values and survey scores (rows with an empty area or region
    code) crashed the page under pandas 3 (``cannot convert float NaN to integer``)."""
    from dashboard.domain.datasets import DATASETS, datasets_for

    at = app(PT)
    at.switch_page("pages/gegevens_beheren.py").run()
    for name, ds in ((n, DATASETS[n]) for n in datasets_for(PT)):
        at.selectbox(key="beheer_dataset").set_value(name).run()
        assert not at.exception, (name, [e.value for e in at.exception])
        rows = writes.list_rows(engine, PT, name)
        described = at.selectbox(key=f"beheer_row_{name}").options
        assert len(described) == len(rows) > 0, name
        assert not any("nan" in d.lower().split(" · ") for d in described), name
        assert any(b.label == "Opslaan" for b in at.button), name  # the edit form
        assert any(b.label == "Toevoegen" for b in at.button), name  # the new-row form
        export = at.dataframe[-1].value
        assert list(export.columns) == [f.label for f in ds.fields], name
        assert len(export) == len(rows), name


def test_an_indicator_value_saved_unchanged_keeps_every_number_exactly(app, engine):
    rows = writes.list_rows(engine, PT, "indicator_value")
    row = rows[rows["region_code"].notna() & rows["value"].notna()].iloc[0]
    before = writes.get_row(engine, PT, "indicator_value", int(row["id"]))
    at = app(PT)
    at.switch_page("pages/gegevens_beheren.py").run()
    at.selectbox(key="beheer_dataset").set_value("indicator_value").run()
    at.selectbox(key="beheer_row_indicator_value").set_value(int(row["id"])).run()
    form = f"edit-indicator_value-{row['id']}-{row['version']}"
    assert widget(at, "text_input", f"{form}-value").value not in ("", "nan")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    assert writes.get_row(engine, PT, "indicator_value", int(row["id"])) == before


def test_forms_offer_names_next_to_codes(app, engine):
    at = app(PT)
    at.switch_page("pages/gegevens_beheren.py").run()
    at.selectbox(key="beheer_dataset").set_value("decision").run()
    project = next(s for s in at.selectbox if s.label == "Project (optioneel)")
    assert any(o.startswith("PW-2 · ") for o in project.options)
    programme = next(s for s in at.selectbox if s.label == "Programma")
    assert "pluswijken · PlusWIJken" in programme.options
    assert "pluswijken" not in programme.options  # never the bare key


def test_publishing_from_gegevens_beheren_needs_the_no_names_check(app, engine):
    at = app(PT)
    at.switch_page("pages/gegevens_beheren.py").run()
    at.selectbox(key="beheer_dataset").set_value("decision").run()
    row_id = at.selectbox(key="beheer_row_decision").value
    summary = next(t for t in at.text_area if t.label == "Openbare samenvatting")
    summary.input("Meneer De Vries belde ons op 06-12345678.").run()
    warning = " ".join(w.value for w in at.warning)
    assert "telefoonnummer '06-12345678'" in warning and "Meneer De Vries" in warning
    assert next(b for b in at.button if b.label == "Publiceren").disabled

    clean = "Wijkbewoners kregen binnen een week hulp in plaats van na zes weken."
    next(t for t in at.text_area if t.label == "Openbare samenvatting").input(clean).run()
    next(c for c in at.checkbox if c.label.startswith("Gecontroleerd")).check().run()
    next(b for b in at.button if b.label == "Publiceren").click().run()
    assert not at.exception
    stored = writes.get_row(engine, PT, "decision", row_id)
    assert stored["published"] and stored["public_summary"] == clean
