"""Job progress: how far a running job's render has come (``properties.progress``), written by
whoever renders it, only ever forwards.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("progress_percent", sa.Float(), nullable=True))
        batch.add_column(sa.Column("progress_stage", sa.String(16), nullable=True))
        batch.add_column(sa.Column("progress_frames_done", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("progress_frames_total", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("progress_frames_total")
        batch.drop_column("progress_frames_done")
        batch.drop_column("progress_stage")
        batch.drop_column("progress_percent")
