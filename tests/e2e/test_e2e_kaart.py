"""End-to-end in Chromium (WebGL through SwiftShader): the Kaart draws coloured areas on the real
CBS boundaries, and clicking an area opens its Wijkprofiel."""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dashboard.domain.roles import Role
from dashboard.store.queries_geo import map_layers
from dashboard.ui.maps import WORSE_TO_BETTER, initial_view
from data_loaders import cbs_geo
from data_loaders.db import make_engine
from geo.registry import load_registry
from tests.helpers import ARTIFACTS, ENTRY, ROOT, chromium_path, free_port
from tests.helpers.browser import wait_until_idle
from tests.helpers.geo import BUURTEN, WIJKEN, shared_geo_dir

pytestmark = pytest.mark.browser
# deck.gl needs WebGL; headless Chromium gets it from SwiftShader (software rendering).
WEBGL_ARGS = ["--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader",
              "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
              "--disable-background-networking", "--no-first-run", "--disable-sync"]


class LiveApp(str):
    """The app's URL, also carrying the database it serves."""

    def __new__(cls, url: str, db_url: str) -> LiveApp:
        obj = super().__new__(cls, url)
        obj.db_url = db_url
        return obj


@pytest.fixture(scope="module")
def geo_app(demo_sqlite_url, tmp_path_factory):
    """`streamlit run` on a demo copy with the shared CBS extract imported."""
    shared = shared_geo_dir()
    work = tmp_path_factory.mktemp("geolive")
    db = work / "live.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), db)
    assert cbs_geo.main([str(shared / BUURTEN), str(shared / WIJKEN),
                         "--database", f"sqlite:///{db}"]) == 0
    port = free_port()
    log = open(work / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", ENTRY, "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1"],
        cwd=ROOT, env={**os.environ, "LN_DATABASE_URL": f"sqlite:///{db}"},
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(Path(log.name).read_text()) from None
            time.sleep(0.3)
    try:
        yield LiveApp(f"http://127.0.0.1:{port}", f"sqlite:///{db}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def webgl_browser(browser):
    """A second Chromium from the session's Playwright, this one with software WebGL."""
    webgl = browser.browser_type.launch(executable_path=chromium_path(), args=WEBGL_ARGS)
    yield webgl
    webgl.close()


def to_pixel(lon: float, lat: float, view: dict, width: float, height: float) -> tuple[float, float]:
    """Web Mercator projection as deck.gl does it (a 512-pixel world at zoom 0)."""
    scale = 512 * 2 ** view["zoom"]

    def project(lo: float, la: float) -> tuple[float, float]:
        x = (lo + 180) / 360 * scale
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * scale
        return x, y

    cx, cy = project(view["longitude"], view["latitude"])
    px, py = project(lon, lat)
    return width / 2 + px - cx, height / 2 + py - cy


def palette_pixels(path: Path) -> Counter:
    """How many pixels show each of the map's 'better/worse' colours."""
    img = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3).astype(int)
    found: Counter = Counter()
    for c in WORSE_TO_BETTER:
        if c != [245, 245, 245]:  # the near-white middle class is not told apart from paper
            n = int((np.abs(img - np.array(c)).sum(axis=1) < 40).sum())
            if n:
                found[tuple(c)] = n
    return found


def test_kaart_shows_coloured_areas_and_a_click_opens_the_wijkprofiel(geo_app, webgl_browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = webgl_browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    page = context.new_page()
    page.goto(geo_app)
    wait_until_idle(page)
    page.get_by_label("Gebruikersnaam").fill("bestuurder")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Kaart").click()
    page.get_by_role("heading", name="Kaart", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.locator("canvas").first.wait_for(timeout=30_000)
    page.wait_for_timeout(3000)  # let deck.gl draw
    shot = ARTIFACTS / "kaart-bestuurder.png"
    page.screenshot(path=str(shot), full_page=True)
    chart.screenshot(path=str(ARTIFACTS / "kaart-map.png"))
    colours = palette_pixels(ARTIFACTS / "kaart-map.png")
    assert sum(colours.values()) > 500, colours  # filled polygons, not a blank canvas
    assert len(colours) >= 2, colours  # classed colours, not one flat fill
    assert page.get_by_text("Bron: CBS / Kadaster (PDOK)").first.is_visible()
    assert not page.get_by_text("Benaderde gebiedsgrenzen").is_visible()

    # Click the middle of Hoensbroek (the largest area) to open its profile.
    box = chart.locator("canvas").first.bounding_box()
    assert box is not None
    hoensbroek = next(a for a in load_registry().areas if a.key == "hoensbroek")
    layers = map_layers(make_engine(geo_app.db_url), Role.BESTUURDER)
    view = initial_view(layers["areas"].values())  # the view the page opened with
    view = {"longitude": view.longitude, "latitude": view.latitude, "zoom": view.zoom}
    x, y = to_pixel(*hoensbroek.centroid, view, box["width"], box["height"])
    heading = page.get_by_role("heading", name="Wijkprofiel", level=1)
    for dx in (0, 4, -4):  # a click can be lost while deck.gl is still settling; try nearby
        page.mouse.move(box["x"] + x + dx, box["y"] + y)  # deck.gl picks on hover first
        page.get_by_text("teller").first.wait_for(timeout=10_000)  # the area's tooltip
        page.mouse.click(box["x"] + x + dx, box["y"] + y)
        try:
            heading.wait_for(timeout=20_000)
            break
        except Exception:  # noqa: BLE001 - retried, and asserted below
            page.screenshot(path=str(ARTIFACTS / "kaart-click-retry.png"), full_page=True)
    assert heading.is_visible()
    wait_until_idle(page)
    assert "gebied=hoensbroek" in page.url
    page.screenshot(path=str(ARTIFACTS / "wijkprofiel-hoensbroek.png"), full_page=True)
    context.close()
