"""Benchmark: server-side render time of every page, map payload and peak memory.

Not a test: ``make bench`` runs it (``--write`` puts the report in ``bench/RESULTS.md``).
Each scenario (demo data or the synthetic national dataset of ``bench/national.py``, on
SQLite or on a throwaway PostgreSQL server) runs in its own Python process so peak memory
(``ru_maxrss``) and caches are per scenario. Every page is rendered with Streamlit's
AppTest: once cold (empty ``st.cache_data``) and ``--runs`` times warm (median reported),
plus the serialized size of the element tree the server sends, the pydeck spec JSON on
Kaart, and the peak Python heap (tracemalloc) of one extra cold render. Then
``bench/concurrency.py`` drives 5 headless Chromium sessions against ``streamlit run`` (what
a user feels), ``bench/ws_load.py`` measures the server's capacity with sessions that speak
Streamlit's WebSocket protocol (no browsers), and ``bench/warmup.py`` shows the views the
background warm-up rebuilds, cold versus warmed, on the demo and at national scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 11, 23)
# National scale: every page ("all"); ``--national-pages`` picks a few for a quicker run.
NATIONAL_PAGES = "all"
TARGET_DEMO_MS, TARGET_NATIONAL_MS, TARGET_MAP_BYTES = 300, 1000, 5 * 1024 * 1024


# ---------------------------------------------------------------- one scenario (child process)


def _pin_navigation_mode() -> None:
    """As in tests/conftest.py: AppTest would re-detect ``pages/`` before every run and
    run page files directly; a live server uses ``st.navigation`` only."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        PagesManager.uses_pages_directory = False
        original(self, *args, **kwargs)

    PagesManager.__init__ = init  # type: ignore[method-assign]


def _start(role):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    from dashboard.domain.roles import Role

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600).run()
    if role is not Role.PUBLIEK:
        at.sidebar.text_input(key="sign_in_username").input(role.value)
        at.sidebar.text_input(key="sign_in_password").input("demo")
        at.sidebar.button[0].click().run()
    return at


def tree_bytes(at) -> int:  # type: ignore[no-untyped-def]
    """Serialized size of the rendered element tree (what the browser receives)."""
    total, stack = 0, [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ByteSize"):
            total += proto.ByteSize()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
    return total


def map_bytes(at) -> int | None:  # type: ignore[no-untyped-def]
    charts = at.get("deck_gl_json_chart")
    return sum(len(c.proto.json.encode()) for c in charts) if charts else None


def run_scenario(url: str, titles: list[str] | None, runs: int) -> list[dict]:
    os.environ["LN_DATABASE_URL"] = url
    _pin_navigation_mode()
    from tests.helpers import apptest_browser

    apptest_browser.install(setattr)  # AppTest has no cookies: sign-in needs a stand-in browser
    import streamlit as st

    from dashboard.domain.roles import Role, pages_for

    rows = []
    # publiek sees the public pages, beheerder every page.
    for role in (Role.PUBLIEK, Role.BEHEERDER):
        at = _start(role)
        for page in pages_for(role):
            if titles is not None and page.title not in titles:
                continue
            st.cache_data.clear()  # measure the cold render
            at.query_params = {}  # a sidebar click in the browser drops the previous page's URL state
            t0 = time.perf_counter()
            at.switch_page(page.path).run()
            cold = time.perf_counter() - t0
            error = at.exception[0].value if at.exception else None
            if not error and (not at.title or at.title[0].value != page.title):
                error = f"expected title {page.title!r}, got {[t.value for t in at.title]}"
            warm = []
            for _ in range(runs):
                t0 = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - t0)
            size, deck = tree_bytes(at), map_bytes(at)
            st.cache_data.clear()  # measure the cold render
            tracemalloc.start()
            at.run()
            heap = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append(dict(role=role.value, page=page.title, cold_ms=cold * 1000,
                             warm_ms=statistics.median(warm) * 1000, bytes=size, map_bytes=deck,
                             heap=heap, error=error))
            print(f"  {role.value:<10} {page.title:<18} cold {cold * 1000:7.0f} ms  warm "
                  f"{statistics.median(warm) * 1000:7.0f} ms", file=sys.stderr, flush=True)
    return rows


# ---------------------------------------------------------------- orchestration


