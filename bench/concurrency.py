"""Concurrency benchmark: N headless Chromium sessions browse a signed-in bestuurder's pages
at once against one ``streamlit run`` server on the demo database.

For every page visit the time from clicking the sidebar link until the page heading shows,
the app reports ``notRunning`` and the status widget has gone; errors are timeouts and
Streamlit exception boxes. Run alone: ``python bench/concurrency.py --sessions 20``.

Each session is a tab with its own Streamlit session (signed in by the browser's shared
cookie, as a sign-in holds in a new tab) in one browser
with a persistent profile, so the tabs share the disk and code cache like returning users
whose browsers already hold Streamlit's static bundle; a warm-up session fills it first.
Sessions arrive spread over ``--ramp`` seconds and read each page for ``--think`` seconds on average (uniform between
half and one and a half times that) before clicking the next; ``--think 0 --ramp 0`` is the
stress variant where every session clicks as fast as it can.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-extensions",
        # Twenty tabs of one headless browser: none of them is the "foreground" tab, and
        # Chromium would otherwise throttle their timers and deprioritise their renderers.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows"]
TIMEOUT_MS = 120_000
TARGET_P95_S = 5.0


def cpu_by_process(*needles: str) -> dict[int, float]:
    """User + system CPU seconds per running process whose command line holds every needle
    (Linux /proc)."""
    tick, found = os.sysconf("SC_CLK_TCK"), {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if all(n in cmd for n in needles):
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                found[int(proc.name)] = (int(fields[11]) + int(fields[12])) / tick
        except OSError:  # the process ended meanwhile
            continue
    return found


class CpuMeter:
    """CPU seconds used by a group of processes since ``start``, sampled twice a second so
    that processes ending meanwhile (a closed tab's renderer) still count."""

    def __init__(self, *needles: str) -> None:
        self.needles, self.base, self.last = needles, cpu_by_process(*needles), {}

    def sample(self) -> None:
        self.last.update(cpu_by_process(*self.needles))

    def used(self) -> float:
        self.sample()
        return sum(v - self.base.get(pid, 0.0) for pid, v in self.last.items())


async def _idle(page) -> None:  # type: ignore[no-untyped-def]
    await page.wait_for_selector(DONE, timeout=TIMEOUT_MS)
    await page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached",
                                 timeout=TIMEOUT_MS)


