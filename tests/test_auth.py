"""Sign-in with argon2 hashes, lockout after repeated failures, every attempt audited."""

from sqlalchemy import func, select

from dashboard.store.auth import MAX_FAILED_LOGINS, SignedIn, SignInFailed, sign_in
from dashboard.domain.roles import Role
from data_loaders.db import transaction
from data_loaders.models import AuditLog


def audit_rows(engine):
    with transaction(engine) as s:
        return s.execute(select(AuditLog.actor, AuditLog.action, AuditLog.result)
                         .order_by(AuditLog.id)).all()


def test_demo_account_signs_in_with_its_role(seeded_engine):
    outcome = sign_in(seeded_engine, "programmateam", "demo")
    assert outcome == SignedIn("programmateam", Role.PROGRAMMATEAM, False)
    assert audit_rows(seeded_engine)[-1] == ("programmateam", "login", "ok")


def test_wrong_password_and_unknown_user_get_the_same_dutch_message(seeded_engine):
    a = sign_in(seeded_engine, "bestuurder", "fout")
    b = sign_in(seeded_engine, "niemand", "demo")
    assert isinstance(a, SignInFailed) and a == b
    assert "onjuist wachtwoord" in a.message
    assert [r[2] for r in audit_rows(seeded_engine)[-2:]] == ["mislukt", "mislukt"]


def test_account_locks_after_repeated_failures(seeded_engine):
    for _ in range(MAX_FAILED_LOGINS):
        sign_in(seeded_engine, "beheerder", "fout")
    locked = sign_in(seeded_engine, "beheerder", "demo")  # right password, but locked
    assert isinstance(locked, SignInFailed) and "geblokkeerd" in locked.message
    with transaction(seeded_engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.result == "geblokkeerd")) == 1
