"""Local accounts: argon2 password hashes, sign-in with a throttle per (user name, client),
every attempt audited.

The throttle never locks an account for everyone, and it treats unknown and known user
names alike (README, Accounts): after ``MAX_FAILURES`` failed attempts for one user name
from one client (IP address) within ``THROTTLE_WINDOW``, that client may not try that
name until the window has passed; a client with ``MAX_CLIENT_FAILURES`` failures for any
names is held back likewise. The real user, on their own client, still signs in. Every
attempt that is not held back costs one argon2 verification, also for an unknown name,
and gets the same message. Failures are separate insert-only rows (``login_failure``),
so sign-in never updates the account row and never fights its optimistic lock.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from dashboard.domain.roles import Role
from dashboard.store import audit
from data_loaders.db import session_factory, transaction
from data_loaders.models import LoginFailure, User

MAX_FAILURES = 5  # per user name and client, within THROTTLE_WINDOW
MAX_CLIENT_FAILURES = 20  # per client, any user names, within THROTTLE_WINDOW
THROTTLE_WINDOW = dt.timedelta(minutes=15)
KEEP_FAILURES = dt.timedelta(days=1)  # older failure rows are removed
FAILED = "Onbekende gebruikersnaam of onjuist wachtwoord."
HELD_BACK = ("Inloggen is vanaf dit apparaat tijdelijk geblokkeerd na herhaalde mislukte "
             f"pogingen. Probeer het over {int(THROTTLE_WINDOW.total_seconds() // 60)} minuten "
             "opnieuw.")
THROTTLE_RULE = (f"Na {MAX_FAILURES} mislukte pogingen binnen "
                 f"{int(THROTTLE_WINDOW.total_seconds() // 60)} minuten kan vanaf hetzelfde "
                 "apparaat (IP-adres) een kwartier niet met die gebruikersnaam worden "
                 "ingelogd; vanaf andere apparaten wel.")
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _stand_in_hash() -> str:
    """Verified for unknown names, so that they cost as much time as known ones."""
    return hash_password("geen account: alleen voor een gelijke rekentijd")


@dataclass(frozen=True)
class SignedIn:
    username: str
    role: Role
    must_change_password: bool


@dataclass(frozen=True)
class SignInFailed:
    message: str  # Dutch, shown as is


def held_back(s: Session, username: str, client: str, now: dt.datetime) -> bool:
    """True when this client may not try this user name now (see the module doc)."""
    since = now - THROTTLE_WINDOW
    recent = select(func.count()).select_from(LoginFailure).where(
        LoginFailure.client == client, LoginFailure.at >= since)
    if (s.scalar(recent) or 0) >= MAX_CLIENT_FAILURES:
        return True
    return (s.scalar(recent.where(LoginFailure.username == username)) or 0) >= MAX_FAILURES


def held_back_names(s: Session, now: dt.datetime) -> set[str]:
    """User names that at least one client may not try now (for the Gebruikers page)."""
    rows = s.execute(select(LoginFailure.username).where(
        LoginFailure.at >= now - THROTTLE_WINDOW).group_by(
        LoginFailure.username, LoginFailure.client).having(func.count() >= MAX_FAILURES))
    return {name for (name,) in rows}


def forget_failures(s: Session, username: str, client: str | None = None) -> None:
    """Lift the throttle for ``username`` (from one client, or from all of them)."""
    stmt = delete(LoginFailure).where(LoginFailure.username == username)
    s.execute(stmt if client is None else stmt.where(LoginFailure.client == client))


def sign_in(engine: Engine, username: str, password: str, client: str = ""
            ) -> SignedIn | SignInFailed:
    """Check credentials from ``client`` (its IP address); throttled and audited."""
    name = username.strip().lower()[:80]
    client = (client or "onbekend")[:64]
    now = dt.datetime.now(dt.UTC)
    with session_factory(engine)() as s:
        user = s.scalar(select(User).where(User.username == name))
        blocked = held_back(s, name, client, now)
    actor = user.username if user is not None else username.strip()[:80]
    role = user.role.value if user is not None else Role.PUBLIEK.value
    if blocked:
        with transaction(engine) as s:
            audit.record(s, actor=actor, role=role, action="login", result="geblokkeerd")
        return SignInFailed(HELD_BACK)
    correct = verify_password(user.password_hash if user else _stand_in_hash(), password)
    ok = correct and user is not None and user.active
    with transaction(engine) as s:
        if ok:
            forget_failures(s, name, client)
        else:
            s.add(LoginFailure(username=name, client=client, at=now))
            s.execute(delete(LoginFailure).where(LoginFailure.at < now - KEEP_FAILURES))
        audit.record(s, actor=actor, role=role, action="login", result="ok" if ok else "mislukt")
    if not ok:
        return SignInFailed(FAILED)
    return SignedIn(user.username, Role(user.role.value), user.must_change_password)


def record_sso_sign_in(engine: Engine, username: str, role: Role | None) -> None:
    """Audit a single sign-on (OIDC) sign-in; ``role`` None means no role was granted."""
    with transaction(engine) as s:
        audit.record(s, actor=username[:80], role=(role or Role.PUBLIEK).value,
                     action="login", object_type="oidc",
                     result="ok" if role is not None else "geweigerd")
