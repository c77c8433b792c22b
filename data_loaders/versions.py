"""Data versions: one counter per dataset, raised in the transaction that changes it.

The caches (``dashboard.ui``) put the versions of the datasets a read depends on in its
key. A save on any replica raises the version in the database together with the data, so
every replica's next script run (which reads the versions, at most ``MAX_AGE`` seconds
old) computes a new key and reads the new figures; caches of other datasets stay warm.

Writes: every ORM session (``data_loaders.db.session_factory``: ``writes.audited``,
imports, the open-data and CBS loaders, the seed) notes the tables it changes (rows
flushed, and insert/update/delete statements it executes) and raises their datasets'
versions just before it commits, in the same transaction: a reader that sees the new
version sees the new data. Tables that no cached read uses (sessions, sign-in throttle,
audit trail, accounts) have no version.

Reads: ``tracking(name)`` notes the tables the statements inside it read; ``depends(name)``
gives the datasets a registered query (or view) was seen reading in this process, so its
cache key holds exactly those versions. A statement whose tables cannot be told (raw
text) counts as reading everything (``EVERYTHING``).

Writes outside an ORM session (a bare ``engine.begin()``) raise nothing: write through
``data_loaders.db.transaction`` or ``writes.audited``. No Streamlit here.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import itertools
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Engine, Table, event, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from data_loaders.models import DataVersion

# Table -> dataset. Link tables belong to the dataset they link from; a table missing here
# (and from UNVERSIONED) is its own dataset.
TABLE_DATASETS: dict[str, str] = {
    "area_part": "area",
    "project_area": "project",
    "casus": "case",
    "decision_area": "decision",
    "decision_case": "decision",
    "decision_evidence": "decision",
}
# Operational tables that no cached read uses: writing them raises no version (a sign-in
# must not touch a row every writer locks). tests/store/test_data_versions.py checks that
# no registered query reads one of them.
UNVERSIONED = frozenset({"auth_session", "login_failure", "audit_log", "app_user",
                         "data_version", "alembic_version"})
EVERYTHING = "*"  # a read whose tables are unknown depends on every dataset
MAX_AGE = 1.0  # seconds a replica trusts the versions it read (docs: within 2 s)

Versions = Mapping[str, tuple[int, str]]  # dataset -> (version, updated_at ISO)


def dataset_of(table: str) -> str | None:
    """The dataset a table belongs to, or None for an operational table."""
    return None if table in UNVERSIONED else TABLE_DATASETS.get(table, table)


def every_dataset() -> set[str]:
    """The datasets of every table of the schema (a restore raises them all)."""
    return {d for t in DataVersion.metadata.tables if (d := dataset_of(t)) is not None}


def _datasets(tables: Iterable[Any]) -> set[str]:
    return {d for t in tables if isinstance(t, Table) and (d := dataset_of(t.name)) is not None}


# ---------------------------------------------------------------- writes

_TOUCHED = "data_versions_touched"  # session.info: datasets changed in this transaction
_RAISED = "data_versions_raised"  # session.info: versions raised, not yet committed
_local = itertools.count(1)
_local_generation = 0  # commits in this process that raised a version


def _note(session: Session, datasets: set[str]) -> None:
    if datasets:
        session.info.setdefault(_TOUCHED, set()).update(datasets)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    # new/dirty/deleted still hold what this flush wrote (they are reset afterwards)
    dirty = (o for o in session.dirty if session.is_modified(o))
    classes = {type(o) for o in itertools.chain(session.new, session.deleted, dirty)}
    _note(session, _datasets(t for cls in classes for t in inspect(cls).tables))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    # bulk and Core statements through the session: insert(...), update(...), delete(...)
    if state.is_insert or state.is_update or state.is_delete:
        _note(state.session, _datasets([getattr(state.statement, "table", None)]))


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: note its changes now
    touched = session.info.pop(_TOUCHED, None)
    if touched:
        raise_versions(session, touched)
        session.info[_RAISED] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    global _local_generation
    if session.info.pop(_RAISED, False):
        _local_generation = next(_local)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # committed or rolled back: start the next one clean
        session.info.pop(_TOUCHED, None)
        session.info.pop(_RAISED, None)


def raise_versions(session: Session, datasets: Iterable[str]) -> None:
    """Add one to the version of each dataset, in ``session``'s transaction (sorted, so
    two writers lock the rows in the same order)."""
    now = dt.datetime.now(dt.UTC)
    table = DataVersion.__table__
    dialect = session.get_bind().dialect.name
    for name in sorted(set(datasets)):
        if dialect in ("sqlite", "postgresql"):
            insert = sqlite_insert if dialect == "sqlite" else pg_insert
            session.execute(insert(table).values(dataset=name, version=1, updated_at=now)
                            .on_conflict_do_update(index_elements=["dataset"],
                                                   set_={"version": table.c.version + 1,
                                                         "updated_at": now}))
            continue
        done = session.execute(update(table).where(table.c.dataset == name)
                               .values(version=table.c.version + 1, updated_at=now))
        if not done.rowcount:  # type: ignore[attr-defined]
            session.execute(table.insert().values(dataset=name, version=1, updated_at=now))


# ---------------------------------------------------------------- reading the versions


def read(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every dataset's (version, updated_at) from the database: one small query. The time
    is part of the value, so a version restored from a backup is never mistaken for the
    same number reached later."""
    with engine.connect() as conn:
        rows = conn.execute(select(DataVersion.dataset, DataVersion.version,
                                   DataVersion.updated_at)).all()
    return {d: (v, u.isoformat() if u is not None else "") for d, v, u in rows}