def scenario(url: str, titles: list[str] | None, runs: int) -> dict:
    """Run one scenario in a fresh interpreter; return its rows and peak RSS."""
    cmd = [sys.executable, str(Path(__file__)), "--child", url, "--runs", str(runs)]
    if titles is not None:
        cmd += ["--pages", ",".join(titles)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, cwd=ROOT, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - t0
    return result


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text()
                .splitlines() if line.startswith("MemTotal")), 0)
    import sqlalchemy
    import streamlit
    return [f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {mem / 1024:.1f} GB; "
            f"{platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}, Streamlit {streamlit.__version__}, "
            f"SQLAlchemy {sqlalchemy.__version__}"]


def loadavg() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def table(result: dict, target_ms: int) -> list[str]:
    lines = ["| role | page | cold (ms) | warm median (ms) | page payload (kB) | map spec (kB) "
             "| peak heap, cold (MB) | target |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in result["rows"]:
        ok = r["error"] is None and r["warm_ms"] <= target_ms and (
            r["map_bytes"] is None or r["map_bytes"] <= TARGET_MAP_BYTES)
        deck = "" if r["map_bytes"] is None else f"{r['map_bytes'] / 1024:,.0f}"
        mark = "ok" if ok else ("ERROR: " + r["error"] if r["error"] else "MISSED")
        lines.append(f"| {r['role']} | {r['page']} | {r['cold_ms']:,.0f} | {r['warm_ms']:,.0f} "
                     f"| {r['bytes'] / 1024:,.1f} | {deck} | {r['heap'] / 2**20:,.1f} | {mark} |")
    lines.append("")
    lines.append(f"Peak resident memory of the benchmark process (ru_maxrss): "
                 f"{result['maxrss_kb'] / 1024:,.0f} MB; scenario wall time "
                 f"{result['seconds']:,.0f} s.")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median)")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--quick", action="store_true",
                        help="demo scale on SQLite only, 3 warm runs, 5 browser sessions")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-load", action="store_true",
                        help="skip the WebSocket capacity run (bench/ws_load.py)")
    parser.add_argument("--national-pages", default=NATIONAL_PAGES,
                        help="comma-separated page titles at national scale, or 'all'")
    parser.add_argument("--sessions", type=int, default=5,
                        help="browser sessions (bench/concurrency.py); the server's capacity "
                             "is measured without browsers (bench/ws_load.py)")
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean seconds a browser session reads a page (bench/concurrency.py)")
    parser.add_argument("--skip-stress", action="store_true",
                        help="skip the browser run without think time")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--pages", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        rows = run_scenario(args.child, args.pages.split(",") if args.pages else None, args.runs)
        print(json.dumps({"rows": rows,
                          "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
        return 0

    from bench import national
    from bench.pgserver import create_database
    from data_loaders.seed import prepare_database

    if args.quick:
        args.runs, args.skip_national, args.skip_postgres = 3, True, True
        args.sessions, args.skip_stress = min(args.sessions, 5), True
    nat_titles = None if args.national_pages == "all" else args.national_pages.split(",")
    started = dt.datetime.now(dt.UTC)
    report = ["# Benchmark results", "",
              f"Run {started:%Y-%m-%d %H:%M} UTC by `make bench` (`bench/pages.py`, "
              f"`bench/national.py`, `bench/concurrency.py`, `bench/ws_load.py`).", "", "## Machine", "", *machine(),
              f"- Load average at start (1/5/15 min): {loadavg()} — the machine is shared with "
              "other work, so figures carry that noise.", ""]
    sections: list[list[str]] = []
    gen_times: list[str] = []

    def log(msg: str) -> None:
        print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)

    def flush() -> str:
        """Write what is measured so far (a later failing section loses nothing)."""
        text = "\n".join([*report, *[line for sec in sections for line in (*sec, "")],
                          *(["## National data generation", "", *gen_times, ""] if gen_times else []),
                          notes.read_text() if notes.exists() else ""])
        if args.write:
            (ROOT / "bench" / "RESULTS.md").write_text(text + "\n")
        return text

    def section(title: str, fn) -> None:  # type: ignore[no-untyped-def]
        log(title)
        try:
            sections.append(fn())
        except Exception as exc:  # noqa: BLE001 - report it and go on with the next section
            sections.append([f"## {title}", "", f"FAILED: {type(exc).__name__}: {exc}"])
        flush()

    notes = ROOT / "bench" / "NOTES.md"
    with tempfile.TemporaryDirectory() as tmp, contextlib_pg(not args.skip_postgres) as pg:
        demo_url = f"sqlite:///{tmp}/demo.sqlite"
        prepare_database(demo_url, as_of=AS_OF).dispose()

        def demo(url: str, name: str) -> list[str]:
            res = scenario(url, None, args.runs)
            return [f"## Demo data, {name} (target warm ≤ {TARGET_DEMO_MS} ms)", "",
                    f"Load average after: {loadavg()}", "", *table(res, TARGET_DEMO_MS)]

        section("Demo data, SQLite", lambda: demo(demo_url, "SQLite"))
        if pg:
            def demo_pg() -> list[str]:
                url = create_database(pg)
                prepare_database(url, as_of=AS_OF).dispose()
                return demo(url, "PostgreSQL 15")
            section("Demo data, PostgreSQL 15", demo_pg)
        if not args.skip_browser:
            from bench.concurrency import run as browse
            section(f"{args.sessions} concurrent browser sessions",
                    lambda: browse(demo_url, args.sessions, Path(tmp), think=args.think))
            if not args.skip_stress:
                section(f"{args.sessions} concurrent browser sessions, no think time",
                        lambda: browse(demo_url, args.sessions, Path(tmp), think=0, ramp=0))
        if not args.skip_load:
            from bench import ws_load
            section("Server capacity (WebSocket sessions)", lambda: ws_load.run(
                demo_url, [20] if args.quick else [5, 10, 20, 50, 100],
                seconds=20 if args.quick else 60))
        section("No cold waits, demo data",
                lambda: cold_and_warmed(demo_url, "demo data, SQLite"))
        if not args.skip_national:
            backends = [("SQLite", lambda: f"sqlite:///{tmp}/national.sqlite")]
            if pg:
                backends.append(("PostgreSQL 15", lambda: create_database(pg)))
            for name, make_url in backends:
                def nat(name: str = name, make_url=make_url) -> list[str]:  # type: ignore[no-untyped-def]
                    url = make_url()
                    t0 = time.perf_counter()
                    steps = national.generate(url)
                    gen_times.append(f"- {name}: {time.perf_counter() - t0:,.0f} s ("
                                     + ", ".join(f"{k} {v:,.0f} s" for k, v in steps.items()) + ")")
                    res = scenario(url, nat_titles, max(3, args.runs - 2))
                    return [f"## National scale, {name} (target warm ≤ {TARGET_NATIONAL_MS} ms, "
                            "map spec ≤ 5 MB)", "",
                            f"{national.N_BUURTEN:,} buurten with polygons, "
                            f"{national.N_INDICATORS} indicators × {len(national.YEARS)} years "
                            f"({national.N_BUURTEN * national.N_INDICATORS * len(national.YEARS):,} "
                            f"values), {national.N_COACHES} coaches, {national.N_KERNTEAMS} "
                            f"kernteams. Pages: "
                            f"{'all' if nat_titles is None else ', '.join(nat_titles)}. "
                            f"Load average after: {loadavg()}", "",
                            *table(res, TARGET_NATIONAL_MS),
                            *([""] + cold_and_warmed(url, f"national scale, {name}")
                              if name == "SQLite" else [])]
                section(f"National scale, {name}", nat)
    print(flush())
    return 0


def cold_and_warmed(url: str, what: str) -> list[str]:
    """bench/warmup.py on ``url``, in a process of its own: a RESULTS.md section."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "warmup.py"), "--url", url],
                          cwd=ROOT, capture_output=True, text=True, check=True, timeout=3600)
    return [f"## No cold waits: cold versus warmed renders ({what}; target ≤ 2 s after the "
            "warm-up)", "", f"Load average after: {loadavg()}", "",
            *done.stdout.strip().splitlines()]


def contextlib_pg(enabled: bool):  # type: ignore[no-untyped-def]
    import contextlib

    from bench.pgserver import pg_server
    return pg_server() if enabled else contextlib.nullcontext(None)


if __name__ == "__main__":
    raise SystemExit(main())
