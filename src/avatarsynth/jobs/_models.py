"""The job table. Alembic migrations (``jobs/migrations``) create it; nothing else does.

Times are naive UTC datetimes, so SQLite and PostgreSQL compare them the same way.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the job store's tables."""


class Job(Base):
    """One batch synthesis job, as its owner's API key created it."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("owner", "job_id", name="uq_jobs_owner_job_id"),
        Index("ix_jobs_claim", "status", "created_at"),
        Index("ix_jobs_owner_created", "owner", "created_at"),
        Index("ix_jobs_expires", "expires_at"),
        Index("ix_jobs_owner_operation", "owner", "operation_id", unique=True),
    )

    internal_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the API key that created the job (never the key itself)."""
    job_id: Mapped[str] = mapped_column(String(64))
    flavor: Mapped[str] = mapped_column(String(20))
    api_version: Mapped[str] = mapped_column(String(40))
    operation_id: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    spec: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    last_action_at: Mapped[datetime] = mapped_column(DateTime())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    results: Mapped[str | None] = mapped_column(Text, nullable=True)
    """JSON: per-input outcomes and the job's totals, written when it finishes."""
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    """Celery mode: when the job's task was last sent to the broker."""
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    progress_percent: Mapped[float | None] = mapped_column(Float, nullable=True)
    """How far the render has come (``_progress``): empty until it is first told, then only
    ever larger; 100 with ``Succeeded`` alone."""
    progress_stage: Mapped[str | None] = mapped_column(String(16), nullable=True)
    progress_frames_done: Mapped[int | None] = mapped_column(Integer, nullable=True)
    progress_frames_total: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Lock(Base):
    """A lease on one kind of periodic work: its holder runs it until ``expires_at``."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime())


class WebhookDelivery(Base):
    """The one call a job's ``webhookUrl`` gets when the job finishes, and its attempts (kept,
    so retries go on across restarts). ``event`` is empty until the job finishes."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "event", "next_at"),)

    delivery_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    """Sent with every attempt, so a receiver can drop a repeat."""
    internal_id: Mapped[str] = mapped_column(String(36), unique=True)
    owner: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    event: Mapped[str | None] = mapped_column(String(16), nullable=True)
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The job as JSON when it finished: every attempt sends the same bytes."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    next_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    """When to try next; empty once delivered or given up."""
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
