"""Master data and links through the dataset machinery: the indicator catalogue, reference
values, coaches, kernteams, interventions, spending, decision evidence, settings, and the
areas and cases of projects and decisions. Each one goes sjabloon → import → export →
import again unchanged; a bad cell is named by row and column; master data that figures
depend on is deactivated, never deleted from under them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.domain.datasets import DATASETS, datasets_for
from dashboard.domain.roles import AccessDenied, Permission, Role
from dashboard.store import importers, settings, writes
from dashboard.ui import exports
from data_loaders.db import transaction
from data_loaders.models import AuditLog

PT, BH = Role.PROGRAMMATEAM, Role.BEHEERDER

# Rows as a user types them under the template's Dutch headers (keys from the demo data).
ROWS: dict[str, list[dict]] = {
    "indicator": [
        {"Sleutel": "eenzaam_ernstig", "Naam": "Ernstig eenzaam", "Definitie": "Percentage "
         "volwassenen dat zich ernstig eenzaam voelt.", "Eenheid": "%",
         "Polariteit": "lager is beter", "Bron": "GGD Gezondheidsmonitor",
         "Licentie en bronvermelding": "GGD Zuid Limburg", "Soort periode": "meting",
         "Peildatum": "najaar van het jaar", "Eigenaar": "GGD Zuid Limburg",
         "Laatst bijgewerkt": "2025-12-01", "Onthullingsregel": "standaard",
         "Verhoudingsgetal": "ja", "Vermenigvuldiger": 100, "Uit enquête": "ja",
         "Openbaar": "nee", "Actief": "ja"},
        {"Sleutel": "mantelzorgers", "Naam": "Mantelzorgers", "Definitie": "Aantal.",
         "Eenheid": "aantal", "Polariteit": "neutraal", "Bron": "Gemeente",
         "Soort periode": "jaar", "Eigenaar": "Gemeente Heerlen"},
    ],
    "reference_value": [
        {"Indicator": "ggz_kosten", "Referentie": "NL", "Periode": "2031", "Waarde": "280,5",
         "Status": "ok"},
        {"Indicator": "ggz_kosten", "Referentie": "gm0917", "Periode": "2031", "Waarde": 301,
         "Ondergrens (95%)": 290, "Bovengrens (95%)": 312, "Status": "ok"},
        {"Indicator": "ggz_kosten", "Referentie": "ZL", "Periode": "2031", "Status": "onderdrukt"},
    ],
    "coach": [
        {"Code": "WC-91", "Fte": "0,8", "Gebied": "limmel", "Startdatum": "2026-01-01"},
        {"Code": "WC-92", "Fte": 1, "Gebied": "hoensbroek", "Startdatum": "01-02-2026",
         "Einddatum": "2026-10-31", "Actief": "nee"},
    ],
    "kernteam": [
        {"Code": "KT-91", "Naam": "Kernteam Limmel 91", "Gebied": "limmel",
         "PlusPraktijk": "PlusPraktijk Limmel", "Disciplines": "huisarts, wijkverpleging, welzijn",
         "Startdatum": "2026-01-01"},
    ],
    "intervention": [
        {"Interventie": "Valpreventie in de wijk", "Startdatum": "2026-04-01", "Kernteam": "KT-01",
         "In de run chart": "nieuwe fase"},
        {"Interventie": "Buurtcoach erbij", "Startdatum": "2026-05-01", "Gebied": "limmel",
         "Project": "PW-1"},
    ],
    "spending": [
        {"Jaar": 2031, "Gebied": "limmel", "Wet": "Wmo", "Bedrag (euro)": "12.500,50"},
        {"Jaar": 2031, "Project": "PW-1", "Wet": "Zvw", "Bedrag (euro)": 8000},
    ],
    "decision_evidence": [
        {"Besluit": "2018-06-12 Positieve Gezondheid", "Kernteam": "KT-04", "Maat": "falls",
         "Vergelijkingsreeks": "ja", "Verwachte richting": "omlaag"},
        {"Besluit": "2018-06-12 Positieve Gezondheid", "Indicator": "ggz_kosten",
         "Gebied": "limmel"},
    ],
    "setting": [
        {"Instelling": "stale_periods", "Waarde": 3},
        {"Instelling": "review_horizon_days", "Waarde": 45},
    ],
}

# One bad row per dataset: (row as typed, column label named in the problem, words in it).
BAD: dict[str, tuple[dict, str, str]] = {
    "indicator": (ROWS["indicator"][1] | {"Polariteit": "beter"}, "Polariteit",
                  "moet een van deze waarden zijn"),
    "reference_value": (ROWS["reference_value"][0] | {"Referentie": "hoensbroek"}, "Referentie",
                        "geen gemeentecode"),
    "coach": (ROWS["coach"][0] | {"Code": "Jan Jansen"}, "Code", "vul nooit een naam in"),
    "kernteam": (ROWS["kernteam"][0] | {"Disciplines": "huisarts, tovenaar"}, "Disciplines",
                 "'tovenaar' is onbekend"),
    "intervention": (ROWS["intervention"][0] | {"Gebied": "limmel"}, "Kernteam",
                     "precies één van Kernteam en Gebied"),
    "spending": (ROWS["spending"][0] | {"Gebied": None}, "Gebied", "een gebied, een project"),
    "decision_evidence": (ROWS["decision_evidence"][0] | {"Besluit": "2018-06-12 Bestaat niet"},
                          "Besluit", "bestaat niet"),
    "setting": (ROWS["setting"][0] | {"Waarde": 40}, "Waarde", "tussen 1 en 12"),
}


def role_for(dataset: str) -> Role:
    return BH if DATASETS[dataset].permission == Permission.ADMINISTER else PT


def filled_template(dataset: str, rows: list[dict]) -> bytes:
    """The downloadable template with rows typed in (by Dutch header), as a user would."""
    wb = load_workbook(io.BytesIO(importers.template(dataset)))
    sheet = wb[importers.DATA_SHEET]
    headers = [c.value for c in sheet[1]]
    assert all(h in headers for row in rows for h in row), "a header not in the template"
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_file(engine, dataset: str, data: bytes, filename: str = "bestand.xlsx"):
    role = role_for(dataset)
    table = importers.read_upload(filename, data)
    preview = importers.check(engine, role, dataset, table)
    return importers.commit(engine, role.value, role, dataset, table, filename,
                            previewed=preview.versions())


@pytest.mark.parametrize("dataset", list(ROWS))
def test_template_import_export_import_again_changes_nothing(seeded_engine, dataset):
    role = role_for(dataset)
    before = len(writes.list_rows(seeded_engine, role, dataset))
    result, checked = import_file(seeded_engine, dataset, filled_template(dataset, ROWS[dataset]))
    assert result.ok, [(p.row, p.label, p.message) for p in result.problems]
    assert checked.counts() == {"nieuw": len(ROWS[dataset]), "gewijzigd": 0, "ongewijzigd": 0}
    rows = writes.list_rows(seeded_engine, role, dataset)
    assert len(rows) == before + len(ROWS[dataset])

    exported = importers.export_frame(dataset, rows)
    for name, data in (("export.xlsx", exports.to_xlsx(exported)),
                       ("export.csv", exports.to_csv(exported))):
        again, checked = import_file(seeded_engine, dataset, data, name)
        assert again.ok, again.problems[:3]
        assert checked.counts() == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": len(rows)}, name
    after = writes.list_rows(seeded_engine, role, dataset)
    assert after.equals(rows)  # same values and versions: nothing was rewritten


@pytest.mark.parametrize("dataset", list(BAD))
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_written(seeded_engine, dataset):
    row, column, words = BAD[dataset]
    role = role_for(dataset)
    before = writes.list_rows(seeded_engine, role, dataset)
    data = filled_template(dataset, [ROWS[dataset][-1], row])
    result, _ = import_file(seeded_engine, dataset, data)
    assert not result.ok
    assert [(p.row, p.label) for p in result.problems] == [(3, column)]
    assert words in result.problems[0].message
    assert writes.list_rows(seeded_engine, role, dataset).equals(before)  # all or nothing


def test_values_typed_in_the_template_are_stored_as_meant(seeded_engine):
    for dataset in ("reference_value", "coach", "intervention", "indicator"):
        assert import_file(seeded_engine, dataset, filled_template(dataset, ROWS[dataset]))[0].ok
    refs = writes.list_rows(seeded_engine, PT, "reference_value")
    new = refs[refs["period"] == "2031"].set_index("region_code")
    assert new.loc["GM0917", "upper"] == 312  # the code is stored in capitals
    coaches = writes.list_rows(seeded_engine, PT, "coach").set_index("code")
    assert coaches.loc["WC-91", "active"] is True  # a blank Actief means ja
    assert coaches.loc["WC-92", "active"] is False
    steps = writes.list_rows(seeded_engine, PT, "intervention").set_index("label")
    assert steps.loc["Buurtcoach erbij", "method"] == "basislijn"  # blank: the default
    assert steps.loc["Valpreventie in de wijk", "method"] == "nieuwe fase"
    catalogue = writes.list_rows(seeded_engine, BH, "indicator").set_index("key")
    assert catalogue.loc["mantelzorgers", "disclosure_rule"] == "standaard"
    assert catalogue.loc["mantelzorgers", "multiplier"] == 1.0


def test_reference_values_are_only_municipality_zuid_limburg_and_nederland(seeded_engine):
    refs = writes.list_rows(seeded_engine, PT, "reference_value")
    codes = set(refs["region_code"])
    assert {"ZL", "NL"} <= codes and all(c in ("ZL", "NL") or c.startswith("GM") for c in codes)
    area_row = writes.list_rows(seeded_engine, PT, "indicator_value")
    area_id = int(area_row[area_row["area"].notna()].iloc[0]["id"])
    assert writes.get_row(seeded_engine, PT, "reference_value", area_id) is None


def test_a_coach_with_months_is_not_deleted_but_can_be_deactivated(seeded_engine):
    coach = writes.list_rows(seeded_engine, PT, "coach").iloc[0].to_dict()
    refused = writes.delete(seeded_engine, "programmateam", PT, "coach", int(coach["id"]),
                            int(coach["version"]))
    assert not refused.ok
    assert "maandcijfers" in refused.message and "Actief" in refused.message
    assert "Niet verwijderd" in refused.message
    assert writes.get_row(seeded_engine, PT, "coach", int(coach["id"])) is not None
    with transaction(seeded_engine) as s:
        last = s.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        assert (last.action, last.result, last.object_type) == ("verwijderen", "ongeldig", "coach")

    values = {f.name: coach[f.name] for f in DATASETS["coach"].fields} | {"active": False}
    saved = writes.update(seeded_engine, "programmateam", PT, "coach", int(coach["id"]),
                          int(coach["version"]), values)
    assert saved.ok, saved.message
    assert writes.get_row(seeded_engine, PT, "coach", int(coach["id"]))["active"] is False

    new = writes.create(seeded_engine, "programmateam", PT, "coach",
                        {"code": "WC-93", "fte": 1, "area": "limmel", "started_on": "2026-01-01"})
    assert writes.delete(seeded_engine, "programmateam", PT, "coach", new.row_id,
                         new.version).ok  # no figures yet: a mistake may be removed


@pytest.mark.parametrize(("dataset", "words"), [("kernteam", "kwartaalcijfers"),
                                                ("indicator", "waarden")])
def test_other_master_data_with_figures_is_not_deleted(seeded_engine, dataset, words):
    role = role_for(dataset)
    row = writes.list_rows(seeded_engine, role, dataset).iloc[0]
    refused = writes.delete(seeded_engine, role.value, role, dataset, int(row["id"]),
                            int(row["version"]))
    assert not refused.ok and words in refused.message


def test_catalogue_and_settings_are_for_the_beheerder(seeded_engine):
    assert "indicator" not in datasets_for(PT) and "setting" not in datasets_for(PT)
    assert {"indicator", "setting", "coach"} <= set(datasets_for(BH))
    table = importers.read_upload("s.xlsx", filled_template("setting", ROWS["setting"]))
    with pytest.raises(AccessDenied):
        importers.check(seeded_engine, PT, "setting", table)
    with pytest.raises(AccessDenied):
        writes.create(seeded_engine, "programmateam", PT, "indicator",
                      {"key": "x"})
    assert import_file(seeded_engine, "setting", filled_template("setting", ROWS["setting"]))[0].ok
    assert settings.load(seeded_engine).stale_periods == 3
    assert settings.load(seeded_engine).review_horizon_days == 45
    rows = writes.list_rows(seeded_engine, BH, "setting")
    assert "demo_data" not in set(rows["key"])  # set by the seed only, never by a user
    row = rows[rows["key"] == "stale_periods"].iloc[0]
    assert writes.delete(seeded_engine, "beheerder", BH, "setting", int(row["id"]),
                         int(row["version"])).ok
    assert settings.load(seeded_engine).stale_periods == 2  # back to the default


def test_areas_and_cases_of_a_decision_round_trip_and_a_link_change_is_conflict_safe(
        seeded_engine):
    decisions = writes.list_rows(seeded_engine, PT, "decision")
    row = decisions.iloc[0].to_dict()
    values = {f.name: row[f.name] for f in DATASETS["decision"].fields}
    saved = writes.update(seeded_engine, "programmateam", PT, "decision", int(row["id"]),
                          int(row["version"]), values | {"areas": ["limmel"],
                                                         "cases": "C-003; c-001"})
    assert saved.ok, saved.message
    assert saved.version == int(row["version"]) + 1  # links alone raise the version
    stored = writes.get_row(seeded_engine, PT, "decision", int(row["id"]))
    assert (stored["areas"], stored["cases"]) == (["limmel"], ["C-001", "C-003"])
    stale = writes.update(seeded_engine, "programmateam", PT, "decision", int(row["id"]),
                          int(row["version"]), values)
    assert stale.status == writes.CONFLICT
    assert stale.stored["areas"] == ["limmel"]
    unknown = writes.update(seeded_engine, "programmateam", PT, "decision", int(row["id"]),
                            saved.version, values | {"areas": "nergenshuizen"})
    assert not unknown.ok and unknown.problems[0].label == "Gebieden"

    projects = writes.list_rows(seeded_engine, PT, "project")
    frame = importers.export_frame("project", projects)
    assert "Gebieden" in frame.columns and frame["Gebieden"].str.len().gt(0).any()


def test_a_series_expected_direction_overrides_the_polarity_in_the_evidence(seeded_engine):
    from dashboard.domain import evidence
    from dashboard.store.queries_learning import decision_evidence
    from data_loaders.models import DecisionEvidence

    links = writes.list_rows(seeded_engine, PT, "decision_evidence")
    link = links[links["metric"] == "admissions"].iloc[0].to_dict()  # fewer admissions: better
    with transaction(seeded_engine) as s:
        decision_id = s.get(DecisionEvidence, int(link["id"])).decision_id

    def direction() -> str | None:
        points = decision_evidence(seeded_engine, Role.BESTUURDER, decision_id)
        return next(x.direction for x in evidence.build_series(points)
                    if x.series_id == int(link["id"]))

    assert direction() == "omlaag"
    values = {f.name: link[f.name] for f in DATASETS["decision_evidence"].fields}
    assert writes.update(seeded_engine, "programmateam", PT, "decision_evidence",
                         int(link["id"]), int(link["version"]),
                         values | {"expected_direction": "omhoog"}).ok
    assert direction() == "omhoog"


def test_forms_offer_active_master_data_only(seeded_engine):
    coach = writes.list_rows(seeded_engine, PT, "coach").iloc[0].to_dict()
    assert coach["code"] in writes.reference_keys(seeded_engine, PT, "coach_month")["coach"]
    values = {f.name: coach[f.name] for f in DATASETS["coach"].fields} | {"active": "nee"}
    assert writes.update(seeded_engine, "programmateam", PT, "coach", int(coach["id"]),
                         int(coach["version"]), values).ok
    assert coach["code"] not in writes.reference_keys(seeded_engine, PT, "coach_month")["coach"]
    month = writes.list_rows(seeded_engine, PT, "coach_month")
    old = month[month["coach"] == coach["code"]].iloc[0].to_dict()
    fixed = {f.name: old[f.name] for f in DATASETS["coach_month"].fields} | {"waiting_list": 0}
    assert writes.update(seeded_engine, "programmateam", PT, "coach_month", int(old["id"]),
                         int(old["version"]), fixed).ok  # old figures can still be corrected


def test_a_file_without_the_areas_column_leaves_a_projects_areas_alone(seeded_engine):
    projects = writes.list_rows(seeded_engine, PT, "project")
    linked = projects[projects["areas"].map(len) > 0].iloc[[0]]
    frame = importers.export_frame("project", linked).drop(columns=["Gebieden"])
    frame["Naam"] = "Nieuwe naam"
    result, checked = import_file(seeded_engine, "project", exports.to_xlsx(frame))
    assert result.ok and checked.counts()["gewijzigd"] == 1
    stored = writes.get_row(seeded_engine, PT, "project", int(linked.iloc[0]["id"]))
    assert stored["name"] == "Nieuwe naam"
    assert stored["areas"] == linked.iloc[0]["areas"]


def test_a_deactivated_kernteam_is_no_longer_asked_for_figures(seeded_engine):
    from dashboard.store import meeting

    today = settings.today(seeded_engine)
    new = writes.create(seeded_engine, "programmateam", PT, "kernteam", {
        "code": "KT-95", "name": "Kernteam 95", "area": "limmel", "practice": "PlusPraktijk",
        "disciplines": ["huisarts"], "started_on": "2026-01-01"})
    assert new.ok, new.message
    assert "KT-95" in set(meeting.stale_figures(seeded_engine, PT, today)["code"])
    row = writes.get_row(seeded_engine, PT, "kernteam", new.row_id)
    values = {f.name: row[f.name] for f in DATASETS["kernteam"].fields} | {"active": False}
    assert writes.update(seeded_engine, "programmateam", PT, "kernteam", new.row_id,
                         row["version"], values).ok
    assert "KT-95" not in set(meeting.stale_figures(seeded_engine, PT, today)["code"])
