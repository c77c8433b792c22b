"""Server capacity without browsers: sessions that speak Streamlit's own WebSocket protocol.

Each simulated user opens ``/_stcore/stream`` with a signed-in bestuurder's cookie (a real
session row, made with ``dashboard.store.sessions`` as the sign-in does), asks for a page
with a ``rerun_script`` BackMsg (the protobuf the browser sends), waits for the server's
``script_finished`` ForwardMsg, reads for a think time, and then switches page or changes a
filter (a new query string, as the URL-bound filters do). Latency is the time from sending
the request to ``script_finished``: the server's work, not a browser's rendering.

Before the levels, one session visits every page and filter of the mix once and closes:
the caches are then warm, and the server's resident memory once that session is released is
the *warm baseline*. Per concurrency level (20, 50, 100 sessions, arriving over ``--ramp``
seconds): script-run latency p50/p95, server CPU (% of one core), resident memory before,
at the peak and after every session has closed, the server's disconnected-session TTL has
passed (``server.disconnectedSessionTTL``, set short here so the bench need not wait two
minutes) and the server has released the closed sessions (``dashboard.ui.release``), and
errors. The largest level with p95 <= 1 s is the capacity of one replica on this machine.

    python bench/ws_load.py [--levels 20 50 100] [--think 5] [--seconds 60]

The protocol helpers (``connect``, ``run_once``, ``cookie_for``) also drive the server
tests in tests/e2e/test_server_load.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.concurrency import cpu_by_process  # noqa: E402
from bench.pgserver import free_port  # noqa: E402
from dashboard.ui import release, warmup  # noqa: E402

TARGET_P95_S = 1.0
TTL_S = 10
# After the last session closes: its TTL, then the release thread's next two looks.
RELEASE_WAIT_S = TTL_S + 2 * warmup.INTERVAL + 3
# What a bestuurder does: pages, and filters on them (the query string a link carries).
VISITS = [("overzicht", ""), ("kaart", ""), ("kaart", "indicator=laag_inkomen"),
          ("kaart", "programma=pluswijken"), ("wijkprofiel", "gebied=limmel"),
          ("wijkprofiel", "gebied=hoensbroek"), ("wijkprofiel", "gebied=nazareth"),
          ("projecten", ""), ("welzijnscoaches", ""), ("welzijnscoaches", "programma=pluswijken"),
          ("kernteams", ""), ("financien", ""), ("besluiten", ""), ("casussen", "")]


def rss_mb(pid: int) -> float:
    return release.rss_mb(pid) or 0.0


def cookie_for(url: str) -> str:
    """A fresh signed-in session for the demo bestuurder: its cookie token."""
    from dashboard.store import sessions
    from data_loaders.db import make_engine

    engine = make_engine(url)
    try:
        token = sessions.redeem(engine, sessions.start(engine, "bestuurder", client="bench"))
        assert token, "the hand-off code could not be redeemed"
        return token
    finally:
        engine.dispose()


def rerun(path: str, query: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.page_name = path
    msg.rerun_script.query_string = query
    return msg.SerializeToString()


async def run_once(ws, path: str, query: str) -> tuple[float, str | None]:  # type: ignore[no-untyped-def]
    """Ask for one page view; (seconds until script_finished, error or None)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    await ws.send(rerun(path, query))
    error = None
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                and msg.delta.new_element.WhichOneof("type") == "exception":
            error = f"{path}: exception"
        elif kind in ("page_not_found", "auth_redirect"):
            error = f"{path}: {kind}"
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the page rewrote its address: the rerun that follows counts
            return time.perf_counter() - t0, error


@contextlib.asynccontextmanager
async def connect(base: str, cookie: str | None = None):  # type: ignore[no-untyped-def]
    """One browser tab: a WebSocket on ``/_stcore/stream`` (signed in with ``cookie``, or
    a public visitor without); closing it closes the tab."""
    import websockets

    headers = {"Cookie": f"ln_sessie={cookie}"} if cookie else {}
    async with websockets.connect(
            base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
            max_size=None, open_timeout=60, origin=base, additional_headers=headers) as ws:
        yield ws


async def user(base: str, cookie: str, stop_at: float, think: float, delay: float,
               seed: int, out: dict) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(delay)
    try:
        async with connect(base, cookie) as ws:
            out["open"] += 1
            while time.monotonic() < stop_at:
                path, query = rng.choice(VISITS)
                try:
                    seconds, error = await run_once(ws, path, query)
                    out["latency"].append(seconds)
                    if error:
                        out["errors"].append(error)
                except Exception as exc:  # noqa: BLE001 - every failure is a bench error
                    out["errors"].append(f"{path}: {type(exc).__name__}")
                    return
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            out["peak_rss"] = max(out["peak_rss"], rss_mb(out["pid"]))
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"connect: {type(exc).__name__}: {exc}")
    finally:
        out["open"] -= 1


