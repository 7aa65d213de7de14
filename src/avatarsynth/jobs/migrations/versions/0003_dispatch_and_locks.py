"""Distributed mode: when a job's task was last sent, and lease rows for periodic work.

``dispatched_at`` lets the periodic re-dispatch find jobs whose message never left a killed
API process (or was lost by the broker). ``locks`` holds one row per kind of periodic work
(retention, re-dispatch): whoever holds an unexpired row runs it, so several API processes
never sweep at once. Rows, not PostgreSQL advisory locks, so SQLite behaves the same.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("dispatched_at", sa.DateTime(), nullable=True))
    op.create_table(
        "locks",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("locks")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("dispatched_at")
