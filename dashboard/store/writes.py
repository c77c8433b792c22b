"""The write layer: create, update, (soft-)delete and publish, for every editable dataset.

Every function takes ``(engine, actor, role, ...)``, checks the role itself
(``require(role, Permission.EDIT_DATA)``), validates with Dutch messages naming the field
and the rule (``dashboard.domain.datasets``), saves by primary key with the version the user
saw (optimistic locking through SQLAlchemy ``version_id_col``), and leaves exactly one
audit row per call — also when the call is refused, invalid, in conflict or fails.

A stale save is never applied: the result carries both the user's values and the stored
ones so the page can show them side by side. Rows of datasets with a ``deleted`` column
are soft-deleted; figure rows (coach months, kernteam quarters, indicator values, survey
scores, budgets) are removed, and their last values stay in the audit trail.
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from dashboard.domain.datasets import DATASETS, Dataset, Problem, clean, decision_ref, display
from dashboard.domain.roles import AccessDenied, Permission, Role, can, require
from dashboard.domain.settings import SETTINGS as SETTING_SPECS
from dashboard.store import audit, sessions
from data_loaders.db import session_factory, transaction
from data_loaders.models import Base, Decision, IndicatorValue, Setting
from geo.registry import AreaSpec

# Audit actions and results (shown as they are in the audit log).
CREATE, UPDATE, DELETE, PUBLISH, IMPORT = "aanmaken", "wijzigen", "verwijderen", "publiceren", "importeren"
OK, REFUSED, INVALID, CONFLICT, FAILED = "ok", "geweigerd", "ongeldig", "conflict", "mislukt"
MAX_SUMMARY = 2_000


@dataclass
class WriteResult:
    status: str  # ok, ongeldig, conflict, mislukt
    message: str = ""  # Dutch, for the user
    row_id: int | None = None
    version: int | None = None  # the row's version after a successful save
    problems: list[Problem] = field(default_factory=list)
    yours: dict[str, Any] | None = None  # on conflict: what this user tried to save
    stored: dict[str, Any] | None = None  # on conflict: what is in the database now
    stored_version: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK


# ---------------------------------------------------------------- conversions


def jsonable(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Values as JSON-safe data for the audit trail (dates ISO, enums by value)."""
    if values is None:
        return None
    out: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, (dt.date, dt.datetime)):
            v = v.isoformat()
        elif isinstance(v, enum.Enum):
            v = v.value
        elif isinstance(v, (list, tuple)):
            v = list(v)
        out[k] = v
    return out


# ---------------------------------------------------------------- the tables behind datasets

# The domain names tables by their name; the store owns the models.
MODELS: dict[str, type] = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


def model_of(ds: Dataset | str) -> Any:
    """The SQLAlchemy model a dataset (or table name) saves into."""
    return MODELS[ds if isinstance(ds, str) else ds.model]


def _decision_keys(session: Session) -> list[tuple[int, str]]:
    return [(i, decision_ref(on, subject)) for i, on, subject in
            session.execute(select(Decision.id, Decision.decided_on, Decision.subject))]


# Keys that are no column: computed from a row (table, key) -> (session -> [(id, key)]).
COMPUTED_KEYS = {("decision", "besluit"): _decision_keys}


def _scopes() -> dict[str, Callable[[], ColumnElement[bool]]]:
    settable = [s.key for s in SETTING_SPECS if s.editable]
    return {
        "referentie": lambda: or_(IndicatorValue.region_code.in_(("ZL", "NL")),
                                  IndicatorValue.region_code.like("GM%")),
        "instelbaar": lambda: Setting.key.in_(settable),
    }


SCOPES = _scopes()


def scope_condition(ds: Dataset) -> ColumnElement[bool] | None:
    """The condition that picks the dataset's rows out of its table (None: every row)."""
    return SCOPES[ds.scope]() if ds.scope else None


def _ref_fields(ds: Dataset) -> list[Any]:
    return [f for f in ds.fields if f.kind in ("ref", "refs") and f.ref]


# Child rows of a "codes" field: what a new child row gets besides its code (by table).
CHILD_EXTRAS: dict[str, Callable[[str], dict[str, Any]]] = {
    "area_part": lambda code: {"level": AreaSpec.level_of(code)},
}


