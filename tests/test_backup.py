"""A backup restored into a fresh database holds the same rows (SQLite and PostgreSQL)."""

from pathlib import Path

from sqlalchemy import func, select

from data_loaders.backup import backup, restore
from data_loaders.db import make_engine, transaction
from data_loaders.migrate import upgrade
from data_loaders.models import Base


def snapshot(engine) -> dict[str, int]:
    with transaction(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_backup_restores_into_a_fresh_database(seeded_engine, tmp_path: Path, request):
    url = seeded_engine.url.render_as_string(hide_password=False)
    before = snapshot(seeded_engine)
    target = backup(url, tmp_path / "backup.bin")
    assert target.stat().st_size > 10_000
    if url.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    else:
        from tests.conftest import create_pg_database

        fresh = create_pg_database(request.getfixturevalue("pg_server"))
    upgrade(fresh)  # a migrated, empty database: restore must replace, not duplicate
    restore(fresh, target)
    engine = make_engine(fresh)
    assert snapshot(engine) == before
    assert before["indicator_value"] > 1000 and before["kernteam_quarter"] > 500  # not two empties
    engine.dispose()
