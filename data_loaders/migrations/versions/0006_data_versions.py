"""data versions: one counter per dataset for cache keys

Every transaction that changes a dataset raises its counter (``data_loaders.versions``);
the caches of every replica read the counters once per script run and put them in their
keys, instead of emptying the writing replica's cache after a save.

Revision ID: 0006_data_versions
Revises: 0004_opendata
Create Date: 2026-12-02 12:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_data_versions"
down_revision: str | Sequence[str] | None = "0005_areas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("dataset", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("dataset", name=op.f("pk_data_version")),
    )


def downgrade() -> None:
    op.drop_table("data_version")
