"""Backups: SQLite through the online backup API, PostgreSQL through pg_dump/pg_restore.

``python -m data_loaders.backup backup [FILE]`` writes a backup of the configured
database (``LN_DATABASE_URL``); ``python -m data_loaders.backup restore FILE`` restores
it into the configured database, replacing its contents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from data_loaders.db import PROJECT_ROOT, database_url

BACKUP_DIR = PROJECT_ROOT / "backups"


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client tool: LN_PG_BINDIR, Debian's newest version, or PATH."""
    candidates = [os.environ.get("LN_PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for bindir in candidates:
        if bindir and Path(bindir, name).exists():
            return str(Path(bindir, name))
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} niet gevonden: installeer postgresql-client.")
    return found


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(url)
    args = ["-h", u.host or "localhost", "-p", str(u.port or 5432), "-U", u.username or "postgres",
            "-d", u.database or "postgres"]
    env = {**os.environ}
    if u.password:
        env["PGPASSWORD"] = u.password
    return args, env


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def backup(url: str, target: Path) -> Path:
    """Write a consistent backup of the database at ``url`` to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        with sqlite3.connect(_sqlite_path(url)) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # online: consistent while the app keeps running
        return target
    args, env = _pg_args(url)
    subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
                   check=True, env=env, capture_output=True)
    return target


def restore(url: str, source: Path) -> None:
    """Replace the contents of the database at ``url`` with the backup in ``source``."""
    if not source.exists():
        raise FileNotFoundError(f"Back-upbestand {source} bestaat niet.")
    if url.startswith("sqlite"):
        with sqlite3.connect(source) as src, sqlite3.connect(_sqlite_path(url)) as dst:
            src.backup(dst)
        return
    args, env = _pg_args(url)
    subprocess.run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                    "--single-transaction", "--exit-on-error", *args, str(source)],
                   check=True, env=env, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="Back up or restore the Lerend Netwerk database.")
    parser.add_argument("action", choices=["backup", "restore"])
    parser.add_argument("file", nargs="?", type=Path)
    args = parser.parse_args()
    url = database_url()
    if args.action == "backup":
        suffix = "sqlite" if url.startswith("sqlite") else "dump"
        target = args.file or BACKUP_DIR / f"lerend_netwerk_{dt.datetime.now():%Y%m%d_%H%M%S}.{suffix}"
        print(f"Back-up geschreven: {backup(url, target)}")
    else:
        if args.file is None:
            parser.error("restore heeft een back-upbestand nodig")
        restore(url, args.file)
        print(f"Teruggezet uit {args.file}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