async def _session(context, url: str, titles: list[str], times: dict, errors: list,  # type: ignore[no-untyped-def]
                   *, delay: float = 0.0, think: float = 0.0, seed: int = 0) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(delay)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)  # a click on a busy tab waits like the other steps
    try:
        t0 = time.perf_counter()
        # A bestuurder's bookmark: the app's root is the public page for everyone, signed in
        # or not. The tabs share the browser's cookies: a sign-in lasts a working day and
        # holds in a new tab, so a tab opened after another signed in shows Overzicht
        # directly; the first one shows the sign-in form in front of it.
        await page.goto(f"{url}/overzicht", timeout=TIMEOUT_MS)
        await _idle(page)
        form = page.get_by_label("Gebruikersnaam")
        home = page.get_by_role("heading", name="Overzicht", level=1)
        await form.or_(home).first.wait_for(timeout=TIMEOUT_MS)
        step = "Openen, al ingelogd → Overzicht"
        if await form.count():
            step = "Inloggen → Overzicht"
            await form.fill("bestuurder")
            await page.get_by_label("Wachtwoord").fill("demo")
            await page.get_by_role("button", name="Inloggen").click()
        await home.wait_for(timeout=TIMEOUT_MS)
        await _idle(page)
        times.setdefault(step, []).append(time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - every failure is a benchmark error
        errors.append(f"sign-in: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return
    nav = page.get_by_test_id("stSidebarNav")
    for title in titles:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # reading the previous page
        try:
            t0 = time.perf_counter()
            await nav.get_by_role("link", name=title, exact=True).click()
            await page.get_by_role("heading", name=title, level=1).wait_for(timeout=TIMEOUT_MS)
            await _idle(page)
            times.setdefault(title, []).append(time.perf_counter() - t0)
            if await page.get_by_test_id("stException").count():
                errors.append(f"{title}: exception shown")
        except Exception as exc:  # noqa: BLE001
            errors.append(f"{title}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    await page.close()  # the user leaves


async def _browse(url: str, sessions: int, titles: list[str], think: float, ramp: float
                  ) -> tuple[dict, list, float, dict[str, float]]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {}
    errors: list[str] = []
    async with async_playwright() as p, _profile_dir() as profile:
        # A persistent profile, as a user's browser has: its disk cache also keeps V8's
        # compiled code of Streamlit's bundle, so a new tab does not compile it again.
        context = await p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS,
            viewport={"width": 1280, "height": 900}, locale="nl-NL")
        # This machine has no internet: the map's basemap tiles (Carto) would hang in DNS
        # and retry, costing the browser CPU no real user's machine spends. Abort them.
        await context.route(lambda u: not u.startswith(url), lambda route: route.abort())
        # One session first: server imports, cold caches and the browser's cache are not
        # charged to the run.
        await _session(context, url, titles, {}, errors)
        for page in context.pages:  # the persistent context opens with a blank tab
            await page.close()
        port = url.rsplit(":", 1)[1]
        meters = {"server": CpuMeter("streamlit", f"--server.port={port}"),
                  "chromium": CpuMeter("/chromium"), "driver": CpuMeter("run-driver")}

        async def sample() -> None:
            while True:
                for meter in meters.values():
                    meter.sample()
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        t0 = time.perf_counter()
        await asyncio.gather(*(_session(context, url, titles, times, errors,
                                        delay=ramp * i / sessions, think=think, seed=i)
                               for i in range(sessions)))
        wall = time.perf_counter() - t0
        sampler.cancel()
        cpu = {name: meter.used() for name, meter in meters.items()}
        await context.close()
    return times, errors, wall, cpu


class _profile_dir:  # noqa: N801 - used like tempfile.TemporaryDirectory
    """An async context manager around a temporary browser profile directory."""

    async def __aenter__(self) -> str:
        self._tmp = tempfile.TemporaryDirectory(prefix="ln-bench-profile-")
        return self._tmp.name

    async def __aexit__(self, *exc: object) -> None:
        self._tmp.cleanup()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(db_url: str, sessions: int, workdir: Path, think: float = 10.0, ramp: float = 20.0
        ) -> list[str]:
    """Start ``streamlit run`` on ``db_url``, browse with ``sessions`` sessions; Markdown lines."""
    from dashboard.domain.roles import Role, pages_for
    from tests.helpers import running_app

    titles = [p.title for p in pages_for(Role.BESTUURDER) if p.title != "Overzicht"] + ["Overzicht"]
    load_before = os.getloadavg()[0]
    with running_app(db_url, workdir / "streamlit-bench.log") as url:
        times, errors, wall, cpu = asyncio.run(_browse(url, sessions, titles, think, ramp))
    every = [t for ts in times.values() for t in ts]
    lines = [f"## {sessions} concurrent browser sessions (demo data, SQLite, one `streamlit run`, "
             f"think time {think:g} s)",
             "",
             f"Each session: open `/overzicht` (signed in as bestuurder: the tabs share the browser's "
             f"cookies, and a sign-in holds in a new tab), then click through all "
             f"{len(titles)} pages in the sidebar. Chromium headless, one browser with a "
             f"persistent profile (warm disk and code cache, as for returning users); each "
             f"session is a tab with its own Streamlit session, after one warm-up "
             f"session browsed the pages alone. Requests outside the app (map tiles; no "
             f"internet here) are aborted. Sessions arrive over {ramp:g} s and read each page "
             f"{think * 0.5:g}–{think * 1.5:g} s before the next click. Time = click until the "
             f"page heading shows, `stApp[data-test-script-state=notRunning]` and no "
             f"`stStatusWidget`. Wall time {wall:,.0f} s; load average before {load_before:.2f}, "
             f"after {os.getloadavg()[0]:.2f}.", "",
             f"CPU used during the run (of {os.cpu_count()} × {wall:,.0f} s = "
             f"{os.cpu_count() * wall:,.0f} CPU-seconds available): the `streamlit run` server "
             f"{cpu['server']:,.0f} s ({cpu['server'] / wall:.0%} of one core), Chromium "
             f"{cpu['chromium']:,.0f} s ({cpu['chromium'] / wall:.0%} of one core), the Playwright "
             f"driver {cpu['driver']:,.0f} s.", ""]
    if every:
        ok = pct(every, 0.95) <= TARGET_P95_S and not errors
        lines += [f"**All page visits: n={len(every)}, p50 {pct(every, 0.5):.2f} s, p95 "
                  f"{pct(every, 0.95):.2f} s, max {max(every):.2f} s, errors {len(errors)} "
                  f"(target p95 ≤ {TARGET_P95_S:.0f} s, no errors: {'ok' if ok else 'MISSED'}).**",
                  "", "| page | n | p50 (s) | p95 (s) | max (s) |", "|---|---:|---:|---:|---:|"]
        for title, ts in times.items():
            lines.append(f"| {title} | {len(ts)} | {pct(ts, 0.5):.2f} | {pct(ts, 0.95):.2f} | "
                         f"{max(ts):.2f} |")
    if errors:
        lines += ["", "Errors:", *[f"- {e}" for e in errors[:30]]]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean seconds a session reads a page before the next click")
    parser.add_argument("--ramp", type=float, default=20.0,
                        help="seconds over which the sessions arrive")
    args = parser.parse_args()
    from data_loaders.seed import prepare_database

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.sqlite"
        prepare_database(url, as_of=dt.date(2026, 11, 23)).dispose()
        print("\n".join(run(url, args.sessions, Path(tmp), args.think, args.ramp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
