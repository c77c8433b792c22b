"""Where the database URL comes from: environment, then secrets, then embedded SQLite."""

from data_loaders.db import DEFAULT_SQLITE_PATH, database_url


def test_environment_wins_over_secrets(monkeypatch):
    monkeypatch.setenv("LN_DATABASE_URL", "sqlite:////tmp/env.sqlite")
    assert database_url({"database_url": "sqlite:////tmp/secret.sqlite"}) == "sqlite:////tmp/env.sqlite"


def test_secrets_are_used_without_environment(monkeypatch):
    monkeypatch.delenv("LN_DATABASE_URL", raising=False)
    url = database_url({"database_url": "postgresql://lerend:x@db:5432/ln"})
    assert url == "postgresql+psycopg://lerend:x@db:5432/ln"  # psycopg 3 driver


def test_default_is_the_embedded_sqlite_file(monkeypatch):
    monkeypatch.delenv("LN_DATABASE_URL", raising=False)
    assert database_url(None) == f"sqlite:///{DEFAULT_SQLITE_PATH}"
