"""Closed sessions give their memory back.

Streamlit keeps a closed tab's session (its session state, its widgets, the tables behind
its download buttons) for ``server.disconnectedSessionTTL`` seconds (default 120), so that a
tab that reconnects after a network blip resumes it. Its in-memory store (Streamlit 1.67:
``MemorySessionStorage`` over a ``TTLCache``) only drops an expired session when something
is written to the store, that is when *another* session disconnects: the last visitors of
the day stayed in memory until the next visitor left (measured with ``bench/ws_load.py``:
ten closed sessions still held after twice the TTL).

``tick`` (called every two seconds by the background thread of ``ui.warmup``) drops the
sessions whose TTL has passed, on the server's event loop where Streamlit itself changes the
store, and shuts them down as Streamlit does when it closes a session (their uploads,
download buttons and table sources go too). Once the server has no open session, or at most
every ``COLLECT_EVERY`` seconds while it has, it runs a full garbage collection and returns
the freed heap to the operating system (glibc's ``malloc_trim``; elsewhere the collection
only). After each drop it logs one line: how many closed sessions were released, how many are
still referenced after the collection (looked at again at the next ticks; a leak if it stays
above one), and the resident memory before and after.

This reads private attributes of Streamlit's runtime (``_session_mgr``,
``_session_storage``, ``_cache`` and its ``_on_remove`` hook, ``_get_async_objs``); if a
Streamlit upgrade renames them it logs once and does nothing, and
tests/e2e/test_server_load.py fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import dataclasses
import gc
import os
import sys
import threading
import time
import weakref
from typing import Any

from streamlit.logger import get_logger

log = get_logger(__name__)  # Streamlit's handler: the line shows in the server's log

# While sessions are open a full collection holds the GIL for up to ~150 ms with the
# caches full (bench/RESULTS.md), so it runs at most this often; with no session open, at once.
COLLECT_EVERY = 60.0
# A session dropped while its connection or script run is still winding down can be
# referenced for a moment after its drop: looked at again at this many next ticks.
RECHECKS = 3
_EVENT_LOOP_WAIT = 10.0  # seconds to wait for the event loop to run the drop

_lock = threading.Lock()
_pending: list[weakref.ref[Any]] = []  # dropped sessions not yet seen gone by a collection
_fresh = 0  # sessions dropped since the last collection
_rechecks = 0  # collections still due for sessions found referenced after their drop
_last_collection = 0.0
_unsupported = False


@dataclasses.dataclass(frozen=True)
class Released:
    """What one collection found: of the sessions dropped so far, ``released`` are gone
    since the previous collection and ``still_referenced`` are not (yet: they are looked
    at again by the next collection); ``open`` and ``waiting`` (closed, within the TTL)
    are counts at the time of the drop; resident memory in MB.

    Streamlit's event loop keeps the last session it sent messages to in a loop variable
    until it sends the next message, so right after the last tab of a quiet server closes,
    one session may stay referenced; it goes with the next visitor's first message."""

    released: int
    still_referenced: int
    open: int
    waiting: int
    rss_before: float | None
    rss_after: float | None


def server_runtime() -> Any | None:
    """The runtime of a real ``streamlit run`` server (AppTest installs a stand-in)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return None
    runtime = Runtime.instance()
    return runtime if type(runtime) is Runtime else None


def rss_mb(pid: int | str = "self") -> float | None:
    """Resident memory of a process in MB (Linux ``/proc``; None elsewhere)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def malloc_trim() -> bool:
    """glibc's ``malloc_trim(0)``: return the free pages of every malloc arena to the
    operating system. False (and nothing done) on another C library or system."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(ValueError, OSError):
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return False
        trim = ctypes.CDLL("libc.so.6").malloc_trim
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
        return bool(trim(0))
    return False


_removed: list[Any] = []  # closed sessions Streamlit's store let go of (event loop only)


def _watch(manager: Any, store: Any) -> None:
    """Note every closed session that leaves the store, whoever removes it: this module,
    or Streamlit itself (when a tab closes it also drops every expired session, and it
    deletes a session that a tab resumes: that one is open again, not closed)."""
    if getattr(store, "_ln_watched", False):
        return
    previous = store._on_remove

    def removed(key: str, info: Any) -> None:
        if previous is not None:
            previous(key, info)
        if not manager.is_active_session(key):
            _removed.append(info.session)

    store._on_remove, store._ln_watched = removed, True


def _drop_expired(runtime: Any) -> tuple[list[Any], int, int]:
    """On the event loop: remove the closed sessions whose TTL has passed from Streamlit's
    store and shut down every session that left it since the last call; (those sessions,
    open sessions, closed ones within the TTL)."""
    manager = runtime._session_mgr
    store = manager._session_storage._cache
    _watch(manager, store)
    with getattr(manager, "_storage_lock", contextlib.nullcontext()):
        store.expire()
    sessions = _removed[:]
    _removed.clear()
    for session in sessions:
        session.shutdown()  # what Streamlit's close_session does; idempotent
    return sessions, manager.num_active_sessions(), len(store)


def _on_event_loop(runtime: Any) -> tuple[list[Any], int, int]:
    async def drop() -> tuple[list[Any], int, int]:
        return _drop_expired(runtime)

    loop = runtime._get_async_objs().eventloop
    return asyncio.run_coroutine_threadsafe(drop(), loop).result(_EVENT_LOOP_WAIT)


def tick() -> Released | None:
    """Drop the closed sessions whose TTL has passed and, when due, collect and trim.
    The collection's findings, or None when nothing was collected (or no server runs).
    Never raises: the caller is a background thread."""
    global _fresh, _unsupported
    runtime = server_runtime()
    if runtime is None or _unsupported:
        return None
    try:
        sessions, open_now, waiting = _on_event_loop(runtime)
    except AttributeError:
        _unsupported = True
        log.warning("closed sessions cannot be released: this Streamlit version stores them "
                    "differently (dashboard/ui/release.py)")
        return None
    except Exception:  # a busy or stopping event loop: try again at the next tick
        log.debug("dropping closed sessions failed", exc_info=True)
        return None
    with _lock:
        _pending.extend(weakref.ref(s) for s in sessions)
        _fresh += len(sessions)
        del sessions
        return _collect_if_due(open_now, waiting)


def _collect_if_due(open_now: int, waiting: int) -> Released | None:
    global _fresh, _last_collection, _rechecks
    now = time.monotonic()
    if not (_fresh or _rechecks) or (open_now and now - _last_collection < COLLECT_EVERY):
        return None
    before = rss_mb()
    gc.collect()
    malloc_trim()
    alive = [ref for ref in _pending if ref() is not None]
    found = Released(len(_pending) - len(alive), len(alive), open_now, waiting, before, rss_mb())
    _pending[:] = alive
    _rechecks = 0 if not alive else RECHECKS if _fresh else _rechecks - 1
    fresh, _fresh, _last_collection = _fresh, 0, now
    if fresh or found.released:
        log.info("released %d closed sessions (%d still referenced); %d open, %d closed within "
                 "the reconnect TTL; RSS %s -> %s MB", found.released, found.still_referenced,
                 found.open, found.waiting, _mb(found.rss_before), _mb(found.rss_after))
    return found


def _mb(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"
