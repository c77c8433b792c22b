"""Benchmark: server-side render time of every page per role, and what each page sends.

Not a test: ``make bench`` runs it and prints a Markdown table (and writes it to
``bench/RESULTS.md`` with ``--write``). Each page is rendered with Streamlit's AppTest
against a seeded demo database: once cold (empty caches) and ``--runs`` times warm; the
median warm time is reported, with the size of the page's element tree (the bytes the
server sends to the browser, pydeck maps and altair charts included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard.roles import Role, pages_for  # noqa: E402
from data_loaders.seed import prepare_database  # noqa: E402


def sign_in(at: AppTest, role: Role) -> AppTest:
    at.sidebar.text_input(key="sign_in_username").input(role.value)
    at.sidebar.text_input(key="sign_in_password").input("demo")
    return at.sidebar.button[0].click().run()


def payload_bytes(at: AppTest) -> int:
    """Serialized size of the rendered element tree (what the browser receives)."""
    total = 0
    stack = [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ByteSize"):
            total += proto.ByteSize()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
    return total


def bench(runs: int) -> list[tuple[str, str, float, float, int]]:
    rows = []
    for role in (Role.PUBLIEK, Role.BESTUURDER):
        for page in pages_for(role):
            at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
            if role is not Role.PUBLIEK:
                sign_in(at, role)
            from dashboard import ui

            ui.clear_caches()
            t0 = time.perf_counter()
            at.switch_page(page.path).run()
            cold = time.perf_counter() - t0
            if at.exception:
                raise RuntimeError(f"{page.title}: {at.exception[0].value}")
            warm = []
            for _ in range(runs):
                t0 = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - t0)
            rows.append((role.value, page.title, cold * 1000, statistics.median(warm) * 1000,
                         payload_bytes(at)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        prepare_database(url, as_of=dt.date(2026, 11, 23)).dispose()
        os.environ["LN_DATABASE_URL"] = url
        rows = bench(args.runs)
    lines = [
        f"Page render times (AppTest, demo data, SQLite), {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| role | page | cold (ms) | warm median (ms) | payload (kB) |",
        "|---|---|---:|---:|---:|",
        *[f"| {r} | {p} | {c:.0f} | {w:.0f} | {b / 1024:.1f} |" for r, p, c, w, b in rows],
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        (ROOT / "bench" / "RESULTS.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
