"""Server-side sign-in sessions (dashboard.store.sessions), the cookie routes and security headers
(dashboard.ui.web), and the role re-check of every write (dashboard.store.writes.audited).
Database tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette

from dashboard.domain.roles import AccessDenied, Role
from dashboard.store import accounts, sessions, writes
from dashboard.ui import web
from data_loaders.db import transaction
from data_loaders.models import AuditLog, AuthSession, User
from tests.helpers import run_async
from tests.helpers.apptest_browser import _apply_cookies, _request

PT, ADMIN = Role.PROGRAMMATEAM, Role.BEHEERDER
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def signed_in(engine, username: str = "programmateam", now: dt.datetime = T0) -> str:
    return sessions.redeem(engine, sessions.start(engine, username, now=now), now=now)


def account(engine, username: str) -> User:
    with transaction(engine) as s:
        return s.scalar(select(User).where(User.username == username))


def session_ends(engine) -> list[tuple[str, str, str]]:
    with transaction(engine) as s:
        return s.execute(select(AuditLog.actor, AuditLog.object_id, AuditLog.result).where(
            AuditLog.object_type == "sessie").order_by(AuditLog.id)).all()


# ---------------------------------------------------------------- sessions


def test_the_hand_off_code_works_once_and_briefly_and_only_digests_are_stored(seeded_engine):
    code = sessions.start(seeded_engine, "bestuurder", now=T0)
    late = sessions.start(seeded_engine, "bestuurder", now=T0)
    token = sessions.redeem(seeded_engine, code, now=T0 + dt.timedelta(seconds=5))
    assert token and sessions.redeem(seeded_engine, code, now=T0) is None  # used
    assert sessions.redeem(seeded_engine, late, now=T0 + sessions.HANDOFF_TTL) is None  # too late
    assert sessions.redeem(seeded_engine, "verzonnen") is None
    with transaction(seeded_engine) as s:
        stored = " ".join(str(v) for row in s.execute(select(AuthSession.__table__)) for v in row)
    assert token not in stored and code not in stored
    identity = sessions.check(seeded_engine, token, now=T0 + dt.timedelta(minutes=1))
    assert (identity.username, identity.role, identity.kind) == ("bestuurder", Role.BESTUURDER,
                                                                 sessions.LOCAL)
    assert sessions.check(seeded_engine, "verzonnen") is None


def test_a_role_change_applies_to_the_open_session_at_its_next_check(seeded_engine):
    token = signed_in(seeded_engine)
    user = account(seeded_engine, "programmateam")
    assert accounts.update_user(seeded_engine, "beheerder", ADMIN, user.id, user.version,
                                Role.BESTUURDER, True).ok
    assert sessions.check(seeded_engine, token, now=T0).role is Role.BESTUURDER


def test_deactivation_ends_the_session_once_audited_and_for_good(seeded_engine):
    token = signed_in(seeded_engine)
    user = account(seeded_engine, "programmateam")
    assert accounts.update_user(seeded_engine, "beheerder", ADMIN, user.id, user.version,
                                Role.PROGRAMMATEAM, False).ok
    ended = sessions.check(seeded_engine, token, now=T0)
    assert ended == sessions.Ended(sessions.DEACTIVATED, "programmateam", sessions.LOCAL, True)
    assert "gedeactiveerd" in ended.message
    assert not sessions.check(seeded_engine, token, now=T0).just_now  # other tabs: no repeat
    user = account(seeded_engine, "programmateam")
    assert accounts.update_user(seeded_engine, "beheerder", ADMIN, user.id, user.version,
                                Role.PROGRAMMATEAM, True).ok
    assert isinstance(sessions.check(seeded_engine, token, now=T0), sessions.Ended)  # stays over
    assert session_ends(seeded_engine) == [("programmateam", "gedeactiveerd", "geweigerd")]


def test_a_password_reset_ends_every_session_and_an_own_change_keeps_the_current_one(
        seeded_engine):
    here, elsewhere = signed_in(seeded_engine), signed_in(seeded_engine)
    current = sessions.check(seeded_engine, here, now=T0)
    assert accounts.change_own_password(seeded_engine, "programmateam", "demo",
                                        "Eigen2026wachtwoord", keep_session=current.session_id).ok
    assert isinstance(sessions.check(seeded_engine, here, now=T0), sessions.Identity)
    assert sessions.check(seeded_engine, elsewhere, now=T0).reason == sessions.CREDENTIALS
    user = account(seeded_engine, "programmateam")
    assert accounts.reset_password(seeded_engine, "beheerder", ADMIN, user.id, user.version,
                                   "Tijdelijk2026abc").ok
    assert sessions.check(seeded_engine, here, now=T0).reason == sessions.CREDENTIALS


def test_idle_sessions_and_sessions_older_than_a_working_day_end(seeded_engine):
    idle = signed_in(seeded_engine)
    minute = dt.timedelta(minutes=1)
    assert isinstance(sessions.check(seeded_engine, idle, now=T0 + 29 * minute),
                      sessions.Identity)  # and that use counts as activity
    assert isinstance(sessions.check(seeded_engine, idle, now=T0 + 58 * minute),
                      sessions.Identity)
    assert sessions.check(seeded_engine, idle, now=T0 + 89 * minute).reason == sessions.IDLE
    busy = signed_in(seeded_engine)
    now = T0
    while now < T0 + sessions.MAX_LIFETIME - 20 * minute:
        now += 20 * minute
        assert isinstance(sessions.check(seeded_engine, busy, now=now), sessions.Identity)
    assert sessions.check(seeded_engine, busy, now=T0 + sessions.MAX_LIFETIME).reason == \
        sessions.EXPIRED
    assert [r[1:] for r in session_ends(seeded_engine)] == [("inactief", "verlopen"),
                                                            ("verlopen", "verlopen")]


def test_signing_out_ends_the_session_for_every_tab_that_shares_its_cookie(seeded_engine):
    token = signed_in(seeded_engine)
    assert sessions.end(seeded_engine, token)
    assert sessions.check(seeded_engine, token).reason == sessions.LOGGED_OUT
    assert not sessions.end(seeded_engine, token)  # audited once
    assert session_ends(seeded_engine) == [("programmateam", "uitgelogd", "ok")]


# ---------------------------------------------------------------- the write re-check


def first_project(engine) -> dict:
    return writes.list_rows(engine, PT, "project").iloc[0].to_dict()


def save_project(engine, actor: str, role: Role, name: str):
    row = first_project(engine)
    values = {k: v for k, v in row.items() if k not in ("id", "version")} | {"name": name}
    return writes.update(engine, actor, role, "project", int(row["id"]), int(row["version"]),
                         values)


def refusals(engine) -> list[tuple[str, str, str]]:
    with transaction(engine) as s:
        return s.execute(select(AuditLog.actor, AuditLog.role, AuditLog.action).where(
            AuditLog.result == "geweigerd").order_by(AuditLog.id)).all()


def test_a_deactivated_account_cannot_save_whatever_role_its_tab_still_holds(seeded_engine):
    user = account(seeded_engine, "programmateam")
    with transaction(seeded_engine) as s:
        s.execute(update(User).where(User.id == user.id).values(active=False))
    before = first_project(seeded_engine)["name"]
    with pytest.raises(AccessDenied):
        save_project(seeded_engine, "programmateam", PT, "Na deactivering")
    assert first_project(seeded_engine)["name"] == before
    assert refusals(seeded_engine) == [("programmateam", "publiek", "wijzigen")]


def test_a_write_takes_the_role_from_the_database_not_from_the_caller(seeded_engine):
    user = account(seeded_engine, "programmateam")
    assert accounts.update_user(seeded_engine, "beheerder", ADMIN, user.id, user.version,
                                Role.BESTUURDER, True).ok
    with pytest.raises(AccessDenied):
        save_project(seeded_engine, "programmateam", PT, "Als bestuurder")
    assert refusals(seeded_engine) == [("programmateam", "bestuurder", "wijzigen")]
    with pytest.raises(AccessDenied):  # an account that does not exist may do nothing
        save_project(seeded_engine, "niemand", PT, "Onbekend")
    admin = account(seeded_engine, "beheerder")
    with transaction(seeded_engine) as s:  # a beheerder demoted a moment ago
        s.execute(update(User).where(User.id == admin.id).values(role="bestuurder"))
    with pytest.raises(AccessDenied):
        accounts.create_user(seeded_engine, "beheerder", ADMIN, "nieuw.account",
                             Role.BEHEERDER, "Zonnebloem2026x")
    assert account(seeded_engine, "nieuw.account") is None
    assert refusals(seeded_engine)[1:] == [("niemand", "publiek", "wijzigen"),
                                           ("beheerder", "bestuurder", "account aanmaken")]


def test_a_promoted_account_writes_with_its_new_role(seeded_engine):
    user = account(seeded_engine, "programmateam")
    assert accounts.update_user(seeded_engine, "beheerder", ADMIN, user.id, user.version,
                                Role.BEHEERDER, True).ok
    assert save_project(seeded_engine, "programmateam", PT, "Gepromoveerd").ok
    with transaction(seeded_engine) as s:
        last = s.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.action, last.role, last.result) == ("wijzigen", "beheerder", "ok")


def test_a_single_sign_on_identity_writes_only_while_its_session_lives(seeded_engine):
    code = sessions.start(seeded_engine, "coordinator@gemeente.example", kind=sessions.OIDC,
                          role=PT)
    token = sessions.redeem(seeded_engine, code)
    assert save_project(seeded_engine, "coordinator@gemeente.example", PT, "Via SSO").ok
    sessions.end(seeded_engine, token)
    with pytest.raises(AccessDenied):
        save_project(seeded_engine, "coordinator@gemeente.example", PT, "Na uitloggen")


# ---------------------------------------------------------------- routes and headers


@pytest.mark.parametrize(("value", "expected"), [
    ("/kaart?gebied=limmel&indicator=x", "/kaart?gebied=limmel&indicator=x"),
    ("/", "/"), ("https://evil.example/", "/"), ("//evil.example/x", "/"),
    ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("kaart", "/"), (None, "/"),
    ("/kaart\r\nSet-Cookie: x=1", "/"),
])
def test_only_paths_on_this_site_are_followed_after_sign_in(value, expected):
    assert web.safe_next(value) == expected


def routes_app(engine) -> Starlette:
    return Starlette(routes=web.routes(lambda: engine))


def test_the_start_route_sets_a_strict_http_only_cookie_once(seeded_engine):
    app = routes_app(seeded_engine)
    code = sessions.start(seeded_engine, "bestuurder")
    headers = _request(app, web.start_url(code, "/kaart?gebied=limmel"), {})
    assert dict(headers)["location"] == "/kaart?gebied=limmel"
    cookie = dict(headers)["set-cookie"]
    assert cookie.startswith(f"{sessions.COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Path=/" in cookie
    jar: dict[str, str] = {}
    _apply_cookies(jar, headers)
    assert sessions.check(seeded_engine, jar[sessions.COOKIE]).username == "bestuurder"
    again = dict(_request(app, web.start_url(code, "/kaart"), {}))
    assert "set-cookie" not in again and again["location"] == "/kaart?inloggen=mislukt"


def test_the_end_route_clears_the_cookie_of_an_ended_session_only(seeded_engine):
    app = routes_app(seeded_engine)
    token = signed_in(seeded_engine, now=sessions.utc_now())
    live = dict(_request(app, web.END_PATH, {sessions.COOKIE: token}))
    assert "set-cookie" not in live  # a link cannot sign anyone out
    sessions.end(seeded_engine, token)
    ended = _request(app, web.END_PATH, {sessions.COOKIE: token})
    jar = {sessions.COOKIE: token}
    _apply_cookies(jar, ended)
    assert jar == {} and dict(ended)["location"] == "/"


def test_security_headers_and_no_public_metrics():
    import streamlit

    csp = web.content_security_policy(Path(streamlit.__file__).parent / "static" / "index.html")
    assert "frame-ancestors 'none'" in csp and "'sha256-" in csp and "'unsafe-inline'" not in \
        csp.split("style-src")[0]  # no inline scripts beyond the hashed one

    async def ok(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    app = web.SecurityHeaders(ok, csp=csp)
    headers = dict(_request(app, "/", {}))
    assert headers["x-frame-options"] == "DENY" and headers["content-security-policy"] == csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    sent = []

    async def capture(message):
        sent.append(message)

    for path in ("/_stcore/metrics", "//_stcore/metrics", "/_stcore/metrics/"):
        sent.clear()
        request = app({"type": "http", "path": path, "method": "GET", "headers": []}, None,
                      capture)
        run_async(request)  # a browser test may hold a loop
        assert sent[0]["status"] == 404, path


def test_sessions_long_past_their_lifetime_are_removed(seeded_engine):
    old = signed_in(seeded_engine, now=T0)
    later = T0 + sessions.MAX_LIFETIME + sessions.KEEP_ENDED + dt.timedelta(minutes=1)
    signed_in(seeded_engine, now=later)
    assert sessions.check(seeded_engine, old, now=later) is None  # gone, not just ended
    with transaction(seeded_engine) as s:
        assert len(s.scalars(select(AuthSession)).all()) == 1


def _upload(app, path: str, cookies: dict[str, str]) -> int:
    """PUT a small file to ``path`` through the ASGI ``app``; the response status."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "PUT",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 50000),
             "headers": [(b"host", b"127.0.0.1:8501"),
                         *([(b"cookie", cookie.encode())] if cookie else [])]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"x" * 100, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    run_async(app(scope, receive, send))
    return next(m for m in sent if m["type"] == "http.response.start")["status"]


