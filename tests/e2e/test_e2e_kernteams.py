"""End-to-end in Chromium: the kernteam run chart highlights KT-07's signal points, its
written verdict shows with its icon, and the funnel compares the teams."""

from __future__ import annotations

import pytest

from dashboard.ui.charts import POINT_COLOUR, SIGNAL_COLOUR
from tests.helpers import ARTIFACTS
from tests.helpers.browser import wait_until_idle

pytestmark = pytest.mark.browser


def colour_pixels(png: bytes, hex_colour: str, tolerance: int = 12) -> int:
    """How many pixels of the screenshot show ``hex_colour``, solid or as a filled point
    (vega draws filled points at 70% opacity on the white background)."""
    import io

    from PIL import Image

    solid = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    faded = tuple(round(0.7 * c + 0.3 * 255) for c in solid)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for px in image.get_flattened_data()
               if any(all(abs(a - b) <= tolerance for a, b in zip(px, t, strict=True))
                      for t in (solid, faded)))


def test_kernteam_run_chart_shows_the_highlighted_signal(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.goto(live_app)
    wait_until_idle(page)
    page.get_by_label("Gebruikersnaam").fill("bestuurder")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Kernteams").click()
    page.get_by_role("heading", name="Kernteams", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    assert "/kernteams" in page.url
    heading = page.get_by_role("heading",
                               name="Ziekenhuisopnames per 1.000 kwetsbare ouderen: KT-07")
    heading.wait_for(timeout=30_000)
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    chart.locator("canvas, svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)  # let vega finish drawing
    png = chart.screenshot(path=str(ARTIFACTS / "kernteam-runchart-KT-07.png"))
    # Signal points are drawn in the signal colour, the others in the point colour.
    assert colour_pixels(png, SIGNAL_COLOUR) > 100
    assert colour_pixels(png, POINT_COLOUR) > 100

    # The written, direction-aware verdict under the chart: icon, colour and text.
    verdict = page.get_by_test_id("stMarkdown").filter(has_text="Oordeel:").first
    verdict.scroll_into_view_if_needed()
    assert verdict.is_visible()
    assert "Verbetering — De cijfers zijn meer veranderd dan toeval" in verdict.inner_text()
    icon = verdict.get_by_role("img", name="thumb_up icon")
    assert icon.is_visible() and "Material Symbols" in icon.evaluate(
        "e => getComputedStyle(e).fontFamily")
    assert verdict.locator(".stMarkdownColoredText").evaluate(
        "e => getComputedStyle(e).color") == "rgb(36, 79, 180)"  # Streamlit's blue
    verdict.screenshot(path=str(ARTIFACTS / "kernteam-oordeel-KT-07.png"))

    # The signal table shows the same verdict, with its icon, in KT-07's row.
    row = page.get_by_test_id("stTable").locator("tr").filter(has_text="KT-07").filter(
        has_text="Ziekenhuisopnames per 1.000").first
    assert row.get_by_role("img", name="thumb_up icon").is_visible()
    assert "Verbetering" in row.inner_text() and "daling" in row.inner_text()

    # The funnel across teams: drawn, explained, with KT-07 below the limits.
    page.get_by_role("heading", name="Vergelijking tussen teams").scroll_into_view_if_needed()
    assert page.get_by_text("Trechterdiagram: elk punt is een team").first.is_visible()
    funnel = page.get_by_test_id("stVegaLiteChart").nth(1)
    funnel.scroll_into_view_if_needed()
    funnel.locator("canvas, svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)
    funnel_png = funnel.screenshot(path=str(ARTIFACTS / "kernteams-trechter.png"))
    assert colour_pixels(funnel_png, SIGNAL_COLOUR) > 20  # KT-07, below the funnel
    assert colour_pixels(funnel_png, POINT_COLOUR) > 300  # the other 34 teams
    context.close()
