"""Import: templates, upload checks, row-by-row problems, all-or-nothing, idempotent keys."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dashboard.domain.datasets import DATASETS
from dashboard.domain.i18n import fmt_number
from dashboard.domain.roles import AccessDenied, Role
from dashboard.domain.spreadsheet import unneutralise
from dashboard.store import importers, writes
from dashboard.ui import exports
from data_loaders.db import transaction
from data_loaders.models import AuditLog, KernteamQuarter

PT = Role.PROGRAMMATEAM


def filled_template(dataset: str, rows: list[dict]) -> bytes:
    """The downloadable template with rows typed in (by Dutch header), as a user would."""
    wb = load_workbook(io.BytesIO(importers.template(dataset)))
    sheet = wb[importers.DATA_SHEET]
    headers = [c.value for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def quarter_rows(quarter: str, admissions: list[int | str]) -> list[dict]:
    return [{"Kernteam": f"KT-{i + 1:02d}", "Kwartaal": quarter, "Kwetsbare ouderen in beeld": 100,
             "Met proactief zorgplan": 60, "Besproken in MDO": 20, "SEH-bezoeken": 6,
             "Ziekenhuisopnames": a, "Heropnames": 1, "Valincidenten": 2}
            for i, a in enumerate(admissions)]


def kernteam_state(engine) -> list[tuple]:
    with transaction(engine) as s:
        return s.execute(select(KernteamQuarter.id, KernteamQuarter.version,
                                KernteamQuarter.admissions)
                         .order_by(KernteamQuarter.id)).all()


def import_file(engine, dataset: str, data: bytes, filename: str = "k.xlsx"):
    """Check (the preview a user sees) and then commit with the preview's versions."""
    table = importers.read_upload(filename, data)
    preview = importers.check(engine, PT, dataset, table)
    return importers.commit(engine, "programmateam", PT, dataset, table, filename,
                            previewed=preview.versions())


def import_audit(engine) -> list[AuditLog]:
    with transaction(engine) as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == "importeren")))


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_template_has_every_column_and_instructions(dataset):
    wb = load_workbook(io.BytesIO(importers.template(dataset)))
    assert wb.sheetnames == ["Gegevens", "Instructies"]
    labels = [f.label for f in DATASETS[dataset].fields]
    assert [c.value for c in wb["Gegevens"][1]] == labels
    described = [r[0] for r in wb["Instructies"].iter_rows(values_only=True)]
    assert all(label in described for label in labels)
    assert importers.read_upload("leeg.xlsx", importers.template(dataset)).empty


def test_an_empty_template_imports_nothing_and_says_so(seeded_engine):
    table = importers.read_upload("leeg.xlsx", importers.template("budget"))
    checked = importers.check(seeded_engine, PT, "budget", table)
    assert [p.message for p in checked.problems] == ["Het bestand bevat geen rijen met gegevens."]


def test_one_bad_row_writes_nothing_and_names_row_and_column(seeded_engine):
    before = kernteam_state(seeded_engine)
    data = filled_template("kernteam_quarter", quarter_rows("2030-Q1", [4, 5, "veel", 3]))
    table = importers.read_upload("kwartaal.xlsx", data)
    checked = importers.check(seeded_engine, PT, "kernteam_quarter", table)
    assert [(p.row, p.label) for p in checked.problems] == [(4, "Ziekenhuisopnames")]
    assert "geheel getal" in checked.problems[0].message
    assert checked.problem_table().to_dict("records")[0]["Rij"] == 4

    result, _ = importers.commit(seeded_engine, "programmateam", PT, "kernteam_quarter", table,
                                 "kwartaal.xlsx", previewed=checked.versions())
    assert result.status == "ongeldig"
    assert [(p.row, p.label) for p in result.problems] == [(4, "Ziekenhuisopnames")]
    assert kernteam_state(seeded_engine) == before  # not even the three good rows
    assert [(a.result, a.new_values["bestand"]) for a in import_audit(seeded_engine)] == [
        ("ongeldig", "kwartaal.xlsx")]


def test_cross_field_rule_is_reported_per_row_in_a_csv(seeded_engine):
    text = ("Kernteam;Kwartaal;Kwetsbare ouderen in beeld;Met proactief zorgplan;Besproken in MDO;"
            "SEH-bezoeken;Ziekenhuisopnames;Heropnames;Valincidenten\n"
            "KT-01;2030-Q1;100;60;20;6;4;1;2\n"
            "KT-02;2030-Q1;100;160;20;6;4;1;2\n"
            "KT-01;2030-Q1;100;60;20;6;4;1;2\n")
    table = importers.read_upload("kwartaal.csv", text.encode())
    checked = importers.check(seeded_engine, PT, "kernteam_quarter", table)
    assert [(p.row, p.label) for p in checked.problems] == [
        (3, "Met proactief zorgplan"), (4, "Kernteam")]
    assert "kan niet groter zijn dan kwetsbare ouderen" in checked.problems[0].message
    assert "ook in rij 2" in checked.problems[1].message


