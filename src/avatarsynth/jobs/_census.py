"""The queue as an operator's gauges: how many jobs wait, how many run, how old the oldest
waiting one is. One query, read at scrape time from the database every process shares."""

from __future__ import annotations

from sqlalchemy import func, select

from avatarsynth.jobs._lifecycle import Status
from avatarsynth.jobs._models import Job
from avatarsynth.jobs._tables import Tables, utcnow


def queue_census(store: Tables) -> tuple[int, int, float | None]:
    """(waiting, running, seconds the oldest waiting job has waited, or None)."""
    unfinished = [Status.NOT_STARTED.value, Status.RUNNING.value]
    query = (
        select(Job.status, func.count(), func.min(Job.created_at))
        .where(Job.status.in_(unfinished))
        .group_by(Job.status)
    )
    with store.session() as session:
        rows = {status: (count, oldest) for status, count, oldest in session.execute(query)}
    waiting, oldest = rows.get(Status.NOT_STARTED.value, (0, None))
    running, _ = rows.get(Status.RUNNING.value, (0, None))
    age_s = (utcnow() - oldest).total_seconds() if oldest is not None else None
    return int(waiting), int(running), age_s
