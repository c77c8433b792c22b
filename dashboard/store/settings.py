"""Reading the stored application settings (the declared list lives in the domain)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from dashboard.domain.settings import Settings, resolve
from dashboard.domain.settings import today as _today
from data_loaders.models import Setting


def load(engine: Engine) -> Settings:
    """The typed settings (stored values over the declared defaults). Readable by every
    role: nothing in them is secret."""
    with engine.connect() as conn:
        return resolve({k: v for k, v in conn.execute(select(Setting.key, Setting.value))})


def is_demo(engine: Engine) -> bool:
    return load(engine).demo_data


def today(engine: Engine) -> dt.date:
    """The product's "today" for this database (see ``dashboard.domain.settings.today``)."""
    return _today(load(engine))
