"""The beheerder edits an area's CBS codes on Gegevens beheren: a text field of codes, saved
as the area's parts; a bad code is refused with the column named."""

from __future__ import annotations

from dashboard.domain.roles import Role
from dashboard.store import writes
from data_loaders.db import make_engine

BH = Role.BEHEERDER


def test_the_beheerder_changes_an_areas_cbs_codes_in_the_form(app, app_db_url):
    engine = make_engine(app_db_url)
    rows = writes.list_rows(engine, BH, "area")
    row = rows[rows["key"] == "limmel"].iloc[0]
    at = app(BH)
    at.switch_page("pages/gegevens_beheren.py").run()
    at.selectbox(key="beheer_dataset").set_value("area").run()
    at.selectbox(key="beheer_row_area").set_value(int(row["id"])).run()
    form = f"edit-area-{row['id']}-{row['version']}"
    codes = next(w for w in at.text_input if w.key == f"{form}-cbs_codes")
    assert codes.value == ", ".join(row["cbs_codes"])

    codes.input("BU09350404, BU0935040")  # a digit short
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception
    assert any("CBS-code 'BU0935040' is geen buurtcode" in e.value for e in at.error)
    assert writes.get_row(engine, BH, "area", int(row["id"]))["cbs_codes"] == row["cbs_codes"]

    codes = next(w for w in at.text_input if w.key == f"{form}-cbs_codes")
    codes.input("bu09350404 BU09350405")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    assert writes.get_row(engine, BH, "area", int(row["id"]))["cbs_codes"] == [
        "BU09350404", "BU09350405"]
    engine.dispose()
