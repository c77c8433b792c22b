"""open data: catalogue licence and peildatum, interval of model estimates

Revision ID: 0004_opendata
Revises: 0003_unique_keys
Create Date: 2026-11-24 12:00:00

The open-data loaders (``python -m data_loaders.opendata``) fill the indicator catalogue
with the source's licence/attribution line and its peildatum, and store RIVM model
estimates with their 95% interval (``lower``/``upper``; nullable, in the unit of ``value``).
Existing rows keep their values: the new catalogue columns start empty.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004_opendata"
down_revision: Union[str, Sequence[str], None] = "0003_unique_keys"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("licence", sa.String(length=200), server_default="",
                                   nullable=False))
        batch.add_column(sa.Column("reference_moment", sa.String(length=120), server_default="",
                                   nullable=False))
    with op.batch_alter_table("indicator_value") as batch:
        batch.add_column(sa.Column("lower", sa.Float(), nullable=True))
        batch.add_column(sa.Column("upper", sa.Float(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of
    # ``indicator`` would drop a table that indicator values still refer to.
    for table, column in (("indicator_value", "upper"), ("indicator_value", "lower"),
                          ("indicator", "reference_moment"), ("indicator", "licence")):
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column(column)
