"""``python -m dashboard.store.accounts create-user NAME --rol ROL``: the accounts of a
scripted onboarding (README, Van lege database naar dashboard), with the same rules and
audit as *Gebruikers*."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from dashboard.domain.roles import Role
from dashboard.store import accounts
from dashboard.store.auth import sign_in
from data_loaders.db import make_engine, transaction
from data_loaders.models import AuditLog
from data_loaders.seed import main as seed_main


@pytest.mark.slow  # a separate Python process
def test_a_bestuurder_account_is_created_on_the_command_line(empty_db_url, monkeypatch, capsys):
    monkeypatch.setenv("LN_DATABASE_URL", empty_db_url)
    assert seed_main(["--no-demo"]) == 0
    engine = make_engine(empty_db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("Tijdelijk2026start\n"))
    assert accounts.main(["create-user", "wethouder", "--rol", "bestuurder"]) == 0
    assert sign_in(engine, "wethouder", "Tijdelijk2026start").role is Role.BESTUURDER
    assert accounts.needs_password_change(engine, "wethouder")
    with transaction(engine) as s:
        row = s.scalar(select(AuditLog).where(AuditLog.action == "account aanmaken"))
        assert (row.actor, row.result) == ("opdrachtregel", "ok")

    monkeypatch.setattr("sys.stdin", io.StringIO("Tijdelijk2026start\n"))
    assert accounts.main(["create-user", "wethouder", "--rol", "programmateam"]) == 2
    assert "wethouder" in capsys.readouterr().err  # the name is taken: refused
    with pytest.raises(SystemExit):  # a role is required, and only an account role
        accounts.main(["create-user", "iemand"])
    with pytest.raises(SystemExit):
        accounts.main(["create-user", "iemand", "--rol", "publiek"])
    engine.dispose()
