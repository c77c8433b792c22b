"""From the command line, as an administrator would: an empty production database
(``python -m data_loaders.seed --no-demo``) becomes a dashboard with real figures."""

from __future__ import annotations

import pytest

from dashboard.domain.roles import Role
from dashboard.store.queries_geo import area_values, indicators, reference_values
from data_loaders.db import make_engine
from tests.helpers.opendata import KWB_2023, RIVM_50150, VEKTIS_2022, load_audits, run_cli


@pytest.mark.slow
def test_every_source_loads_from_the_command_line_into_an_empty_production_database(
        empty_db_url):
    seeded = run_cli(empty_db_url, "data_loaders.seed", "--no-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "no demo data" in seeded.stdout
    for source, path, expected in (
            ("cbs-kwb", KWB_2023, "Geladen: CBS Kerncijfers wijken en buurten (85618NED), 2023"),
            ("rivm-wijk", RIVM_50150, "Geladen: RIVM Gezondheid per wijk en buurt (50150NED)"),
            ("vektis-gemeente", VEKTIS_2022,
             "Geladen: Vektis open data Zorgverzekeringswet per gemeente, 2022")):
        done = run_cli(empty_db_url, "data_loaders.opendata", source, str(path))
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout and not done.stderr
    refused = run_cli(empty_db_url, "data_loaders.opendata", "cbs-kwb", str(VEKTIS_2022))
    assert refused.returncode != 0
    assert "kolom WijkenEnBuurten ontbreekt" in refused.stderr
    assert "Er is niets geladen." in refused.stderr
    engine = make_engine(empty_db_url)
    try:
        catalogue = indicators(engine, Role.BESTUURDER).set_index("key")
        assert catalogue.loc["inwoners", "regions_covered"] > 0
        assert catalogue.loc["rivm_ervaren_gezondheid", "licence"].startswith("CC BY 4.0")
        residents = area_values(engine, Role.BESTUURDER, "inwoners", area_key="eijsden")
        assert residents.iloc[0]["value"] == 6965
        ggz = reference_values(engine, Role.BESTUURDER, "ggz_kosten")
        assert "GM0935" in set(ggz["region_code"])
        assert [(a["object_type"], a["result"]) for a in load_audits(engine)] == [
            ("cbs-kwb", "ok"), ("rivm-wijk", "ok"), ("vektis-gemeente", "ok"),
            ("cbs-kwb", "ongeldig")]
    finally:
        engine.dispose()
