"""Backups: SQLite through the online backup API, PostgreSQL through pg_dump/pg_restore.

``python -m data_loaders.backup backup [FILE]`` writes a backup of the configured
database (``LN_DATABASE_URL``); ``python -m data_loaders.backup restore FILE --door NAAM``
restores it into the configured database, replacing its contents.

Rules (a backup holds password hashes and every figure, so it is handled as a secret):
- backup files and the ``backups/`` folder are created readable by their owner only (0600/0700);
- a restore first checks that the file *is* a backup of this application: a SQLite file or a
  ``pg_dump`` custom archive holding the application's tables and an Alembic revision that
  this code knows (an older one is migrated up after the restore; a newer one is refused);
- the audit log is never rewound: rows written after the backup was made are carried over
  into the restored database with their own ids, and a restore whose audit history does not
  continue the current one is refused. The carried rows are saved to a 0600 file first;
- every restore, and every refused restore, leaves an audit row (``herstellen``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import glob
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, insert, inspect, select, text
from sqlalchemy.engine import make_url

from dashboard.store import audit
from data_loaders import versions
from data_loaders.db import PROJECT_ROOT, database_url, make_engine, transaction
from data_loaders.migrate import alembic_config, upgrade
from data_loaders.models import AuditLog

BACKUP_DIR = PROJECT_ROOT / "backups"
RESTORE_ACTION = "herstellen"
# Tables every revision of the schema has had; a file without them is not our backup.
CORE_TABLES = frozenset({"alembic_version", "audit_log", "app_user", "area", "programme"})
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
_AUDIT_SELECT = ("SELECT id, at, actor, role, action, object_type, object_id, old_values, "
                 "new_values, result FROM audit_log")
# What identifies an audit row across a dump and a live database (timestamps are compared
# as text, which differs in format between the two, so they are left out).
_IDENTITY = ("actor", "role", "action", "object_type", "object_id", "result")


class BackupError(ValueError):
    """The file cannot be restored here; the message is Dutch and names the reason."""


@dataclass(frozen=True)
class BackupInfo:
    kind: str  # "sqlite" or "postgresql"
    revision: str
    last_audit: dict[str, Any] | None  # the newest audit row in the backup
    audit_rows: dict[int, dict[str, Any]]  # id -> identity fields (for the lineage check)


# ---------------------------------------------------------------- tools and files


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


def _private_file(path: Path) -> Path:
    """Create (or truncate) ``path`` readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
    return path


# ---------------------------------------------------------------- backup


def backup(url: str, target: Path) -> Path:
    """Write a consistent backup of the database at ``url`` to ``target`` (mode 0600)."""
    _private_file(target)
    if url.startswith("sqlite"):
        with sqlite3.connect(_sqlite_path(url)) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # online: consistent while the app keeps running
    else:
        args, env = _pg_args(url)
        subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
                        *args], check=True, env=env, capture_output=True)
    os.chmod(target, 0o600)
    return target


# ---------------------------------------------------------------- checking a backup file


