"""Webhook deliveries as rows: written with the job, given their event and body when the job
finishes, then tried until the receiver takes them or six hours pass.

The rows make retries outlive restarts, and the delivery id (the row's key, sent with every
attempt) lets a receiver drop a call it already took: at most once per job per event from the
receiver's view, whichever process sends it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from avatarsynth.jobs._lifecycle import FINISHED
from avatarsynth.jobs._models import Job, WebhookDelivery
from avatarsynth.jobs._tables import Tables

GIVE_UP_AFTER = timedelta(hours=6)
MAX_WAIT = timedelta(minutes=10)


def waiting_delivery(job: Job, url: str) -> WebhookDelivery:
    """The row stored with a new job that has a ``webhookUrl``."""
    return WebhookDelivery(
        delivery_id=str(uuid.uuid4()),
        internal_id=job.internal_id,
        owner=job.owner,
        url=url,
        attempts=0,
    )


@dataclass(frozen=True)
class Due:
    """One call to make now."""

    delivery_id: str
    owner: str
    url: str
    event: str
    body: str
    attempts: int


class Deliveries(Tables):
    """The delivery rows of one job database."""

    def newly_finished(self) -> list[Job]:
        """Jobs that finished since their delivery was written; forgets deliveries whose job
        was deleted before it finished."""
        with self._session.begin() as session:
            session.execute(
                delete(WebhookDelivery).where(
                    WebhookDelivery.event.is_(None),
                    ~WebhookDelivery.internal_id.in_(select(Job.internal_id)),
                )
            )
            query = (
                select(Job)
                .join(WebhookDelivery, WebhookDelivery.internal_id == Job.internal_id)
                .where(WebhookDelivery.event.is_(None), Job.status.in_(FINISHED))
            )
            return list(session.scalars(query))

    def finished(self, internal_id: str, event: str, body: str, now: datetime) -> None:
        """Fix the event and the body every attempt sends; due at once."""
        with self._session.begin() as session:
            session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.internal_id == internal_id, WebhookDelivery.event.is_(None))
                .values(event=event, body=body, finished_at=now, next_at=now)
            )

    def due(self, now: datetime, limit: int = 20) -> list[Due]:
        with self._session() as session:
            rows = session.scalars(
                select(WebhookDelivery)
                .where(WebhookDelivery.next_at.is_not(None), WebhookDelivery.next_at <= now)
                .order_by(WebhookDelivery.next_at)
                .limit(limit)
            )
            return [
                Due(
                    row.delivery_id,
                    row.owner,
                    row.url,
                    row.event or "",
                    row.body or "",
                    row.attempts,
                )
                for row in rows
            ]

    def delivered(self, delivery_id: str, now: datetime) -> None:
        self._record(delivery_id, delivered_at=now, next_at=None, last_error=None)

    def failed(self, due: Due, error: str, now: datetime, first_wait_s: float) -> None:
        """Try again after a doubling wait (at most ten minutes), for six hours."""
        wait = min(timedelta(seconds=first_wait_s * 2**due.attempts), MAX_WAIT)
        with self._session() as session:
            row = session.get(WebhookDelivery, due.delivery_id)
            started = row.finished_at if row is not None and row.finished_at else now
        retry = now + wait if now + wait - started <= GIVE_UP_AFTER else None
        self._record(due.delivery_id, next_at=retry, last_error=error[:2000])

    def _record(self, delivery_id: str, **values: object) -> None:
        with self._session.begin() as session:
            row = session.get(WebhookDelivery, delivery_id)
            if row is None:
                return
            row.attempts += 1
            for name, value in values.items():
                setattr(row, name, value)
