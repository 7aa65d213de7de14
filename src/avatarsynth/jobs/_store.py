"""The job store: every read and write of the job table goes through here.

Short transactions, one per call, so API requests and workers never hold locks across a render.
Claiming is a compare-and-set (see ``_lifecycle``), which keeps it safe with several workers and
several processes on one database. On PostgreSQL the candidate row is also read with
``FOR UPDATE SKIP LOCKED``, so racing workers each get a different job at once instead of
queueing on one row and losing the compare-and-set; SQLite (one writer at a time) renders no
lock clause and relies on the compare-and-set alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from avatarsynth.errors import Conflict, InvalidRequest, NotFound, TooManyRequests
from avatarsynth.jobs._deliveries import waiting_delivery
from avatarsynth.jobs._lifecycle import FINISHED, Status, record_failure, transition
from avatarsynth.jobs._models import Job, Lock
from avatarsynth.jobs._spec import Flavor, JobSpec

_MIGRATIONS = Path(__file__).parent / "migrations"
_PUBLISH_GRACE_S = 10.0
"""A new job whose task was never marked sent after this long lost it with its API process."""
_A_SECOND = timedelta(seconds=1)
_RETRY_AFTER_S = 30
"""A 3-second clip renders in about 2 s; half a minute frees a slot under most loads."""


def utcnow() -> datetime:
    """Now, as the naive UTC datetime the table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


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


