"""Concurrency benchmark: N headless Chromium sessions browse a signed-in bestuurder's pages
at once against one ``streamlit run`` server on the demo database.

For every page visit the time from clicking the sidebar link until the page heading shows,
the app reports ``notRunning`` and the status widget has gone; errors are timeouts and
Streamlit exception boxes. Run alone: ``python bench/concurrency.py --sessions 20``.

Each session is a headless Chromium of its own (as users have their own machines), started
from a copy of the profile a warm-up session left: returning users whose browsers already
hold Streamlit's static bundle, V8's compiled code and the sign-in cookie (a sign-in lasts a
working day). Sessions arrive spread over ``--ramp`` seconds and read each page for
``--think`` seconds on average (uniform between half and one and a half times that) before
clicking the next; ``--think 0 --ramp 0`` is the stress variant where every session clicks as
fast as it can.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
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
        # A headless browser has no "foreground" tab: Chromium would otherwise throttle its
        # timers and deprioritise its renderer.
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
                   *, think: float = 0.0, seed: int = 0) -> None:
    rng = random.Random(seed)
    page = context.pages[0] if context.pages else await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)  # a click on a busy browser waits like the other steps
    try:
        t0 = time.perf_counter()
        # A bestuurder's bookmark (the app's root is the public page for everyone). The
        # profile holds the warm-up session's cookie: a sign-in lasts a working day, so a
        # returning user's browser opens Overzicht directly; a new one shows the sign-in form.
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


async def _browser(p, profile: str, url: str):  # type: ignore[no-untyped-def]
    """One user's headless Chromium with its own persistent profile (disk and code cache,
    cookies) and its own GPU process."""
    context = await p.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=ARGS,
        viewport={"width": 1280, "height": 900}, locale="nl-NL")
    # This machine has no internet: the map's basemap tiles (Carto) would hang in DNS
    # and retry, costing the browser CPU no real user's machine spends. Abort them.
    await context.route(lambda u: not u.startswith(url), lambda route: route.abort())
    return context


async def _user(p, profile: str, url: str, titles: list[str], times: dict, errors: list,  # type: ignore[no-untyped-def]
                *, delay: float, think: float, seed: int) -> None:
    await asyncio.sleep(delay)
    try:
        context = await _browser(p, profile, url)
    except Exception as exc:  # noqa: BLE001
        errors.append(f"browser: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return
    try:
        await _session(context, url, titles, times, errors, think=think, seed=seed)
    finally:
        await context.close()  # the user leaves


async def _browse(url: str, sessions: int, titles: list[str], think: float, ramp: float
                  ) -> tuple[dict, list, float, dict[str, float]]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {}
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ln-bench-profiles-") as tmp:
        warm = Path(tmp) / "warm"
        async with async_playwright() as p:
            # One session first, alone: server imports, cold caches and the browser's
            # caches (Streamlit's bundle and V8's compiled code) are not charged to the run.
            context = await _browser(p, str(warm), url)
            await _session(context, url, titles, {}, errors)
            await context.close()
            # Every user starts from a copy of that profile: returning users whose browsers
            # hold the bundle and the sign-in cookie. Each is a browser of its own, as on
            # their own machines; tabs of one browser would share one GPU process, whose
            # single thread then serialises every tab's canvas and WebGL work (software GL
            # here, no GPU).
            profiles = [str(Path(tmp) / f"user-{i}") for i in range(sessions)]
            for profile in profiles:
                shutil.copytree(warm, profile, ignore=shutil.ignore_patterns("Singleton*"))
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
            await asyncio.gather(*(_user(p, profiles[i], url, titles, times, errors,
                                         delay=ramp * i / sessions, think=think, seed=i)
                                   for i in range(sessions)))
            wall = time.perf_counter() - t0
            sampler.cancel()
            cpu = {name: meter.used() for name, meter in meters.items()}
    return times, errors, wall, cpu


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
             f"Each session: a headless Chromium of its own, started from a copy of the profile "
             f"one warm-up session left after browsing the pages alone (Streamlit's bundle and "
             f"V8's compiled code cached, signed in as bestuurder: a returning user); it opens "
             f"`/overzicht`, then clicks through all {len(titles)} pages in the sidebar. "
             f"Requests outside the app (map tiles; no internet here) are aborted. Sessions "
             f"arrive over {ramp:g} s and read each page "
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
