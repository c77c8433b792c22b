"""Shared fixtures: seeded SQLite databases, a throwaway PostgreSQL server, a live app.

In CI (``CI=true``) a missing Chromium or PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_loaders.seed import prepare_database

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 23)  # fixed "today" so demo data and assertions are stable
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = ROOT / "test-artifacts"


def missing(what: str) -> None:
    """Skip locally, fail in CI: a dependency the suite needs is not installed."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but was not found", pytrace=False)
    pytest.skip(f"{what} not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Start a throwaway PostgreSQL server on a free loopback port; yield its base URL.

    PostgreSQL refuses to run as root, so under root (CI) the cluster belongs to the
    unprivileged ``postgres`` user.
    """
    bindir = _pg_bindir()
    if bindir is None:
        missing("PostgreSQL (initdb/pg_ctl)")
    assert bindir is not None
    workdir = Path(tempfile.mkdtemp(prefix="ln-pg-"))
    datadir, sockdir = workdir / "data", workdir / "sock"
    sockdir.mkdir()
    as_user: list[str] = []
    user = os.environ.get("USER", "postgres")
    if os.geteuid() == 0:
        as_user, user = ["runuser", "-u", "postgres", "--"], "postgres"
        shutil.chown(workdir, "postgres")
        shutil.chown(sockdir, "postgres")
    port = free_port()
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(datadir), "-U", user,
                    "-A", "trust", "-E", "UTF8", "--no-locale"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-w", "-l",
                    str(workdir / "log"), "-o",
                    f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


def create_pg_database(server_url: str, template: str | None = None) -> str:
    """Create a new database on the throwaway server (optionally a copy of ``template``)."""
    import psycopg

    name = f"ln_test_{uuid.uuid4().hex[:12]}"
    conninfo = server_url.replace("postgresql+psycopg", "postgresql") + "/postgres"
    clause = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{clause}')
    return f"{server_url}/{name}"


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


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    missing("Chromium")
    raise AssertionError  # unreachable


@pytest.fixture(scope="session")
def live_app(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run`` on a free port against a copy of the demo database."""
    src = Path(demo_sqlite_url.removeprefix("sqlite:///"))
    copy = tmp_path_factory.mktemp("live") / "live.sqlite"
    shutil.copy(src, copy)
    port = free_port()
    env = {**os.environ, "LN_DATABASE_URL": f"sqlite:///{copy}"}
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {Path(log.name).read_text()}") from None
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not open its port within 60 s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


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
