"""No cold waits: rebuild the most-opened views in the background after a data change or
a deploy, so that the first user after a save does not wait for cold reads.

One daemon thread per server process (``start``, called by the entry script; it does
nothing under AppTest or bare Python, where no Streamlit server runs). Every ``INTERVAL``
seconds it reads the data versions (one small query); when they differ from the versions
it last warmed (or at start) and have stayed the same for one interval, it calls the same cached loaders the pages call, with the
same arguments, for the public role and the internal roles:

- Geleerde lessen (public): its loads and the demo marker;
- Overzicht: its loads, its two computed panels and each programme's outcomes;
- Kaart: the default view (first indicator, newest period, every area) and its periods;
- Wijkprofiel: the profile and trend panels of each programme total (the page opens on the
  first) and of at most ``MAX_AREAS`` areas (registry order), so the warm-up never pushes
  the other views out of the cache.

Reads whose datasets did not change are cache hits (their keys hold unchanged versions),
so a save costs only the reads it made stale. Errors are logged, never raised: the next
change tries again. The thread holds no credentials of its own (the engine is the app's)
and, being a daemon, ends with the process. ``LN_WARMUP=0`` switches the warm-up off.

The same thread, every ``INTERVAL`` and whatever ``LN_WARMUP`` says, releases the sessions
of closed tabs once Streamlit's reconnect TTL has passed (``ui.release``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from dashboard import ui
from dashboard.domain import overview
from dashboard.domain.roles import Role
from dashboard.ui import maps, profile, release
from data_loaders import versions
from data_loaders.db import database_url

log = logging.getLogger(__name__)

INTERVAL = 2.0  # seconds between two looks at the data versions
# Bounds: Wijkprofiel's trend panels cost about 1.3 s cold for one area at national scale
# (a programme total of 14,000 areas about 45 s), so a full warm-up (after an indicator
# import) costs MAX_AREAS x len(INTERNAL_ROLES) of them in the background; any other area
# is built on first use. A save elsewhere (a coach month, a status) rebuilds only what it
# made stale. bench/RESULTS.md: a full warm-up takes 10-14 s on the demo and about 4 min at
# national scale, on a 2-core machine.
MAX_AREAS = 4  # Wijkprofiel areas warmed per internal role (ui._view keeps 96 views)
PUBLIC_ROLES = (Role.PUBLIEK,)
INTERNAL_ROLES = (Role.PROGRAMMATEAM, Role.BESTUURDER)  # the roles that read most (beheerder: cold)
THREAD_NAME = "ln-warmup"
PUBLIC_LOADS = ("published_lessons", "published_lesson_cases", "publishable_cases",
                "public_indicators", "public_references", "programmes")
OVERVIEW_LOADS = ("monitoring_settings", "areas", "kernteam_quarters", "projects_by_status",
                  "coach_months", "latest_decisions", "indicators", "programmes")

_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()


def start(interval: float = INTERVAL, *, force: bool = False) -> bool:
    """Start the background thread once per process (True if this call started it). Only
    inside a Streamlit server, unless ``force`` (tests)."""
    global _thread
    if not (force or release.server_runtime() is not None):
        return False
    with _lock:
        if _thread is not None and _thread.is_alive():
            return False
        _stop.clear()
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
            _not_this_thread)  # "missing ScriptRunContext" is expected here, not a warning
        warming = os.environ.get("LN_WARMUP", "1") != "0"
        _thread = threading.Thread(target=_loop, args=(interval, warming), name=THREAD_NAME,
                                   daemon=True)
        _thread.start()
        return True


def _not_this_thread(_record: logging.LogRecord) -> bool:
    return threading.current_thread().name != THREAD_NAME


def stop(timeout: float = 10.0) -> None:
    """Ask the thread to end and wait for it (tests; a server simply exits)."""
    global _thread
    _stop.set()
    with _lock:
        thread, _thread = _thread, None
    if thread is not None:
        thread.join(timeout)


_last: dict[str, Any] = {}  # url -> the versions last warmed


_seen: dict[str, Any] = {}  # url -> the versions read at the previous check


def _loop(interval: float, warming: bool = True) -> None:
    while not _stop.is_set():
        if warming:
            check(settled=True)
        release.tick()
        _stop.wait(interval)


def check(*, settled: bool = False) -> bool:
    """Warm once if the data versions changed since the last warm-up; True if it warmed.
    ``settled``: only once two checks in a row read the same versions, so a burst of saves
    (a meeting entering figures) costs one warm-up, not one per save. Never raises: a
    failure is logged and the next check tries again."""
    try:
        url = database_url(ui._secrets())
        current = versions.read(ui.engine_for(url))
        previous, _seen[url] = _seen.get(url), current
        if _last.get(url) == current or (settled and previous != current):
            return False
        started = time.perf_counter()
        warm(url, current)
        _last[url] = current
        log.info("warm-up done in %.1f s", time.perf_counter() - started)
        return True
    except Exception:  # a background thread must never take the server down
        log.exception("warm-up failed; trying again at the next data change")
        return False


def warm(url: str, current: versions.Versions) -> None:
    """Fill the caches the most-opened views read, for the data versions ``current``.

    The public page first: its visitors are the most numerous and it costs seconds, while
    a full warm-up at national scale takes minutes. Then the whole views (Kaart,
    Wijkprofiel's trends: cached as wholes in ``ui._view``; building them loads many
    per-indicator frames), then the loads the pages call themselves, and the public page
    once more: ``ui._load`` keeps a bounded number of entries and drops the least recently
    used, so what a page asks for directly must come last (a cache hit now, which keeps it
    recent, or a rebuild if the views pushed it out)."""
    _public_page(url, current)
    for role in INTERNAL_ROLES:
        if _stop.is_set():
            return
        _map(role.value, url, current)
        _profiles(role.value, url, current)
    for role in INTERNAL_ROLES:
        _overview(role.value, url, current)
        for key in _area_keys(role.value, url, current):
            _load("area_profile", role.value, url, current, area_key=key)
    _public_page(url, current)


def _public_page(url: str, current: versions.Versions) -> None:
    for role in PUBLIC_ROLES:
        _public(role.value, url, current)
    ui._is_demo(url, ui._versions_key(current, ["setting"]))


def _load(query: str, role: str, url: str, current: versions.Versions, **params: Any) -> Any:
    return ui._load_as(query, role, url, tuple(sorted(params.items())), current)


def _public(role: str, url: str, current: versions.Versions) -> None:
    for query in PUBLIC_LOADS:
        _load(query, role, url, current)


def _overview(role: str, url: str, current: versions.Versions) -> None:
    """What pages/overzicht.py loads and computes, with the same arguments."""
    got = {q: _load(q, role, url, current) for q in OVERVIEW_LOADS}
    cfg = got["monitoring_settings"]
    ui.computed(overview.programme_headlines, got["areas"], got["coach_months"],
                got["kernteam_quarters"], got["projects_by_status"], cfg["caseload_norm_per_fte"])
    ui.computed(overview.admissions_trends, got["kernteam_quarters"], cfg["min_baseline_points"])
    for key in _load("programmes", role, url, current)["key"]:  # "is het aan het werken?"
        ui._view_as(profile.programme_outcomes, role, url, current, {"programme_key": str(key)})


def _map(role: str, url: str, current: versions.Versions) -> None:
    """Kaart's first screen: the first indicator, its newest period, every area."""
    catalogue = _load("indicators", role, url, current)
    if catalogue.empty:
        return
    indicator = str(catalogue["key"].iloc[0])
    periods = ui._view_as(maps.periods, role, url, current, {"indicator_key": indicator})
    if periods:
        ui._view_as(maps.map_view, role, url, current,
                    {"indicator_key": indicator, "period": periods[0], "mode": "waarde",
                     "baseline": None, "programme": maps.ALL, "municipality": maps.ALL})


def _area_keys(role: str, url: str, current: versions.Versions) -> list[str]:
    """Every programme total (Wijkprofiel opens on the first) and the first ``MAX_AREAS``
    areas, in Wijkprofiel's order."""
    shown = profile.profile_areas(lambda query, **params: _load(query, role, url, current,
                                                                **params))
    totals = [str(k) for k in shown.loc[shown["is_total"], "key"]]
    areas = [str(k) for k in shown.loc[~shown["is_total"], "key"]]
    return totals + areas[:MAX_AREAS]


def _profiles(role: str, url: str, current: versions.Versions) -> None:
    """Wijkprofiel's first tab (Trends) for the programme totals and the first areas."""
    for key in _area_keys(role, url, current):
        if _stop.is_set():
            return
        ui._view_as(profile.trend_panels, role, url, current, {"area_key": key})
