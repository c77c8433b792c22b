"""End-to-end in Chromium: a programmateam user corrects a project's status on Gegevens
beheren; a bestuurder, in a separate browser session, sees Overzicht change after reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS
from tests.helpers.browser import search_rows, signed_in, wait_until_idle

pytestmark = pytest.mark.browser


def running_projects(page) -> list[str]:
    """The 'Projecten in uitvoering' metric of each programme, left to right."""
    page.get_by_text("Projecten in uitvoering").first.wait_for()
    metrics = page.get_by_test_id("stMetric").filter(has_text="Projecten in uitvoering")
    return [m.get_by_test_id("stMetricValue").inner_text() for m in metrics.all()]


def test_programmateam_edit_shows_up_for_bestuurder_after_reload(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    board_context, board = signed_in(browser, live_app, "bestuurder")
    before = running_projects(board)
    assert len(before) == 2

    team_context, team = signed_in(browser, live_app, "programmateam")
    team.get_by_test_id("stSidebarNav").get_by_role("link", name="Gegevens beheren").click()
    team.get_by_role("heading", name="Gegevens beheren", level=1).wait_for(timeout=60_000)
    wait_until_idle(team)
    search_rows(team, "PW-4")
    form = team.get_by_test_id("stForm").first
    status = form.get_by_role("combobox", name="Status")
    assert status.input_value() == "voorbereiding"
    status.click()
    team.get_by_role("option", name="uitvoering", exact=True).click()
    assert status.input_value() == "uitvoering"
    team.screenshot(path=str(ARTIFACTS / "beheer-status-gewijzigd.png"))
    form.get_by_role("button", name="Opslaan").click()
    team.get_by_text("Opgeslagen.").wait_for(timeout=60_000)
    wait_until_idle(team)
    saved = team.get_by_test_id("stForm").first.get_by_role("combobox", name="Status")
    assert saved.input_value() == "uitvoering"  # the reloaded row, at its new version
    team.screenshot(path=str(ARTIFACTS / "beheer-opgeslagen.png"))
    team_context.close()

    board.reload()
    board_context.close()
    board_context, board = signed_in(browser, live_app, "bestuurder")
    after = running_projects(board)
    assert after[0] == before[0]  # Blauwe Zorg unchanged
    assert int(after[1]) == int(before[1]) + 1  # PlusWIJken: PW-4 now in uitvoering
    board.screenshot(path=str(ARTIFACTS / "overzicht-na-wijziging.png"), full_page=True)
    board_context.close()


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_idle(page)


CSV_HEADER = ("Kernteam;Kwartaal;Kwetsbare ouderen in beeld;Met proactief zorgplan;"
              "Besproken in MDO;SEH-bezoeken;Ziekenhuisopnames;Heropnames;Valincidenten\n")


def test_import_with_a_bad_row_shows_it_and_a_corrected_file_imports(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = signed_in(browser, live_app, "programmateam")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Importeren").click()
    page.get_by_role("heading", name="Importeren", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    choose(page, "Gegevensset", "Kwartaalcijfers kernteams")
    page.get_by_text("Kernteam, Kwartaal", exact=True).wait_for()  # the rerun has rendered
    wait_until_idle(page)
    bad = CSV_HEADER + "KT-01;2031-Q1;100;60;20;6;4;1;2\nKT-02;2031-Q1;100;60;20;6;veel;1;2\n"
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "kwartaal.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    page.get_by_text("Er is niets ingelezen").wait_for(timeout=60_000)
    wait_until_idle(page)
    problems = page.get_by_test_id("stDataFrame").last
    assert problems.is_visible()
    page.screenshot(path=str(ARTIFACTS / "import-fout-in-rij.png"), full_page=True)
    assert page.get_by_role("button", name="Inlezen").count() == 0  # nothing to commit

    good = bad.replace(";veel;", ";5;")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "kwartaal.csv", "mimeType": "text/csv", "buffer": good.encode()}])
    page.get_by_role("button", name="Inlezen").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.get_by_role("button", name="Inlezen").click()
    page.get_by_text("Ingelezen: 2 nieuw, 0 gewijzigd, 0 ongewijzigd.").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "import-gelukt.png"), full_page=True)
    context.close()


def open_project(page, code: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Gegevens beheren").click()
    page.get_by_role("heading", name="Gegevens beheren", level=1).wait_for(timeout=60_000)
    wait_until_idle(page)
    search_rows(page, code)


def test_second_of_two_simultaneous_edits_sees_both_values(live_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    first_context, first = signed_in(browser, live_app, "programmateam")
    second_context, second = signed_in(browser, live_app, "programmateam")
    for page in (first, second):
        open_project(page, "BZ-2")
    for page, name in ((first, "POH Jeugd (eerste)"), (second, "POH Jeugd (tweede)")):
        field = page.get_by_test_id("stForm").first.get_by_label("Naam", exact=True)
        field.fill(name)
    first.get_by_test_id("stForm").first.get_by_role("button", name="Opslaan").click()
    first.get_by_text("Opgeslagen.").wait_for(timeout=60_000)
    second.get_by_test_id("stForm").first.get_by_role("button", name="Opslaan").click()
    second.get_by_text("Iemand anders heeft deze gegevens intussen gewijzigd").wait_for(
        timeout=60_000)
    wait_until_idle(second)
    comparison = second.get_by_test_id("stDataFrame").first
    comparison.wait_for()
    second.screenshot(path=str(ARTIFACTS / "beheer-conflict.png"))
    second.get_by_role("button", name="Opnieuw laden").click()
    wait_until_idle(second)
    reloaded = second.get_by_test_id("stForm").first.get_by_label("Naam", exact=True)
    expect(reloaded).to_have_value("POH Jeugd (eerste)", timeout=60_000)
    first_context.close()
    second_context.close()