def _codes_of(f: Any, row: Any) -> list[str]:
    """The codes of a "codes" field as stored: the children's code column, sorted."""
    return sorted(getattr(o, f.ref[1]) for o in getattr(row, f.model_attr) or [])


def _set_codes(f: Any, row: Any, codes: list[str]) -> bool:
    """Make the children of ``row`` hold exactly ``codes``: children whose code stays are kept
    (no delete and insert of the same unique code), others removed, new ones added."""
    if row.id is not None and _codes_of(f, row) == list(codes):
        return False
    table, column = f.ref
    children = getattr(row, f.model_attr)
    for child in [c for c in children if getattr(c, column) not in codes]:
        children.remove(child)
    have = {getattr(c, column) for c in children}
    for code in codes:
        if code not in have:
            children.append(model_of(table)(**{column: code},
                                            **CHILD_EXTRAS.get(table, lambda c: {})(code)))
    return True


class RefMaps:
    """id <-> key lookups for the reference fields of one dataset (one query per model)."""

    def __init__(self, session: Session, ds: Dataset) -> None:
        self.by_id: dict[str, dict[int, str]] = {}
        self.by_key: dict[str, dict[str, int]] = {}
        for f in _ref_fields(ds):
            table, key = f.ref
            if (table, key) in COMPUTED_KEYS:
                pairs = COMPUTED_KEYS[(table, key)](session)
            else:
                model = model_of(table)
                pairs = session.execute(select(model.id, getattr(model, key))).all()
            self.by_id[f.name] = {i: k for i, k in pairs}
            self.by_key[f.name] = {str(k).lower(): i for i, k in pairs}


def external(ds: Dataset, row: Any, refs: RefMaps) -> dict[str, Any]:
    """A stored row in external form (refs by key, enums by value)."""
    out: dict[str, Any] = {}
    for f in ds.fields:
        v = getattr(row, f.model_attr)
        if f.kind == "ref":
            v = refs.by_id[f.name].get(v) if v is not None else None
        elif f.kind == "refs":
            v = sorted((refs.by_id[f.name].get(o.id, "") for o in v or []), key=str.lower)
        elif f.kind == "codes":
            v = _codes_of(f, row)
        elif isinstance(v, enum.Enum):
            v = v.value
        elif f.kind == "list":
            v = list(v or [])
        out[f.name] = v
    return out


def _nullable(ds: Dataset, attr: str) -> bool:
    return bool(model_of(ds).__table__.c[attr].nullable)


def stored_attrs(ds: Dataset, row: Any, names: Any) -> dict[str, Any]:
    """The row's current attributes ``names`` as ``to_attrs`` gives them (links as sorted ids)."""
    many = {f.model_attr for f in ds.fields if f.kind == "refs"}
    codes = {f.model_attr: f for f in ds.fields if f.kind == "codes"}
    return {k: sorted(o.id for o in getattr(row, k)) if k in many
            else _codes_of(codes[k], row) if k in codes else getattr(row, k) for k in names}


def assign(session: Session, ds: Dataset, row: Any, attrs: Mapping[str, Any]) -> None:
    """Set ``attrs`` on ``row``; links (kind "refs") become the referenced rows and codes
    (kind "codes") child rows. A change of links or codes alone still raises the row's
    version (a save over it is a conflict)."""
    many = {f.model_attr: model_of(f.ref[0]) for f in ds.fields if f.kind == "refs"}
    codes = {f.model_attr: f for f in ds.fields if f.kind == "codes"}
    links_changed = False
    for k, v in attrs.items():
        if k in codes:
            links_changed = _set_codes(codes[k], row, list(v or [])) or links_changed
        elif k in many:
            if row.id is None or sorted(o.id for o in getattr(row, k)) != list(v):
                setattr(row, k, [session.get(many[k], i) for i in v])
                links_changed = True
        else:
            setattr(row, k, v)
    if links_changed and row.id is not None:
        flag_modified(row, ds.field(ds.key[0]).model_attr)


def new_row(session: Session, ds: Dataset, attrs: Mapping[str, Any]) -> Any:
    """A new row of ``ds`` with ``attrs`` (added to the session)."""
    many = {f.model_attr for f in ds.fields if f.kind in ("refs", "codes")}
    row = model_of(ds)(**{k: v for k, v in attrs.items() if k not in many})
    session.add(row)
    assign(session, ds, row, {k: v for k, v in attrs.items() if k in many})
    return row


