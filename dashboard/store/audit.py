"""Append-only audit trail: every write, login and refused access leaves one row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from data_loaders.models import AuditLog


def record(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    result: str = "ok",
    object_type: str = "",
    object_id: str | int = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit row to ``session`` (committed with the caller's transaction)."""
    row = AuditLog(
        at=dt.datetime.now(dt.UTC),
        actor=actor,
        role=str(role),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        old_values=old,
        new_values=new,
        result=result,
    )
    session.add(row)
    return row
