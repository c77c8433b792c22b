"""Expensive views queue (dashboard.ui.cold_build): a burst of distinct cold views builds at
most ``ui.MAX_COLD_BUILDS`` at a time, identical requests build once, and a script run that
ends while it waits leaves the queue. The live server under such a burst:
tests/e2e/test_server_load.py."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from dashboard import ui

BUILD_S = 0.3


class Builds:
    """Counts the builds running at once (and in all) of the view below."""

    lock = threading.Lock()
    running = 0
    most = 0
    total = 0


def slow_view(load, token: str, n: int) -> str:  # type: ignore[no-untyped-def]
    """A view built from no queries that takes ``BUILD_S``; ``token`` makes its keys new."""
    with Builds.lock:
        Builds.running += 1
        Builds.total += 1
        Builds.most = max(Builds.most, Builds.running)
    time.sleep(BUILD_S)
    with Builds.lock:
        Builds.running -= 1
    return f"{token}-{n}"


@pytest.fixture()
def builds(monkeypatch: pytest.MonkeyPatch) -> type[Builds]:
    for name, value in {"running": 0, "most": 0, "total": 0}.items():
        monkeypatch.setattr(Builds, name, value)
    return Builds


def build(token: str, n: int, view=slow_view) -> str:  # type: ignore[no-untyped-def]
    return ui._view_as(view, "bestuurder", "sqlite://", {}, {"token": token, "n": n})


def in_threads(calls: list[tuple[str, int]], view=slow_view) -> list[str]:  # type: ignore[no-untyped-def]
    results: list[str] = [""] * len(calls)

    def run(i: int, token: str, n: int) -> None:
        results[i] = build(token, n, view)

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_a_burst_of_distinct_cold_views_builds_at_most_the_limit_at_once(builds):
    token = uuid.uuid4().hex
    burst = [(token, n) for n in range(3 * ui.MAX_COLD_BUILDS)]
    started = time.monotonic()
    assert in_threads(burst) == [f"{token}-{n}" for _, n in burst]
    assert builds.total == len(burst)
    assert builds.most == ui.MAX_COLD_BUILDS  # queued, and the places were used
    assert time.monotonic() - started >= 3 * BUILD_S * 0.9  # three rounds, not one


def test_identical_concurrent_requests_build_once_even_a_views_first(builds):
    token = uuid.uuid4().hex

    def new_view(load, token: str, n: int) -> str:  # type: ignore[no-untyped-def]
        return slow_view(load, token, n)

    new_view.__qualname__ = f"new_view_{token}"  # a view this process has never built
    # Its first build runs outside the cache, to learn what it reads: the others wait.
    assert in_threads([(token, 1)] * 5, new_view) == [f"{token}-1"] * 5
    assert builds.total == 1
    assert in_threads([(token, 2)] * 5, new_view) == [f"{token}-2"] * 5  # from the cache on
    assert builds.total == 2


class EndedError(Exception):
    """Stands in for Streamlit's stop/rerun exception."""


def test_a_run_that_ends_while_waiting_leaves_the_queue(monkeypatch):
    holding, done = threading.Event(), threading.Event()
    inside = threading.Semaphore(0)

    def hold() -> None:
        with ui.cold_build():
            with ui.cold_build():  # a view inside a view takes no second place
                inside.release()
                done.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(ui.MAX_COLD_BUILDS)]
    for holder in holders:
        holder.start()
    for _ in holders:
        assert inside.acquire(timeout=10)
    holding.set()
    looks = []

    def ended() -> None:
        looks.append(time.monotonic())
        if len(looks) >= 3:
            raise EndedError

    monkeypatch.setattr(ui, "_run_check", lambda: ended)
    with pytest.raises(EndedError), ui.cold_build():
        pytest.fail("built although every place was taken")
    done.set()
    for holder in holders:
        holder.join(10)
    for _ in range(ui.MAX_COLD_BUILDS):  # every place is free again: none leaked
        assert ui._cold_builds.acquire(blocking=False)
    for _ in range(ui.MAX_COLD_BUILDS):
        ui._cold_builds.release()
