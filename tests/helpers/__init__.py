"""Shared test helpers: paths, the fixed "today", CI strictness, a live app server.

Test files import helpers from this package, never from each other; fixtures live in the
conftest.py files.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import io
import os
import runpy
import shutil
import socket
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from bench import pgserver

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 23)  # fixed "today" so demo data and assertions are stable
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = ROOT / "test-artifacts"


T = TypeVar("T")


def run_async(coroutine: Coroutine[object, object, T]) -> T:
    """Run ``coroutine`` to its end on a thread of its own: a Playwright test earlier on the
    same pytest worker (or a Streamlit script thread) leaves an event loop running on this
    thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def missing(what: str) -> None:
    """Skip locally, fail in CI: a dependency the suite needs is not installed."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but was not found", pytrace=False)
    pytest.skip(f"{what} not installed")


free_port = pgserver.free_port


def run_command(url: str, *args: str, stdin: str = "",
                separate: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` against ``url`` (LN_DATABASE_URL): exit status, stdout, stderr.

    In this process by default (``runpy`` runs the module as ``__main__``, as ``-m`` does,
    without a new interpreter importing pandas and SQLAlchemy again: seconds per command);
    ``separate=True`` starts a real subprocess, for the tests that check the entry point.
    """
    if separate:
        env = {**os.environ, "LN_DATABASE_URL": url}
        return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, text=True,
                              input=stdin, capture_output=True, timeout=300, check=False)
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    saved = sys.argv, sys.stdin, os.environ.get("LN_DATABASE_URL")
    sys.argv, sys.stdin = [args[0], *args[1:]], io.StringIO(stdin)
    os.environ["LN_DATABASE_URL"] = url
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                warnings.catch_warnings():
            # the module was imported before (by a test): runpy warns, then runs a fresh copy
            warnings.filterwarnings("ignore", "'.*' found in sys.modules", RuntimeWarning)
            runpy.run_module(args[0], run_name="__main__", alter_sys=True)
    except SystemExit as done:
        code = done.code
    except Exception:  # noqa: BLE001 - reported like an uncaught error of the command
        err.write(traceback.format_exc())
        code = 1
    finally:
        sys.argv, sys.stdin = saved[0], saved[1]
        if saved[2] is None:
            os.environ.pop("LN_DATABASE_URL", None)
        else:
            os.environ["LN_DATABASE_URL"] = saved[2]
    status = 0 if code is None else code if isinstance(code, int) else 1
    if isinstance(code, str):
        err.write(code)
    return subprocess.CompletedProcess(list(args), status, out.getvalue(), err.getvalue())



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
    with app_server(db_url, log_path) as (url, _server):
        yield url


@contextlib.contextmanager
def app_server(db_url: str, log_path: Path, *options: str
               ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """As ``running_app``, with more ``streamlit run`` options; yields the base URL and
    the server process (its pid: /proc/<pid>/status)."""
    port = free_port()
    # The warm-up thread (tested in tests/ui/test_warmup.py) would only add background
    # work to these short-lived servers on a two-core CI machine.
    env = {"LN_WARMUP": "0", **os.environ, "LN_DATABASE_URL": db_url}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", ENTRY,
             "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
             *options],
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
            yield f"http://127.0.0.1:{port}", proc
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
