"""Local accounts managed by the beheerder: create, change role, (de)activate, reset a
password, lift a sign-in throttle; and a signed-in user's own password change. Every
call is audited through ``writes.audited`` (never with a password or hash in the trail).
A new password and a deactivation raise the account's ``credential_version``, which ends
all its sign-in sessions (``dashboard.store.sessions``). Sign-in and its throttle live in
``dashboard.store.auth``; the password hashing too."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from dashboard.domain.datasets import Problem
from dashboard.domain.roles import Permission, Role
from dashboard.store import writes
from dashboard.store.auth import (
    forget_failures,
    hash_password,
    held_back_names,
    verify_password,
)
from dashboard.store.settings import is_demo
from data_loaders.db import read_frame as _frame
from data_loaders.db import session_factory
from data_loaders.models import AuthSession, User
from data_loaders.models import Role as StoredRole

MIN_PASSWORD_LENGTH = 12
WEAK_PASSWORDS = {"demo", "wachtwoord", "welkom", "password", "qwerty", "123456789012"}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,79}$")
ACCOUNT_ROLES = (Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER)
PASSWORD_RULES = (f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens, met letters én "
                  "cijfers, en bevat de gebruikersnaam niet.")


def password_problems(password: str, username: str) -> list[str]:
    """Dutch reasons why ``password`` is not allowed (empty when it is fine)."""
    out = []
    if len(password) < MIN_PASSWORD_LENGTH:
        out.append(f"Wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn.")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        out.append("Wachtwoord moet letters en cijfers bevatten.")
    if username and username.lower() in password.lower():
        out.append("Wachtwoord mag de gebruikersnaam niet bevatten.")
    if password.lower() in WEAK_PASSWORDS:
        out.append("Dit wachtwoord is te makkelijk te raden.")
    return out


def _invalid(field: str, label: str, messages: list[str]) -> writes.WriteResult:
    problems = [Problem(field, label, m) for m in messages]
    return writes.WriteResult(writes.INVALID, " ".join(messages), problems=problems)


def list_users(engine: Engine, role: Role) -> pd.DataFrame:
    from dashboard.domain.roles import require

    require(role, Permission.ADMINISTER)
    df = _frame(engine, select(User.id, User.version, User.username, User.role, User.active,
                               User.is_demo, User.must_change_password,
                               User.created_at).order_by(User.username))
    df["role"] = df["role"].map(lambda r: r.value)
    with session_factory(engine)() as s:
        held_back = held_back_names(s, dt.datetime.now(dt.UTC))
    df["locked"] = df["username"].isin(held_back)  # held back from at least one client
    return df


def _other_active_admins(s: Session, user_id: int) -> int:
    return int(s.scalar(select(func.count()).select_from(User).where(
        User.role == StoredRole.BEHEERDER, User.active.is_(True), User.id != user_id)) or 0)


def _state(user: User) -> dict[str, Any]:
    return {"gebruikersnaam": user.username, "rol": user.role.value, "actief": user.active}


def create_user(engine: Engine, actor: str, role: Role, username: str, user_role: Role,
                password: str) -> writes.WriteResult:
    """A new account with a temporary password, to be changed at first sign-in."""
    username = (username or "").strip().lower()

    def work(s: Session) -> tuple[writes.WriteResult, dict | None, dict | None]:
        if not USERNAME_RE.match(username):
            return _invalid("username", "Gebruikersnaam", [
                "Gebruikersnaam heeft 3 tot 80 tekens: kleine letters, cijfers, punt, "
                "streepje, liggend streepje of @."]), None, None
        if Role(user_role) not in ACCOUNT_ROLES:
            return _invalid("role", "Rol", ["Kies een rol."]), None, None
        problems = password_problems(password, username)
        if problems:
            return _invalid("password", "Wachtwoord", problems), None, None
        if s.scalar(select(User).where(User.username == username)) is not None:
            return _invalid("username", "Gebruikersnaam",
                            [f"Gebruikersnaam '{username}' bestaat al."]), None, None
        user = User(username=username, password_hash=hash_password(password),
                    role=StoredRole(Role(user_role).value), must_change_password=True)
        s.add(user)
        s.flush()
        return (writes.WriteResult(writes.OK, f"Account '{username}' aangemaakt.", row_id=user.id,
                                   version=user.version), None, _state(user))

    return writes.audited(engine, actor, role, "account aanmaken", "gebruiker", username, work,
                          permission=Permission.ADMINISTER)


def _change(engine: Engine, actor: str, role: Role, action: str, user_id: int,
            expected_version: int, apply: Any) -> writes.WriteResult:
    def work(s: Session) -> tuple[writes.WriteResult, dict | None, dict | None]:
        user = s.get(User, user_id)
        if user is None or user.version != expected_version:
            stored = _state(user) if user is not None else None
            return (writes.WriteResult(writes.CONFLICT, "Iemand anders heeft dit account "
                                       "intussen gewijzigd; laad opnieuw.", row_id=user_id,
                                       stored=stored), None, None)
        old = _state(user)
        refused = apply(s, user)
        if refused is not None:
            return refused, None, None
        s.flush()
        return (writes.WriteResult(writes.OK, "Opgeslagen.", row_id=user.id, version=user.version),
                old, _state(user))

    return writes.audited(engine, actor, role, action, "gebruiker", user_id, work,
                          permission=Permission.ADMINISTER)


def update_user(engine: Engine, actor: str, role: Role, user_id: int, expected_version: int,
                user_role: Role, active: bool) -> writes.WriteResult:
    """Change an account's role and whether it may sign in; the last beheerder stays."""
    def apply(s: Session, user: User) -> writes.WriteResult | None:
        if Role(user_role) not in ACCOUNT_ROLES:
            return _invalid("role", "Rol", ["Kies een rol."])
        stays_admin = Role(user_role) is Role.BEHEERDER and active
        if user.role is StoredRole.BEHEERDER and not stays_admin and not _other_active_admins(
                s, user.id):
            return _invalid("role", "Rol", ["Er moet minstens één actieve beheerder blijven."])
        user.role = StoredRole(Role(user_role).value)
        if user.active and not active:
            user.credential_version += 1  # signs the account out everywhere
        user.active = bool(active)
        return None

    return _change(engine, actor, role, "account wijzigen", user_id, expected_version, apply)