def to_attrs(ds: Dataset, values: Mapping[str, Any], refs: RefMaps
             ) -> tuple[dict[str, Any], list[Problem]]:
    """External values -> model attributes; unknown references become Dutch problems."""
    attrs: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in ds.fields:
        v = values.get(f.name)
        if f.kind == "ref" and v is not None:
            ref_id = refs.by_key[f.name].get(str(v).lower())
            if ref_id is None:
                problems.append(Problem(f.name, f.label, f"{f.label} '{v}' bestaat niet."))
                continue
            v = ref_id
        elif f.kind == "refs":
            unknown = [k for k in v or [] if str(k).lower() not in refs.by_key[f.name]]
            if unknown:
                problems.append(Problem(f.name, f.label, f"{f.label}: '{unknown[0]}' bestaat "
                                                         "niet."))
                continue
            v = sorted({refs.by_key[f.name][str(k).lower()] for k in v or []})
        elif f.enum is not None and v is not None:
            v = f.enum(v)
        elif v is None and f.kind in ("text", "longtext") and not _nullable(ds, f.model_attr):
            v = ""
        attrs[f.model_attr] = v
    if not problems:
        attrs.update(ds.derived(dict(values)))
    return attrs, problems


def find_by_key(session: Session, ds: Dataset, attrs: Mapping[str, Any]) -> Any | None:
    """The row with the same natural key (NULL-safe), or None."""
    model = model_of(ds)
    conditions = []
    for name in ds.key:
        column = getattr(model, ds.field(name).model_attr)
        v = attrs.get(ds.field(name).model_attr)
        conditions.append(column.is_(None) if v is None else column == v)
    return session.scalars(select(model).where(*conditions)).first()


# ---------------------------------------------------------------- the audited unit of work


class SystemActor(str):
    """An actor that is not an account, such as the command line that creates the first
    beheerder. Only Python code makes one; nothing a browser sends becomes one, so
    ``audited`` trusts its role instead of looking the actor up."""


COMMAND_LINE = SystemActor("opdrachtregel")


def _current_role(engine: Engine, actor: str, role: Role, permission: Permission) -> Role:
    """The role to write with: the one the caller claims must hold ``permission``, and so
    must the one the database gives ``actor`` now (a tab may still believe in a role
    that was changed, or an account that was deactivated, a moment ago)."""
    require(role, permission)
    if isinstance(actor, SystemActor):
        return Role(role)
    with session_factory(engine)() as s:
        current = sessions.actor_role(s, actor)
    if current is None or not can(current, permission):
        raise AccessDenied(current or Role.PUBLIEK, permission)
    return current


def audited(engine: Engine, actor: str, role: Role, action: str, object_type: str,
             object_id: Any, work: Callable[[Session], tuple[WriteResult, dict | None, dict | None]],
             permission: Permission = Permission.EDIT_DATA) -> WriteResult:
    """Run ``work`` in one transaction with exactly one audit row, whatever the outcome.

    The building block of every write (also imports and account changes). Both the
    role the caller passes and the role the database holds for ``actor`` now must grant
    ``permission``; the audit row records the database's role.

    ``work`` returns (result, old values, new values). A successful result is committed
    together with its audit row; anything else is rolled back and audited separately.
    """
    try:
        role = _current_role(engine, actor, role, permission)
    except AccessDenied as denied:
        with transaction(engine) as s:
            audit.record(s, actor=actor, role=denied.role, action=action,
                         object_type=object_type, object_id=object_id or "", result=REFUSED)
        raise
    session = session_factory(engine)()
    old = new = None
    try:
        try:
            result, old, new = work(session)
        except IntegrityError as error:  # lost a race: the database's constraints decide
            session.rollback()
            result = _integrity_result(object_type, error)
        if result.ok:
            audit.record(session, actor=actor, role=role, action=action, object_type=object_type,
                         object_id=result.row_id if result.row_id is not None else object_id or "",
                         old=jsonable(old), new=jsonable(new), result=OK)
            session.commit()
            return result
        session.rollback()
    except Exception:
        session.rollback()
        with transaction(engine) as s:
            audit.record(s, actor=actor, role=role, action=action, object_type=object_type,
                         object_id=object_id or "", result=FAILED)
        raise
    finally:
        session.close()
    with transaction(engine) as s:
        audit.record(s, actor=actor, role=role, action=action, object_type=object_type,
                     object_id=object_id or "", result=result.status,
                     old=jsonable(result.stored if result.stored is not None else old),
                     new=jsonable(result.yours if result.yours is not None else new))
    return result


