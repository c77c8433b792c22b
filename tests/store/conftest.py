"""Fixtures of the store tests: an empty production database (migrated, no demo data)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.opendata import production_engine


@pytest.fixture(name="engine")
def production_db(empty_db_url: str) -> Any:
    """Fixture ``engine``: an empty production database on each engine (modules that define
    their own ``engine`` fixture override it)."""
    engine = production_engine(empty_db_url)
    yield engine
    engine.dispose()
