"""Closed sessions are released (dashboard.ui.release), here against Streamlit's own store
type with stand-in sessions; the live server: tests/e2e/test_server_load.py."""

from __future__ import annotations

import dataclasses
import gc
import sys
import threading
import time
from typing import Any

import pytest
from streamlit.runtime.caching.ttl_cache import TTLCache

from dashboard.ui import release

TTL_S = 0.05


@dataclasses.dataclass(eq=False)
class Session:
    id: str
    shut_down: int = 0

    def shutdown(self) -> None:
        self.shut_down += 1


@dataclasses.dataclass
class Info:
    session: Session


class Manager:
    """Streamlit's WebsocketSessionManager as far as release reads it."""

    def __init__(self) -> None:
        self._session_storage = type("Storage", (), {})()
        self._session_storage._cache = TTLCache(maxsize=128, ttl=TTL_S)
        self._storage_lock = threading.Lock()
        self.active: dict[str, Session] = {}

    def is_active_session(self, key: str) -> bool:
        return key in self.active

    def num_active_sessions(self) -> int:
        return len(self.active)

    def close_tab(self, session: Session) -> None:  # what a disconnect does
        self.active.pop(session.id, None)
        self._session_storage._cache[session.id] = Info(session)

    def resume(self, session: Session) -> None:  # a tab reconnects within the TTL
        self.active[session.id] = session
        del self._session_storage._cache[session.id]


@pytest.fixture()
def manager(monkeypatch: pytest.MonkeyPatch) -> Manager:
    monkeypatch.setattr(release, "_removed", [])
    monkeypatch.setattr(release, "_pending", [])
    monkeypatch.setattr(release, "_fresh", 0)
    monkeypatch.setattr(release, "_rechecks", 0)
    return Manager()


def test_closed_sessions_are_shut_down_once_their_ttl_has_passed(manager):
    runtime = type("Runtime", (), {"_session_mgr": manager})()
    kept, resumed, open_tab = Session("kept"), Session("resumed"), Session("open")
    manager.active = {"open": open_tab}
    release._drop_expired(runtime)  # watches the store from now on
    manager.close_tab(kept)
    manager.close_tab(resumed)
    manager.resume(resumed)
    assert release._drop_expired(runtime) == ([], 2, 1)  # within the TTL: kept waits
    time.sleep(2 * TTL_S)
    dropped, open_now, waiting = release._drop_expired(runtime)
    assert dropped == [kept] and kept.shut_down == 1
    assert (open_now, waiting) == (2, 0) and resumed.shut_down == 0


def test_streamlit_dropping_an_expired_session_itself_is_counted_too(manager):
    runtime = type("Runtime", (), {"_session_mgr": manager})()
    release._drop_expired(runtime)
    first, second = Session("first"), Session("second")
    manager.close_tab(first)
    time.sleep(2 * TTL_S)
    manager.close_tab(second)  # Streamlit's store drops the expired first one on this write
    assert release._drop_expired(runtime) == ([first], 0, 1)


def test_a_collection_tells_released_from_still_referenced(manager):
    gone, held = Session("gone"), Session("held")
    release._pending.extend([release.weakref.ref(gone), release.weakref.ref(held)])
    release._fresh = 2
    del gone
    gc.collect()
    found = release._collect_if_due(open_now=0, waiting=0)
    assert found is not None and (found.released, found.still_referenced) == (1, 1)
    assert release._rechecks == release.RECHECKS  # held is looked at again
    del held
    found = release._collect_if_due(open_now=0, waiting=0)
    assert found is not None and (found.released, found.still_referenced) == (1, 0)
    assert release._collect_if_due(open_now=0, waiting=0) is None  # nothing left to look at


def test_outside_a_streamlit_server_nothing_happens():
    assert release.server_runtime() is None
    assert release.tick() is None


def test_malloc_trim_is_called_on_glibc_only():
    import os

    glibc = sys.platform.startswith("linux") and \
        (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    blocks: list[Any] = [bytearray(64 * 1024) for _ in range(200)]
    del blocks
    trimmed = release.malloc_trim()  # through ctypes: must not crash the process
    assert isinstance(trimmed, bool) and (glibc or not trimmed)
