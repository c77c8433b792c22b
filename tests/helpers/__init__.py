"""Shared test helpers: paths, the fixed "today", CI strictness, a live app server.

Test files import helpers from this package, never from each other; fixtures live in the
conftest.py files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import pgserver

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 23)  # fixed "today" so demo data and assertions are stable
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = ROOT / "test-artifacts"


def missing(what: str) -> None:
    """Skip locally, fail in CI: a dependency the suite needs is not installed."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but was not found", pytrace=False)
    pytest.skip(f"{what} not installed")


free_port = pgserver.free_port



def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    missing("Chromium")
    raise AssertionError  # unreachable


ENTRY = "app.py"  # the ASGI entry, as in the Makefile and the Dockerfile


@contextlib.contextmanager
def running_app(db_url: str, log_path: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free port against ``db_url``; yields the base URL."""
    port = free_port()
    # The warm-up thread (tested in tests/ui/test_warmup.py) would only add background
    # work to these short-lived servers on a two-core CI machine.
    env = {"LN_WARMUP": "0", **os.environ, "LN_DATABASE_URL": db_url}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", ENTRY,
             "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited: {log_path.read_text()}") from None
                time.sleep(0.3)
        else:
            proc.kill()
            raise RuntimeError("streamlit did not open its port within 60 s")
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def copy_of_demo(demo_sqlite_url: str, directory: Path) -> str:
    copy = directory / "copy.sqlite"
    shutil.copy(Path(demo_sqlite_url.removeprefix("sqlite:///")), copy)
    return f"sqlite:///{copy}"


def create_pg_database(server_url: str, template: str | None = None) -> str:
    """Create a new database on the throwaway server (optionally a copy of ``template``)."""
    return pgserver.create_database(server_url, template)
