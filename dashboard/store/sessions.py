"""Server-side sign-in sessions: who is signed in, read from the database on every request.

A successful sign-in (the local form or single sign-on) creates an ``auth_session`` row
and a one-time hand-off code (``start``). The browser takes the code to the
``/sessie/start`` route (``dashboard.ui.web``), which swaps it for a random session token
in an HttpOnly, SameSite=Strict cookie (``redeem``). Only SHA-256 digests of code and
token are stored, so the table alone signs nobody in.

Every script run presents the cookie of its *own* connection to ``check``
(``dashboard.ui``): a Streamlit session id presented by another browser carries no
cookie, so it is not signed in. ``check`` reads the account again each time: still
active, current role, same credential version (a password change or reset, or a
deactivation, raises the account's ``credential_version`` and so ends every session),
not idle for ``IDLE_TIMEOUT`` and younger than ``MAX_LIFETIME``. Writes re-check their
actor in the database with ``actor_role`` (``dashboard.store.writes.audited``).

A session that ends is marked revoked with its reason, and the end is audited once
(action ``uitloggen``, object ``sessie``). No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from dashboard.domain.roles import Role
from dashboard.store import audit
from data_loaders.db import transaction
from data_loaders.models import AuthSession, User

COOKIE = "ln_sessie"
IDLE_TIMEOUT = dt.timedelta(minutes=30)  # no script run for this long: signed out
MAX_LIFETIME = dt.timedelta(hours=10)  # a working day, however active
HANDOFF_TTL = dt.timedelta(seconds=60)  # the one-time code from the sign-in form to the cookie
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often
KEEP_ENDED = dt.timedelta(days=7)  # sessions past their lifetime are removed after this
LOCAL, OIDC = "lokaal", "oidc"

# Why a session ended (auth_session.revoke_reason), what the user then reads, and the
# result recorded in the audit log.
LOGGED_OUT, IDLE, EXPIRED = "uitgelogd", "inactief", "verlopen"
DEACTIVATED, CREDENTIALS, OTHER_BROWSER, NO_ROLE = (
    "gedeactiveerd", "wachtwoord", "andere browser", "geen rol")
MESSAGES = {
    LOGGED_OUT: "Je bent uitgelogd.",
    IDLE: f"Je bent uitgelogd na {int(IDLE_TIMEOUT.total_seconds() // 60)} minuten zonder "
          "activiteit. Log opnieuw in.",
    EXPIRED: f"Je sessie is na {int(MAX_LIFETIME.total_seconds() // 3600)} uur verlopen. "
             "Log opnieuw in.",
    DEACTIVATED: "Je account is gedeactiveerd; je bent uitgelogd. Neem contact op met de "
                 "beheerder.",
    CREDENTIALS: "Je wachtwoord is gewijzigd of gereset; je bent uitgelogd. Log opnieuw in.",
    OTHER_BROWSER: "Deze sessie werd vanuit een andere browser gebruikt en is daarom "
                   "beëindigd. Log opnieuw in.",
    NO_ROLE: "Je organisatie-account heeft geen rol meer in dit dashboard; je bent "
             "uitgelogd.",
}
_AUDIT_RESULT = {LOGGED_OUT: "ok", IDLE: "verlopen", EXPIRED: "verlopen"}  # else geweigerd


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC


@dataclass(frozen=True)
class Identity:
    """A valid session: who is signed in, with the role the database gives them now."""

    session_id: int
    username: str
    role: Role
    kind: str  # LOCAL or OIDC
    must_change_password: bool = False
    demo_account: bool = False


@dataclass(frozen=True)
class Ended:
    """The cookie names a session that is over; ``just_now``: this check ended it."""

    reason: str
    username: str
    kind: str
    just_now: bool

    @property
    def message(self) -> str:
        return MESSAGES.get(self.reason, MESSAGES[LOGGED_OUT])


def start(engine: Engine, username: str, *, kind: str = LOCAL, role: Role | None = None,
          client: str = "", now: dt.datetime | None = None) -> str:
    """A new session for an identity that has just proved itself (``auth.sign_in`` or
    single sign-on, whose ``role`` comes from the claims). Returns the one-time hand-off
    code for ``/sessie/start``; the session holds no cookie token until it is redeemed."""
    now = now or utc_now()
    code = new_token()
    with transaction(engine) as s:
        user_id, credential_version = None, 1
        if kind == LOCAL:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or not user.active:
                raise ValueError(f"no active account {username!r}")
            user_id, credential_version = user.id, user.credential_version
        elif role is None:
            raise ValueError("a single sign-on session needs the role from its claims")
        s.add(AuthSession(
            handoff_hash=digest(code), handoff_expires_at=now + HANDOFF_TTL, user_id=user_id,
            subject=username[:80], kind=kind, role=role.value if kind == OIDC and role else None,
            credential_version=credential_version, client=client[:64], created_at=now,
            last_seen_at=now, expires_at=now + MAX_LIFETIME))
        s.execute(delete(AuthSession).where(AuthSession.expires_at < now - KEEP_ENDED))
    return code


def redeem(engine: Engine, code: str, *, now: dt.datetime | None = None) -> str | None:
    """Swap a fresh hand-off code for the session's cookie token (once only), or None."""
    if not code:
        return None
    now = now or utc_now()
    with transaction(engine) as s:
        row = s.scalar(select(AuthSession).where(AuthSession.handoff_hash == digest(code)))
        if (row is None or row.revoked_at is not None or row.handoff_expires_at is None
                or _utc(row.handoff_expires_at) <= now):
            return None
        token = new_token()
        done = s.execute(update(AuthSession).where(
            AuthSession.id == row.id, AuthSession.handoff_hash == digest(code)).values(
            handoff_hash=None, handoff_expires_at=None, token_hash=digest(token),
            last_seen_at=now))
        return token if done.rowcount == 1 else None