def _is_duplicate(error: IntegrityError) -> bool:
    """A unique key violation (PostgreSQL SQLSTATE 23505, SQLite's UNIQUE message)."""
    return (getattr(error.orig, "sqlstate", None) == "23505"
            or "UNIQUE constraint failed" in str(error.orig))


def _already_exists(ds: Dataset, other: bool = False) -> list[Problem]:
    labels = ", ".join(ds.field(k).label for k in ds.key)
    return [Problem(ds.key[0], ds.field(ds.key[0]).label,
                    f"Er bestaat al {'een andere' if other else 'een'} rij met dezelfde {labels}.")]


def _integrity_result(object_type: str, error: IntegrityError) -> WriteResult:
    """The database refused a write that passed our own checks: someone else saved the
    same natural key (or removed a referenced row) at the same moment."""
    if _is_duplicate(error) and object_type in DATASETS:
        return _invalid(_already_exists(DATASETS[object_type]))
    if _is_duplicate(error):
        return WriteResult(INVALID, "Niet opgeslagen: deze gegevens bestaan al.")
    return WriteResult(FAILED, "Opslaan mislukt: een verwijzing klopt niet meer; misschien is "
                               "die intussen verwijderd. Laad de gegevens opnieuw.")


def _invalid(problems: list[Problem], values: Mapping[str, Any] | None = None) -> WriteResult:
    return WriteResult(INVALID, "Niet opgeslagen: " + " ".join(p.message for p in problems),
                       problems=problems, yours=dict(values) if values else None)


def _conflict(ds: Dataset, row_id: int, yours: dict[str, Any] | None, session: Session
              ) -> WriteResult:
    row = session.get(model_of(ds), row_id)
    stored = external(ds, row, RefMaps(session, ds)) if row is not None else None
    if row is not None and getattr(row, "deleted", False):
        stored = {**(stored or {}), "verwijderd": True}
    return WriteResult(
        CONFLICT, "Iemand anders heeft deze gegevens intussen gewijzigd. Je wijziging is niet "
                  "opgeslagen; vergelijk jouw waarden met de opgeslagen waarden en laad opnieuw.",
        row_id=row_id, yours=yours, stored=stored,
        stored_version=row.version if row is not None else None)


def _load_current(session: Session, ds: Dataset, row_id: int) -> Any | None:
    model = model_of(ds)
    row = session.get(model, row_id)
    if row is None or getattr(row, "deleted", False):
        return None
    if ds.scope and session.scalar(select(model.id).where(model.id == row_id,
                                                          scope_condition(ds))) is None:
        return None  # a row of the same table that belongs to another dataset
    return row


def _dependents(session: Session, ds: Dataset, row_id: int) -> str | None:
    """Why a row of master data cannot be deleted (Dutch), or None."""
    found = []
    for dep in ds.dependents:
        table = model_of(dep.table)
        n = session.scalar(select(func.count()).select_from(table)
                           .where(getattr(table, dep.column) == row_id)) or 0
        if n:
            found.append(f"{display(n)} {dep.label}")
    if not found:
        return None
    return (f"Niet verwijderd: bij {ds.noun} horen nog "
            f"{', '.join(found[:-1]) + ' en ' + found[-1] if len(found) > 1 else found[0]}, en "
            "die cijfers blijven bestaan. Zet Actief op 'nee' om niets nieuws meer te koppelen; "
            "alles blijft dan bewaard.")


# ---------------------------------------------------------------- create, update, delete


def create(engine: Engine, actor: str, role: Role, dataset: str, values: Mapping[str, Any]
           ) -> WriteResult:
    """Add a row of ``dataset``; refused when a row with the same natural key exists."""
    ds = DATASETS[dataset]

    def work(s: Session) -> tuple[WriteResult, dict | None, dict | None]:
        cleaned, problems = clean(ds, values)
        if problems:
            return _invalid(problems, values), None, None
        refs = RefMaps(s, ds)
        attrs, problems = to_attrs(ds, cleaned, refs)
        if problems:
            return _invalid(problems, cleaned), None, None
        if find_by_key(s, ds, attrs) is not None:
            return _invalid(_already_exists(ds), cleaned), None, None
        row = new_row(s, ds, attrs)
        s.flush()
        return WriteResult(OK, "Opgeslagen.", row_id=row.id, version=row.version), None, cleaned

    return audited(engine, actor, role, CREATE, dataset, "", work, ds.permission)


