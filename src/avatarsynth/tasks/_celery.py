"""The Celery application, and the API side of Celery mode: sending tasks, re-sending lost ones.

Tasks are acknowledged late (after they ran) and rejected back to the queue when their worker
process is lost, so a killed worker's job is delivered again; each worker takes one task at a
time (no prefetch), so a dying worker strands no queued work. A task is one job: a few inputs'
renders, far below Redis' visibility timeout (``task_visibility_timeout_s``); should one run
longer, the redelivered copy finds the job's lease alive and does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from celery import Celery

from avatarsynth.config import Settings
from avatarsynth.jobs import JobStore, utcnow

RUN_JOB = "avatarsynth.run_job"
_LOG = logging.getLogger(__name__)


def make_celery(settings: Settings) -> Celery:
    """A Celery app on the configured broker; no result backend (the database has results)."""
    app = Celery("avatarsynth", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=settings.queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": settings.task_visibility_timeout_s},
        broker_heartbeat=10,
    )
    return app


class CeleryScheduler:
    """The ``Scheduler`` of Celery mode: sends each new job's task; re-sends tasks of jobs left
    behind (periodic, one API process at a time). Holds no state of its own: any API process
    may send any job's task."""

    def __init__(self, settings: Settings, store: JobStore) -> None:
        self.settings, self.store = settings, store
        self.app = make_celery(settings)

    def start(self) -> None:
        """Nothing runs here: workers are separate processes."""

    def stop(self) -> None:
        """Close the broker connections."""
        self.app.close()

    def submitted(self, internal_id: str) -> None:
        """A job was stored: send its task. A failure leaves it to the re-dispatch."""
        try:
            self.send([internal_id])
        except Exception:
            _LOG.exception("Could not send job %s to the broker; it will be re-sent", internal_id)

    def send(self, internal_ids: list[str]) -> None:
        """Send tasks, then record that they were sent."""
        for internal_id in internal_ids:
            self.app.send_task(RUN_JOB, args=[internal_id], queue=self.settings.queue)
        self.store.mark_dispatched(internal_ids)

    def redispatch(self) -> int:
        """Re-send the tasks of jobs whose message was lost or whose worker died."""
        found = self.store.to_dispatch(utcnow(), self.settings.redispatch_after_s)
        if found:
            _LOG.info("Re-sending %d job(s) to the broker", len(found))
            self.send(found)
        return len(found)

    def readiness(self) -> Mapping[str, Callable[[], object]]:
        """The broker must accept connections."""
        return {"broker": self._ping_broker}

    def periodic(self) -> Mapping[str, Callable[[], object]]:
        """Lost tasks are re-sent."""
        return {"redispatch": self.redispatch}

    def _ping_broker(self) -> None:
        """Raise unless the broker accepts a connection (readiness)."""
        with self.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
