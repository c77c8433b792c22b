"""Import: templates, upload checks, row-by-row problems, all-or-nothing, idempotent keys."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dashboard.store import writes
from dashboard.domain.datasets import DATASETS
from dashboard.domain.roles import AccessDenied, Role
from dashboard.ui import exports
from dashboard.store import importers
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
                                 "kwartaal.xlsx")
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
    first, _ = importers.commit(seeded_engine, "programmateam", PT, "kernteam_quarter",
                                importers.read_upload("k.xlsx", data), "k.xlsx")
    assert first.ok and "3 nieuw" in first.message
    after_first = kernteam_state(seeded_engine)
    second, checked = importers.commit(seeded_engine, "programmateam", PT, "kernteam_quarter",
                                       importers.read_upload("k.xlsx", data), "k.xlsx")
    assert second.ok and checked.counts() == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 3}
    assert kernteam_state(seeded_engine) == after_first  # same rows, same versions
    # a corrected file updates just the changed row, once
    fixed = filled_template("kernteam_quarter", quarter_rows("2030-Q1", [4, 9, 6]))
    third, checked = importers.commit(seeded_engine, "programmateam", PT, "kernteam_quarter",
                                      importers.read_upload("k.xlsx", fixed), "k.xlsx")
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
        checked = importers.check(seeded_engine, PT, dataset, importers.read_upload(name, data))
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
    table = importers.read_upload("b.csv", "Jaar;Financier;Bedrag;Wet\n2030;CZ;5;Zvw\n".encode())
    checked = importers.check(seeded_engine, PT, "budget", table)
    assert {(p.row, p.label) for p in checked.problems} == {
        (1, "Bedrag"), (1, "Programma"), (1, "Bedrag (euro)")}


def test_import_is_refused_to_a_bestuurder_and_audited(seeded_engine):
    table = importers.read_upload("k.xlsx", filled_template(
        "kernteam_quarter", quarter_rows("2030-Q1", [4])))
    with pytest.raises(AccessDenied):
        importers.check(seeded_engine, Role.BESTUURDER, "kernteam_quarter", table)
    with pytest.raises(AccessDenied):
        importers.commit(seeded_engine, "bestuurder", Role.BESTUURDER, "kernteam_quarter", table)
    assert [a.result for a in import_audit(seeded_engine)] == ["geweigerd"]
    with transaction(seeded_engine) as s:
        assert not s.scalar(select(func.count()).select_from(KernteamQuarter)
                            .where(KernteamQuarter.quarter == "2030-Q1"))