class JobStore:
    """Jobs in a SQL database (SQLite by default, PostgreSQL when configured)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        """A short-lived session for one read; writes use their own transactions."""
        return self._session()

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
            if new.spec.webhook_url is not None:
                session.add(waiting_delivery(job, new.spec.webhook_url))
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

    def by_internal_id(self, internal_id: str) -> Job | None:
        """Any owner's job by internal id (runners and result downloads), or ``None``."""
        with self.session() as session:
            return session.get(Job, internal_id)

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

    def unfinished(self) -> int:
        """Jobs waiting or running: what the quota counts."""
        with self.session() as session:
            return self._unfinished(session)

    @staticmethod
    def _unfinished(session: Session) -> int:
        count = session.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.status.in_([Status.NOT_STARTED.value, Status.RUNNING.value]))
        )
        return int(count or 0)

    def claim(self, node: str, lease_s: float) -> Job | None:
        """Take the oldest waiting job, or a running one whose worker stopped renewing it."""
        now = utcnow()
        lease = now + timedelta(seconds=lease_s)
        with self._session.begin() as session:
            candidate = session.scalar(
                select(Job)
                .where(
                    or_(
                        Job.status == Status.NOT_STARTED.value,
                        (Job.status == Status.RUNNING.value) & (Job.lease_expires_at < now),
                    )
                )
                .order_by(Job.created_at)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if candidate is None:
                return None
            claimed = self._take(session, candidate, node, now, lease)
        return self.by_internal_id(candidate.internal_id) if claimed else None

    def claim_job(self, internal_id: str, node: str, lease_s: float) -> Job | None:
        """Take one named job (a Celery task's): if it waits, or its worker stopped renewing
        it. ``None`` when it is finished, deleted, or another live worker holds it, so a
        redelivered or duplicated task does nothing."""
        now = utcnow()
        lease = now + timedelta(seconds=lease_s)
        with self._session.begin() as session:
            job = session.get(Job, internal_id)
            claimable = job is not None and (
                job.status == Status.NOT_STARTED.value
                or (
                    job.status == Status.RUNNING.value
                    and job.lease_expires_at is not None
                    and job.lease_expires_at < now
                )
            )
            if job is None or not claimable:
                return None
            claimed = self._take(session, job, node, now, lease)
        return self.by_internal_id(internal_id) if claimed else None

    def to_dispatch(self, now: datetime, again_after_s: float) -> list[str]:
        """Jobs whose task must be sent (again): waiting ones never marked sent (their API
        process died first) or sent long ago (a lost message), and running ones whose worker
        died since their task was last sent. A task sent twice is harmless (see
        :meth:`claim_job`)."""
        unsent = now - timedelta(seconds=_PUBLISH_GRACE_S)
        long_ago = now - timedelta(seconds=again_after_s)
        waiting = (Job.status == Status.NOT_STARTED.value) & or_(
            (Job.dispatched_at.is_(None) & (Job.created_at < unsent)),
            Job.dispatched_at < long_ago,
        )
        orphaned = (
            (Job.status == Status.RUNNING.value)
            & (Job.lease_expires_at < now)
            & or_(
                Job.dispatched_at.is_(None),
                Job.dispatched_at < Job.lease_expires_at,
                Job.dispatched_at < long_ago,
            )
        )
        with self.session() as session:
            rows = session.scalars(
                select(Job.internal_id).where(or_(waiting, orphaned)).order_by(Job.created_at)
            )
            return list(rows)

    def mark_dispatched(self, internal_ids: list[str], when: datetime | None = None) -> None:
        """Record that these jobs' tasks were sent to the broker."""
        if not internal_ids:
            return
        with self._session.begin() as session:
            session.execute(
                update(Job)
                .where(Job.internal_id.in_(internal_ids))
                .values(dispatched_at=when or utcnow())
            )

    def try_lock(self, name: str, holder: str, ttl_s: float, *, create: bool = True) -> bool:
        """Hold the lease row ``name`` for ``ttl_s`` seconds if it is free, expired or ours
        already: a compare-and-set, so of several processes exactly one wins. With
        ``create=False`` a row that does not exist (see :meth:`open_locks`) is never won."""
        if create:
            self.open_locks([name])
        now = utcnow()
        with self._session.begin() as session:
            result = session.execute(
                update(Lock)
                .where(Lock.name == name, or_(Lock.holder == holder, Lock.expires_at < now))
                .values(holder=holder, expires_at=now + timedelta(seconds=ttl_s))
            )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def open_locks(self, names: list[str]) -> None:
        """Lease rows ``names``, free, for :meth:`try_lock` to compete for (existing rows are
        left as they are)."""
        now = utcnow()
        for name in names:
            try:
                with self._session.begin() as session:
                    if session.get(Lock, name) is None:
                        session.add(Lock(name=name, holder=None, expires_at=now - _A_SECOND))
            except IntegrityError:
                pass  # another process inserted the row first: it is there, as wanted

    def hand_lock(self, name: str, holder: str, to: str, ttl_s: float) -> bool:
        """Give our lease row to holder ``to`` for ``ttl_s`` seconds (a finished piece of work
        marked done); ``False`` when it was not ours (any more)."""
        with self._session.begin() as session:
            result = session.execute(
                update(Lock)
                .where(Lock.name == name, Lock.holder == holder)
                .values(holder=to, expires_at=utcnow() + timedelta(seconds=ttl_s))
            )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def lock_holders(self, prefix: str) -> dict[str, str | None]:
        """Every lease row whose name starts with ``prefix``: its live holder, or ``None``
        when it is free or its holder stopped renewing it."""
        now = utcnow()
        with self.session() as session:
            rows = session.execute(
                select(Lock.name, Lock.holder, Lock.expires_at).where(
                    Lock.name.startswith(prefix, autoescape=True)
                )
            )
            return {name: holder if expires >= now else None for name, holder, expires in rows}

    def drop_locks(self, prefix: str) -> None:
        """Delete the lease rows whose name starts with ``prefix`` (their work is over)."""
        with self._session.begin() as session:
            session.execute(delete(Lock).where(Lock.name.startswith(prefix, autoescape=True)))

    def unlock(self, name: str, holder: str) -> None:
        """Give the lease row back early (the work is done)."""
        with self._session.begin() as session:
            session.execute(
                update(Lock)
                .where(Lock.name == name, Lock.holder == holder)
                .values(holder=None, expires_at=utcnow())
            )

    @staticmethod
    def _take(session: Session, job: Job, node: str, now: datetime, lease: datetime) -> bool:
        lease_columns: dict[str, Any] = {
            "lease_owner": node,
            "lease_expires_at": lease,
            "attempts": job.attempts + 1,
        }
        if job.status == Status.NOT_STARTED.value:
            return transition(
                session, job.internal_id, Status.NOT_STARTED, Status.RUNNING, now, **lease_columns
            )
        # A dead worker's job: same status, new owner (compare-and-set on the old lease).
        result = session.execute(
            update(Job)
            .where(
                Job.internal_id == job.internal_id,
                Job.status == Status.RUNNING.value,
                Job.lease_expires_at < now,
            )
            .values(**lease_columns)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def renew(self, internal_id: str, node: str, lease_s: float) -> bool:
        """Extend our lease; ``False`` means the job is gone or another worker owns it."""
        with self._session.begin() as session:
            result = session.execute(
                update(Job)
                .where(
                    Job.internal_id == internal_id,
                    Job.lease_owner == node,
                    Job.status == Status.RUNNING.value,
                )
                .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
            )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def release_all(self, node: str) -> int:
        """At start-up: this node's running jobs lost their worker; let them be claimed now."""
        with self._session.begin() as session:
            result = session.execute(
                update(Job)
                .where(Job.lease_owner == node, Job.status == Status.RUNNING.value)
                .values(lease_expires_at=utcnow() - timedelta(seconds=1))
            )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def finish(
        self,
        job: Job,
        node: str,
        to: Status,
        results: str,
        error: tuple[str, str] | None = None,
    ) -> bool:
        """Record a job's outcome; ``False`` if it was deleted or taken over meanwhile."""
        now = utcnow()
        ttl = timedelta(hours=JobSpec.from_json(job.spec).ttl_hours)
        columns = {
            "results": results,
            "expires_at": now + ttl,
            "lease_owner": None,
            "lease_expires_at": None,
        }
        with self._session.begin() as session:
            if to is Status.FAILED:
                code, message = error or ("InternalServerError", "The job failed.")
                return record_failure(
                    session, job.internal_id, now, code, message, held_by=node, **columns
                )
            return transition(
                session, job.internal_id, Status.RUNNING, to, now, held_by=node, **columns
            )

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
