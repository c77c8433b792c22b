"""Reading the stored application settings (the declared list lives in the domain)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from data_loaders.models import Setting


def settings(engine: Engine) -> dict[str, Any]:
    """Application settings (not secret): demo flag, caseload norm. Readable by every role."""
    with engine.connect() as conn:
        return {k: v for k, v in conn.execute(select(Setting.key, Setting.value))}


def is_demo(engine: Engine) -> bool:
    return bool(settings(engine).get("demo_data", False))
