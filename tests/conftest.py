"""Shared fixtures: seeded SQLite databases, a throwaway PostgreSQL server, a live app.

In CI (``CI=true``) a missing Chromium or PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from bench import pgserver
from dashboard.domain.roles import Role
from data_loaders.db import make_engine
from data_loaders.seed import prepare_database
from tests.helpers import (
    AS_OF,
    ROOT,
    chromium_path,
    copy_of_demo,
    create_pg_database,
    missing,
    running_app,
)
from tests.helpers.apptest import sign_in

# Property tests judge results, not speed: a busy two-core CI machine must not fail them.
hypothesis_settings.register_profile("lerend", deadline=None)
hypothesis_settings.load_profile("lerend")

# ---------------------------------------------------------------- SQLite


@pytest.fixture(scope="session")
def demo_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated and seeded SQLite demo database, shared read-only by the session."""
    path = tmp_path_factory.mktemp("db") / "demo.sqlite"
    url = f"sqlite:///{path}"
    prepare_database(url, as_of=AS_OF).dispose()
    return url


@pytest.fixture()
def fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.sqlite'}"


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on a free loopback port (``bench.pgserver``); under
    root (CI) the cluster belongs to the unprivileged ``postgres`` user."""
    if pgserver.bindir() is None:
        missing("PostgreSQL (initdb/pg_ctl)")
    with pgserver.pg_server() as url:
        yield url


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each engine: the backend suite runs against both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'backend.sqlite'}"
    return create_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: str) -> str:
    """A seeded PostgreSQL database used as the template for per-test copies."""
    url = create_pg_database(pg_server)
    prepare_database(url, as_of=AS_OF).dispose()
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=BACKENDS)
def seeded_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A private, seeded demo database on each engine (a copy, so tests may write to it)."""
    from data_loaders.db import make_engine

    if request.param == "sqlite":
        src = Path(request.getfixturevalue("demo_sqlite_url").removeprefix("sqlite:///"))
        shutil.copy(src, tmp_path / "seeded.sqlite")
        url = f"sqlite:///{tmp_path / 'seeded.sqlite'}"
    else:
        url = create_pg_database(request.getfixturevalue("pg_server"),
                                 template=request.getfixturevalue("pg_demo_template"))
    engine = make_engine(url)
    yield engine
    engine.dispose()


# ---------------------------------------------------------------- live app (browser tests)


@pytest.fixture(scope="session")
def live_app(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run`` on a free port against a copy of the demo database."""
    workdir = tmp_path_factory.mktemp("live")
    with running_app(copy_of_demo(demo_sqlite_url, workdir), workdir / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update",
                  "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture(autouse=True)
def apptest_runs_like_a_live_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest re-detects the ``pages/`` folder before every run and then runs page files
    directly (Streamlit's legacy multipage mode). A live server does that at most once:
    the entry script's ``st.navigation`` switches it off for the process, and
    ``ui.entry_guard`` sends such a first run through the entry script (tested in a real
    browser on a fresh server). Pin AppTest to the live server's mode."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        PagesManager.uses_pages_directory = False
        original(self, *args, **kwargs)

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(autouse=True)
def apptest_has_a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest has no cookies and no page loads; sign-in needs both (dashboard.store.sessions).
    ``tests.helpers.apptest_browser`` stands in for the browser: a cookie jar per AppTest that
    st.context.cookies reads, and page loads through the real cookie routes."""
    from tests.helpers import apptest_browser

    apptest_browser.install(monkeypatch.setattr)


# ---------------------------------------------------------------- AppTest (pages and ui)


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
