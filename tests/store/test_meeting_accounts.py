"""Meeting agenda, meeting report, audit-log browsing and account management."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from dashboard.domain.roles import AccessDenied, Role
from dashboard.store import accounts, meeting, writes
from dashboard.store.auth import sign_in
from data_loaders.db import transaction
from data_loaders.models import AuditLog, Coach, CoachMonth, Setting, User
from tests.helpers import AS_OF

PT, ADMIN = Role.PROGRAMMATEAM, Role.BEHEERDER
ROOT = Path(__file__).resolve().parents[2]


def section(engine, key: str):
    return next(s for s in meeting.agenda(engine, PT, AS_OF) if s.key == key)


def test_figures_missing_two_periods_are_put_on_the_agenda(seeded_engine):
    assert section(seeded_engine, "stale").items == []  # the demo data is up to date
    with transaction(seeded_engine) as s:
        coach_id = s.scalar(select(Coach.id).where(Coach.code == "WC-02"))
        latest = s.scalar(select(CoachMonth.month).where(CoachMonth.coach_id == coach_id)
                          .order_by(CoachMonth.month.desc()))
        s.execute(delete(CoachMonth).where(CoachMonth.coach_id == coach_id,
                                           CoachMonth.month == latest))
    assert section(seeded_engine, "stale").items == []  # one period late is not yet stale
    with transaction(seeded_engine) as s:
        s.execute(delete(CoachMonth).where(CoachMonth.coach_id == coach_id,
                                           CoachMonth.month >= dt.date(2026, 9, 1)))
    titles = [i.title for i in section(seeded_engine, "stale").items]
    assert titles == ["Maandcijfers welzijnscoach WC-02"]


def test_overloaded_coach_and_due_decision_appear_and_disappear(seeded_engine):
    rows = writes.list_rows(seeded_engine, PT, "coach_month")
    latest = rows[rows["coach"] == "WC-30"].sort_values("month").iloc[-1]
    values = {k: latest[k] for k in rows.columns if k not in ("id", "version")}
    values["active_households"] = 200
    assert writes.update(seeded_engine, "programmateam", PT, "coach_month", int(latest["id"]),
                         int(latest["version"]), values).ok
    assert any(i.title.startswith("WC-30 ") for i in section(seeded_engine, "coaches").items)

    due = section(seeded_engine, "decisions").items
    decisions = writes.list_rows(seeded_engine, PT, "decision")
    open_past = decisions[(decisions["status"] != "geëvalueerd")
                          & (decisions["review_on"] <= AS_OF)].iloc[0]
    assert any(open_past["subject"] in i.title for i in due)
    values = {k: open_past[k] for k in decisions.columns if k not in ("id", "version")}
    values["status"] = "geëvalueerd"
    assert writes.update(seeded_engine, "programmateam", PT, "decision", int(open_past["id"]),
                         int(open_past["version"]), values).ok
    assert len(section(seeded_engine, "decisions").items) == len(due) - 1


def test_signals_section_is_a_seam_for_the_spc_module(seeded_engine):
    assert "signals" not in {s.key for s in meeting.agenda(seeded_engine, PT, AS_OF)}
    items = meeting.signal_items([("Opnames KT-07", "Verschuiving: 8 punten onder de mediaan",
                                   "2024-Q1")])
    sections = meeting.agenda(seeded_engine, PT, AS_OF, signals=items)
    assert sections[0].title == "Nieuwe signalen"
    assert sections[0].items[0].detail == "Verschuiving: 8 punten onder de mediaan (vanaf 2024-Q1)"


def test_audit_log_is_for_the_beheerder_and_filters(seeded_engine):
    sign_in(seeded_engine, "bestuurder", "fout")
    sign_in(seeded_engine, "programmateam", "demo")
    with pytest.raises(AccessDenied):
        meeting.audit_log(seeded_engine, PT, AS_OF, AS_OF)
    today = dt.date.today()
    failed = meeting.audit_log(seeded_engine, ADMIN, today, today, result="mislukt")
    assert list(failed["actor"]) == ["bestuurder"]
    assert set(meeting.audit_log(seeded_engine, ADMIN, today, today, actor="programmateam")
               ["action"]) == {"login"}


def test_no_code_updates_or_deletes_audit_rows():
    pattern = re.compile(r"(update|delete)\(\s*AuditLog|AuditLog\.__table__\.(update|delete)")
    offenders = [str(p.relative_to(ROOT)) for folder in ("dashboard", "data_loaders", "pages")
                 for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text())]
    offenders += [str(p) for p in [ROOT / "streamlit_app.py"] if pattern.search(p.read_text())]
    assert offenders == []


# ---------------------------------------------------------------- accounts


def user(engine, username: str) -> User:
    with transaction(engine) as s:
        return s.scalar(select(User).where(User.username == username))


def test_password_rules_are_explained_in_dutch():
    assert accounts.password_problems("demo", "x") == [
        "Wachtwoord moet minstens 12 tekens lang zijn.",
        "Wachtwoord moet letters en cijfers bevatten.",
        "Dit wachtwoord is te makkelijk te raden."]
    assert accounts.password_problems("anna2026anna2026", "anna") == [
        "Wachtwoord mag de gebruikersnaam niet bevatten."]
    assert accounts.password_problems("Zonnebloem2026", "anna") == []


def test_account_writes_are_refused_to_non_beheerders_and_audited(seeded_engine):
    with pytest.raises(AccessDenied):
        accounts.create_user(seeded_engine, "programmateam", PT, "nieuw", Role.BEHEERDER,
                             "Zonnebloem2026")
    with transaction(seeded_engine) as s:
        results = s.scalars(select(AuditLog.result).where(
            AuditLog.action == "account aanmaken")).all()
    assert results == ["geweigerd"]
    assert user(seeded_engine, "nieuw") is None


def test_the_last_beheerder_cannot_be_demoted(seeded_engine):
    admin = user(seeded_engine, "beheerder")
    result = accounts.update_user(seeded_engine, "beheerder", ADMIN, admin.id, admin.version,
                                  Role.BESTUURDER, True)
    assert result.status == "ongeldig" and "minstens één actieve beheerder" in result.message
    assert accounts.create_user(seeded_engine, "beheerder", ADMIN, "tweede.beheerder",
                                Role.BEHEERDER, "Zonnebloem2026").ok
    result = accounts.update_user(seeded_engine, "beheerder", ADMIN, admin.id, admin.version,
                                  Role.BESTUURDER, True)
    assert result.ok and user(seeded_engine, "beheerder").role.value == "bestuurder"


def test_reset_password_forces_a_change_and_lifts_the_throttle(seeded_engine):
    for _ in range(5):
        sign_in(seeded_engine, "programmateam", "fout")
    locked = user(seeded_engine, "programmateam")
    assert accounts.list_users(seeded_engine, ADMIN).set_index("username").loc[
        "programmateam", "locked"]
    assert accounts.reset_password(seeded_engine, "beheerder", ADMIN, locked.id, locked.version,
                                   "Tijdelijk2026abc").ok
    assert accounts.needs_password_change(seeded_engine, "programmateam")
    assert sign_in(seeded_engine, "programmateam", "Tijdelijk2026abc").username == "programmateam"
    bad = accounts.change_own_password(seeded_engine, "programmateam", "Tijdelijk2026abc", "kort")
    assert bad.status == "ongeldig"
    assert accounts.change_own_password(seeded_engine, "programmateam", "Tijdelijk2026abc",
                                        "Eigen2026wachtwoord").ok
    assert not accounts.needs_password_change(seeded_engine, "programmateam")


def test_demo_passwords_must_be_changed_outside_demo_mode(seeded_engine):
    assert not accounts.needs_password_change(seeded_engine, "bestuurder")
    with transaction(seeded_engine) as s:
        s.execute(update(Setting).where(Setting.key == "demo_data").values(value=False))
    assert accounts.needs_password_change(seeded_engine, "bestuurder")
    assert accounts.change_own_password(seeded_engine, "bestuurder", "demo",
                                        "Bestuur2026veilig").ok
    assert not accounts.needs_password_change(seeded_engine, "bestuurder")


def test_new_kernteam_signals_are_those_that_appeared_with_the_latest_quarter(seeded_engine):
    from dashboard.domain import kernteams
    from dashboard.store import queries_monitoring as qm

    quarters = qm.kernteam_quarters(seeded_engine, PT)
    interventions = qm.kernteam_interventions(seeded_engine, PT)
    found = meeting.new_kernteam_signals(quarters, interventions)
    items, total = found.items, found.total
    assert total == len(kernteams.signal_list(kernteams.team_verdicts(quarters, interventions)))
    assert len(items) < total
    # the planted KT-07 shift started in 2024: an old signal, never "new"
    assert not any("KT-07" in i.title and "Ziekenhuisopnames" in i.title for i in items)
    # make KT-12's latest quarter extreme: its admissions signal is new
    latest = quarters["quarter"].max()
    row = quarters.index[(quarters["team"] == "KT-12") & (quarters["quarter"] == latest)][0]
    quarters.loc[row, "admissions"] = quarters.loc[row, "frail_elderly"]
    items = meeting.new_kernteam_signals(quarters, interventions).items
    assert any(i.title.startswith("Ziekenhuisopnames") and "· KT-12 (" in i.title
               and i.detail.startswith(f"nieuw signaal met {latest}") for i in items)


@pytest.mark.slow  # a separate Python process
def test_the_first_beheerder_of_a_production_database_is_created_on_the_command_line(
        empty_db_url, monkeypatch, capsys):
    import io

    from data_loaders.db import make_engine
    from data_loaders.seed import main as seed_main

    monkeypatch.setenv("LN_DATABASE_URL", empty_db_url)
    assert seed_main(["--no-demo"]) == 0  # as the Docker image does: no accounts at all
    engine = make_engine(empty_db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert accounts.main(["create-admin", "eerste.beheerder"]) == 2  # refused, nothing stored
    assert "minstens 12 tekens" in capsys.readouterr().err
    with transaction(engine) as s:
        assert s.scalar(select(User).where(User.username == "eerste.beheerder")) is None

    monkeypatch.setattr("sys.stdin", io.StringIO("Tijdelijk2026start\n"))
    assert accounts.main(["create-admin", "eerste.beheerder"]) == 0
    signed = sign_in(engine, "eerste.beheerder", "Tijdelijk2026start")
    assert signed.role is Role.BEHEERDER
    assert accounts.needs_password_change(engine, "eerste.beheerder")
    with transaction(engine) as s:
        assert s.scalar(select(AuditLog).where(AuditLog.action == "account aanmaken")).actor \
            == "opdrachtregel"
