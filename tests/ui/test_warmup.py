"""No cold waits (dashboard.ui.warmup): after a deploy or a data change, the background
warm-up fills the caches of the most-opened views, so the next visitor's run reads
nothing from the database; reads of datasets that did not change stay cache hits."""

from __future__ import annotations

import collections
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from dashboard.store import queries, writes
from dashboard.ui import warmup
from data_loaders.db import make_engine
from tests.helpers import ROOT
from tests.helpers.apptest import all_text, sign_in

PT = Role.PROGRAMMATEAM


@pytest.fixture()
def db_url(demo_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    copy = tmp_path / "warm.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("LN_DATABASE_URL", url)
    monkeypatch.setattr(warmup, "_last", {})
    monkeypatch.setattr(warmup, "_seen", {})
    monkeypatch.setattr(warmup, "INTERNAL_ROLES", (PT,))  # one role, two areas: a quick test
    monkeypatch.setattr(warmup, "MAX_AREAS", 2)
    return url


def record_reads(monkeypatch: pytest.MonkeyPatch, read: Callable[[str], object]) -> None:
    """Call ``read(name)`` whenever a registered query really runs (a cache miss), in any
    thread."""
    for name, fn in list(queries.QUERIES.items()):
        def recording(*args, _fn=fn, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            read(_name)
            return _fn(*args, **kwargs)
        monkeypatch.setitem(queries.QUERIES, name, recording)


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> collections.Counter:
    """How often each registered query really ran."""
    counted: collections.Counter = collections.Counter()
    record_reads(monkeypatch, lambda name: counted.update([name]))
    return counted


def public_page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def withdraw_first_lesson(db_url: str) -> str:
    engine = make_engine(db_url)
    lesson = queries.published_lessons(engine, Role.PUBLIEK).iloc[0]
    row = writes.get_row(engine, PT, "decision", int(lesson["id"]))
    assert writes.publish_decision(engine, "programmateam", PT, row["id"], row["version"],
                                   row["public_summary"], publish=False).ok
    engine.dispose()
    return str(lesson["subject"])


def test_after_a_deploy_and_after_a_withdrawal_the_public_page_reads_nothing(db_url, calls):
    assert warmup.check()  # a fresh process: everything is warmed once
    assert calls["published_lessons"] >= 1 and calls["area_profile"] >= 1
    assert not warmup.check()  # nothing changed: nothing is read again
    before = calls.copy()
    at = public_page()
    assert not at.exception
    assert calls == before, "the first visitor after the deploy waited for cold reads"

    gone = withdraw_first_lesson(db_url)
    assert warmup.check()
    assert calls["published_lessons"] == before["published_lessons"] + 1  # rebuilt, in the background
    assert calls["programmes"] == before["programmes"]  # its dataset did not change: still warm
    warmed = calls.copy()
    at = public_page()
    assert gone not in subheaders(at)  # the withdrawal is honoured by the warmed cache
    assert calls == warmed, "the first visitor after the save waited for cold reads"


def test_the_public_page_is_warm_before_the_internal_views_are_built(db_url, monkeypatch):
    # At national scale a full warm-up takes minutes; anonymous visitors, the most
    # numerous readers, must not wait for Kaart and Wijkprofiel to be built first.
    order: list[str] = []
    record_reads(monkeypatch, order.append)
    assert warmup.check()
    internal = order.index("area_values")  # the first read for Kaart or Wijkprofiel
    assert set(warmup.PUBLIC_LOADS) <= set(order[:internal])
    before = len(order)
    at = public_page()  # and after the whole warm-up the public page is still warm
    assert not at.exception and len(order) == before


def test_overzicht_is_warm_for_a_signed_in_partner(db_url, calls):
    assert warmup.check()
    assert all(calls[q] for q in warmup.OVERVIEW_LOADS)
    before = calls.copy()
    at = sign_in(public_page(), "programmateam", "demo")  # lands on Overzicht
    assert not at.exception
    assert [t.value for t in at.title] == ["Overzicht"]
    assert "Het programma als geheel" in all_text(at)  # the outcomes, from the warm cache
    assert calls == before, "Overzicht read cold"


def test_wijkprofiel_opens_warm_on_the_programme_total(db_url, calls):
    assert warmup.check()
    at = sign_in(public_page(), "programmateam", "demo")
    before = calls.copy()
    at.switch_page("pages/wijkprofiel.py").run()
    assert not at.exception
    assert "4 gebieden samen" in all_text(at), "not the Blauwe Zorg total"
    assert calls == before, "the programme total's profile was read cold"


def test_one_thread_per_process_that_follows_the_data_versions(db_url, calls):
    try:
        assert warmup.start(interval=0.05, force=True)
        assert not warmup.start(interval=0.05, force=True)  # already running
        deadline = time.monotonic() + 30
        while not calls["published_lessons"] and time.monotonic() < deadline:
            time.sleep(0.05)
        first = calls["published_lessons"]
        assert first == 1
        withdraw_first_lesson(db_url)
        while calls["published_lessons"] == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert calls["published_lessons"] == first + 1
        assert [t.name for t in threading.enumerate()].count("ln-warmup") == 1
    finally:
        warmup.stop()
    assert "ln-warmup" not in [t.name for t in threading.enumerate()]


def test_a_burst_of_saves_is_warmed_once_it_settles(db_url, calls):
    assert warmup.check(settled=True) is False  # first look: wait one interval
    assert warmup.check(settled=True) is True  # unchanged since: warm
    withdraw_first_lesson(db_url)
    assert warmup.check(settled=True) is False  # just changed: maybe more saves follow
    assert warmup.check(settled=True) is True
    assert warmup.check(settled=True) is False  # nothing new


def test_a_failing_database_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setenv("LN_DATABASE_URL", "sqlite:////nonexistent/folder/db.sqlite")
    monkeypatch.setattr(warmup, "_last", {})
    assert warmup.check() is False
    assert "warm-up failed" in caplog.text


def test_no_thread_outside_a_streamlit_server():
    assert warmup.start() is False  # AppTest and bare Python have no Runtime
