"""Every script run re-reads the account (AppTest): a deactivated or changed account
reaches the open tab, idle sessions end, Uitloggen ends the session, and a Streamlit
session presented without its cookie is wiped. Browser-level checks of the same rules:
tests/e2e/test_e2e_sessions.py."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from dashboard import ui
from dashboard.domain.roles import AccessDenied, Role
from dashboard.store import accounts, sessions, writes
from data_loaders.db import make_engine, transaction
from data_loaders.models import AuditLog, AuthSession, User
from tests.helpers import ROOT, copy_of_demo
from tests.helpers.apptest import registered, sign_in
from tests.helpers.apptest_browser import JAR

ADMIN = Role.BEHEERDER


@pytest.fixture()
def db(demo_sqlite_url, tmp_path, monkeypatch):
    url = copy_of_demo(demo_sqlite_url, tmp_path)
    monkeypatch.setenv("LN_DATABASE_URL", url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def signed_in_tab(username: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    return sign_in(at, username, "demo")


def change_account(engine, username: str, role: Role, active: bool) -> None:
    with transaction(engine) as s:
        user = s.scalar(select(User).where(User.username == username))
    assert accounts.update_user(engine, "beheerder", ADMIN, user.id, user.version, role,
                                active).ok


def audit(engine, **where) -> list[tuple[str, str, str]]:
    with transaction(engine) as s:
        rows = s.scalars(select(AuditLog).filter_by(**where).order_by(AuditLog.id)).all()
    return [(r.actor, r.object_id, r.result) for r in rows]


def signed_out_with(at: AppTest, text: str) -> bool:
    return (not at.exception and any(text in w.value for w in at.sidebar.warning)
            and [b.label for b in at.sidebar.button] == ["Inloggen"])


def test_a_deactivated_account_is_signed_out_of_its_open_tab(db, monkeypatch):
    at = signed_in_tab("programmateam")
    assert at.title[0].value == "Overzicht"
    change_account(db, "programmateam", Role.PROGRAMMATEAM, active=False)
    monkeypatch.setattr(ui, "RECHECK_SECONDS", 0)
    at.run()
    assert signed_out_with(at, "Je account is gedeactiveerd")
    assert not registered(at, "pages/gegevens_beheren.py")
    assert audit(db, object_type="sessie") == [("programmateam", "gedeactiveerd", "geweigerd")]


def test_a_role_change_applies_at_the_next_rerun(db, monkeypatch):
    at = signed_in_tab("programmateam")
    assert registered(at, "pages/gegevens_beheren.py")
    change_account(db, "programmateam", Role.BESTUURDER, active=True)
    monkeypatch.setattr(ui, "RECHECK_SECONDS", 0)
    at.run()
    assert not registered(at, "pages/gegevens_beheren.py")
    assert "**programmateam** · Bestuurder" in [m.value for m in at.sidebar.markdown]


def test_a_save_from_a_tab_that_still_believes_in_a_deactivated_account_is_refused(db):
    at = signed_in_tab("programmateam")
    at.switch_page("pages/gegevens_beheren.py").run()
    row = writes.list_rows(db, Role.PROGRAMMATEAM, "project").iloc[0]
    form = f"edit-project-{row['id']}-{row['version']}"
    next(w for w in at.text_input if w.key == f"{form}-name").input("Na deactivering")
    change_account(db, "programmateam", Role.PROGRAMMATEAM, active=False)
    next(b for b in at.button if b.label == "Opslaan").click().run()  # within the cache
    assert signed_out_with(at, "Je account is gedeactiveerd")
    assert "Opgeslagen." not in [s.value for s in at.success]
    assert writes.list_rows(db, Role.PROGRAMMATEAM, "project").iloc[0]["name"] == row["name"]
    refused = audit(db, action="wijzigen")
    assert refused == [("programmateam", str(row["id"]), "geweigerd")]


def test_an_idle_tab_is_signed_out(db, monkeypatch):
    at = signed_in_tab("bestuurder")
    with transaction(db) as s:
        s.execute(update(AuthSession).values(
            last_seen_at=sessions.utc_now() - sessions.IDLE_TIMEOUT - dt.timedelta(seconds=1)))
    monkeypatch.setattr(ui, "RECHECK_SECONDS", 0)
    at.run()
    assert signed_out_with(at, "zonder activiteit")
    assert audit(db, object_type="sessie") == [("bestuurder", "inactief", "verlopen")]


def test_uitloggen_ends_the_server_side_session_and_clears_the_cookie(db):
    at = signed_in_tab("bestuurder")
    token = at.session_state[JAR][sessions.COOKIE]
    next(b for b in at.sidebar.button if b.label == "Uitloggen").click().run()
    assert at.title[0].value == "Geleerde lessen"
    assert at.session_state[JAR] == {}  # the route cleared it
    assert sessions.check(db, token).reason == sessions.LOGGED_OUT


def test_a_streamlit_session_presented_without_its_cookie_is_wiped(db):
    at = signed_in_tab("beheerder")
    at.session_state["gebruikers_secret_draft"] = "niet voor een ander"
    at.session_state[JAR] = {}  # the same session id, from a connection without the cookie
    at.run()
    assert signed_out_with(at, "andere browser")
    assert "gebruikers_secret_draft" not in at.session_state
    assert audit(db, object_type="sessie") == [("beheerder", "andere browser", "geweigerd")]


def test_an_anonymous_tab_is_never_signed_in_by_session_state(db):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state["auth"] = {"digest": None, "checked": 1e12, "session_id": 1,
                                "username": "beheerder", "role": "beheerder",
                                "kind": "lokaal", "must_change": False}
    at.run()
    assert at.title[0].value == "Geleerde lessen"
    assert not registered(at, "pages/gebruikers.py")


SSO_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
               "client_id": "id", "client_secret": "s",
               "server_metadata_url": "https://login.example/.well-known/openid-configuration"}


def test_single_sign_on_gets_a_session_whose_role_follows_the_claims(db, monkeypatch):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = SSO_SECRETS
    at.secrets["role_mapping"] = {"emails": {"coordinator@gemeente.example": "programmateam"}}
    at.user = {"is_logged_in": True, "email": "coordinator@gemeente.example",
               "email_verified": True}
    at.run()
    assert at.title[0].value == "Overzicht"
    assert registered(at, "pages/gegevens_beheren.py")
    assert "**coordinator@gemeente.example** · Programmateam" in [  # the address not linked
        m.value.replace("\u200c", "") for m in at.sidebar.markdown]
    with transaction(db) as s:
        assert s.scalar(select(AuthSession.kind)) == sessions.OIDC

    at.secrets["role_mapping"] = {"emails": {"coordinator@gemeente.example": "bestuurder"}}
    monkeypatch.setattr(ui, "RECHECK_SECONDS", 0)
    at.run()
    assert not registered(at, "pages/gegevens_beheren.py")  # the claims' new role, at once
    with pytest.raises(AccessDenied):  # and so does every write's own check
        writes.create(db, "coordinator@gemeente.example", Role.PROGRAMMATEAM, "project", {})

    at.secrets["role_mapping"] = {}
    at.run()
    assert at.sidebar.button[0].label == "Uitloggen"  # st.logout: this identity has no role
    assert any("geen rol" in w.value for w in at.sidebar.warning)
    assert audit(db, object_type="sessie") == [
        ("coordinator@gemeente.example", "geen rol", "geweigerd")]
