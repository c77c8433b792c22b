"""Role × page matrix and role checks in the data layer, against an explicit copy of SPEC §2a.

The expectations are written out here (not derived from ``dashboard.domain.roles``), so a change
to the page registry or the grants that contradicts the spec fails this test.
"""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import PAGES, AccessDenied, Role
from dashboard.store import accounts, importers, meeting, writes
from dashboard.store.queries import QUERIES
from data_loaders.db import make_engine, transaction
from data_loaders.models import AuditLog
from tests.helpers.apptest import registered, sign_in

ROOT = Path(__file__).resolve().parents[2]
P, B, T, A = Role.PUBLIEK, Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER
EVERYONE, BESTUURDER_UP, PROGRAMMATEAM_UP, BEHEERDER = {P, B, T, A}, {B, T, A}, {T, A}, {A}

# SPEC §2a, page title -> roles that may open it.
SPEC_PAGES: dict[str, set[Role]] = {
    "Geleerde lessen": EVERYONE, "Toegankelijkheid": EVERYONE,
    "Overzicht": BESTUURDER_UP,
    "Kaart": BESTUURDER_UP, "Wijkprofiel": BESTUURDER_UP, "Indicatoren": BESTUURDER_UP,
    "Projecten": BESTUURDER_UP, "Welzijnscoaches": BESTUURDER_UP, "Kernteams": BESTUURDER_UP,
    "Financiën": BESTUURDER_UP,
    "Besluiten": BESTUURDER_UP, "Casussen": BESTUURDER_UP,
    "Gegevens beheren": PROGRAMMATEAM_UP, "Importeren": PROGRAMMATEAM_UP,
    "Vergadermodus": PROGRAMMATEAM_UP,
    "Gebruikers": BEHEERDER, "Auditlog": BEHEERDER,
}

# Reads that feed the public pages; every other registered query is internal.
PUBLIC_QUERIES = {"programmes", "published_lessons", "publishable_cases",
                  "published_lesson_cases", "public_indicators", "public_references"}
# Arguments for queries that need more than (engine, role).
QUERY_ARGS = {"indicator_key": "eenzaamheid", "area_key": "daalhof", "decision_id": 1,
              "limit": 3}


def test_spec_table_covers_exactly_the_registered_pages():
    assert sorted(p.title for p in PAGES) == sorted(SPEC_PAGES)


@pytest.fixture(scope="module")
def app_db_url(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    copy = tmp_path_factory.mktemp("matrix") / "app.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


@pytest.mark.parametrize("role", list(Role))
def test_navigation_registers_a_page_only_for_the_roles_of_spec_2a(role, app_db_url,
                                                                  monkeypatch):
    monkeypatch.setenv("LN_DATABASE_URL", app_db_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    if role is not P:
        at = sign_in(at, role.value, "demo")
    matrix = {p.title: registered(at, p.path) for p in PAGES}
    assert matrix == {title: role in roles for title, roles in SPEC_PAGES.items()}


# ---------------------------------------------------------------- reads


def _call_query(name: str, engine, role: Role):
    fn = QUERIES[name]
    params = [name for name, p in inspect.signature(fn).parameters.items()
              if name not in ("engine", "role") and p.default is inspect.Parameter.empty]
    return fn(engine, role, **{p: QUERY_ARGS[p] for p in params})


@pytest.fixture(scope="module")
def demo_engine(demo_sqlite_url: str):
    engine = make_engine(demo_sqlite_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_registered_query_refuses_the_roles_that_lack_the_right(name, demo_engine):
    allowed = EVERYONE if name in PUBLIC_QUERIES else BESTUURDER_UP
    for role in Role:
        if role in allowed:
            _call_query(name, demo_engine, role)  # no refusal
        else:
            with pytest.raises(AccessDenied):
                _call_query(name, demo_engine, role)


@pytest.mark.parametrize("call, allowed", [
    (lambda e, r: writes.list_rows(e, r, "project"), BESTUURDER_UP),
    (lambda e, r: writes.get_row(e, r, "project", 1), BESTUURDER_UP),
    (lambda e, r: writes.reference_keys(e, r, "project"), BESTUURDER_UP),
    (lambda e, r: importers.check(e, r, "project", pd.DataFrame()), PROGRAMMATEAM_UP),
    (lambda e, r: meeting.overloaded_coaches(e, r), BESTUURDER_UP),
    (lambda e, r: meeting.changes_since(e, r, pd.Timestamp("2026-01-01").to_pydatetime()),
     PROGRAMMATEAM_UP),
    (lambda e, r: meeting.audit_choices(e, r), BEHEERDER),
    (lambda e, r: accounts.list_users(e, r), BEHEERDER),
], ids=["list_rows", "get_row", "reference_keys", "import_check", "overloaded_coaches",
        "changes_since", "audit_choices", "list_users"])
def test_editing_and_admin_reads_refuse_the_roles_that_lack_the_right(call, allowed,
                                                                     demo_engine):
    for role in set(Role) - allowed:
        with pytest.raises(AccessDenied):
            call(demo_engine, role)
    for role in allowed:
        call(demo_engine, role)


# ---------------------------------------------------------------- writes


PROJECT = {"code": "PRJ-MATRIX", "name": "Matrixproject", "programme": "pluswijken",
           "status": "idee", "goal": "Toegang testen"}

WRITES = {
    "create": (PROGRAMMATEAM_UP, lambda e, r: writes.create(e, "x", r, "project", PROJECT)),
    "update": (PROGRAMMATEAM_UP, lambda e, r: writes.update(e, "x", r, "project", 1, 1, PROJECT)),
    "delete": (PROGRAMMATEAM_UP, lambda e, r: writes.delete(e, "x", r, "project", 1, 1)),
    "publish_decision": (PROGRAMMATEAM_UP, lambda e, r: writes.publish_decision(
        e, "x", r, 1, 1, "Samenvatting")),
    "import_commit": (PROGRAMMATEAM_UP, lambda e, r: importers.commit(
        e, "x", r, "project", pd.DataFrame(), previewed={})),
    "create_user": (BEHEERDER, lambda e, r: accounts.create_user(
        e, "x", r, "nieuw.account", Role.BESTUURDER, "Een-lang-wachtwoord-42")),
    "update_user": (BEHEERDER, lambda e, r: accounts.update_user(
        e, "x", r, 1, 1, Role.BEHEERDER, True)),
    "reset_password": (BEHEERDER, lambda e, r: accounts.reset_password(
        e, "x", r, 1, 1, "Een-lang-wachtwoord-42")),
    "unlock": (BEHEERDER, lambda e, r: accounts.unlock(e, "x", r, 1, 1)),
}


def _refused_rows(engine) -> int:
    with transaction(engine) as s:
        return s.scalar(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.result == writes.REFUSED))


def _snapshot(engine) -> list:
    from data_loaders.models import Decision, Project, User

    with transaction(engine) as s:
        return [s.execute(select(m.__table__)).all() for m in (Project, Decision, User)]


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_refuses_roles_without_the_right_and_audits_the_refusal(name,
                                                                           seeded_engine):
    allowed, call = WRITES[name]
    before = _snapshot(seeded_engine)
    denied = [r for r in Role if r not in allowed]
    for n, role in enumerate(denied, 1):
        with pytest.raises(AccessDenied):
            call(seeded_engine, role)
        assert _refused_rows(seeded_engine) == n
    assert _snapshot(seeded_engine) == before  # nothing written by a refused call
    with transaction(seeded_engine) as s:
        roles = {row.role for row in s.scalars(select(AuditLog).where(
            AuditLog.result == writes.REFUSED))}
    assert roles == {r.value for r in denied}