def update(engine: Engine, actor: str, role: Role, dataset: str, row_id: int,
           expected_version: int, values: Mapping[str, Any]) -> WriteResult:
    """Save ``values`` over row ``row_id`` if it still has ``expected_version``.

    A row changed by someone else since the user loaded it yields a ``conflict`` result
    with both the user's and the stored values; nothing is overwritten.
    """
    ds = DATASETS[dataset]

    def work(s: Session) -> tuple[WriteResult, dict | None, dict | None]:
        cleaned, problems = clean(ds, values)
        if problems:
            return _invalid(problems, values), None, None
        row = _load_current(s, ds, row_id)
        if row is None or row.version != expected_version:
            return _conflict(ds, row_id, cleaned, s), None, None
        refs = RefMaps(s, ds)
        attrs, problems = to_attrs(ds, cleaned, refs)
        if problems:
            return _invalid(problems, cleaned), None, None
        other = find_by_key(s, ds, attrs)
        if other is not None and other.id != row.id:
            return _invalid(_already_exists(ds, other=True), cleaned), None, None
        old = external(ds, row, refs)
        assign(s, ds, row, attrs)
        try:
            s.flush()  # UPDATE ... WHERE id = :id AND version = :expected
        except StaleDataError:
            s.rollback()
            return _conflict(ds, row_id, cleaned, s), None, None
        changed_old = {k: v for k, v in old.items() if cleaned.get(k) != v}
        changed_new = {k: cleaned[k] for k in changed_old}
        return (WriteResult(OK, "Opgeslagen.", row_id=row.id, version=row.version),
                changed_old, changed_new)

    return audited(engine, actor, role, UPDATE, dataset, row_id, work, ds.permission)


def delete(engine: Engine, actor: str, role: Role, dataset: str, row_id: int,
           expected_version: int) -> WriteResult:
    """Soft-delete (``deleted``) or remove a figure row, if it still has ``expected_version``."""
    ds = DATASETS[dataset]

    def work(s: Session) -> tuple[WriteResult, dict | None, dict | None]:
        row = _load_current(s, ds, row_id)
        if row is None or row.version != expected_version:
            return _conflict(ds, row_id, None, s), None, None
        old = external(ds, row, RefMaps(s, ds))
        if not ds.soft_delete and (reason := _dependents(s, ds, row_id)):
            return WriteResult(INVALID, reason, row_id=row_id), old, None
        try:
            if ds.soft_delete:
                row.deleted = True
            else:
                s.delete(row)
            s.flush()
        except StaleDataError:
            s.rollback()
            return _conflict(ds, row_id, None, s), None, None
        return WriteResult(OK, "Verwijderd.", row_id=row_id), old, {"verwijderd": True}

    return audited(engine, actor, role, DELETE, dataset, row_id, work, ds.permission)


def publish_decision(engine: Engine, actor: str, role: Role, decision_id: int,
                     expected_version: int, summary: str, publish: bool = True,
                     today: dt.date | None = None) -> WriteResult:
    """Publish (or withdraw) a decision's public summary; it then appears as a lesson learned."""
    ds = DATASETS["decision"]
    summary = (summary or "").strip()

    def work(s: Session) -> tuple[WriteResult, dict | None, dict | None]:
        if publish and not summary:
            return _invalid([Problem("public_summary", "Openbare samenvatting",
                                     "Openbare samenvatting is verplicht om te publiceren.")]
                            ), None, None
        if len(summary) > MAX_SUMMARY:
            return _invalid([Problem("public_summary", "Openbare samenvatting",
                                     f"Openbare samenvatting mag hoogstens {MAX_SUMMARY} tekens "
                                     "lang zijn.")]), None, None
        row: Decision | None = _load_current(s, ds, decision_id)
        yours = {"public_summary": summary, "published": publish}
        if row is None or row.version != expected_version:
            result = _conflict(ds, decision_id, yours, s)
            if row is not None and result.stored is not None:
                result.stored.update(public_summary=row.public_summary, published=row.published)
            return result, None, None
        old = {"public_summary": row.public_summary, "published": row.published}
        row.public_summary = summary
        row.published = publish
        row.published_on = (today or dt.date.today()) if publish else None
        try:
            s.flush()
        except StaleDataError:
            s.rollback()
            return _conflict(ds, decision_id, yours, s), None, None
        return (WriteResult(OK, "Gepubliceerd." if publish else "Publicatie ingetrokken.",
                            row_id=decision_id, version=row.version), old, yours)

    return audited(engine, actor, role, PUBLISH, "decision", decision_id, work)


