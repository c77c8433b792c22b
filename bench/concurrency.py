"""Concurrency benchmark: N headless Chromium sessions browse a signed-in bestuurder's pages
at once against one ``streamlit run`` server on the demo database.

For every page visit the time from clicking the sidebar link until the page heading shows,
the app reports ``notRunning`` and the status widget has gone; errors are timeouts and
Streamlit exception boxes. Run alone: ``python bench/concurrency.py --sessions 20``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 120_000
TARGET_P95_S = 5.0


async def _idle(page) -> None:  # type: ignore[no-untyped-def]
    await page.wait_for_selector(DONE, timeout=TIMEOUT_MS)
    await page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached",
                                 timeout=TIMEOUT_MS)


async def _session(browser, url: str, titles: list[str], times: dict, errors: list) -> None:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = await context.new_page()
    try:
        t0 = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT_MS)
        await _idle(page)
        await page.get_by_label("Gebruikersnaam").fill("bestuurder")
        await page.get_by_label("Wachtwoord").fill("demo")
        await page.get_by_role("button", name="Inloggen").click()
        await page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=TIMEOUT_MS)
        await _idle(page)
        times.setdefault("Inloggen → Overzicht", []).append(time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - every failure is a benchmark error
        errors.append(f"sign-in: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        await context.close()
        return
    nav = page.get_by_test_id("stSidebarNav")
    for title in titles:
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
    await context.close()


async def _browse(url: str, sessions: int, titles: list[str]) -> tuple[dict, list, float]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {}
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # One session first, so imports and the cold caches are not charged to the run.
        await _session(browser, url, titles, {}, errors)
        t0 = time.perf_counter()
        await asyncio.gather(*(_session(browser, url, titles, times, errors)
                               for _ in range(sessions)))
        wall = time.perf_counter() - t0
        await browser.close()
    return times, errors, wall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(db_url: str, sessions: int, workdir: Path) -> list[str]:
    """Start ``streamlit run`` on ``db_url``, browse with ``sessions`` sessions; Markdown lines."""
    from dashboard.roles import Role, pages_for
    from tests.conftest import running_app

    titles = [p.title for p in pages_for(Role.BESTUURDER) if p.title != "Overzicht"] + ["Overzicht"]
    load_before = os.getloadavg()[0]
    with running_app(db_url, workdir / "streamlit-bench.log") as url:
        times, errors, wall = asyncio.run(_browse(url, sessions, titles))
    every = [t for ts in times.values() for t in ts]
    lines = [f"## {sessions} concurrent browser sessions (demo data, SQLite, one `streamlit run`)",
             "",
             f"Each session: open the app, sign in as bestuurder, then click through all "
             f"{len(titles)} pages in the sidebar (Chromium headless, one browser, one context per "
             f"session), after one warm-up session browsed them alone. Time = click until the page heading shows, "
             f"`stApp[data-test-script-state=notRunning]` and no `stStatusWidget`. Wall time "
             f"{wall:,.0f} s; load average before {load_before:.2f}, after "
             f"{os.getloadavg()[0]:.2f}.", ""]
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
    args = parser.parse_args()
    from data_loaders.seed import prepare_database

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.sqlite"
        prepare_database(url, as_of=dt.date(2026, 11, 23)).dispose()
        print("\n".join(run(url, args.sessions, Path(tmp))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