def _end_reason(row: AuthSession, user: User | None, now: dt.datetime) -> str | None:
    if now >= _utc(row.expires_at):
        return EXPIRED
    if now - _utc(row.last_seen_at) >= IDLE_TIMEOUT:
        return IDLE
    if row.kind == LOCAL:
        if user is None or not user.active:
            return DEACTIVATED
        if user.credential_version != row.credential_version:
            return CREDENTIALS
    return None


def _role(row: AuthSession, user: User | None) -> Role:
    if row.kind == LOCAL:
        return Role(user.role.value) if user is not None else Role.PUBLIEK
    return Role(row.role) if row.role else Role.PUBLIEK


def _end(s: Session, row: AuthSession, reason: str, now: dt.datetime, role: Role) -> bool:
    """Mark ``row`` revoked and audit it, unless another request already did."""
    done = s.execute(update(AuthSession).where(
        AuthSession.id == row.id, AuthSession.revoked_at.is_(None)).values(
        revoked_at=now, revoke_reason=reason))
    if done.rowcount != 1:
        return False
    audit.record(s, actor=row.subject, role=role.value, action="uitloggen",
                 object_type="sessie", object_id=reason,
                 result=_AUDIT_RESULT.get(reason, "geweigerd"))
    return True


def _lookup(s: Session, token: str) -> tuple[AuthSession | None, User | None]:
    row = s.scalar(select(AuthSession).where(AuthSession.token_hash == digest(token)))
    user = s.get(User, row.user_id) if row is not None and row.user_id is not None else None
    return row, user


def check(engine: Engine, token: str | None, *, now: dt.datetime | None = None
          ) -> Identity | Ended | None:
    """The identity behind a cookie token, read from the database now; ``Ended`` when its
    session is over (ending it here if a rule says so); None for no or an unknown token."""
    if not token:
        return None
    now = now or utc_now()
    with transaction(engine) as s:
        row, user = _lookup(s, token)
        if row is None:
            return None
        if row.revoked_at is not None:
            return Ended(row.revoke_reason or LOGGED_OUT, row.subject, row.kind, False)
        reason = _end_reason(row, user, now)
        if reason is not None:
            return Ended(reason, row.subject, row.kind, _end(s, row, reason, now, _role(row, user)))
        if now - _utc(row.last_seen_at) >= TOUCH_EVERY:
            s.execute(update(AuthSession).where(AuthSession.id == row.id)
                      .values(last_seen_at=now))
        return Identity(row.id, row.subject, _role(row, user), row.kind,
                        bool(user and user.must_change_password), bool(user and user.is_demo))


def end(engine: Engine, token: str | None, reason: str = LOGGED_OUT, *,
        now: dt.datetime | None = None) -> bool:
    """End the session behind ``token`` (Uitloggen, or a rule the UI applies); audited."""
    if not token:
        return False
    now = now or utc_now()
    with transaction(engine) as s:
        row, user = _lookup(s, token)
        return row is not None and _end(s, row, reason, now, _role(row, user))


def set_role(engine: Engine, session_id: int, role: Role) -> None:
    """A single sign-on session's role after the claims or the role mapping changed."""
    with transaction(engine) as s:
        s.execute(update(AuthSession).where(AuthSession.id == session_id)
                  .values(role=role.value))


def record_other_browser(engine: Engine, username: str, role: Role) -> None:
    """Audit a Streamlit session that another connection presented without its cookie."""
    with transaction(engine) as s:
        audit.record(s, actor=username[:80], role=Role(role).value, action="uitloggen",
                     object_type="sessie", object_id=OTHER_BROWSER, result="geweigerd")


def actor_role(s: Session, actor: str, *, now: dt.datetime | None = None) -> Role | None:
    """The role ``actor`` holds in the database right now, for a write's own re-check:
    a local account's role if it is active; else the role of a live single sign-on
    session of that identity; None when neither exists."""
    user = s.scalar(select(User).where(User.username == actor))
    if user is not None:
        return Role(user.role.value) if user.active else None
    now = now or utc_now()
    rows = s.scalars(select(AuthSession).where(
        AuthSession.kind == OIDC, AuthSession.subject == actor,
        AuthSession.revoked_at.is_(None), AuthSession.token_hash.is_not(None))
        .order_by(AuthSession.last_seen_at.desc())).all()
    live = [r for r in rows if _end_reason(r, None, now) is None]
    return _role(live[0], None) if live else None
