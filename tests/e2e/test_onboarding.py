"""From an empty PostgreSQL to a full dashboard, exactly as README's *Van lege database naar
dashboard* says (issue 12, "Checked by").

The commands are read from that README section and run as ``python -m`` runs them (in this
process, see ``tests.helpers.run_command``) on an empty database, without the demo generator; the files they load are in the published layouts: the open-data
fixtures (CBS, RIVM, Vektis) and the programme team's files in the sjabloon layout
(``tests/fixtures/onboarding``, invented numbers; the latest kernteam quarter is delivered by
2 of the 5 teams). Then a bestuurder signs in and opens every page of the role: no exception,
the fixtures' figures on the pages, and the incomplete quarter marked as such.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard.domain.i18n import fmt_number, parse_number
from dashboard.domain.roles import Role, pages_for
from dashboard.store import importers
from tests.helpers import create_pg_database, run_command
from tests.helpers.apptest import all_text, sign_in

# Some twenty commands and every bestuurder page: about a minute on an idle machine.
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Van lege database naar dashboard"
OPENDATA = ROOT / "tests" / "fixtures" / "opendata"
ONBOARDING = ROOT / "tests" / "fixtures" / "onboarding"
# The README names the files as they are downloaded; the fixtures have their layouts.
DOWNLOADS = {
    "85618NED_UntypedDataSet.csv": OPENDATA / "cbs_kwb" / "85618NED_UntypedDataSet_2023.csv",
    "85984NED/TypedDataSet.json": OPENDATA / "cbs_kwb" / "85984NED" / "TypedDataSet.json",
    "50150NED_UntypedDataSet.csv": OPENDATA / "rivm_wijk" / "50150NED_UntypedDataSet.csv",
    "Vektis Open Databestand Zorgverzekeringswet 2022 - gemeente.csv":
        OPENDATA / "vektis_gemeente" / "Vektis Open Databestand Zorgverzekeringswet 2022 - "
                                       "gemeente.csv",
}
PASSWORDS = {"beheer": "Tijdelijk-wachtwoord-1", "programmateam1": "Tijdelijk-wachtwoord-2",
             "wethouder": "Tijdelijk-wachtwoord-3"}
NEW_PASSWORD = "Eigen-wachtwoord-42"


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start:end if end > 0 else None]


def readme_commands() -> list[list[str]]:
    """The ``python -m`` commands of the section's shell blocks, in order (commented-out
    optional steps are left out), as argument lists after ``-m``."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", readme_section(), flags=re.S):
        for line in block.splitlines():
            if line.lstrip().startswith("#") or " -m " not in line:
                continue
            args = shlex.split(line)
            commands.append(args[args.index("-m") + 1:])
    return commands


def run(args: list[str], url: str, stdin: str = "") -> str:
    done = run_command(url, *args, stdin=stdin)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def follow_readme(url: str, workdir: Path) -> dict[str, str]:
    """Run every command of the README section against ``url``; the output per command."""
    out: dict[str, str] = {}
    for args in readme_commands():
        module, rest = args[0], list(args[1:])
        stdin = ""
        if module == "dashboard.store.accounts":
            stdin = PASSWORDS[rest[1]] + "\n"
        elif module == "data_loaders.opendata":
            rest[1] = str(DOWNLOADS[rest[1]])
        elif module == "data_loaders.load" and rest[0] == "sjabloon":
            rest[2] = str(workdir / rest[2])
        elif module == "data_loaders.load" and rest[0] == "import":
            assert rest[2] == f"{rest[1]}.csv", "a README file name without a fixture"
            rest[2] = str(ONBOARDING / rest[2])
        else:
            assert module == "data_loaders.seed", f"a README command this test cannot follow: {args}"
        out[" ".join(args)] = run([module, *rest], url, stdin)
    return out


# Datasets that refer to others come after them (README: "The order matters only where...").
BEFORE = [("indicator", "indicator_value"), ("indicator", "reference_value"),
          ("coach", "coach_month"), ("kernteam", "kernteam_quarter"), ("kernteam", "intervention"),
          ("project", "milestone"), ("project", "intervention"), ("project", "spending"),
          ("project", "decision"), ("case", "decision"), ("decision", "decision_evidence")]


