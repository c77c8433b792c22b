"""master data: active flags, editable interventions, evidence directions, settings rows

Revision ID: 0007_master_data
Revises: 0004_opendata
Create Date: 2026-12-02 13:00:00

Every table a page reads gets a way in through Gegevens beheren and Importeren
(``dashboard.domain.datasets``), which saves with optimistic locking (a ``version`` column)
and matches rows by primary key ``id``:

- indicator, coach, kernteam: ``active`` (master data that figures depend on is
  deactivated, never deleted from under them); existing rows stay active.
- intervention: ``version`` and ``method`` (basislijn or nieuwe fase); existing rows
  freeze the baseline, as the charts did so far.
- decision_evidence: ``version`` and ``expected_direction`` (omlaag/omhoog; empty: the
  polarity decides, as before).
- setting: rebuilt with an ``id`` primary key, ``key`` unique and a ``version``; the
  stored values are kept.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_master_data"
down_revision: str | Sequence[str] | None = "0006_data_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = ("indicator", "coach", "kernteam")


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def _settings() -> list[tuple]:
    """The stored settings, values decoded by the JSON type (as the dialect needs)."""
    table = sa.table("setting", sa.column("key", sa.String()), sa.column("value", sa.JSON()))
    return list(op.get_bind().execute(sa.select(table.c.key, table.c.value)))


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: a batch copy would drop tables others refer to.
    for table in ACTIVE:
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(),
                                       nullable=False))
    with op.batch_alter_table("intervention", recreate="never") as batch:
        batch.add_column(_version())
        batch.add_column(sa.Column("method", sa.String(length=20), server_default="basislijn",
                                   nullable=False))
    with op.batch_alter_table("decision_evidence", recreate="never") as batch:
        batch.add_column(_version())
        batch.add_column(sa.Column("expected_direction", sa.String(length=10), nullable=True))

    rows = _settings()
    op.drop_table("setting")
    setting = op.create_table(
        "setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setting")),
        sa.UniqueConstraint("key", name=op.f("uq_setting_key")),
    )
    if rows:
        op.bulk_insert(setting, [{"key": k, "value": v, "version": 1} for k, v in rows])


def downgrade() -> None:
    rows = _settings()
    op.drop_table("setting")
    setting = op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    if rows:
        op.bulk_insert(setting, [{"key": k, "value": v} for k, v in rows])
    for table, column in (("decision_evidence", "expected_direction"),
                          ("decision_evidence", "version"), ("intervention", "method"),
                          ("intervention", "version"), *((t, "active") for t in ACTIVE)):
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column(column)
