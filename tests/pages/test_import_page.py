"""AppTest of the Importeren page: who gets an uploader at all, the uploaded file's short
life, and a colleague's save between preview and import."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.domain.datasets import DATASETS
from dashboard.domain.roles import Role, pages_for
from dashboard.store import importers, writes
from dashboard.ui import exports

PT = Role.PROGRAMMATEAM


@pytest.mark.parametrize("role", [Role.PUBLIEK, Role.BESTUURDER])
def test_no_page_a_visitor_or_bestuurder_can_reach_has_a_file_uploader(app, role):
    at = app(role)
    for page in pages_for(role):
        at.switch_page(page.path).run()
        assert not at.exception, page.title
        assert not at.file_uploader, page.title


def test_the_programme_team_gets_one_uploader_on_importeren(app):
    at = app(PT)
    at.switch_page("pages/importeren.py").run()
    assert [u.label for u in at.file_uploader] == ["Bestand (.xlsx of .csv, hoogstens 5 MB)"]
    assert "Hoogstens 5 MB en 20.000 rijen" in at.file_uploader[0].help


def csv_of(rows: pd.DataFrame) -> bytes:
    return exports.to_csv(importers.export_frame("coach_month", rows))


def open_import(app, dataset: str):
    at = app(PT)
    at.switch_page("pages/importeren.py").run()
    at.selectbox(key="import_dataset").set_value(dataset).run()
    return at


def test_a_colleagues_save_between_preview_and_import_is_not_overwritten(app, engine):
    row = writes.list_rows(engine, PT, "coach_month").iloc[[0]]
    at = open_import(app, "coach_month")
    first_key = at.file_uploader[0].key
    at.file_uploader[0].set_value(("maand.csv", csv_of(row), "text/csv")).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Ongewijzigd"] == "1"
    assert at.file_uploader[0].key != first_key and at.file_uploader[0].value is None

    record = row.iloc[0].to_dict()
    theirs = {f.name: record[f.name] for f in DATASETS["coach_month"].fields} | {"waiting_list": 99}
    assert writes.update(engine, "beheerder", PT, "coach_month", record["id"], record["version"],
                         theirs).ok

    next(b for b in at.button if b.label == "Inlezen").click().run()
    assert not at.exception
    assert "intussen gewijzigd door iemand anders" in at.error[0].value
    listed = at.dataframe[0].value
    assert listed["Rij"].tolist() == [2]
    assert "controleer het bestand opnieuw" in listed["Probleem"][0]
    assert writes.get_row(engine, PT, "coach_month", record["id"])["waiting_list"] == 99
    assert at.file_uploader[0].value is None  # pick the checked file again


def test_a_checked_file_is_imported_once_and_the_uploader_comes_back_empty(app, engine):
    text = "Programma;Jaar;Financier;Wet;Bedrag (euro)\npluswijken;2040;CZ;Zvw;1.500\n"
    at = open_import(app, "budget")
    at.file_uploader[0].set_value(("budget.csv", text.encode(), "text/csv")).run()
    assert {m.label: m.value for m in at.metric}["Nieuw"] == "1"
    next(b for b in at.button if b.label == "Inlezen").click().run()
    assert not at.exception
    assert at.success[0].value == "Ingelezen: 1 nieuw, 0 gewijzigd, 0 ongewijzigd."
    assert at.file_uploader and at.file_uploader[0].value is None
    budgets = writes.list_rows(engine, PT, "budget")
    assert budgets[budgets["year"] == 2040]["amount_eur"].tolist() == [1500.0]


def test_an_unreadable_upload_is_explained_and_the_uploader_comes_back(app):
    at = open_import(app, "budget")
    at.file_uploader[0].set_value(("budget.xlsx", b"geen excel", "application/octet-stream"))
    at.run()
    assert "geen Excel-werkmap" in at.error[0].value
    assert at.file_uploader and at.file_uploader[0].value is None


def test_reading_an_upload_drops_streamlits_copy_of_the_file(monkeypatch):
    from types import SimpleNamespace

    import streamlit.runtime.scriptrunner as scriptrunner
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    from dashboard.ui import edit_ui

    manager = MemoryUploadedFileManager("/upload")
    record = UploadedFileRec(file_id="f1", name="b.csv", type="text/csv", data=b"a;b\n")
    manager.add_file("session", record)
    monkeypatch.setattr(scriptrunner, "get_script_run_ctx",
                        lambda: SimpleNamespace(session_id="session", uploaded_file_mgr=manager))
    assert edit_ui.take_upload(UploadedFile(record, None)) == b"a;b\n"
    assert manager.get_files("session", ["f1"]) == []