def test_reimporting_the_same_file_changes_nothing(seeded_engine):
    data = filled_template("kernteam_quarter", quarter_rows("2030-Q1", [4, 5, 6]))
    first, _ = import_file(seeded_engine, "kernteam_quarter", data)
    assert first.ok and "3 nieuw" in first.message
    after_first = kernteam_state(seeded_engine)
    second, checked = import_file(seeded_engine, "kernteam_quarter", data)
    assert second.ok and checked.counts() == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 3}
    assert kernteam_state(seeded_engine) == after_first  # same rows, same versions
    # a corrected file updates just the changed row, once
    fixed = filled_template("kernteam_quarter", quarter_rows("2030-Q1", [4, 9, 6]))
    third, checked = import_file(seeded_engine, "kernteam_quarter", fixed)
    assert checked.counts() == {"nieuw": 0, "gewijzigd": 1, "ongewijzigd": 2}
    changed = [a for a, b in zip(after_first, kernteam_state(seeded_engine), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][2] == 5
    assert len(import_audit(seeded_engine)) == 3


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_exported_table_imports_back_unchanged(seeded_engine, dataset):
    rows = writes.list_rows(seeded_engine, Role.BESTUURDER, dataset)
    frame = importers.export_frame(dataset, rows)
    for name, data in (("export.xlsx", exports.to_xlsx(frame)),
                       ("export.csv", exports.to_csv(frame))):
        role = Role.BEHEERDER if DATASETS[dataset].permission == "administer" else PT
        checked = importers.check(seeded_engine, role, dataset, importers.read_upload(name, data))
        assert checked.ok, checked.problems[:3]
        assert checked.counts()["ongewijzigd"] == len(rows), (name, checked.counts())


def test_uploads_are_checked_by_content_size_and_type():
    with pytest.raises(importers.UploadError, match="geen Excel-werkmap"):
        importers.read_upload("cijfers.xlsx", b"Kernteam;Kwartaal\nKT-01;2025-Q1\n")
    xlsx = importers.template("budget")
    with pytest.raises(importers.UploadError, match="Excel-werkmap"):
        importers.read_upload("cijfers.csv", xlsx)
    with pytest.raises(importers.UploadError, match="binaire"):
        importers.read_upload("cijfers.csv", b"Jaar\x00;x\n")
    with pytest.raises(importers.UploadError, match="te groot"):
        importers.read_upload("cijfers.csv", b"a" * (importers.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(importers.UploadError, match=r"\.xlsx- en \.csv"):
        importers.read_upload("cijfers.exe", xlsx)


def test_unknown_and_missing_columns_are_reported_on_row_1(seeded_engine):
    table = importers.read_upload("b.csv", b"Jaar;Financier;Bedrag;Wet\n2030;CZ;5;Zvw\n")
    checked = importers.check(seeded_engine, PT, "budget", table)
    assert {(p.row, p.label) for p in checked.problems} == {
        (1, "Bedrag"), (1, "Programma"), (1, "Bedrag (euro)")}


def test_import_is_refused_to_a_bestuurder_and_audited(seeded_engine):
    table = importers.read_upload("k.xlsx", filled_template(
        "kernteam_quarter", quarter_rows("2030-Q1", [4])))
    with pytest.raises(AccessDenied):
        importers.check(seeded_engine, Role.BESTUURDER, "kernteam_quarter", table)
    with pytest.raises(AccessDenied):
        importers.commit(seeded_engine, "bestuurder", Role.BESTUURDER, "kernteam_quarter", table,
                         previewed={})
    assert [a.result for a in import_audit(seeded_engine)] == ["geweigerd"]
    with transaction(seeded_engine) as s:
        assert not s.scalar(select(func.count()).select_from(KernteamQuarter)
                            .where(KernteamQuarter.quarter == "2030-Q1"))


# ---------------------------------------------------------------- lost updates (issue item 7)


def coach_rows(engine, n: int = 3) -> list[dict]:
    rows = writes.list_rows(engine, PT, "coach_month").head(n)
    return [r for r in rows.to_dict("records")]


def as_csv(dataset: str, rows: list[dict]) -> bytes:
    frame = importers.export_frame(dataset, pd.DataFrame(rows))
    return exports.to_csv(frame)


def values_of(dataset: str, row: dict) -> dict:
    return {f.name: row[f.name] for f in DATASETS[dataset].fields}


def test_a_colleagues_save_after_the_preview_is_never_overwritten(seeded_engine):
    """Regression: a file previewed as 'ongewijzigd' (waiting list 4) was committed after a
    colleague saved 99, and silently put 4 back."""
    first = coach_rows(seeded_engine, 1)[0]
    data = as_csv("coach_month", [first])
    table = importers.read_upload("maand.csv", data)
    preview = importers.check(seeded_engine, PT, "coach_month", table)
    assert preview.counts() == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 1}

    theirs = values_of("coach_month", first) | {"waiting_list": 99}
    assert writes.update(seeded_engine, "beheerder", PT, "coach_month", first["id"],
                         first["version"], theirs).ok

    result, _ = importers.commit(seeded_engine, "programmateam", PT, "coach_month", table,
                                 "maand.csv", previewed=preview.versions())
    assert result.status == "conflict"
    key = DATASETS["coach_month"].describe(first)
    assert [(p.row, p.message) for p in result.problems] == [
        (2, f"Rij 2 ({key}) is intussen gewijzigd door iemand anders; controleer het bestand "
            "opnieuw.")]
    assert writes.get_row(seeded_engine, PT, "coach_month", first["id"])["waiting_list"] == 99
    audit = import_audit(seeded_engine)
    assert [(a.result, a.new_values["conflicten"]) for a in audit] == [
        ("conflict", [{"rij": 2, "sleutel": key}])]


def test_an_import_is_refused_whole_when_one_row_changed_or_appeared_since_the_preview(
        seeded_engine):
    rows = coach_rows(seeded_engine, 2)
    changed = values_of("coach_month", rows[1]) | {"waiting_list": rows[1]["waiting_list"] + 1}
    new = values_of("coach_month", rows[0]) | {"month": dt.date(2031, 1, 1)}
    data = as_csv("coach_month", [rows[0], {**rows[1], **changed}, new])
    table = importers.read_upload("maand.csv", data)
    preview = importers.check(seeded_engine, PT, "coach_month", table)
    assert preview.counts() == {"nieuw": 1, "gewijzigd": 1, "ongewijzigd": 1}
    before = writes.list_rows(seeded_engine, PT, "coach_month")

    # a colleague adds the very row the file would add
    assert writes.create(seeded_engine, "beheerder", PT, "coach_month", new).ok
    result, _ = importers.commit(seeded_engine, "programmateam", PT, "coach_month", table,
                                 "maand.csv", previewed=preview.versions())
    assert result.status == "conflict"
    assert [p.row for p in result.problems] == [4]
    after = writes.list_rows(seeded_engine, PT, "coach_month")
    assert len(after) == len(before) + 1  # only the colleague's row
    assert after.set_index("id").loc[rows[1]["id"], "waiting_list"] == rows[1]["waiting_list"]

    # checked again, the same file imports: row 3 changes, the colleague's row is the same
    again, checked = import_file(seeded_engine, "coach_month", data, "maand.csv")
    assert again.ok, again.message
    assert checked.counts() == {"nieuw": 0, "gewijzigd": 1, "ongewijzigd": 2}
    assert [a.result for a in import_audit(seeded_engine)] == ["conflict", "ok"]


def test_the_import_audit_row_holds_every_rows_old_and_new_values(seeded_engine):
    base = filled_template("kernteam_quarter", quarter_rows("2030-Q1", [4, 5, 6]))
    assert import_file(seeded_engine, "kernteam_quarter", base)[0].ok
    new_rows = quarter_rows("2030-Q1", [4, 9, 6]) + quarter_rows("2030-Q2", [1] * 30)
    result, _ = import_file(seeded_engine, "kernteam_quarter",
                            filled_template("kernteam_quarter", new_rows))
    assert result.ok
    logged = import_audit(seeded_engine)[-1].new_values
    assert (logged["nieuw"], logged["gewijzigd"], logged["ongewijzigd"]) == (30, 1, 2)
    rows = logged["rijen"]
    assert len(rows) == 31  # every changed and new row, no 200 cap, unchanged rows left out
    assert rows[0] == {"rij": 3, "sleutel": "KT-02 · 2030-Q1",
                       "oud": {"admissions": 5}, "nieuw": {"admissions": 9}}
    assert rows[1]["oud"] is None and rows[1]["nieuw"]["quarter"] == "2030-Q2"
    assert rows[1]["nieuw"]["kernteam"] == "KT-01" and rows[1]["nieuw"]["admissions"] == 1


def test_more_than_200_imported_rows_are_all_in_the_audit(seeded_engine):
    rows = [{"Programma": "pluswijken", "Jaar": 2100 - i // 24, "Financier": f,
             "Wet": law, "Bedrag (euro)": i}
            for i, (f, law) in enumerate(
                (f, law) for _ in range(11) for f in ("gemeente", "VGZ", "CZ", "provincie")
                for law in ("Zvw", "Wmo", "Jeugdwet", "Participatiewet", "Wpg", "Wlz"))]
    assert len(rows) == 264
    result, _ = import_file(seeded_engine, "budget", filled_template("budget", rows))
    assert result.ok, result.message
    assert len(import_audit(seeded_engine)[-1].new_values["rijen"]) == 264


# ---------------------------------------------------------------- Dutch numbers (issue item 3)


def test_dutch_thousands_in_a_csv_are_thousands_and_an_ambiguous_number_is_refused(
        seeded_engine):
    text = ("Programma;Jaar;Financier;Wet;Bedrag (euro)\n"
            "pluswijken;2031;CZ;Zvw;1.500\n"
            "pluswijken;2031;CZ;Wmo;12.345\n"
            "pluswijken;2031;CZ;Wpg;2.500.000\n"
            "pluswijken;2031;CZ;Wlz;1.234,5\n")
    result, checked = import_file(seeded_engine, "budget", text.encode(), "b.csv")
    assert result.ok, result.problems
    assert [p.values["amount_eur"] for p in checked.plans] == [1500, 12345, 2_500_000, 1234.5]

    bad = importers.read_upload("b.csv", (text + "pluswijken;2031;VGZ;Zvw;1.5\n").encode())
    checked = importers.check(seeded_engine, PT, "budget", bad)
    assert [(p.row, p.label) for p in checked.problems] == [(6, "Bedrag (euro)")]
    assert "gebruik een komma als decimaalteken" in checked.problems[0].message


def test_numeric_excel_cells_are_taken_as_numbers_exactly(seeded_engine):
    """A number cell is a float already: 12.345 stays 12.345 (as text it would be 12345)."""
    amounts = [1.5, 12.345, 1500.25]
    data = filled_template("budget", [{"Programma": "pluswijken", "Jaar": 2031, "Financier": "CZ",
                                       "Wet": law, "Bedrag (euro)": amount}
                                      for law, amount in zip(("Zvw", "Wmo", "Wpg"), amounts)])
    checked = importers.check(seeded_engine, PT, "budget", importers.read_upload("b.xlsx", data))
    assert checked.ok
    assert [p.values["amount_eur"] for p in checked.plans] == amounts


def test_a_neutralised_export_cell_imports_as_the_text_it_was(seeded_engine):
    """The export writes '=SOM(A1) so Excel shows text, not a formula; import strips
    exactly that one apostrophe again, so the value round-trips unchanged."""
    row = writes.list_rows(seeded_engine, PT, "indicator_value").iloc[0].to_dict()
    frame = importers.export_frame("indicator_value", pd.DataFrame([row]))
    frame["Toelichting"] = ["=SOM(A1)"]  # stored text that looks like a formula
    for name, data in (("t.csv", exports.to_csv(frame)), ("t.xlsx", exports.to_xlsx(frame))):
        if name.endswith(".csv"):
            assert "'=SOM(A1)" in data.decode("utf-8-sig")  # Excel shows it as text
        checked = importers.check(seeded_engine, PT, "indicator_value",
                                  importers.read_upload(name, data))
        assert checked.ok, checked.problems
        assert checked.plans[0].values["note"] == "=SOM(A1)"
    assert unneutralise("'+31 6") == "+31 6"
    assert unneutralise("'=x") == "=x" and unneutralise("''=x") == "'=x"
    assert unneutralise("'t Hoen") == "'t Hoen"


def test_the_template_instructions_read_the_dutch_way():
    """Thousands were once made by replacing every comma with a dot, which also turned
    'scheidingsteken), hoogstens' into 'scheidingsteken). hoogstens'."""
    sheet = load_workbook(io.BytesIO(importers.template("coach_month")))["Instructies"]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "(puntkomma of komma als scheidingsteken), hoogstens" in text
    assert f"{fmt_number(importers.MAX_ROWS)} rijen" in text and "20.000 rijen" in text