def test_only_the_programme_team_may_send_files_and_only_so_many(seeded_engine):
    """Streamlit's upload URL takes files for any open session: an anonymous visitor (or a
    stolen session id) could fill server memory with 5 MB files."""
    reached = []

    async def streamlit(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    clock = [0.0]
    app = web.UploadGuard(streamlit, engine=lambda: seeded_engine, clock=lambda: clock[0])
    path = "/_stcore/upload_file/sessie-1/bestand-{}"
    assert _upload(app, path.format(0), {}) == 403  # a visitor who never signed in
    reader = {sessions.COOKIE: signed_in(seeded_engine, "bestuurder", now=sessions.utc_now())}
    assert _upload(app, path.format(0), reader) == 403  # may read, not import
    team = {sessions.COOKIE: signed_in(seeded_engine, "programmateam", now=sessions.utc_now())}
    assert [_upload(app, path.format(i), team) for i in range(web.MAX_UPLOADS)] == \
        [204] * web.MAX_UPLOADS
    assert _upload(app, path.format(99), team) == 429  # one browser session, too many files
    assert _upload(app, "/_stcore/upload_file/sessie-2/bestand-0", team) == 204
    clock[0] += web.UPLOAD_WINDOW
    assert _upload(app, path.format(100), team) == 204  # the window has passed
    assert len(reached) == web.MAX_UPLOADS + 2