def test_the_readme_section_is_complete():
    commands = [" ".join(c) for c in readme_commands()]
    assert "export LN_DATABASE_URL=postgresql://" in readme_section()
    assert commands[0] == "data_loaders.seed --no-demo"  # never the demo generator
    assert any(c.startswith("dashboard.store.accounts create-admin") for c in commands)
    assert any(c.startswith("dashboard.store.accounts create-user wethouder") for c in commands)
    for source in ("cbs-kwb", "rivm-wijk", "vektis-gemeente"):
        assert any(c.startswith(f"data_loaders.opendata {source} ") for c in commands)
    imported = [c.split()[2] for c in commands if c.startswith("data_loaders.load import")]
    assert sorted(imported) == sorted(p.stem for p in ONBOARDING.glob("*.csv"))
    for first, then in BEFORE:
        assert imported.index(first) < imported.index(then), (first, then)
    assert "data_loaders.cbs_geo" in readme_section()  # the optional official boundaries


@pytest.mark.parametrize("path", sorted(ONBOARDING.glob("*.csv")), ids=lambda p: p.stem)
def test_the_programme_teams_files_have_the_sjabloon_layout(path):
    template = load_workbook(io.BytesIO(importers.template(path.stem)))
    headers = [c.value for c in template["Gegevens"][1]]
    with path.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh, delimiter=";")) == headers


