"""``python -m data_loaders.load``: templates and imports from the command line, with the
checks, commit and audit of the Importeren page, into an empty production database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.domain.datasets import DATASETS
from dashboard.domain.roles import Role
from dashboard.store import writes
from data_loaders.db import make_engine, transaction
from data_loaders.models import AuditLog
from tests.helpers import run_command as run


def fill(template: Path, rows: list[dict], target: Path) -> Path:
    wb = load_workbook(io.BytesIO(template.read_bytes()))
    sheet = wb["Gegevens"]
    headers = [c.value for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    wb.save(target)
    return target


@pytest.mark.slow  # one command in a separate Python process
def test_load_writes_templates_and_imports_them_like_the_page(tmp_path):
    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    seeded = run(url, "data_loaders.seed", "--no-demo", separate=True)  # the real entry point
    assert seeded.returncode == 0, seeded.stderr
    admin = run(url, "dashboard.store.accounts", "create-admin", "beheer",
                stdin="Tijdelijk-wachtwoord-2026\n")
    assert admin.returncode == 0, admin.stderr

    template = tmp_path / "sjabloon_coach.xlsx"
    written = run(url, "data_loaders.load", "sjabloon", "coach", str(template))
    assert written.returncode == 0, written.stderr
    assert "Sjabloon geschreven" in written.stdout
    headers = [c.value for c in load_workbook(template)["Gegevens"][1]]
    assert headers == [f.label for f in DATASETS["coach"].fields]

    good = fill(template, [{"Code": "WC-01", "Fte": "0,8", "Gebied": "limmel",
                            "Startdatum": "2026-01-01"},
                           {"Code": "WC-02", "Fte": 1, "Gebied": "hoensbroek",
                            "Startdatum": "2026-02-01"}], tmp_path / "coaches.xlsx")
    done = run(url, "data_loaders.load", "import", "coach", str(good), "--door", "beheer")
    assert done.returncode == 0, done.stderr
    assert "Ingelezen: 2 nieuw, 0 gewijzigd, 0 ongewijzigd." in done.stdout
    again = run(url, "data_loaders.load", "import", "coach", str(good), "--door", "beheer")
    assert again.returncode == 0 and "0 nieuw, 0 gewijzigd, 2 ongewijzigd" in again.stdout

    bad = fill(template, [{"Code": "WC-03", "Fte": 1, "Gebied": "limmel",
                           "Startdatum": "2026-01-01"},
                          {"Code": "Marie", "Fte": 1, "Gebied": "limmel",
                           "Startdatum": "2026-01-01"}], tmp_path / "fout.xlsx")
    refused = run(url, "data_loaders.load", "import", "coach", str(bad), "--door", "beheer")
    assert refused.returncode == 2
    assert "Niets ingelezen: 1 probleem gevonden." in refused.stderr
    assert "Rij 3, kolom Code: Code 'Marie' is geen code" in refused.stderr

    stranger = run(url, "data_loaders.load", "import", "coach", str(good), "--door", "iemand")
    assert stranger.returncode == 2
    assert "gebruiker 'iemand' bestaat niet" in stranger.stderr
    unknown = run(url, "data_loaders.load", "import", "coaches", str(good), "--door", "beheer")
    assert unknown.returncode == 2 and "onbekende gegevensset 'coaches'" in unknown.stderr

    engine = make_engine(url)
    try:
        coaches = writes.list_rows(engine, Role.BESTUURDER, "coach")
        assert sorted(coaches["code"]) == ["WC-01", "WC-02"]  # the refused file wrote nothing
        with transaction(engine) as s:
            log = s.execute(select(AuditLog.actor, AuditLog.result)
                            .where(AuditLog.action == "importeren",
                                   AuditLog.object_type == "coach")
                            .order_by(AuditLog.id)).all()
        assert [tuple(r) for r in log] == [("beheer", "ok"), ("beheer", "ok"),
                                           ("beheer", "ongeldig")]
    finally:
        engine.dispose()
