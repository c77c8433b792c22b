"""``python -m data_loaders.opendata SOURCE FILE``: load one open-data file into the database.

The database is the configured one (``LN_DATABASE_URL``, else the embedded SQLite file; see
``data_loaders.db.database_url``) and must be migrated (``python -m data_loaders.seed
--no-demo``). Exit status 0 when the file was loaded, 2 when it was refused (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from dashboard.domain.i18n import fmt_number
from data_loaders.db import make_engine
from data_loaders.migrate import alembic_config
from data_loaders.opendata import SOURCES
from data_loaders.opendata.load import load_file
from geo.registry import load_registry

REFUSED = 2


def schema_problem(engine: Engine) -> str | None:
    """Why the database cannot take a load yet, or None when it is at the newest revision."""
    heads = set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current == heads:
        return None
    return ("De database is niet (helemaal) ingericht: voer eerst "
            "'python -m data_loaders.seed --no-demo' uit.")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_loaders.opendata",
        description="Laad een open-databestand (CBS, RIVM, Vektis) in de database.")
    parser.add_argument("source", choices=sorted(SOURCES), metavar="BRON",
                        help="bron: " + ", ".join(f"{k} ({s.title})" for k, s in
                                                  sorted(SOURCES.items())))
    parser.add_argument("file", type=Path, metavar="BESTAND", help="het gedownloade bestand")
    parser.add_argument("--jaar", type=int, default=None,
                        help="jaar van het bestand, als het niet uit de naam of inhoud blijkt")
    parser.add_argument("--database", default=None,
                        help="database-URL (anders LN_DATABASE_URL of de ingebouwde database)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    engine = make_engine(args.database)
    try:
        problem = schema_problem(engine)
        if problem:
            print(f"Fout: {problem} Er is niets geladen.", file=sys.stderr)
            return REFUSED
        municipalities = frozenset(a.municipality_code for a in load_registry().areas)
        result = load_file(engine, SOURCES[args.source], args.file, year=args.jaar,
                           municipalities=municipalities)
    finally:
        engine.dispose()
    if not result.ok:
        print(f"Fout: {result.message} Er is niets geladen.", file=sys.stderr)
        return REFUSED
    print(f"Geladen: {result.message}.")
    for reason, n in sorted(result.skipped.items()):
        print(f"Overgeslagen: {fmt_number(n)} {reason}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