_memo: dict[str, tuple[float, int, dict[str, tuple[int, str]]]] = {}
_memo_lock = threading.Lock()


def snapshot(engine: Engine, max_age: float = MAX_AGE) -> dict[str, tuple[int, str]]:
    """The versions, read from the database at most ``max_age`` seconds ago by this
    process, or just now when this process committed a write since (a user sees their
    own save on the rerun that follows it)."""
    key = engine.url.render_as_string(hide_password=False)
    now = time.monotonic()
    held = _memo.get(key)
    if held is not None and held[1] == _local_generation and 0 <= now - held[0] < max_age:
        return held[2]
    generation = _local_generation  # before the read: a write during it reads again next time
    current = read(engine)
    with _memo_lock:
        _memo[key] = (now, generation, current)
    return current


def generation() -> int:
    """Counts this process's commits that raised a version (a run that wrote reads again)."""
    return _local_generation


def key(current: Versions, datasets: Iterable[str] | None) -> tuple[tuple[str, Any], ...]:
    """The part of a cache key for a read of ``datasets`` (None or EVERYTHING: all)."""
    names = set(datasets) if datasets is not None else {EVERYTHING}
    if EVERYTHING in names:
        return tuple(sorted(current.items()))
    return tuple((d, current.get(d, (0, ""))) for d in sorted(names))


# ---------------------------------------------------------------- what a read depends on

_reading: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "data_versions_reading", default=None)
_depends: dict[str, frozenset[str]] = {}
_depends_lock = threading.Lock()


@event.listens_for(Engine, "before_execute")
def _note_read(_conn: Any, clause: Any, _multiparams: Any, _params: Any,
               _execution_options: Any) -> None:
    seen = _reading.get()
    if seen is None:
        return
    found = find_tables(clause) if isinstance(clause, ClauseElement) else []
    tables = {t.name for t in found if isinstance(t, Table)}
    seen.update(tables or {EVERYTHING})


@contextlib.contextmanager
def tracking(name: str) -> Iterator[set[str]]:
    """Note the tables the statements inside read (EVERYTHING for one whose tables cannot
    be told), and add their datasets to ``depends(name)``."""
    seen: set[str] = set()
    token = _reading.set(seen)
    try:
        yield seen
    finally:
        _reading.reset(token)
        learn(name, seen)


def learn(name: str, tables: Iterable[str]) -> None:
    datasets = {EVERYTHING if t == EVERYTHING else dataset_of(t) for t in tables} - {None}
    with _depends_lock:
        _depends[name] = _depends.get(name, frozenset()) | frozenset(datasets)  # type: ignore[arg-type]


def depends(name: str) -> frozenset[str] | None:
    """The datasets ``name`` was seen reading in this process; None before its first run."""
    return _depends.get(name)
