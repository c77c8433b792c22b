"""Schema, migrations and demo seed, on SQLite and on a real PostgreSQL server."""

import datetime as dt

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from dashboard.store.auth import verify_password
from data_loaders.db import transaction
from data_loaders.models import (
    Area,
    Base,
    Case,
    Coach,
    Decision,
    IndicatorValue,
    Kernteam,
    KernteamQuarter,
    Spending,
    SurveyScore,
    User,
    ValueStatus,
)
from data_loaders.seed import SIGNAL_KERNTEAM, SIGNAL_QUARTER, prepare_database, seed_demo
from geo.registry import load_registry
from tests.helpers import AS_OF


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_migration_creates_every_table_of_the_schema(seeded_engine):
    tables = set(inspect(seeded_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_seed_fills_every_table(seeded_engine):
    with transaction(seeded_engine) as s:
        empty = [t.name for t in Base.metadata.sorted_tables
                 if not s.scalar(select(func.count()).select_from(t))]
    # cbs_geometry holds the shipped generalised boundaries until an official file is
    # imported; sign-in sessions and failed sign-ins are made by use, never seeded
    assert sorted(empty) == ["auth_session", "login_failure"]


def test_demo_magnitudes_follow_spec_7(seeded_engine):
    with transaction(seeded_engine) as s:
        assert count(s, Area) == len(load_registry().areas) == 16
        assert count(s, Kernteam) == 35
        assert s.scalar(select(func.sum(Coach.fte))) == pytest.approx(30.0)
        assert count(s, Case) >= 50
        per_category = dict(s.execute(select(Case.knelpunt, func.count()).group_by(Case.knelpunt)).all())
        assert set(per_category) == {1, 2, 3, 4, 5}
        assert min(per_category.values()) >= 5
        assert count(s, Decision) >= 10
        # suppression is its own state, with no number behind it
        suppressed = s.scalars(select(IndicatorValue).where(
            IndicatorValue.status == ValueStatus.SUPPRESSED)).all()
        assert suppressed and all(v.value is None for v in suppressed)


def test_blauwe_zorg_areas_hold_about_15000_residents(seeded_engine):
    from dashboard.domain.roles import Role
    from dashboard.store.queries import areas

    df = areas(seeded_engine, Role.BESTUURDER)
    bz = df[df["programme"] == "Blauwe Zorg in de wijk"]["residents"].sum()
    assert 13_000 <= bz <= 17_000


def test_planted_kernteam_shift_is_in_the_data(seeded_engine):
    with transaction(seeded_engine) as s:
        rows = s.execute(
            select(KernteamQuarter.quarter, KernteamQuarter.admissions)
            .join(Kernteam).where(Kernteam.code == SIGNAL_KERNTEAM)
            .order_by(KernteamQuarter.quarter)).all()
    before = [a for q, a in rows if q < SIGNAL_QUARTER]
    after = [a for q, a in rows if q >= SIGNAL_QUARTER]
    assert len(before) >= 6 and len(after) >= 6
    assert max(after) < sorted(before)[len(before) // 2]  # every later point below the old median


@pytest.mark.slow
def test_demo_accounts_exist_with_slow_hashes_only_in_demo_mode(seeded_engine, fresh_sqlite_url):
    with transaction(seeded_engine) as s:
        users = {u.username: u for u in s.scalars(select(User))}
    assert set(users) == {"bestuurder", "programmateam", "beheerder"}
    for u in users.values():
        assert u.password_hash.startswith("$argon2")
        assert verify_password(u.password_hash, "demo")
        assert u.role.value == u.username
    production = prepare_database(fresh_sqlite_url, demo=False)
    with transaction(production) as s:
        assert count(s, User) == 0
        assert count(s, Area) == 16  # the registry is synced, no demo data
    production.dispose()


def test_seed_is_deterministic_and_runs_once(seeded_engine, fresh_sqlite_url):
    other = prepare_database(fresh_sqlite_url, as_of=AS_OF)
    query = (select(KernteamQuarter.quarter, KernteamQuarter.admissions, Kernteam.code)
             .join(Kernteam).order_by(Kernteam.code, KernteamQuarter.quarter))
    with transaction(seeded_engine) as a, transaction(other) as b:
        assert a.execute(query).all() == b.execute(query).all()
    assert seed_demo(other, AS_OF) is False  # not empty: nothing is added twice
    with transaction(other) as s:
        assert count(s, Kernteam) == 35
    other.dispose()


def test_database_refuses_a_value_for_both_an_area_and_a_region(seeded_engine):
    with pytest.raises(IntegrityError), transaction(seeded_engine) as s:
        s.add(IndicatorValue(indicator_id=1, area_id=1, region_code="NL", period="2030",
                             period_start=dt.date(2030, 1, 1), value=1.0))


def test_migrations_go_down_and_up_again(empty_db_url):
    from data_loaders.db import make_engine
    from data_loaders.migrate import downgrade, upgrade

    upgrade(empty_db_url)
    downgrade(empty_db_url, "base")
    engine = make_engine(empty_db_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_db_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.slow
def test_migrations_go_down_and_up_again_with_demo_data_present(empty_db_url):
    """A production database holds data: downgrading it to base and upgrading again must work."""
    from data_loaders.db import make_engine
    from data_loaders.migrate import downgrade, upgrade

    prepare_database(empty_db_url, as_of=AS_OF).dispose()
    engine = make_engine(empty_db_url)
    with transaction(engine) as s:
        assert count(s, Kernteam) == 35  # really seeded before going down
    engine.dispose()
    downgrade(empty_db_url, "base")
    engine = make_engine(empty_db_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    with transaction(engine) as s:
        assert count(s, Kernteam) == 0  # the schema is back, empty
    engine.dispose()
    engine = prepare_database(empty_db_url, as_of=AS_OF)  # and can be seeded again
    with transaction(engine) as s:
        assert count(s, Kernteam) == 35
    engine.dispose()


def test_migration_history_has_exactly_one_head():
    """Two heads (two branches adding a revision) would make ``upgrade head`` fail."""
    from alembic.script import ScriptDirectory

    from data_loaders.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_models_and_migrations_agree(empty_db_url):
    """A schema change without a migration would break a production upgrade."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from data_loaders.db import make_engine
    from data_loaders.migrate import upgrade

    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_expression_keys_of_models_and_migrations_agree_on_sqlite(fresh_sqlite_url):
    """Alembic cannot reflect expression indexes on SQLite (it skips them above), so the
    COALESCE keys are compared here as SQLite stores them."""
    import re

    from sqlalchemy import text
    from sqlalchemy.schema import CreateIndex

    from data_loaders.db import make_engine
    from data_loaders.migrate import upgrade

    def normal(sql: str) -> str:
        return re.sub(r"[\s\"]", "", sql).lower()

    upgrade(fresh_sqlite_url)
    engine = make_engine(fresh_sqlite_url)
    expected = {ix.name: str(CreateIndex(ix).compile(dialect=engine.dialect))
                for table in Base.metadata.tables.values() for ix in table.indexes
                if ix.expressions and any(not hasattr(e, "table") for e in ix.expressions)}
    assert set(expected) == {"uq_indicator_value_key", "uq_survey_score_key", "uq_spending_key"}
    with engine.connect() as conn:
        for name, sql in expected.items():
            stored = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": name})
            assert normal(stored) == normal(sql), name
    engine.dispose()


def test_demo_data_never_goes_into_a_production_database_by_default():
    from data_loaders.db import DEFAULT_SQLITE_PATH
    from data_loaders.seed import wants_demo

    embedded = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    assert wants_demo(embedded, no_demo=False, demo=False)
    assert not wants_demo("postgresql+psycopg://lerend@db/ln", no_demo=False, demo=False)
    assert wants_demo("postgresql+psycopg://lerend@db/ln", no_demo=False, demo=True)
    assert not wants_demo(embedded, no_demo=True, demo=False)


NULL_KEY_ROWS = {  # one row per table whose natural key has a nullable column left empty
    "indicator_value": lambda: IndicatorValue(indicator_id=1, area_id=1, region_code=None,
                                              period="2030", period_start=dt.date(2030, 1, 1),
                                              value=1.0),
    "indicator_value (region)": lambda: IndicatorValue(
        indicator_id=1, area_id=None, region_code="NL", period="2030",
        period_start=dt.date(2030, 1, 1), value=1.0),
    "survey_score": lambda: SurveyScore(area_id=None, region_code="ZL", wave=40, year=2030,
                                        dimension="meedoen", mean_score=7.0, n_respondents=50),
    "spending": lambda: Spending(year=2030, area_id=1, project_id=None, law="Wmo",
                                 amount_eur=1000.0),
    "spending (neither)": lambda: Spending(year=2030, area_id=None, project_id=None, law="Wmo",
                                           amount_eur=1000.0),
}


@pytest.mark.parametrize("what", list(NULL_KEY_ROWS))
def test_a_natural_key_with_an_empty_column_is_still_unique(seeded_engine, what):
    """SQL treats NULLs as distinct: a UNIQUE constraint over region_code let the same
    value be stored twice. The keys are unique indexes over COALESCE (both engines)."""
    with transaction(seeded_engine) as s:
        s.add(NULL_KEY_ROWS[what]())
    with pytest.raises(IntegrityError), transaction(seeded_engine) as s:
        s.add(NULL_KEY_ROWS[what]())


def test_migration_refuses_to_run_over_duplicates_and_loses_nothing(empty_db_url):
    """Existing duplicates are listed, not deleted: someone decides which row is right."""
    from sqlalchemy import text

    from data_loaders.db import make_engine
    from data_loaders.migrate import upgrade

    upgrade(empty_db_url, "0001")
    prepare = make_engine(empty_db_url)
    with transaction(prepare) as s:
        s.execute(text("INSERT INTO programme (id, key, name, description) "
                       "VALUES (1, 'bz', 'Blauwe Zorg', '')"))
        s.execute(text("INSERT INTO area (id, key, name, programme_id, municipality_code, "
                       "municipality_name, centroid_lon, centroid_lat, version) VALUES "
                       "(1, 'limmel', 'Limmel', 1, 'GM0935', 'Maastricht', 5.7, 50.9, 1)"))
        s.execute(text("INSERT INTO indicator (id, key, label, definition, unit, polarity, "
                       "source, period_type, owner, disclosure_rule, is_rate, multiplier, "
                       "is_survey, is_public, version) VALUES (1, 'ggz_kosten', 'GGZ', '', "
                       "'euro', 'neutraal', '', 'jaar', '', 'standaard', false, 1, false, "
                       "false, 1)"))
        for _ in range(4):
            s.execute(text("INSERT INTO indicator_value (indicator_id, area_id, region_code, "
                           "period, period_start, value, status, note, version) VALUES "
                           "(1, 1, NULL, '2026', '2026-01-01', 4, 'ok', '', 1)"))
    with pytest.raises(Exception, match="Migratie 0003 geweigerd") as refused:
        upgrade(empty_db_url)
    assert ("indicator_value: indicator_id=1, area_id=1, region_code=None, period='2026' "
            "staat 4 keer in de tabel") in str(refused.value)
    with transaction(prepare) as s:
        assert s.scalar(text("SELECT COUNT(*) FROM indicator_value")) == 4  # nothing lost
        # the refused revision is not recorded (SQLite keeps the revisions before it)
        assert s.scalar(text("SELECT version_num FROM alembic_version")) in ("0001",
                                                                            "0002_sessions")
    prepare.dispose()
