"""areas: active flag and note

Revision ID: 0005_areas
Revises: 0004_opendata
Create Date: 2026-12-02 12:00:00

An area removed from the registry (``geo/areas.toml``) is deactivated, never deleted: its
figures stay. ``note`` explains an area's state, e.g. that its CBS parts are not known yet
(Douvenrade). Existing areas start active with an empty note.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005_areas"
down_revision: Union[str, Sequence[str], None] = "0004_opendata"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: a batch copy of ``area`` would drop a table that
    # figures, coaches and kernteams still refer to.
    with op.batch_alter_table("area", recreate="never") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(),
                                   nullable=False))
        batch.add_column(sa.Column("note", sa.String(length=400), server_default="",
                                   nullable=False))


def downgrade() -> None:
    for column in ("note", "active"):
        with op.batch_alter_table("area", recreate="never") as batch:
            batch.drop_column(column)