@pytest.fixture(scope="module")
def onboarded(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    url = create_pg_database(pg_server)
    return url, follow_readme(url, tmp_path_factory.mktemp("onboarding"))


def test_every_command_succeeds_and_reports_what_it_loaded(onboarded, tmp_path_factory):
    _, out = onboarded
    assert "16 areas, no demo data" in out["data_loaders.seed --no-demo"]
    assert "Geladen: CBS Kerncijfers wijken en buurten (85618NED), 2023" in "".join(out.values())
    loaded = {k.split()[2]: v for k, v in out.items() if k.startswith("data_loaders.load import")}
    assert "Ingelezen: 52 nieuw" in loaded["kernteam_quarter"]
    assert all("0 gewijzigd" in v for v in loaded.values())


def fixture_rows(name: str) -> list[dict[str, str]]:
    with (ONBOARDING / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def cbs_inhabitants(code: str) -> int:
    """A buurt's inhabitants in the CBS 2024 fixture (the latest year loaded)."""
    rows = json.loads(DOWNLOADS["85984NED/TypedDataSet.json"].read_text(encoding="utf-8"))
    return next(r["AantalInwoners_5"] for r in rows if r["WijkenEnBuurten"].strip() == code)


def page_text(at: AppTest) -> str:
    """Every text a reader sees, warnings and table cells included."""
    tables = [df.value.to_string() for df in at.dataframe]
    return "\n".join([all_text(at), *(w.value for w in at.warning), *tables])


def test_a_bestuurder_sees_every_page_with_the_loaded_figures(onboarded, monkeypatch, tmp_path):
    url, _ = onboarded
    monkeypatch.setenv("LN_DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    at = sign_in(at, "wethouder", PASSWORDS["wethouder"])
    assert at.title[0].value == "Wachtwoord wijzigen"  # a new account chooses its password
    fields = {t.label: t for t in at.text_input}
    fields["Huidig wachtwoord"].input(PASSWORDS["wethouder"])
    fields["Nieuw wachtwoord"].input(NEW_PASSWORD)
    fields["Herhaal nieuw wachtwoord"].input(NEW_PASSWORD)
    at = next(b for b in at.button if b.label == "Wachtwoord wijzigen").click().run()
    assert not at.exception and at.title[0].value == "Overzicht"

    texts: dict[str, str] = {}
    tables: dict[str, list] = {}
    for page in pages_for(Role.BESTUURDER):
        at.query_params.clear()  # a click in the navigation starts without the last page's link
        at.switch_page(page.path).run()
        assert not at.exception, (page.title, [e.value for e in at.exception])
        assert at.title and at.title[0].value == page.title
        texts[page.title] = page_text(at)
        tables[page.title] = [df.value for df in at.dataframe]
    (tmp_path / "pages.txt").write_text("\n\n".join(f"=== {k}\n{v}" for k, v in texts.items()),
                                        encoding="utf-8")  # to read when an assertion fails
    assert set(texts) >= {"Overzicht", "Kaart", "Wijkprofiel", "Indicatoren", "Projecten",
                          "Welzijnscoaches", "Kernteams", "Financiën", "Besluiten", "Casussen"}
    assert not any("Voorbeelddata" in t for t in texts.values())  # real data: no demo label
    assert not any("Onbekende waarde" in t for t in texts.values())

    # The incomplete quarter: named, and the headline is the last complete quarter.
    kwartalen = [r["Kwartaal"] for r in fixture_rows("kernteam_quarter")]
    latest, teams = max(kwartalen), len(fixture_rows("kernteam"))
    marked = f"{latest}: {kwartalen.count(latest)} van {teams} teams aangeleverd"
    assert marked == "2026-Q3: 2 van 5 teams aangeleverd"
    assert marked in texts["Kernteams"] and marked in texts["Overzicht"]
    assert "Opnames per 1.000 (2026-Q2)" in texts["Kernteams"]

    # A coach month's households (the latest month, all coaches) on Welzijnscoaches and Overzicht.
    months = fixture_rows("coach_month")
    households = sum(int(r["Actieve huishoudens"]) for r in months if r["Maand"] == "2026-09")
    assert f"Actieve huishoudens (sep 2026) {households}" in texts["Welzijnscoaches"]
    assert f"Huishoudens bij welzijnscoaches {households}" in texts["Overzicht"]

    # CBS figures: Wijkprofiel opens on Blauwe Zorg as a whole, its four buurten summed (and
    # Limmel's, one buurt, below); the catalogue's coverage.
    assert "**Blauwe Zorg in de wijk (totaal)** · 4 gebieden samen" in texts["Wijkprofiel"]
    blauwe_zorg = sum(cbs_inhabitants(f"BU093504{n:02d}") for n in (0, 2, 3, 4))
    assert f"Inwoners {fmt_number(blauwe_zorg)}" in texts["Wijkprofiel"]
    catalogue = next(t for t in tables["Indicatoren"] if "Indicator" in t).set_index("Indicator")
    assert catalogue.loc["Inwoners", "Bron"] == "CBS Kerncijfers wijken en buurten"
    assert catalogue.loc["Inwoners", "Gebieden"] > 0  # areas covered through their CBS parts
    assert "Bron: CBS/Kadaster" in texts["Kaart"]
    on_map = next(t for t in tables["Kaart"] if "Zuid-Limburg" in t).set_index("Gebied")
    zl = next(r for r in fixture_rows("reference_value") if r["Periode"] == "2024")
    assert on_map.loc["Hoensbroek", "Zuid-Limburg"] == parse_number(zl["Waarde"])  # team's ZL
    assert on_map.loc["Hoensbroek", "Status"] == "ok"  # aggregated from its five CBS wijken

    # Other areas' profiles: several CBS parts, no parts yet (Douvenrade), no figures (Elsloo).
    at.query_params.clear()
    at.switch_page("pages/wijkprofiel.py").run()
    profiles = {}
    assert len(next(b for b in at.selectbox if b.label == "Gebied").options) == 16 + 2  # totals
    for key, name in (("limmel", "Limmel"), ("hoensbroek", "Hoensbroek"),
                      ("douvenrade", "Douvenrade"), ("elsloo", "Elsloo")):
        at.query_params["gebied"] = key  # the link a click on the map opens
        at.run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert f"**{name}**" in all_text(at)
        profiles[name] = page_text(at)
    assert f"Inwoners {fmt_number(cbs_inhabitants('BU09350404'))}" in profiles["Limmel"]
    hoensbroek = sum(cbs_inhabitants(f"WK0917{n}") for n in range(10, 15))  # its five wijken
    assert f"Inwoners {fmt_number(hoensbroek)}" in profiles["Hoensbroek"]
    assert "Welzijnscoaches 2" in profiles["Hoensbroek"] and "Kernteams 2" in profiles["Hoensbroek"]

    # The programme's own indicator and the survey on Wijkprofiel.
    assert "Bron: Registratie PlusWIJken" in profiles["Limmel"]
    assert "Nog geen metingen Positieve Gezondheid" not in profiles["Limmel"]

    # The programme team's files.
    assert "Gezamenlijk budget 2026 € 950.000" in texts["Financiën"]
    spent = sum(parse_number(r["Bedrag (euro)"]) for r in fixture_rows("spending"))
    assert f"Uitgaven 2026 € {fmt_number(spent)}" in texts["Financiën"]
    for row in fixture_rows("project"):
        assert row["Naam"] in texts["Projecten"]
    assert "Opschalen welzijnscoaches" in texts["Besluiten"]
    assert "Ziekenhuisopnames per 1.000 kwetsbare ouderen** · Kernteam 01 (KT-01)" in \
        texts["Besluiten"]
    for row in fixture_rows("case"):
        assert row["Titel"] in texts["Casussen"]
    public = [r["Titel"] for r in fixture_rows("case") if r["Publiceerbaar"] == "ja"]
    assert public and all(t in texts["Geleerde lessen"] for t in public)