async def level(base: str, pid: int, cookie: str, sessions: int, think: float, seconds: float,
                ramp: float) -> dict:
    out = {"latency": [], "errors": [], "open": 0, "pid": pid, "peak_rss": 0.0}
    before_rss = rss_mb(pid)
    cpu0 = sum(cpu_by_process(f"--server.port={base.rsplit(':', 1)[1]}").values())
    t0 = time.monotonic()
    stop_at = t0 + ramp + seconds
    await asyncio.gather(*(user(base, cookie, stop_at, think, ramp * i / sessions, i, out)
                           for i in range(sessions)))
    wall = time.monotonic() - t0
    cpu = sum(cpu_by_process(f"--server.port={base.rsplit(':', 1)[1]}").values()) - cpu0
    await asyncio.sleep(RELEASE_WAIT_S)  # the closed sessions' TTL, then they are released
    lat = sorted(out["latency"])
    p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]) if lat else (lambda q: float("nan"))
    return {"sessions": sessions, "runs": len(lat), "p50": p(0.50), "p95": p(0.95),
            "mean": statistics.fmean(lat) if lat else float("nan"),
            "cpu_pct": 100 * cpu / wall, "before_rss": before_rss, "peak_rss": out["peak_rss"],
            "after_rss": rss_mb(pid), "errors": out["errors"]}


async def warm_pass(base: str, pid: int, cookie: str) -> float:
    """One session visits every page and filter of the mix once and closes; the server's
    resident memory (MB) once it has been released: the warm baseline."""
    async with connect(base, cookie) as ws:
        for path, query in VISITS:
            await run_once(ws, path, query)
    await asyncio.sleep(RELEASE_WAIT_S)
    return rss_mb(pid)


def start_server(db_url: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "LN_DATABASE_URL": db_url, "MALLOC_ARENA_MAX": "2"}  # as the Dockerfile
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         f"--server.disconnectedSessionTTL={TTL_S}"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    import urllib.request

    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")


def table(results: list[dict], think: float, baseline: float) -> list[str]:
    rows = [f"Think time {think:g} s (uniform between half and one and a half times), "
            "sessions arrive over the ramp; latency = request sent until `script_finished`. "
            f"Warm baseline (one pass of the visit mix, its session released): {baseline:.0f} MB; "
            f"after close = {RELEASE_WAIT_S:g} s after the last session closed "
            f"(TTL {TTL_S} s).", "",
            "| sessions | script runs | p50 (ms) | p95 (ms) | server CPU (% of a core) "
            "| RSS before / peak / after close (MB) | memory per session (MB) | errors |",
            "|---:|---:|---:|---:|---:|---|---:|---:|"]
    for r in results:
        per = (r["peak_rss"] - r["before_rss"]) / r["sessions"]
        rows.append(f"| {r['sessions']} | {r['runs']:,} | {1000 * r['p50']:,.0f} | "
                    f"{1000 * r['p95']:,.0f} | {r['cpu_pct']:.0f} | {r['before_rss']:.0f} / "
                    f"{r['peak_rss']:.0f} / {r['after_rss']:.0f} | {per:.1f} | "
                    f"{len(r['errors'])} |")
    ok = [r["sessions"] for r in results if r["p95"] <= TARGET_P95_S and not r["errors"]]
    rows += ["", f"Sessions per replica at p95 ≤ {TARGET_P95_S:g} s: "
             + (f"**{max(ok)}** (the largest level measured that met it)." if ok else
                "none of the measured levels met it.")]
    errors = sorted({e for r in results for e in r["errors"]})
    if errors:
        rows.append("Errors: " + "; ".join(errors[:10]))
    return rows


def run(db_url: str, levels: list[int], *, think: float = 5.0, seconds: float = 60.0,
        ramp: float = 10.0) -> list[str]:
    """One server on ``db_url`` (a demo database), every level in turn: a RESULTS.md section."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(db_url, port, Path(tmp) / "streamlit.log")
        try:
            base, cookie = f"http://127.0.0.1:{port}", cookie_for(db_url)
            time.sleep(5)  # let the warm-up thread fill the caches, as after a deploy
            baseline = asyncio.run(warm_pass(base, server.pid, cookie))
            print(f"warm baseline {baseline:.0f} MB", file=sys.stderr)
            results = []
            for n in levels:
                results.append(asyncio.run(level(base, server.pid, cookie, n, think, seconds,
                                                 ramp)))
                print(f"{n} sessions: p95 {results[-1]['p95']:.3f} s", file=sys.stderr)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return [f"## Server capacity: WebSocket sessions on one `streamlit run` (demo data, SQLite, "
            f"{seconds:g} s per level)", "", *table(results, think, baseline)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--ramp", type=float, default=10.0)
    args = parser.parse_args()
    from data_loaders.seed import prepare_database

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/demo.sqlite"
        prepare_database(db_url, as_of=dt.date(2026, 11, 23)).dispose()
        print("\n".join(run(db_url, args.levels, think=args.think, seconds=args.seconds,
                            ramp=args.ramp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