def known_revisions() -> list[str]:
    """This code's Alembic revisions, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _not_ours(source: Path, detail: str) -> BackupError:
    return BackupError(f"{source.name} is geen back-up van het Lerend Netwerk Dashboard: {detail}. "
                       "Er is niets teruggezet.")


def _check_revision(source: Path, revision: str | None) -> str:
    revisions = known_revisions()
    if not revision:
        raise _not_ours(source, "de schemaversie (alembic_version) ontbreekt")
    if revision not in revisions:
        raise BackupError(
            f"{source.name} heeft schemaversie {revision}, die deze versie van het dashboard niet "
            f"kent (nieuwste bekende versie: {revisions[-1]}). Werk eerst het dashboard bij. "
            "Er is niets teruggezet.")
    return revision


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if row.get(k) is None else str(row.get(k))) for k in _IDENTITY}


def inspect_backup(source: Path) -> BackupInfo:
    """Check that ``source`` is a backup of this application; raise ``BackupError`` if not."""
    if not source.is_file():
        raise BackupError(f"Back-upbestand {source} bestaat niet.")
    with open(source, "rb") as fh:
        head = fh.read(16)
    if head.startswith(SQLITE_MAGIC):
        return _inspect_sqlite(source)
    if head.startswith(PG_CUSTOM_MAGIC):
        return _inspect_pg(source)
    raise _not_ours(source, "het is geen SQLite-database en geen pg_dump-archief (custom format)")


def _inspect_sqlite(source: Path) -> BackupInfo:
    try:
        with sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True) as db:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise _not_ours(source, "het bestand is beschadigd (quick_check)")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = sorted(CORE_TABLES - tables)
            if missing:
                raise _not_ours(source, f"tabellen ontbreken ({', '.join(missing)})")
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = _check_revision(source, row[0] if row else None)
            db.row_factory = sqlite3.Row
            rows = {int(r["id"]): _identity(dict(r)) for r in db.execute(_AUDIT_SELECT)}
            last = db.execute(_AUDIT_SELECT + " ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _not_ours(source, f"SQLite kan het niet lezen ({exc})") from exc
    return BackupInfo("sqlite", revision, dict(last) if last else None, rows)


def _pg_restore_text(source: Path, *args: str) -> str:
    done = subprocess.run([pg_tool("pg_restore"), *args, "--file=-", str(source)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise _not_ours(source, "pg_restore kan het archief niet lezen "
                                f"({done.stderr.decode(errors='replace').strip()[:200]})")
    return done.stdout.decode("utf-8", errors="replace")


def _copy_rows(sql: str, table: str) -> list[dict[str, Any]]:
    """The rows of ``table`` from the COPY block of a plain-text pg_restore output."""
    lines = iter(sql.splitlines())
    for line in lines:
        if line.startswith(f"COPY public.{table} ("):
            columns = [c.strip().strip('"') for c in line.split("(", 1)[1].split(")", 1)[0].split(",")]
            break
    else:
        return []
    rows = []
    for line in lines:
        if line == "\\.":
            break
        values = next(csv.reader(io.StringIO(line), delimiter="\t", quoting=csv.QUOTE_NONE))
        rows.append({c: (None if v == "\\N" else v) for c, v in zip(columns, values, strict=False)})
    return rows


_TOC_TABLE = re.compile(r"\bTABLE public (\S+)")  # "215; 1259 16390 TABLE public area owner"


def _inspect_pg(source: Path) -> BackupInfo:
    listing = _pg_restore_text(source, "--list")
    tables = {m.group(1) for line in listing.splitlines()
              if not line.startswith(";") and (m := _TOC_TABLE.search(line))}
    missing = sorted(CORE_TABLES - tables)
    if missing:
        raise _not_ours(source, f"tabellen ontbreken ({', '.join(missing)})")
    versions = _copy_rows(_pg_restore_text(source, "--data-only", "--table=alembic_version"),
                          "alembic_version")
    revision = _check_revision(source, versions[0]["version_num"] if versions else None)
    audit_rows = _copy_rows(_pg_restore_text(source, "--data-only", "--table=audit_log"),
                            "audit_log")
    rows = {int(r["id"]): _identity(r) for r in audit_rows}
    last = max(audit_rows, key=lambda r: int(r["id"])) if audit_rows else None
    return BackupInfo("postgresql", revision, last, rows)


# ---------------------------------------------------------------- the current audit log


def _current_audit(engine: Engine) -> list[dict[str, Any]]:
    if "audit_log" not in inspect(engine).get_table_names():
        return []
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(AuditLog.__table__)
                                                       .order_by(AuditLog.id))]


def _carry_over(current: list[dict[str, Any]], info: BackupInfo, source: Path
                ) -> list[dict[str, Any]]:
    """Audit rows of the current database that the backup lacks; refuse diverging histories.

    The backup continues the current history when the newest row both have in common (the
    lower of the two newest ids) is the same row in both.
    """
    backup_max = max(info.audit_rows, default=0)
    current_ids = [int(r["id"]) for r in current]
    common = min(backup_max, max(current_ids, default=0))
    if common:
        mine = next((r for r in current if int(r["id"]) == common), None)
        theirs = info.audit_rows.get(common)
        if mine is not None and (theirs is None or _identity(mine) != theirs):
            raise BackupError(
                f"De auditlog in {source.name} loopt niet door met de auditlog van deze database "
                f"(regel {common} verschilt): de back-up komt van een andere installatie of "
                "geschiedenis. Terugzetten zou de auditlog herschrijven; er is niets teruggezet.")
    return [r for r in current if int(r["id"]) > backup_max]


def _save_rows(rows: list[dict[str, Any]]) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d_%H%M%S_%f")
    path = _private_file(BACKUP_DIR / f"auditlog_voor_herstel_{stamp}.json")
    path.write_text(json.dumps(rows, default=str, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _record(engine: Engine, actor: str, result: str, details: dict[str, Any]) -> None:
    with transaction(engine) as session:
        audit.record(session, actor=actor[:80], role="beheerder", action=RESTORE_ACTION,
                     object_type="database", object_id=details.get("bestand", "")[:60],
                     new=details, result=result)


@contextmanager
def _engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


# ---------------------------------------------------------------- restore


def restore(url: str, source: Path, actor: str | None = None) -> BackupInfo:
    """Replace the contents of the database at ``url`` with the backup in ``source``.

    Refused (``BackupError``, nothing changed, audited) unless the file is a backup of this
    application whose audit history continues the current one. Afterwards the audit rows
    written since the backup are back in place, the schema is migrated to this code's head
    and one ``herstellen`` audit row records the restore.
    """
    actor = actor or getpass.getuser()
    with _engine(url) as engine:
        current = _current_audit(engine)
        try:
            info = inspect_backup(source)
            carried = _carry_over(current, info, source)
        except BackupError as error:
            if current:  # the database has an audit log to write the refusal to
                _record(engine, actor, "geweigerd", {"bestand": source.name,
                                                     "reden": str(error)[:300]})
            raise
    saved = _save_rows(carried) if carried else None
    if info.kind == "sqlite" and url.startswith("sqlite"):
        with sqlite3.connect(source) as src, sqlite3.connect(_sqlite_path(url)) as dst:
            src.backup(dst)
    elif info.kind == "postgresql" and not url.startswith("sqlite"):
        args, env = _pg_args(url)
        subprocess.run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                        "--single-transaction", "--exit-on-error", *args, str(source)],
                       check=True, env=env, capture_output=True)
    else:
        target = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
        raise BackupError(f"{source.name} is een {info.kind}-back-up en past niet in een "
                          f"{target}-database. Er is niets teruggezet.")
    if info.revision != known_revisions()[-1]:
        upgrade(url)
    with _engine(url) as engine:
        _reinsert(engine, carried)
        _record(engine, actor, "ok", {
            "bestand": source.name, "schemaversie": info.revision,
            "laatste_auditregel_in_backup": int(info.last_audit["id"]) if info.last_audit else 0,
            "overgenomen_auditregels": len(carried),
            **({"bewaard_in": saved.name} if saved else {})})
    return info


def _reinsert(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Put carried-over audit rows back with their own ids; move the id sequence past them.
    Raise every data version: the restored counters are the backup's."""
    with transaction(engine) as session:
        # the restore replaced every dataset: every replica's caches read them again
        versions.raise_versions(session, versions.every_dataset())
        if rows:
            session.execute(insert(AuditLog.__table__), rows)
        if engine.dialect.name == "postgresql":
            top = session.scalar(select(func.max(AuditLog.id))) or 0
            session.execute(text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), "
                                 ":top, :called)"), {"top": max(top, 1), "called": top > 0})


def main() -> int:
    parser = argparse.ArgumentParser(description="Back up or restore the Lerend Netwerk database.")
    parser.add_argument("action", choices=["backup", "restore"])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--door", default=None,
                        help="wie terugzet (voor de auditlog; standaard de systeemgebruiker)")
    args = parser.parse_args()
    url = database_url()
    if args.action == "backup":
        suffix = "sqlite" if url.startswith("sqlite") else "dump"
        target = args.file or BACKUP_DIR / f"lerend_netwerk_{dt.datetime.now():%Y%m%d_%H%M%S}.{suffix}"
        print(f"Back-up geschreven (alleen leesbaar voor de eigenaar): {backup(url, target)}")
        return 0
    if args.file is None:
        parser.error("restore heeft een back-upbestand nodig")
    try:
        info = restore(url, args.file, args.door)
    except BackupError as error:
        print(error)
        return 1
    print(f"Teruggezet uit {args.file} (schemaversie {info.revision}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
