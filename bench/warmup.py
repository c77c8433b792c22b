"""Benchmark: the views the warm-up (``dashboard.ui.warmup``) rebuilds, cold versus warmed.

For each view the page is rendered with AppTest three times: once to let the process learn
which datasets each read uses (not reported), once cold (``st.cache_data`` emptied, as
after a save that touched every dataset, or a ten-minute expiry before data versions),
and once after emptying the cache and running ``warmup.warm`` (what the background thread
does after a change): the render a user then waits for. The warm-up's own duration is
reported too (background work, nobody waits for it).

    python bench/warmup.py [--national | --url URL]   # prints a Markdown table

``make bench`` runs it on the demo and on the national dataset.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 2.0  # issue 15: no user waits longer after a data change or a deploy
VIEWS = [("publiek", "Geleerde lessen", "pages/geleerde_lessen.py"),
         ("programmateam", "Overzicht", "pages/overzicht.py"),
         ("programmateam", "Kaart", "pages/kaart.py"),
         ("programmateam", "Wijkprofiel", "pages/wijkprofiel.py")]


def measure(url: str) -> list[str]:
    os.environ["LN_DATABASE_URL"] = url
    from bench.pages import _pin_navigation_mode, _start

    _pin_navigation_mode()
    from tests.helpers import apptest_browser

    apptest_browser.install(setattr)
    import streamlit as st

    from dashboard import ui
    from dashboard.domain.roles import Role
    from dashboard.ui import warmup
    from data_loaders import versions

    rows = ["| View | Role | Cold render (ms) | Render after warm-up (ms) | Warm-up, background (s) "
            "| target |", "|---|---|---:|---:|---:|---|"]
    for role, title, path in VIEWS:
        at = _start(Role(role))
        at.switch_page(path).run()  # learn what each read depends on
        st.cache_data.clear()
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        st.cache_data.clear()
        t0 = time.perf_counter()
        warmup.warm(url, versions.read(ui.engine_for(url)))
        warming = time.perf_counter() - t0
        t0 = time.perf_counter()
        at.run()
        warmed = time.perf_counter() - t0
        assert not at.exception and at.title[0].value == title, (title, at.exception)
        rows.append(f"| {title} | {role} | {cold * 1000:,.0f} | {warmed * 1000:,.0f} | "
                    f"{warming:.1f} | {'ok' if warmed <= TARGET_S else 'MISSED'} |")
        print(rows[-1], file=sys.stderr, flush=True)
    rows += _unwarmed_areas(url)
    return rows


def _unwarmed_areas(url: str) -> list[str]:
    """Wijkprofiel of areas the warm-up does not build (it builds the programme totals and
    the first ``warmup.MAX_AREAS`` areas): what a user waits for, after a warm-up, when
    opening any other area while the shared reads (catalogue, references) are warm."""
    from bench.pages import _start
    from dashboard import ui
    from dashboard.domain.roles import Role
    from dashboard.ui import profile, warmup
    from data_loaders import versions

    role, current = Role.PROGRAMMATEAM, versions.read(ui.engine_for(url))
    areas = profile.profile_areas(
        lambda query, **params: warmup._load(query, role.value, url, current, **params))
    keys = list(areas.loc[~areas["is_total"], "key"])
    rows = []
    for index in sorted({len(keys) // 2, len(keys) - 1} - set(range(warmup.MAX_AREAS))):
        at = _start(role)
        at.query_params["gebied"] = keys[index]
        at.switch_page("pages/wijkprofiel.py")
        t0 = time.perf_counter()
        at.run()
        took = time.perf_counter() - t0
        assert not at.exception and keys[index] in at.query_params["gebied"], at.exception
        rows.append(f"| Wijkprofiel, area {index + 1:,} of {len(keys):,} (not warmed) | "
                    f"{role.value} | – | {took * 1000:,.0f} | – | "
                    f"{'ok' if took <= TARGET_S else 'MISSED'} |")
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", action="store_true",
                        help="the synthetic national dataset (bench/national.py) instead of the demo")
    parser.add_argument("--url", help="an existing database to measure (prepared already)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/warm.sqlite"
        if not args.url and args.national:
            from bench.national import generate
            generate(url)
        elif not args.url:
            from data_loaders.seed import prepare_database
            from tests.helpers import AS_OF
            prepare_database(url, as_of=AS_OF).dispose()
        print("\n".join(measure(url)))


if __name__ == "__main__":
    main()