# ---------------------------------------------------------------- reading rows for editing


def list_rows(engine: Engine, role: Role, dataset: str) -> pd.DataFrame:
    """Current rows of ``dataset`` in external form, with ``id`` and ``version`` (for editing
    and export): plain Python values, None for missing. Soft-deleted rows are left out.
    Never cached: edits need fresh versions."""
    require(role, Permission.VIEW_INTERNAL)
    ds = DATASETS[dataset]
    model = model_of(ds)
    with session_factory(engine)() as s:
        refs = RefMaps(s, ds)
        stmt = select(model).order_by(model.id)
        if ds.soft_delete:
            stmt = stmt.where(model.deleted.is_(False))
        if ds.scope:
            stmt = stmt.where(scope_condition(ds))
        records = [{"id": r.id, "version": r.version, **external(ds, r, refs)}
                   for r in s.scalars(stmt)]
    columns = ["id", "version", *(f.name for f in ds.fields)]
    # dtype=object keeps the values as Python gives them: None stays None (pandas would
    # turn a missing region code or number into NaN, which no form or describe() expects)
    return pd.DataFrame(records, columns=columns, dtype=object)


def get_row(engine: Engine, role: Role, dataset: str, row_id: int) -> dict[str, Any] | None:
    """One current row (external form plus id, version), or None when absent or deleted."""
    require(role, Permission.VIEW_INTERNAL)
    ds = DATASETS[dataset]
    with session_factory(engine)() as s:
        row = _load_current(s, ds, row_id)
        if row is None:
            return None
        out = {"id": row.id, "version": row.version, **external(ds, row, RefMaps(s, ds))}
        if isinstance(row, Decision):
            out.update(public_summary=row.public_summary, published=row.published)
        return out


# The column that names a row of a referenced table, shown next to its key in forms.
NAME_COLUMNS = ("name", "label", "title", "subject")


def _names(session: Session, table: str, key: str) -> dict[str, str]:
    """Key -> name of the rows of ``table`` whose key is not already their name."""
    model = model_of(table)
    column = next((c for c in NAME_COLUMNS if hasattr(model, c) and c != key), None)
    if column is None or (table, key) in COMPUTED_KEYS:
        return {}
    return {str(k): str(n) for k, n in session.execute(
        select(getattr(model, key), getattr(model, column))) if n and str(n) != str(k)}


def reference_keys(engine: Engine, role: Role, dataset: str) -> dict[str, dict[str, str]]:
    """For each reference field of ``dataset``, the keys a user may pick (for forms), each
    with what a form shows for it ("PW-2 · Kernteams ouderen"; keys that are names show as
    they are): rows that are deactivated (``active``) or deleted are not offered; a form
    still shows the value a row already has, and an import still accepts them (corrections
    of old figures)."""
    require(role, Permission.VIEW_INTERNAL)
    ds = DATASETS[dataset]
    out: dict[str, dict[str, str]] = {}
    with session_factory(engine)() as s:
        refs = RefMaps(s, ds)
        for f in _ref_fields(ds):
            table, key = f.ref
            model = model_of(table)
            gone = [model.deleted.is_(True)] if hasattr(model, "deleted") else []
            gone += [model.active.is_(False)] if hasattr(model, "active") else []
            hidden = set(s.scalars(select(model.id).where(or_(*gone)))) if gone else set()
            names = _names(s, table, key)
            keys = sorted((k for i, k in refs.by_id[f.name].items() if i not in hidden), key=str)
            out[f.name] = {k: f"{k} · {names[str(k)]}" if str(k) in names else str(k)
                           for k in keys}
    return out
