"""The audit trail as people read it: local time (Europe/Amsterdam) in Dutch, the name of
the data instead of a table key, and what changed as "Veld: oud → nieuw" instead of JSON.

The stored audit rows stay as they are (UTC, JSON values); this module only presents them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.domain.datasets import DATASETS
from dashboard.domain.i18n import EMPTY, fmt_date, fmt_number

LOCAL = ZoneInfo("Europe/Amsterdam")
# Audited objects that are not datasets of Gegevens beheren.
OTHER_OBJECTS = {"user": "Gebruikers", "app_user": "Gebruikers", "session": "Sessies",
                 "auth_session": "Sessies", "database": "Database", "backup": "Back-up",
                 "area": "Gebieden", "programme": "Programma's", "cbs_geometry": "CBS-grenzen",
                 "opendata": "Open data"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_VALUE = 80  # characters of one value in the summary


def local_time(at: dt.datetime) -> dt.datetime:
    """A stored time (UTC; SQLite gives it back without a zone) in Dutch local time."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(LOCAL)


def fmt_timestamp(at: dt.datetime) -> str:
    """'3 okt 2023 14:05:12' in local time."""
    local = local_time(at)
    return f"{fmt_date(local.date())} {local:%H:%M:%S}"


def local_day_bounds(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants that start ``since`` and end ``until`` as local (Dutch) days."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=LOCAL)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def object_label(object_type: str | None) -> str:
    """The Dutch name of what a row is about ('decision' -> 'Besluiten')."""
    if not object_type:
        return EMPTY
    if object_type in DATASETS:
        return DATASETS[object_type].label
    return OTHER_OBJECTS.get(object_type, object_type)


def _labels(object_type: str | None) -> Mapping[str, str]:
    ds = DATASETS.get(object_type or "")
    return {f.name: f.label for f in ds.fields} if ds else {}


def fmt_value(value: Any) -> str:
    """One audited value in Dutch: dates as '3 okt 2023', numbers as 1.234,5, yes/no."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        return fmt_number(value, 0 if float(value).is_integer() else 2)
    if isinstance(value, list | tuple):
        return ", ".join(fmt_value(v) for v in value)
    text = str(value)
    if ISO_DATE.match(text):
        return fmt_date(dt.date.fromisoformat(text))
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def describe_change(object_type: str | None, old: Mapping[str, Any] | None,
                    new: Mapping[str, Any] | None) -> str:
    """What a row did, readable: for a change only the fields that changed
    ('Status: uitvoering → afgerond'), for a new or deleted row its values."""
    labels = _labels(object_type)
    old, new = dict(old or {}), dict(new or {})
    keys = [k for k in (new or old) if k not in ("id", "version")]
    if old and new:
        keys = [k for k in dict.fromkeys([*old, *new]) if k not in ("id", "version")
                and old.get(k) != new.get(k)]
        parts = [f"{labels.get(k, k)}: {fmt_value(old.get(k))} → {fmt_value(new.get(k))}"
                 for k in keys]
    else:
        values = new or old
        parts = [f"{labels.get(k, k)}: {fmt_value(values.get(k))}" for k in keys]
    return "; ".join(parts) or EMPTY


def readable(log: pd.DataFrame) -> pd.DataFrame:
    """Audit rows (``meeting.audit_log``) as the Auditlog page shows and exports them."""
    return pd.DataFrame({
        "Tijdstip": [fmt_timestamp(t) for t in log["at"]],
        "Gebruiker": log["actor"],
        "Rol": log["role"].fillna(EMPTY),
        "Actie": log["action"],
        "Gegevens": [object_label(t) for t in log["object_type"]],
        "Rij": log["object_id"].map(lambda v: EMPTY if v is None or pd.isna(v) else str(v)),
        "Resultaat": log["result"],
        "Wijziging": [describe_change(t, o, n) for t, o, n in
                      zip(log["object_type"], log["old_values"], log["new_values"], strict=True)],
    })


def readable_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """What changed since the last meeting (``meeting.changes_since``: successful writes),
    as Vergadermodus and its report show it: ``readable`` without role, row and result."""
    full = readable(changes.assign(role=None, result="ok"))
    return full[["Tijdstip", "Gebruiker", "Actie", "Gegevens", "Wijziging"]].rename(
        columns={"Gebruiker": "Door"})
