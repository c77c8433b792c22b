"""Sign-in with argon2 hashes, a throttle per (user name, client) that neither reveals which
names exist nor lets a stranger lock anyone out, simultaneous sign-ins, every attempt
audited. Both engines."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from dashboard.domain.roles import Role
from dashboard.store import auth, sessions
from dashboard.store.auth import (
    FAILED,
    HELD_BACK,
    MAX_CLIENT_FAILURES,
    MAX_FAILURES,
    SignedIn,
    SignInFailed,
    sign_in,
)
from data_loaders.db import transaction
from data_loaders.models import AuditLog, User

STRANGER, OFFICE = "198.51.100.66", "192.0.2.10"


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


def test_known_and_unknown_names_are_held_back_alike_and_only_from_that_client(seeded_engine):
    for _ in range(MAX_FAILURES):
        assert sign_in(seeded_engine, "beheerder", "fout", client=STRANGER) == SignInFailed(FAILED)
        assert sign_in(seeded_engine, "niemand", "fout", client=STRANGER) == SignInFailed(FAILED)
    known = sign_in(seeded_engine, "beheerder", "demo", client=STRANGER)  # right password
    unknown = sign_in(seeded_engine, "niemand", "demo", client=STRANGER)
    assert known == unknown == SignInFailed(HELD_BACK)  # no way to tell which name exists
    assert "geblokkeerd" in known.message
    assert [r[2] for r in audit_rows(seeded_engine)[-2:]] == ["geblokkeerd", "geblokkeerd"]
    # the stranger did not lock the real beheerder out: from their own client they sign in
    assert sign_in(seeded_engine, "beheerder", "demo", client=OFFICE) == SignedIn(
        "beheerder", Role.BEHEERDER, False)


def test_every_attempt_costs_one_password_verification_known_or_not(seeded_engine,
                                                                    monkeypatch):
    auth._stand_in_hash()  # made once per process, not part of an attempt
    verified = []
    original = auth.verify_password
    monkeypatch.setattr(auth, "verify_password",
                        lambda h, p: verified.append(1) or original(h, p))
    for name in ("bestuurder", "niemand", "BESTUURDER"):
        verified.clear()
        sign_in(seeded_engine, name, "fout")
        assert verified == [1], name


@pytest.mark.slow
def test_a_client_that_tries_many_names_is_held_back_for_all_of_them(seeded_engine):
    for i in range(MAX_CLIENT_FAILURES):
        sign_in(seeded_engine, f"naam{i}", "fout", client=STRANGER)
    assert sign_in(seeded_engine, "bestuurder", "demo", client=STRANGER) == SignInFailed(HELD_BACK)
    assert isinstance(sign_in(seeded_engine, "bestuurder", "demo", client=OFFICE), SignedIn)


def test_signing_in_never_touches_the_account_row(seeded_engine):
    def version():
        with transaction(seeded_engine) as s:
            return s.scalar(select(User.version).where(User.username == "bestuurder"))

    before = version()
    sign_in(seeded_engine, "bestuurder", "fout")
    sign_in(seeded_engine, "bestuurder", "demo")
    assert version() == before  # no fight with the optimistic lock of account edits


@pytest.mark.slow
def test_sixteen_simultaneous_sign_ins_all_finish_cleanly_and_are_audited(seeded_engine):
    attempts = [("programmateam", "demo"), ("bestuurder", "demo"), ("beheerder", "fout"),
                ("niemand", "demo")] * 4
    start = threading.Barrier(len(attempts))

    def attempt(n: int):
        username, password = attempts[n]
        start.wait()
        outcome = sign_in(seeded_engine, username, password, client=f"10.0.0.{n}")
        if isinstance(outcome, SignedIn):  # and the session the form then starts
            code = sessions.start(seeded_engine, outcome.username, client=f"10.0.0.{n}")
            assert sessions.redeem(seeded_engine, code)
        return outcome

    with ThreadPoolExecutor(len(attempts)) as pool:
        outcomes = list(pool.map(attempt, range(len(attempts))))
    expected = [SignedIn("programmateam", Role.PROGRAMMATEAM, False),
                SignedIn("bestuurder", Role.BESTUURDER, False),
                SignInFailed(FAILED), SignInFailed(FAILED)] * 4
    assert outcomes == expected
    with transaction(seeded_engine) as s:
        logins = s.execute(select(AuditLog.result, func.count()).where(AuditLog.action == "login")
                           .group_by(AuditLog.result)).all()
    assert dict(logins) == {"ok": 8, "mislukt": 8}
