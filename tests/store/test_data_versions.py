"""Data versions (data_loaders.versions): a write raises exactly the versions of the
datasets it changed, in its own transaction, and a second replica on the same database
reads the new figure as soon as its cache key is computed from the database's versions."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import update

from dashboard.domain.roles import Role
from dashboard.store import importers, queries, writes
from data_loaders import versions
from data_loaders.db import make_engine, session_factory, transaction
from data_loaders.models import Base, Decision, Setting

ROOT = Path(__file__).resolve().parents[2]
PT = Role.PROGRAMMATEAM
SAMPLE_PARAMS = {"indicator_key": "inwoners", "area_key": "daalhof", "decision_id": 1}


@pytest.fixture()
def url(demo_sqlite_url: str, tmp_path: Path) -> str:
    copy = tmp_path / "versions.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


@pytest.fixture()
def engine(seeded_engine):
    """A private seeded database on SQLite and on PostgreSQL (their upserts differ)."""
    return seeded_engine


def raised(before: dict, after: dict) -> set[str]:
    return {d for d in after if after[d][0] != before.get(d, (0, ""))[0]}


def editable(row: pd.Series) -> dict:
    return {k: row[k] for k in row.index if k not in ("id", "version")}


def test_the_seed_gives_every_data_table_a_version(engine):
    tables = {t.name for t in Base.metadata.sorted_tables}
    expected = {versions.dataset_of(t) for t in tables} - {None}
    seeded = set(versions.read(engine))
    assert seeded <= expected
    assert seeded == expected  # the shipped boundaries too (geo/boundaries/)
    assert {"coach_month", "decision", "indicator_value", "area"} <= expected
    assert not {"auth_session", "audit_log", "app_user"} & set(versions.read(engine))


def test_an_edit_raises_exactly_its_datasets_version(engine):
    before = versions.read(engine)
    row = writes.list_rows(engine, PT, "coach_month").iloc[0]
    values = editable(row) | {"active_households": int(row["active_households"]) + 7}
    assert writes.update(engine, "programmateam", PT, "coach_month", int(row["id"]),
                         int(row["version"]), values).ok
    after = versions.read(engine)
    assert raised(before, after) == {"coach_month"}
    assert after["coach_month"][0] == before["coach_month"][0] + 1


def test_a_withdrawal_raises_the_decision_version_only(engine):
    row = writes.list_rows(engine, PT, "decision").iloc[0]
    current = writes.get_row(engine, PT, "decision", int(row["id"]))
    before = versions.read(engine)
    assert writes.publish_decision(engine, "programmateam", PT, current["id"], current["version"],
                                   current["public_summary"], publish=False).ok
    assert raised(before, versions.read(engine)) == {"decision"}


def test_a_refused_invalid_or_conflicting_write_raises_nothing(engine):
    before = versions.read(engine)
    row = writes.list_rows(engine, PT, "coach_month").iloc[0]
    stale = writes.update(engine, "programmateam", PT, "coach_month", int(row["id"]),
                          int(row["version"]) - 1, editable(row))
    invalid = writes.update(engine, "programmateam", PT, "coach_month", int(row["id"]),
                            int(row["version"]), editable(row) | {"active_households": -5})
    assert (stale.status, invalid.status) == (writes.CONFLICT, writes.INVALID)
    with pytest.raises(Exception):
        writes.update(engine, "publiek", Role.PUBLIEK, "coach_month", int(row["id"]),
                      int(row["version"]), editable(row))
    assert versions.read(engine) == before  # the audit rows written meanwhile raise nothing


def test_an_import_and_a_core_statement_raise_their_datasets(engine):
    before = versions.read(engine)
    rows = writes.list_rows(engine, PT, "survey_score").head(3)
    table = importers.export_frame("survey_score", rows)
    table.loc[table.index[0], "Gemiddelde score"] = 9.9
    preview = importers.check(engine, PT, "survey_score", table)
    result, _ = importers.commit(engine, "programmateam", PT, "survey_score", table, "x.xlsx",
                                 previewed=preview.versions())
    assert result.ok, result.message
    after_import = versions.read(engine)
    assert raised(before, after_import) == {"survey_score"}
    with transaction(engine) as s:  # a bulk/Core statement through a session
        s.execute(update(Decision).where(Decision.id == 1).values(rationale="nieuw"))
    assert raised(after_import, versions.read(engine)) == {"decision"}


def test_a_rolled_back_change_raises_nothing_also_when_the_session_goes_on(engine):
    before = versions.read(engine)
    with pytest.raises(RuntimeError), transaction(engine) as s:
        s.execute(update(Decision).where(Decision.id == 1).values(rationale="weg"))
        raise RuntimeError("afgebroken")
    assert versions.read(engine) == before
    with session_factory(engine)() as s:
        s.execute(update(Decision).where(Decision.id == 1).values(rationale="weg"))
        s.rollback()
        s.execute(update(Setting).where(Setting.key == "demo_data").values(value=True))
        s.commit()
    assert raised(before, versions.read(engine)) == {"setting"}


def replica_cache(engine, cache: dict, query: str, role: Role = PT):
    """A replica's cached read: the key holds the database's versions of what it reads."""
    current = versions.read(engine)
    depends = versions.depends(query)
    k = (query, versions.key(current, depends))
    if k not in cache:
        with versions.tracking(query):
            cache[k] = queries.QUERIES[query](engine, role)
        cache[(query, versions.key(current, versions.depends(query)))] = cache[k]
    return cache[k]


def test_a_second_replica_reads_the_new_value_after_a_write_through_the_first(url):
    a, b = make_engine(url), make_engine(url)
    cache_b: dict = {}
    try:
        first = replica_cache(b, cache_b, "coach_months")
        assert replica_cache(b, cache_b, "coach_months") is first  # a cache hit
        indicators = replica_cache(b, cache_b, "indicators")
        row = writes.list_rows(a, PT, "coach_month").iloc[0]
        new = int(row["active_households"]) + 500
        assert writes.update(a, "programmateam", PT, "coach_month", int(row["id"]),
                             int(row["version"]), editable(row) | {"active_households": new}).ok
        again = replica_cache(b, cache_b, "coach_months")
        assert again is not first
        assert new in set(again["active_households"])
        assert replica_cache(b, cache_b, "indicators") is indicators  # unrelated: still cached
    finally:
        a.dispose()
        b.dispose()


WRITER = """
import sys
from dashboard.domain.roles import Role
from dashboard.store import writes
from data_loaders.db import make_engine

