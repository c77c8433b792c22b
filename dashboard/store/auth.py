"""Local accounts: argon2 password hashes, sign-in with lockout, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select

from dashboard.store import audit
from dashboard.domain.roles import Role
from data_loaders.db import transaction
from data_loaders.models import User

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class SignedIn:
    username: str
    role: Role
    must_change_password: bool


@dataclass(frozen=True)
class SignInFailed:
    message: str  # Dutch, shown as is


def sign_in(engine: Engine, username: str, password: str) -> SignedIn | SignInFailed:
    """Check credentials; count failures, lock after ``MAX_FAILED_LOGINS``; audit either way."""
    generic = SignInFailed("Onbekende gebruikersnaam of onjuist wachtwoord.")
    now = dt.datetime.now(dt.UTC)
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None or not user.active:
            audit.record(session, actor=username[:80], role="publiek", action="login",
                         result="mislukt")
            return generic
        locked_until = user.locked_until
        if locked_until is not None and locked_until.tzinfo is None:
            locked_until = locked_until.replace(tzinfo=dt.UTC)
        if locked_until is not None and locked_until > now:
            audit.record(session, actor=user.username, role=user.role.value, action="login",
                         result="geblokkeerd")
            return SignInFailed(
                "Dit account is tijdelijk geblokkeerd na herhaalde mislukte pogingen. "
                "Probeer het over 15 minuten opnieuw."
            )
        if not verify_password(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            audit.record(session, actor=user.username, role=user.role.value, action="login",
                         result="mislukt")
            return generic
        user.failed_logins = 0
        user.locked_until = None
        audit.record(session, actor=user.username, role=user.role.value, action="login")
        return SignedIn(user.username, Role(user.role.value), user.must_change_password)


def record_sso_sign_in(engine: Engine, username: str, role: Role | None) -> None:
    """Audit a single sign-on (OIDC) sign-in; ``role`` None means no role was granted."""
    with transaction(engine) as session:
        audit.record(session, actor=username[:80], role=(role or Role.PUBLIEK).value,
                     action="login", object_type="oidc",
                     result="ok" if role is not None else "geweigerd")
