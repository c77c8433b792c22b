"""Backups and restores on SQLite and PostgreSQL: the same rows come back, the file is private,
only a backup of this application is accepted, and the audit log is never rewound."""

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.store import audit
from data_loaders.backup import BackupError, backup, restore
from data_loaders.db import make_engine, transaction
from data_loaders.migrate import upgrade
from data_loaders.models import AuditLog, Base


def snapshot(engine) -> dict[str, int]:
    with transaction(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def audit_rows(engine) -> list[tuple]:
    with transaction(engine) as s:
        return [(r.id, r.actor, r.action, r.result)
                for r in s.scalars(select(AuditLog).order_by(AuditLog.id))]


def add_audit(engine, actor: str, n: int = 1) -> None:
    for _ in range(n):
        with transaction(engine) as s:
            audit.record(s, actor=actor, role="publiek", action="login", result="mislukt")


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def fresh_url(engine, tmp_path: Path, request, name: str = "fresh") -> str:
    if url_of(engine).startswith("sqlite"):
        return f"sqlite:///{tmp_path / f'{name}.sqlite'}"
    from tests.helpers import create_pg_database

    return create_pg_database(request.getfixturevalue("pg_server"))


def test_backup_restores_into_a_fresh_database(seeded_engine, tmp_path: Path, request):
    url = url_of(seeded_engine)
    before = snapshot(seeded_engine)
    target = backup(url, tmp_path / "backup.bin")
    assert target.stat().st_size > 10_000
    fresh = fresh_url(seeded_engine, tmp_path, request)
    upgrade(fresh)  # a migrated, empty database: restore must replace, not duplicate
    restore(fresh, target, actor="beheerder-test")
    engine = make_engine(fresh)
    after = snapshot(engine)
    # the restore is audited, and raises every data version (a row per dataset)
    bookkeeping = ("audit_log", "data_version")
    assert {k: v for k, v in after.items() if k not in bookkeeping} == \
        {k: v for k, v in before.items() if k not in bookkeeping}
    assert after["audit_log"] == before["audit_log"] + 1  # the restore itself is audited
    assert audit_rows(engine)[-1][1:] == ("beheerder-test", "herstellen", "ok")
    assert before["indicator_value"] > 1000 and before["kernteam_quarter"] > 500  # not two empties
    engine.dispose()


def test_backup_files_are_readable_by_their_owner_only(seeded_engine, tmp_path: Path):
    target = tmp_path / "nested" / "backup.bin"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o644)  # an older, world-readable file of the same name
    backup(url_of(seeded_engine), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_unrelated_sqlite_file_is_refused_and_nothing_changes(seeded_engine, tmp_path: Path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.execute("INSERT INTO notes (text) VALUES ('boodschappen')")
    before = snapshot(seeded_engine)
    with pytest.raises(BackupError, match="geen back-up van het Lerend Netwerk Dashboard"):
        restore(url_of(seeded_engine), other, actor="iemand")
    after = snapshot(seeded_engine)
    assert {k: v for k, v in after.items() if k != "audit_log"} == \
        {k: v for k, v in before.items() if k != "audit_log"}
    assert audit_rows(seeded_engine)[-1][1:] == ("iemand", "herstellen", "geweigerd")


def test_a_file_that_is_no_database_at_all_is_refused(seeded_engine, tmp_path: Path):
    junk = tmp_path / "notities.txt"
    junk.write_text("dit is geen back-up\n" * 100)
    with pytest.raises(BackupError, match="geen SQLite-database en geen pg_dump-archief"):
        restore(url_of(seeded_engine), junk)


def test_a_backup_of_an_unknown_schema_version_is_refused(demo_sqlite_url, tmp_path: Path):
    # The revision is edited in a SQLite file; PostgreSQL archives go through the same check.
    target = backup(demo_sqlite_url, tmp_path / "backup.sqlite")
    with sqlite3.connect(target) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    live = tmp_path / "live.sqlite"
    live.write_bytes(Path(demo_sqlite_url.removeprefix("sqlite:///")).read_bytes())
    with pytest.raises(BackupError, match="schemaversie 9999_from_the_future"):
        restore(f"sqlite:///{live}", target)


def test_restoring_never_rewinds_the_audit_log(seeded_engine, tmp_path: Path):
    url = url_of(seeded_engine)
    target = backup(url, tmp_path / "backup.bin")
    add_audit(seeded_engine, "na-de-backup", 3)  # written after the backup was made
    before = audit_rows(seeded_engine)
    restore(url, target, actor="beheerder-test")
    after = audit_rows(seeded_engine)
    assert after[: len(before)] == before  # every row, with its own id, still there
    assert after[len(before)][1:] == ("beheerder-test", "herstellen", "ok")
    add_audit(seeded_engine, "daarna")
    newest = audit_rows(seeded_engine)[-1]
    assert newest[1] == "daarna" and newest[0] > after[-1][0]  # ids are never reused


def test_a_backup_with_a_different_audit_history_is_refused(seeded_engine, tmp_path: Path,
                                                            request):
    other_url = fresh_url(seeded_engine, tmp_path, request, "other")
    upgrade(other_url)
    other = make_engine(other_url)
    add_audit(other, "andere-installatie", 2)
    other_backup = backup(other_url, tmp_path / "other.bin")
    other.dispose()
    before = snapshot(seeded_engine)
    with pytest.raises(BackupError, match="loopt niet door"):
        restore(url_of(seeded_engine), other_backup)
    assert snapshot(seeded_engine)["indicator_value"] == before["indicator_value"]
