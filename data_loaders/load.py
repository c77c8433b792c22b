"""``python -m data_loaders.load``: the Importeren page from the command line.

    python -m data_loaders.load sjabloon DATASET BESTAND
    python -m data_loaders.load import DATASET BESTAND --door GEBRUIKER

``sjabloon`` writes the Excel template of a dataset (the same file as the page's download).
``import`` reads a filled-in template (.xlsx or .csv) with exactly the checks, matching,
all-or-nothing commit and audit row of *Importeren* (``dashboard.store.importers``), on
behalf of an existing, active account whose role may write the dataset. The database is the
configured one (``LN_DATABASE_URL``, else the embedded SQLite file) and must be migrated
(``python -m data_loaders.seed --no-demo``). Exit status 0 on success, 2 when refused
(nothing written); every message is Dutch and names the row and column.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from dashboard.domain.datasets import DATASETS, Problem
from dashboard.domain.i18n import fmt_number
from dashboard.domain.roles import AccessDenied
from dashboard.store import importers, sessions
from data_loaders.db import make_engine, session_factory

REFUSED = 2
MAX_SHOWN = 50  # problems printed; the count says how many there are in all


def _fail(message: str) -> int:
    print(f"Fout: {message}", file=sys.stderr)
    return REFUSED


def _dataset_problem(name: str) -> str | None:
    if name in DATASETS:
        return None
    return (f"onbekende gegevensset '{name}'. Kies uit: "
            + ", ".join(f"{k} ({ds.label})" for k, ds in DATASETS.items()) + ".")


def write_template(dataset: str, target: Path) -> int:
    if problem := _dataset_problem(dataset):
        return _fail(problem)
    if target.suffix.lower() != ".xlsx":
        return _fail(f"het sjabloon is een Excel-werkmap; geef het bestand de extensie .xlsx "
                     f"(niet '{target.name}').")
    try:
        target.write_bytes(importers.template(dataset))
    except OSError as error:
        return _fail(f"{target} kan niet worden geschreven ({error.strerror}).")
    print(f"Sjabloon geschreven: {target} ({DATASETS[dataset].label}).")
    return 0


def _problem_line(p: Problem) -> str:
    where = ", ".join(part for part in (f"rij {p.row}" if p.row else "",
                                        f"kolom {p.label}" if p.label else "") if part)
    return f"  {where[:1].upper() + where[1:]}: {p.message}" if where else f"  {p.message}"


def import_file(dataset: str, source: Path, user: str, database: str | None) -> int:
    if problem := _dataset_problem(dataset):
        return _fail(problem)
    try:
        data = source.read_bytes()
    except OSError as error:
        return _fail(f"{source} kan niet worden gelezen ({error.strerror}). Er is niets "
                     "ingelezen.")
    from data_loaders.opendata.__main__ import schema_problem

    engine = make_engine(database)
    try:
        if problem := schema_problem(engine):
            return _fail(f"{problem} Er is niets ingelezen.")
        with session_factory(engine)() as s:
            role = sessions.actor_role(s, user)
        if role is None:
            return _fail(f"gebruiker '{user}' bestaat niet of is niet actief. Maak eerst een "
                         "account aan (python -m dashboard.store.accounts create-admin NAAM). "
                         "Er is niets ingelezen.")
        try:
            table = importers.read_upload(source.name, data)
            checked = importers.check(engine, role, dataset, table)
            result, checked = importers.commit(engine, user, role, dataset, table, source.name,
                                               previewed=checked.versions())
        except importers.UploadError as error:
            return _fail(f"{source.name}: {error} Er is niets ingelezen.")
        except AccessDenied as denied:
            return _fail(f"{denied} Er is niets ingelezen.")
    finally:
        engine.dispose()
    if not result.ok:
        print(f"Fout: {result.message}", file=sys.stderr)
        for p in result.problems[:MAX_SHOWN]:
            print(_problem_line(p), file=sys.stderr)
        if len(result.problems) > MAX_SHOWN:
            print(f"  … en nog {fmt_number(len(result.problems) - MAX_SHOWN)}.", file=sys.stderr)
        return REFUSED
    print(f"{result.message} ({DATASETS[dataset].label}, {source.name}, door {user})")
    return 0


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_loaders.load",
        description="Sjablonen schrijven en ingevulde sjablonen inlezen, zoals op de pagina "
                    "Importeren.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")
    template = commands.add_parser("sjabloon", help="schrijf het Excel-sjabloon van een "
                                                    "gegevensset")
    template.add_argument("dataset", metavar="GEGEVENSSET", help=", ".join(DATASETS))
    template.add_argument("file", type=Path, metavar="BESTAND", help="het .xlsx-bestand")
    load = commands.add_parser("import", help="lees een ingevuld sjabloon (.xlsx of .csv) in")
    load.add_argument("dataset", metavar="GEGEVENSSET", help=", ".join(DATASETS))
    load.add_argument("file", type=Path, metavar="BESTAND", help="het ingevulde sjabloon")
    load.add_argument("--door", required=True, metavar="GEBRUIKER",
                      help="het account namens wie wordt ingelezen (voor rolcontrole en "
                           "auditlog)")
    load.add_argument("--database", default=None,
                      help="database-URL (anders LN_DATABASE_URL of de ingebouwde database)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "sjabloon":
        return write_template(args.dataset, args.file)
    return import_file(args.dataset, args.file, args.door, args.database)


if __name__ == "__main__":
    raise SystemExit(main())
