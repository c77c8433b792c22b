"""The write layer: role checks, validation, conflict-safe saves and one audit row per write."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from dashboard.domain.datasets import DATASETS
from dashboard.domain.roles import AccessDenied, Role
from dashboard.store import writes
from data_loaders.db import transaction
from data_loaders.models import AuditLog, CoachMonth, Decision, Project

ACTOR = "programmateam"


def audit_rows(engine) -> list[AuditLog]:
    with transaction(engine) as s:
        return list(s.scalars(select(AuditLog).where(
            AuditLog.action != "login",
            AuditLog.actor.not_in(("systeem", writes.COMMAND_LINE)))  # the seed's own rows
                              .order_by(AuditLog.id)))


def first_row(engine, dataset: str) -> dict:
    df = writes.list_rows(engine, Role.PROGRAMMATEAM, dataset)
    return df.iloc[0].to_dict()


def values_of(row: dict, dataset: str) -> dict:
    return {f.name: row[f.name] for f in DATASETS[dataset].fields}


NEW_ROWS = {
    "project": {"code": "PW-9", "programme": "pluswijken", "name": "Buurtsportcoach",
                "kind": "project", "status": "idee", "health": "op koers",
                "domains": "Wpg, Participatie", "budget_eur": "12.500,50"},
    "milestone": {"project": "PW-3", "title": "Evaluatie pilot", "due_on": "2027-03-01"},
    "coach_month": {"coach": "WC-01", "month": "2030-01", "active_households": 20,
                    "new_huisarts": 2, "new_wijkteam": 1, "new_zelf": 0, "new_overig": 0,
                    "closed_goal_reached": 3, "closed_referred": 0, "closed_dropped_out": 0,
                    "waiting_list": 1, "mean_duration_days": 100},
    "kernteam_quarter": {"kernteam": "KT-01", "quarter": "2030-Q1", "frail_elderly": 100,
                         "with_care_plan": 50, "discussed_mdo": 20, "ed_visits": 5,
                         "admissions": 4, "readmissions": 1, "falls": 2},
    "indicator_value": {"indicator": "ggz_kosten", "area": "daalhof", "period": "2030",
                        "value": 300.5, "numerator": 1000, "denominator": 10, "status": "ok"},
    "survey_score": {"area": "daalhof", "wave": 9, "year": 2030, "dimension": "meedoen",
                     "mean_score": "6,8", "n_respondents": 120},
    "budget": {"programme": "pluswijken", "year": 2030, "financier": "CZ", "law": "Zvw",
               "amount_eur": 1_000_000},
    "decision": {"programme": "pluswijken", "subject_type": "programmalijn",
                 "subject": "Welzijnscoaches", "project": "PW-1", "outcome": "opschalen",
                 "decided_on": "2026-11-20", "body": "Programmateam",
                 "rationale": "Wachtlijst daalt na extra fte.", "status": "open",
                 "review_on": "2027-11-20"},
    "case": {"code": "C-900", "title": "Casus 900", "summary": "Een huishouden viel tussen wetten.",
             "knelpunt": 2, "domains": ["Wmo", "Zvw"], "area": "limmel", "publishable": "ja",
             "recorded_on": "2026-10-01"},
    "indicator": {"key": "ernstig_eenzaam_90", "label": "Ernstig eenzaam", "definition": "Ernstig eenzaam.",
                  "unit": "%", "polarity": "lager is beter", "source": "GGD Gezondheidsmonitor",
                  "period_type": "meting", "owner": "GGD Zuid Limburg", "is_rate": "ja",
                  "multiplier": 100},
    "reference_value": {"indicator": "ggz_kosten", "region_code": "nl", "period": "2030",
                        "value": 280, "status": "ok"},
    "coach": {"code": "WC-90", "fte": "0,8", "area": "limmel", "started_on": "2026-01-01"},
    "kernteam": {"code": "KT-90", "name": "Kernteam Limmel 90", "area": "limmel",
                 "practice": "PlusPraktijk Limmel", "disciplines": "huisarts, welzijn",
                 "started_on": "2026-01-01"},
    "intervention": {"label": "Valpreventie", "started_on": "2026-04-01", "kernteam": "KT-01"},
    "spending": {"year": 2030, "area": "limmel", "law": "Wmo", "amount_eur": "12.000"},
    "decision_evidence": {"decision": "2018-06-12 Positieve Gezondheid", "kernteam": "KT-03",
                          "metric": "falls", "is_comparison": "ja"},
    "setting": {"key": "stale_periods", "value": 3},
    "area": {"key": "welten", "name": "Welten", "programme": "pluswijken",
             "municipality_code": "GM0917", "municipality_name": "Heerlen",
             "cbs_codes": "WK091705", "started_on": "2026-01-01", "centroid_lon": "5,96",
             "centroid_lat": "50,87"},
}


def role_for(dataset: str) -> tuple[str, Role]:
    """Who may write a dataset: the programme team, or the beheerder for catalogue and settings."""
    if DATASETS[dataset].permission == "administer":
        return "beheerder", Role.BEHEERDER
    return ACTOR, Role.PROGRAMMATEAM


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_create_update_delete_each_leave_exactly_one_audit_row(seeded_engine, dataset):
    actor, role = role_for(dataset)
    created = writes.create(seeded_engine, actor, role, dataset, NEW_ROWS[dataset])
    assert created.ok, created.message
    assert len(audit_rows(seeded_engine)) == 1

    row = writes.get_row(seeded_engine, Role.PROGRAMMATEAM, dataset, created.row_id)
    assert row is not None and row["version"] == created.version
    changed = values_of(row, dataset)
    text_field = next((f.name for f in DATASETS[dataset].fields if f.kind in ("text", "longtext")
                       and f.name not in DATASETS[dataset].key), None)
    if text_field:
        changed[text_field] = "Gewijzigd tijdens het overleg"
    elif dataset == "milestone":
        changed["done_on"] = dt.date(2026, 11, 20)
    elif dataset == "intervention":
        changed["method"] = "nieuwe fase"
    elif dataset == "decision_evidence":
        changed["expected_direction"] = "omlaag"
    else:  # figures only: raise the last count or amount
        number_field = [f.name for f in DATASETS[dataset].fields if f.kind in ("int", "float")][-1]
        changed[number_field] = row[number_field] + 1
    updated = writes.update(seeded_engine, actor, role, dataset, created.row_id,
                            row["version"], changed)
    assert updated.ok, updated.message
    assert len(audit_rows(seeded_engine)) == 2

    deleted = writes.delete(seeded_engine, actor, role, dataset, created.row_id,
                            updated.version)
    assert deleted.ok, deleted.message
    assert writes.get_row(seeded_engine, Role.PROGRAMMATEAM, dataset, created.row_id) is None
    assert created.row_id not in set(writes.list_rows(seeded_engine, Role.PROGRAMMATEAM,
                                                      dataset)["id"])
    log = audit_rows(seeded_engine)
    assert [(a.action, a.result, a.object_type) for a in log] == [
        ("aanmaken", "ok", dataset), ("wijzigen", "ok", dataset), ("verwijderen", "ok", dataset)]
    assert all(a.actor == actor and a.role == role.value for a in log)
    assert log[0].object_id == str(created.row_id)
    assert log[2].old_values is not None  # the removed values stay in the trail


@pytest.mark.parametrize("role", [Role.PUBLIEK, Role.BESTUURDER])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_write_functions_refuse_roles_without_edit_right(seeded_engine, dataset, role):
    row = first_row(seeded_engine, dataset)
    before = writes.list_rows(seeded_engine, Role.BEHEERDER, dataset)
    calls = [
        lambda: writes.create(seeded_engine, "x", role, dataset, NEW_ROWS[dataset]),
        lambda: writes.update(seeded_engine, "x", role, dataset, row["id"], row["version"],
                              values_of(row, dataset)),
        lambda: writes.delete(seeded_engine, "x", role, dataset, row["id"], row["version"]),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()
    log = audit_rows(seeded_engine)
    assert [(a.result, a.role) for a in log] == [("geweigerd", role.value)] * 3
    after = writes.list_rows(seeded_engine, Role.BEHEERDER, dataset)
    assert after.equals(before)


def test_publishing_is_refused_to_a_bestuurder_and_audited(seeded_engine):
    row = first_row(seeded_engine, "decision")
    with pytest.raises(AccessDenied):
        writes.publish_decision(seeded_engine, "bestuurder", Role.BESTUURDER, row["id"],
                                row["version"], "Samenvatting")
    assert [(a.action, a.result) for a in audit_rows(seeded_engine)] == [("publiceren", "geweigerd")]


def test_stale_save_is_refused_and_keeps_both_values(seeded_engine):
    row = first_row(seeded_engine, "coach_month")
    mine, theirs = values_of(row, "coach_month"), values_of(row, "coach_month")
    theirs["waiting_list"] = row["waiting_list"] + 7
    mine["waiting_list"] = row["waiting_list"] + 3
    first = writes.update(seeded_engine, "beheerder", Role.PROGRAMMATEAM, "coach_month", row["id"],
                          row["version"], theirs)
    assert first.ok
    second = writes.update(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "coach_month", row["id"],
                           row["version"], mine)
    assert second.status == "conflict"
    assert second.yours["waiting_list"] == row["waiting_list"] + 3
    assert second.stored["waiting_list"] == row["waiting_list"] + 7
    assert second.stored_version == first.version
    assert "niet opgeslagen" in second.message
    stored = writes.get_row(seeded_engine, Role.PROGRAMMATEAM, "coach_month", row["id"])
    assert stored["waiting_list"] == row["waiting_list"] + 7  # the first save is not lost
    log = audit_rows(seeded_engine)
    assert [a.result for a in log] == ["ok", "conflict"]
    assert log[1].new_values["waiting_list"] == row["waiting_list"] + 3
    assert log[1].old_values["waiting_list"] == row["waiting_list"] + 7
    # after reloading, the user can save on top of the stored version
    retry = writes.update(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "coach_month", row["id"],
                          second.stored_version, mine)
    assert retry.ok


@pytest.fixture()
def sqlite_engine(demo_sqlite_url, tmp_path):
    """The interleaving below is simulated on SQLite, whose reads take no snapshot."""
    from data_loaders.db import make_engine
    from tests.helpers import copy_of_demo

    engine = make_engine(copy_of_demo(demo_sqlite_url, tmp_path))
    yield engine
    engine.dispose()


def test_concurrent_write_between_load_and_flush_is_caught(sqlite_engine):
    """The version check in the UPDATE itself (StaleDataError), not only the early check."""
    seeded_engine = sqlite_engine
    row = first_row(seeded_engine, "project")
    fired = []

    def someone_else_saves(session, flush_context, instances):
        if not fired:
            fired.append(True)
            with seeded_engine.begin() as conn:
                conn.execute(sql_update(Project).where(Project.id == row["id"])
                             .values(name="Door een collega", version=Project.version + 1))

    event.listen(Session, "before_flush", someone_else_saves)
    try:
        mine = values_of(row, "project") | {"name": "Mijn naam"}
        result = writes.update(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "project", row["id"],
                               row["version"], mine)
    finally:
        event.remove(Session, "before_flush", someone_else_saves)
    assert result.status == "conflict"
    assert result.yours["name"] == "Mijn naam" and result.stored["name"] == "Door een collega"
    assert [a.result for a in audit_rows(seeded_engine)] == ["conflict"]


def test_invalid_values_are_refused_with_dutch_messages_naming_field_and_rule(seeded_engine):
    bad_coach = NEW_ROWS["coach_month"] | {"closed_goal_reached": 40}
    result = writes.create(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "coach_month", bad_coach)
    assert result.status == "ongeldig"
    assert any(p.message.startswith("Afgesloten trajecten kan niet groter zijn dan actieve "
                                    "huishoudens plus aanmeldingen") for p in result.problems)
    one_domain = NEW_ROWS["project"] | {"domains": "Wmo"}
    result = writes.create(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "project", one_domain)
    assert [(p.label, p.message) for p in result.problems] == [
        ("Domeinen", "Domeinen: kies er minstens 2.")]
    unknown = NEW_ROWS["kernteam_quarter"] | {"kernteam": "KT-99", "quarter": "2030-Q5"}
    result = writes.create(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "kernteam_quarter", unknown)
    assert [p.label for p in result.problems] == ["Kwartaal"]
    result = writes.create(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "kernteam_quarter",
                           NEW_ROWS["kernteam_quarter"] | {"kernteam": "KT-99"})
    assert [p.message for p in result.problems] == ["Kernteam 'KT-99' bestaat niet."]
    with transaction(seeded_engine) as s:
        assert s.scalar(select(func.count()).select_from(CoachMonth)
                        .where(CoachMonth.month == dt.date(2030, 1, 1))) == 0
    assert [a.result for a in audit_rows(seeded_engine)] == ["ongeldig"] * 4


def test_creating_a_duplicate_natural_key_is_refused(seeded_engine):
    row = first_row(seeded_engine, "budget")
    result = writes.create(seeded_engine, ACTOR, Role.PROGRAMMATEAM, "budget",
                           values_of(row, "budget"))
    assert result.status == "ongeldig"
    assert "bestaat al" in result.message


def test_publishing_a_summary_makes_it_a_public_lesson(seeded_engine):
    from dashboard.store import queries

    with transaction(seeded_engine) as s:
        d = s.scalars(select(Decision).where(Decision.published.is_(False))).first()
        decision_id, version = d.id, d.version
    empty = writes.publish_decision(seeded_engine, ACTOR, Role.PROGRAMMATEAM, decision_id,
                                    version, "  ")
    assert empty.status == "ongeldig" and "verplicht" in empty.message
    ok = writes.publish_decision(seeded_engine, ACTOR, Role.PROGRAMMATEAM, decision_id, version,
                                 "We passen de aanpak aan.", today=dt.date(2026, 11, 23))
    assert ok.ok
    lessons = queries.published_lessons(seeded_engine, Role.PUBLIEK)
    assert "We passen de aanpak aan." in set(lessons["public_summary"])
    log = audit_rows(seeded_engine)
    assert [(a.action, a.result) for a in log] == [("publiceren", "ongeldig"), ("publiceren", "ok")]


def test_four_parallel_creates_of_one_value_store_it_once(seeded_engine, monkeypatch):
    """Regression: the unique key included a NULL region_code, so on PostgreSQL four
    simultaneous creates of the same indicator value all succeeded (Limmel listed 4x).
    All four pass the application's own 'exists already?' check before any inserts; the
    database's key decides, and the losers get the same Dutch answer as a late-comer."""
    import threading

    original = writes.find_by_key
    everyone_checked = threading.Barrier(4, timeout=30)

    def find_then_wait(session, ds, attrs):
        found = original(session, ds, attrs)
        everyone_checked.wait()
        return found

    monkeypatch.setattr(writes, "find_by_key", find_then_wait)
    value = NEW_ROWS["indicator_value"] | {"area": "limmel"}
    results, errors = [], []

    def create():
        try:
            results.append(writes.create(seeded_engine, ACTOR, Role.PROGRAMMATEAM,
                                         "indicator_value", value))
        except Exception as error:  # noqa: BLE001 - the test asserts there is none
            errors.append(error)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(r.status for r in results) == ["ok", "ongeldig", "ongeldig", "ongeldig"]
    for lost in (r for r in results if not r.ok):
        assert [p.message for p in lost.problems] == [
            "Er bestaat al een rij met dezelfde Indicator, Gebied, Regiocode, Periode."]
    rows = writes.list_rows(seeded_engine, Role.PROGRAMMATEAM, "indicator_value")
    assert len(rows[(rows["area"] == "limmel") & (rows["period"] == "2030")]) == 1
    assert sorted(a.result for a in audit_rows(seeded_engine)) == [
        "ok", "ongeldig", "ongeldig", "ongeldig"]