def reset_password(engine: Engine, actor: str, role: Role, user_id: int, expected_version: int,
                   password: str) -> writes.WriteResult:
    """Set a temporary password (to be changed at the next sign-in), end the account's
    sessions and lift its sign-in throttle."""
    def apply(s: Session, user: User) -> writes.WriteResult | None:
        problems = password_problems(password, user.username)
        if problems:
            return _invalid("password", "Wachtwoord", problems)
        user.password_hash = hash_password(password)
        user.must_change_password = True
        user.credential_version += 1
        forget_failures(s, user.username)
        return None

    return _change(engine, actor, role, "wachtwoord resetten", user_id, expected_version, apply)


def unlock(engine: Engine, actor: str, role: Role, user_id: int, expected_version: int
           ) -> writes.WriteResult:
    """Lift the sign-in throttle on this user name, for every client."""
    def apply(s: Session, user: User) -> None:
        forget_failures(s, user.username)

    return _change(engine, actor, role, "account ontgrendelen", user_id, expected_version, apply)


# ---------------------------------------------------------------- the user's own password


def needs_password_change(engine: Engine, username: str) -> bool:
    """True when the user must choose a new password before using the dashboard: after a
    reset, or for a demo account in a database that no longer holds demo data."""
    with session_factory(engine)() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            return False
        return bool(user.must_change_password or (user.is_demo and not is_demo(engine)))


def change_own_password(engine: Engine, username: str, current: str, new: str,
                        keep_session: int | None = None) -> writes.WriteResult:
    """Replace the user's own password. Every other session of the account ends; the
    session ``keep_session`` (the one the user changed it in) stays signed in."""
    with session_factory(engine)() as s:
        user = s.scalar(select(User).where(User.username == username))
        user_role = Role(user.role.value) if user else Role.PUBLIEK

    def work(s: Session) -> tuple[writes.WriteResult, dict | None, dict | None]:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or not verify_password(user.password_hash, current):
            return _invalid("current", "Huidig wachtwoord",
                            ["Het huidige wachtwoord klopt niet."]), None, None
        problems = password_problems(new, username)
        if new == current:
            problems.append("Kies een ander wachtwoord dan het huidige.")
        if problems:
            return _invalid("password", "Nieuw wachtwoord", problems), None, None
        user.password_hash = hash_password(new)
        user.must_change_password = False
        user.is_demo = False
        user.credential_version += 1
        s.flush()
        if keep_session is not None:
            s.execute(update(AuthSession).where(
                AuthSession.id == keep_session, AuthSession.user_id == user.id).values(
                credential_version=user.credential_version))
        return writes.WriteResult(writes.OK, "Je wachtwoord is gewijzigd.", row_id=user.id), None, None

    return writes.audited(engine, username, user_role, "eigen wachtwoord wijzigen", "gebruiker",
                          username, work, permission=Permission.VIEW_INTERNAL)


def role_choices() -> Mapping[str, str]:
    from dashboard.domain.roles import ROLE_LABELS

    return {r.value: ROLE_LABELS[r] for r in ACCOUNT_ROLES}


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.store.accounts create-admin NAME``: the first beheerder account of a
    new production database (demo accounts exist only in the embedded demo database);
    ``create-user NAME --rol ROL``: any other account, as on *Gebruikers*, for a scripted
    onboarding. The temporary password is read from standard input and must be changed at
    first sign-in."""
    import argparse
    import getpass
    import sys

    from data_loaders.db import make_engine

    parser = argparse.ArgumentParser(description="Maak een account aan.")
    parser.add_argument("command", choices=["create-admin", "create-user"])
    parser.add_argument("username")
    parser.add_argument("--rol", choices=[r.value for r in ACCOUNT_ROLES],
                        help="de rol van het account (create-user; create-admin: beheerder)")
    args = parser.parse_args(argv)
    if args.command == "create-user" and args.rol is None:
        parser.error("create-user heeft --rol nodig")
    role = Role.BEHEERDER if args.command == "create-admin" else Role(args.rol)
    password = (getpass.getpass("Tijdelijk wachtwoord: ") if sys.stdin.isatty()
                else sys.stdin.readline().rstrip("\n"))
    result = create_user(make_engine(), writes.COMMAND_LINE, Role.BEHEERDER, args.username,
                         role, password)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    if result.ok:
        print("Bij de eerste keer inloggen moet het wachtwoord worden gewijzigd.")
    return 0 if result.ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
