"""Fixtures of the AppTest page tests: a demo database copy per test module, an app starter
that signs in as a role, and an engine on that copy."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from data_loaders.db import make_engine
from tests.helpers import ROOT
from tests.helpers.apptest import sign_in


@pytest.fixture(scope="module")
def app_db_url(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    copy = tmp_path_factory.mktemp("app") / "app.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


@pytest.fixture()
def app(app_db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LN_DATABASE_URL", app_db_url)

    def start(role: Role = Role.PUBLIEK) -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
        return sign_in(at, role.value, "demo") if role is not Role.PUBLIEK else at

    return start



@pytest.fixture()
def engine(app_db_url):
    e = make_engine(app_db_url)
    yield e
    e.dispose()
