"""Areas for the beheerder through the dataset machinery: name, programme, municipality, CBS
codes (the area's parts), start date and active. Sjabloon → import → export → import again
changes nothing; a bad CBS code is named by row and column; a change of parts is audited;
an area with figures is deactivated, never deleted."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.domain.datasets import DATASETS, datasets_for
from dashboard.domain.roles import AccessDenied, Role
from dashboard.store import importers, writes
from dashboard.ui import exports
from data_loaders.db import transaction
from data_loaders.models import Area, AreaPart, AuditLog

BH, PT = Role.BEHEERDER, Role.PROGRAMMATEAM

ROWS = [
    {"Sleutel": "welten", "Naam": "Welten", "Programma": "pluswijken", "Gemeentecode": "gm0917",
     "Gemeente": "Heerlen", "CBS-codes": "WK091705, BU09170501", "Startdatum": "2026-01-01",
     "Lengtegraad": "5,96", "Breedtegraad": "50,87"},
    {"Sleutel": "nieuwstad", "Naam": "Nieuwstad", "Programma": "pluswijken",
     "Gemeentecode": "GM0917", "Gemeente": "Heerlen", "Startdatum": "01-03-2026",
     "Lengtegraad": 5.98, "Breedtegraad": 50.88,
     "Toelichting": "indeling nog niet bevestigd", "Actief": "nee"},
]


def filled_template(rows: list[dict]) -> bytes:
    wb = load_workbook(io.BytesIO(importers.template("area")))
    sheet = wb[importers.DATA_SHEET]
    headers = [c.value for c in sheet[1]]
    assert all(h in headers for row in rows for h in row), "a header not in the template"
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_file(engine, data: bytes, filename: str = "gebieden.xlsx", role: Role = BH):
    table = importers.read_upload(filename, data)
    preview = importers.check(engine, role, "area", table)
    return importers.commit(engine, role.value, role, "area", table, filename,
                            previewed=preview.versions())


def parts(engine, key: str) -> list[tuple[str, str]]:
    with transaction(engine) as s:
        return sorted(s.execute(select(AreaPart.cbs_code, AreaPart.level).join(Area)
                                .where(Area.key == key)).all())


def area_row(engine, key: str):
    rows = writes.list_rows(engine, BH, "area")
    return rows[rows["key"] == key].iloc[0]


def test_areas_round_trip_and_their_cbs_codes_become_parts(seeded_engine):
    before = len(writes.list_rows(seeded_engine, BH, "area"))
    result, checked = import_file(seeded_engine, filled_template(ROWS))
    assert result.ok, [(p.row, p.label, p.message) for p in result.problems]
    assert checked.counts() == {"nieuw": 2, "gewijzigd": 0, "ongewijzigd": 0}
    rows = writes.list_rows(seeded_engine, BH, "area")
    assert len(rows) == before + 2
    assert parts(seeded_engine, "welten") == [("BU09170501", "buurt"), ("WK091705", "wijk")]
    assert parts(seeded_engine, "nieuwstad") == []
    shown = rows.set_index("key")
    assert shown.loc["welten", "municipality_code"] == "GM0917"  # stored in capitals
    assert shown.loc["welten", "active"] is True and shown.loc["nieuwstad", "active"] is False

    exported = importers.export_frame("area", rows)
    for name, data in (("export.xlsx", exports.to_xlsx(exported)),
                       ("export.csv", exports.to_csv(exported))):
        again, checked = import_file(seeded_engine, data, name)
        assert again.ok, again.problems[:3]
        assert checked.counts() == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": len(rows)}, name
    assert writes.list_rows(seeded_engine, BH, "area").equals(rows)  # nothing rewritten


@pytest.mark.parametrize(("cell", "words"), [
    ({"CBS-codes": "WK091705, BU0917050"}, "CBS-code 'BU0917050' is geen buurtcode"),
    ({"CBS-codes": "WK093501"}, "ligt niet in gemeente GM0917"),
    ({"Gemeentecode": "GM917"}, "geen gemeentecode"),
])
def test_a_bad_cbs_code_is_named_by_row_and_column_and_nothing_is_written(seeded_engine, cell,
                                                                          words):
    before = writes.list_rows(seeded_engine, BH, "area")
    result, _ = import_file(seeded_engine, filled_template([ROWS[1], ROWS[0] | cell]))
    assert not result.ok
    column = "Gemeentecode" if "Gemeentecode" in cell else "CBS-codes"
    assert [(p.row, p.label) for p in result.problems] == [(3, column)]
    assert words in result.problems[0].message
    assert writes.list_rows(seeded_engine, BH, "area").equals(before)  # all or nothing


def test_an_area_without_parts_needs_a_note(seeded_engine):
    result, _ = import_file(seeded_engine, filled_template([ROWS[1] | {"Toelichting": None}]))
    assert [(p.row, p.label) for p in result.problems] == [(2, "Toelichting")]
    assert "Zonder CBS-codes is een toelichting verplicht" in result.problems[0].message


def test_changing_an_areas_cbs_codes_is_audited_and_conflict_safe(seeded_engine):
    row = area_row(seeded_engine, "hoensbroek")
    values = {f.name: row[f.name] for f in DATASETS["area"].fields}
    old_codes = list(values["cbs_codes"])
    new_codes = [*old_codes[1:], "BU09171599"]  # one part dropped, one added, the rest kept
    saved = writes.update(seeded_engine, "beheerder", BH, "area", int(row["id"]),
                          int(row["version"]), values | {"cbs_codes": ", ".join(new_codes)})
    assert saved.ok, saved.message
    assert [c for c, _ in parts(seeded_engine, "hoensbroek")] == sorted(new_codes)
    assert saved.version > int(row["version"])  # a change of parts alone raises the version
    with transaction(seeded_engine) as s:
        last = s.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        assert (last.action, last.result, last.object_type) == ("wijzigen", "ok", "area")
        assert last.old_values["cbs_codes"] == old_codes
        assert last.new_values["cbs_codes"] == sorted(new_codes)

    stale = writes.update(seeded_engine, "beheerder", BH, "area", int(row["id"]),
                          int(row["version"]), values)  # the version this user saw
    assert stale.status == "conflict"
    assert [c for c, _ in parts(seeded_engine, "hoensbroek")] == sorted(new_codes)


def test_an_area_with_figures_is_deactivated_not_deleted(seeded_engine):
    row = area_row(seeded_engine, "hoensbroek")
    refused = writes.delete(seeded_engine, "beheerder", BH, "area", int(row["id"]),
                            int(row["version"]))
    assert not refused.ok and refused.message.startswith("Niet verwijderd: bij het gebied")
    assert "indicatorwaarden" in refused.message and "Actief" in refused.message
    assert writes.get_row(seeded_engine, BH, "area", int(row["id"])) is not None
    assert parts(seeded_engine, "hoensbroek")  # its parts are still there

    values = {f.name: row[f.name] for f in DATASETS["area"].fields} | {"active": False}
    assert writes.update(seeded_engine, "beheerder", BH, "area", int(row["id"]),
                         int(row["version"]), values).ok
    assert "hoensbroek" not in writes.reference_keys(seeded_engine, Role.PROGRAMMATEAM,
                                                     "coach")["area"]

    assert import_file(seeded_engine, filled_template(ROWS[:1]))[0].ok
    new = area_row(seeded_engine, "welten")
    assert writes.delete(seeded_engine, "beheerder", BH, "area", int(new["id"]),
                         int(new["version"])).ok  # no figures yet: a mistake may be removed
    assert parts(seeded_engine, "welten") == []


def test_areas_are_for_the_beheerder(seeded_engine):
    assert "area" in datasets_for(BH) and "area" not in datasets_for(PT)
    table = importers.read_upload("g.xlsx", filled_template(ROWS))
    with pytest.raises(AccessDenied):
        importers.check(seeded_engine, PT, "area", table)
