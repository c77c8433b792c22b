"""natural keys stay unique when a key column is NULL

Revision ID: 0003_unique_keys
Revises: 0002_sessions
Create Date: 2026-11-24 10:00:00

The unique constraints of indicator_value, survey_score and spending included nullable
columns (region_code or area_id, project_id). SQL treats NULLs as distinct, so the same
indicator value for an area (region_code NULL) could be stored any number of times. They
become unique indexes over COALESCE(column, sentinel) (``models.unique_key``), the same rule
on SQLite and PostgreSQL.

Existing duplicates are never deleted or merged here: the upgrade refuses, lists them, and
leaves the database as it was, so that someone decides which row is right.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_unique_keys"
down_revision: Union[str, Sequence[str], None] = "0002_sessions"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# table -> (key columns, nullable key columns, name of the old NULL-blind constraint)
KEYS = {
    "indicator_value": (("indicator_id", "area_id", "region_code", "period"),
                        ("area_id", "region_code"), "uq_indicator_value_indicator_id"),
    "survey_score": (("area_id", "region_code", "wave", "dimension"),
                     ("area_id", "region_code"), "uq_survey_score_area_id"),
    "spending": (("year", "area_id", "project_id", "law"),
                 ("area_id", "project_id"), "uq_spending_year"),
}
SHOWN = 20  # duplicate keys listed per table


class DuplicateKeys(RuntimeError):
    """The data breaks the new unique keys; nothing was changed."""


def _expression(column: str, nullable: tuple[str, ...]) -> str:
    if column not in nullable:
        return column
    return f"coalesce({column}, {0 if column.endswith('_id') else repr('')})"


def duplicate_report(connection: sa.Connection) -> list[str]:
    """One line per key that occurs more than once (GROUP BY treats NULLs as equal)."""
    lines = []
    for table, (columns, _nullable, _old) in KEYS.items():
        t = sa.table(table, *(sa.column(c) for c in (*columns, "id")))
        group = [t.c[c] for c in columns]
        rows = connection.execute(
            sa.select(*group, sa.func.count().label("n"), sa.func.min(t.c.id).label("first_id"),
                      sa.func.max(t.c.id).label("last_id"))
            .group_by(*group).having(sa.func.count() > 1).order_by(*group)).mappings().all()
        for row in rows[:SHOWN]:
            key = ", ".join(f"{c}={row[c]!r}" for c in columns)
            lines.append(f"{table}: {key} staat {row['n']} keer in de tabel "
                         f"(id {row['first_id']} t/m {row['last_id']})")
        if len(rows) > SHOWN:
            lines.append(f"{table}: en nog {len(rows) - SHOWN} dubbele sleutels")
    return lines


def upgrade() -> None:
    duplicates = duplicate_report(op.get_bind())
    if duplicates:
        raise DuplicateKeys(
            "Migratie 0003 geweigerd: deze sleutels komen meer dan eens voor. Er is niets "
            "gewijzigd of verwijderd; kies per sleutel welke rij blijft, verwijder de andere "
            "(bijvoorbeeld via Gegevens beheren) en migreer opnieuw.\n  "
            + "\n  ".join(duplicates))
    for table, (columns, nullable, old) in KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(old, type_="unique")
        op.create_index(f"uq_{table}_key", table,
                        [sa.text(_expression(c, nullable)) if c in nullable else c
                         for c in columns], unique=True)


def downgrade() -> None:
    for table, (columns, _nullable, old) in KEYS.items():
        op.drop_index(f"uq_{table}_key", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.create_unique_constraint(old, list(columns))
