"""The job store: every read and write of the job and lock tables goes through here.

It is split by concern: :class:`JobRecords` creates, reads and deletes jobs (the API and
retention), :class:`~avatarsynth.jobs._claims.JobClaims` hands jobs to workers and records how
they ended, :class:`~avatarsynth.jobs._locks.LockRows` holds named leases. :class:`JobStore` is
all three on one database, so the runtime opens one object and passes it around.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from avatarsynth.errors import Conflict, InvalidRequest, NotFound, TooManyRequests
from avatarsynth.jobs._claims import JobClaims
from avatarsynth.jobs._lifecycle import FINISHED, Status
from avatarsynth.jobs._locks import LockRows
from avatarsynth.jobs._models import Job
from avatarsynth.jobs._spec import Flavor, JobSpec
from avatarsynth.jobs._tables import Tables, utcnow

_MIGRATIONS = Path(__file__).parent / "migrations"
_RETRY_AFTER_S = 30
"""A 3-second clip renders in about 2 s; half a minute frees a slot under most loads."""


def owner_of(api_key: str) -> str:
    """Jobs belong to a key; the table keeps only its hash."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_database(url: str) -> Engine:
    """Connect and bring the schema to the newest migration."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return engine


@dataclass(frozen=True)
class NewJob:
    """A validated create request, ready to store."""

    owner: str
    job_id: str
    api_version: str
    spec: JobSpec
    request_hash: str
    operation_id: str


class JobRecords(Tables):
    """Jobs as the API sees them: created once, read, listed and deleted."""

    def create(
        self, new: NewJob, internal_id: str, *, max_unfinished: int | None = None
    ) -> tuple[Job, bool]:
        """Store a job; an identical retry returns the first one (``created`` is False).

        ``max_unfinished`` is the quota of waiting and running jobs: past it a new job is a
        429, while a retry of an accepted one still gets its job back.

        Two PUTs of one id racing each other both pass the lookup; the unique constraint stops
        the second insert, which then answers as a retry would (same body) or as a conflict.
        """
        try:
            return self._insert(new, internal_id, max_unfinished)
        except IntegrityError:
            return self._insert(new, internal_id, max_unfinished)

    def _insert(
        self, new: NewJob, internal_id: str, max_unfinished: int | None
    ) -> tuple[Job, bool]:
        with self._session.begin() as session:
            existing = self._find(session, new.owner, new.job_id)
            if existing is not None:
                if existing.request_hash != new.request_hash:
                    raise Conflict(
                        f"A job with id '{new.job_id}' already exists with another body."
                    )
                return existing, False
            self._check_operation(session, new)
            if max_unfinished is not None and self._unfinished(session) >= max_unfinished:
                raise TooManyRequests(
                    "Too many jobs are waiting or running; retry later.",
                    retry_after_s=_RETRY_AFTER_S,
                )
            now = utcnow()
            job = Job(
                internal_id=internal_id,
                owner=new.owner,
                job_id=new.job_id,
                flavor=new.spec.flavor.value,
                api_version=new.api_version,
                operation_id=new.operation_id,
                request_hash=new.request_hash,
                spec=new.spec.to_json(),
                status=Status.NOT_STARTED.value,
                created_at=now,
                last_action_at=now,
                attempts=0,
            )
            session.add(job)
        return job, True

    def _check_operation(self, session: Session, new: NewJob) -> None:
        reused = session.scalar(
            select(Job).where(Job.owner == new.owner, Job.operation_id == new.operation_id)
        )
        # The same job id under the same Operation-Id is a retry of one request (perhaps racing
        # its twin): the insert's unique constraint sorts it out as a retry or a conflict.
        if reused is not None and reused.job_id != new.job_id:
            raise InvalidRequest(
                f"Operation-Id '{new.operation_id}' was already used for another request.",
                target="Operation-Id",
            )

    @staticmethod
    def _find(session: Session, owner: str, job_id: str) -> Job | None:
        return session.scalar(select(Job).where(Job.owner == owner, Job.job_id == job_id))

    def get(self, owner: str, job_id: str, flavor: Flavor) -> Job:
        """The caller's job of this API generation; ``NotFound`` too for other owners."""
        with self.session() as session:
            job = self._find(session, owner, job_id)
        if job is None or job.flavor != flavor.value:
            raise NotFound(f"There is no job with id '{job_id}'.")
        return job

    def by_operation(self, owner: str, operation_id: str) -> Job:
        """The caller's job behind an operation id; ``NotFound`` otherwise."""
        with self.session() as session:
            job = session.scalar(
                select(Job).where(Job.owner == owner, Job.operation_id == operation_id)
            )
        if job is None:
            raise NotFound(f"There is no operation with id '{operation_id}'.")
        return job

    def page(self, owner: str, flavor: Flavor, skip: int, top: int) -> tuple[list[Job], bool]:
        """Jobs newest first; the flag says whether more follow."""
        with self.session() as session:
            rows = session.scalars(
                select(Job)
                .where(Job.owner == owner, Job.flavor == flavor.value)
                .order_by(Job.created_at.desc(), Job.internal_id.desc())
                .offset(skip)
                .limit(top + 1)
            ).all()
        return list(rows[:top]), len(rows) > top

    def delete(self, owner: str, job_id: str, flavor: Flavor) -> Job:
        """Remove a job's row; the caller removes its files."""
        with self._session.begin() as session:
            job = self._find(session, owner, job_id)
            if job is None or job.flavor != flavor.value:
                raise NotFound(f"There is no job with id '{job_id}'.")
            session.delete(job)
        return job

    @staticmethod
    def _unfinished(session: Session) -> int:
        count = session.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.status.in_([Status.NOT_STARTED.value, Status.RUNNING.value]))
        )
        return int(count or 0)

    def expired(self, now: datetime) -> list[Job]:
        """Finished jobs whose time to live has passed."""
        with self.session() as session:
            return list(
                session.scalars(
                    select(Job).where(
                        Job.expires_at < now, Job.status.in_([s.value for s in FINISHED])
                    )
                )
            )

    def remove(self, internal_id: str) -> None:
        """Delete a job's row by internal id (retention); its files are the caller's job."""
        with self._session.begin() as session:
            session.execute(delete(Job).where(Job.internal_id == internal_id))


class JobStore(JobRecords, JobClaims, LockRows):
    """Jobs and lease rows in a SQL database (SQLite by default, PostgreSQL when configured)."""