engine = make_engine(sys.argv[1])
row = writes.list_rows(engine, Role.PROGRAMMATEAM, "coach_month").iloc[0]
values = {k: row[k] for k in row.index if k not in ("id", "version")}
values["active_households"] = int(sys.argv[2])
result = writes.update(engine, "programmateam", Role.PROGRAMMATEAM, "coach_month",
                       int(row["id"]), int(row["version"]), values)
assert result.ok, result.message
"""


@pytest.mark.slow  # a separate Python process
def test_a_write_in_another_process_is_seen_within_max_age(url):
    engine = make_engine(url)
    seen = versions.snapshot(engine)
    subprocess.run([sys.executable, "-c", WRITER, url, "4321"], cwd=ROOT, check=True,
                   timeout=120)
    written = time.monotonic()
    time.sleep(versions.MAX_AGE)
    fresh = versions.snapshot(engine)
    engine.dispose()
    assert time.monotonic() - written < 2.0
    assert fresh["coach_month"][0] == seen["coach_month"][0] + 1


def test_every_cached_query_reads_only_versioned_tables(engine):
    """A registered query that read a table without a version (sessions, audit trail,
    accounts) would be cached past a change to it; each query's datasets are known."""
    for name, query in queries.QUERIES.items():
        wanted = {p for p in inspect.signature(query).parameters if p in SAMPLE_PARAMS}
        with versions.tracking(f"test:{name}") as seen:
            query(engine, Role.BEHEERDER, **{p: SAMPLE_PARAMS[p] for p in wanted})
        assert seen, name
        assert versions.EVERYTHING not in seen, name
        assert not seen & versions.UNVERSIONED, name
    assert versions.depends("test:coach_months") >= {"coach_month", "coach", "area"}
    assert "coach_month" not in versions.depends("test:indicators")
    assert versions.depends("test:published_lessons") >= {"decision"}


def test_concurrent_writers_to_one_dataset_each_raise_its_version(engine):
    """Two saves at the same moment (two replicas): both land, the version rises by two."""
    import concurrent.futures

    before = versions.read(engine)
    rows = writes.list_rows(engine, PT, "coach_month").head(2)

    def save(row: pd.Series) -> bool:
        values = editable(row) | {"active_households": int(row["active_households"]) + 1}
        return writes.update(engine, "programmateam", PT, "coach_month", int(row["id"]),
                             int(row["version"]), values).ok

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        assert all(pool.map(save, [r for _, r in rows.iterrows()]))
    assert versions.read(engine)["coach_month"][0] == before["coach_month"][0] + 2


def test_a_restore_raises_every_version(url, tmp_path):
    from data_loaders import backup

    engine = make_engine(url)
    try:
        saved = backup.backup(url, tmp_path / "voor.sqlite")
        at_backup = versions.read(engine)
        row = writes.list_rows(engine, PT, "coach_month").iloc[0]
        assert writes.update(engine, "programmateam", PT, "coach_month", int(row["id"]),
                             int(row["version"]), editable(row) | {"waiting_list": 3}).ok
        after_write = versions.read(engine)
        backup.restore(url, saved, actor="beheerder")
        restored = versions.read(engine)
    finally:
        engine.dispose()
    assert set(restored) == versions.every_dataset()
    for dataset, value in restored.items():  # never a key a cache already holds
        assert value not in (at_backup.get(dataset), after_write.get(dataset)), dataset
