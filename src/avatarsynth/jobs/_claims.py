"""Who runs a job: claims, leases and the outcome, on the job rows.

Claiming is a compare-and-set (see ``_lifecycle``), which keeps it safe with several workers and
several processes on one database. On PostgreSQL the candidate row is also read with
``FOR UPDATE SKIP LOCKED``, so racing workers each get a different job at once instead of
queueing on one row and losing the compare-and-set; SQLite (one writer at a time) renders no
lock clause and relies on the compare-and-set alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from avatarsynth.jobs._lifecycle import Status, record_failure, transition
from avatarsynth.jobs._models import Job
from avatarsynth.jobs._progress import DONE, RUNNING_MAX, JobProgress
from avatarsynth.jobs._spec import JobSpec
from avatarsynth.jobs._tables import Tables, utcnow

_PUBLISH_GRACE_S = 10.0
"""A new job whose task was never marked sent after this long lost it with its API process."""


class JobClaims(Tables):
    """Workers take jobs, keep them with a lease, and record how they ended."""

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

    def report_progress(self, internal_id: str, node: str, progress: JobProgress) -> bool:
        """Record how far our running job has come; ``False`` (nothing written) unless it is
        further than what the job shows already: progress never goes backwards, not even when a
        job is rendered again from the start, and stays below 100 while running."""
        percent = min(progress.percent, RUNNING_MAX)
        with self._session.begin() as session:
            result = session.execute(
                update(Job)
                .where(
                    Job.internal_id == internal_id,
                    Job.lease_owner == node,
                    Job.status == Status.RUNNING.value,
                    or_(Job.progress_percent.is_(None), Job.progress_percent < percent),
                )
                .values(
                    progress_percent=percent,
                    progress_stage=progress.stage[:16],
                    progress_frames_done=progress.frames_done,
                    progress_frames_total=progress.frames_total,
                )
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
            done = {
                "progress_percent": 100.0,
                "progress_stage": DONE,
                "progress_frames_done": Job.progress_frames_total,
            }
            return transition(
                session, job.internal_id, Status.RUNNING, to, now, held_by=node, **columns, **done
            )
