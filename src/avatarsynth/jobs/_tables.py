"""What every part of the job store shares: the database's engine, short sessions, the clock.

Short transactions, one per call, so API requests and workers never hold locks across a render.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from avatarsynth.jobs._models import Job


def utcnow() -> datetime:
    """Now, as the naive UTC datetime the table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


class Tables:
    """One database, opened by :func:`~avatarsynth.jobs.open_database`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        """A short-lived session for one read; writes use their own transactions."""
        return self._session()

    def by_internal_id(self, internal_id: str) -> Job | None:
        """Any owner's job by internal id (runners and result downloads), or ``None``."""
        with self.session() as session:
            return session.get(Job, internal_id)
