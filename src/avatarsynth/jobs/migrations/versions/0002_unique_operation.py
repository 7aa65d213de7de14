"""An Operation-Id names one request per owner: enforce it in the database.

Two PUTs racing with one Operation-Id and different bodies could otherwise both pass the store's
check and both be inserted.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.drop_index("ix_jobs_owner_operation", table_name="jobs")
    op.create_index("ix_jobs_owner_operation", "jobs", ["owner", "operation_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_jobs_owner_operation", table_name="jobs")
    op.create_index("ix_jobs_owner_operation", "jobs", ["owner", "operation_id"])
