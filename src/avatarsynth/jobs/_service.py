"""Jobs as a running service: accepted (checked, stored, scheduled), run, swept, probed.

Who runs stored jobs depends on the deployment: runner threads in the API process feeding its
worker processes (embedded, ``avatarsynth.runtime``), or Celery workers on any host
(``avatarsynth.tasks``). Both are a :class:`Scheduler`; ``avatarsynth.runtime.build`` picks
one from the settings and hands the API a :class:`JobService` around it, so the API never
needs to know which.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text

from avatarsynth.fetch import FetchPolicy
from avatarsynth.jobs._models import Job
from avatarsynth.jobs._retention import Periodic
from avatarsynth.jobs._spec import Flavor
from avatarsynth.jobs._store import JobStore, NewJob
from avatarsynth.jobs._work import Check, check_inputs
from avatarsynth.storage import Storage
from avatarsynth.telemetry import bind, metrics

_LOG = logging.getLogger(__name__)
KIND_OF = {Flavor.CURRENT: "avatar", Flavor.LEGACY: "avatar-legacy", Flavor.AUDIO: "audio"}
"""A job's kind as the metrics label it (the API generation that created it)."""


class Scheduler(Protocol):
    """Who runs stored jobs."""

    def start(self) -> None:
        """Begin running jobs (when the server starts)."""

    def stop(self) -> None:
        """Stop running jobs (when the server stops): renders in progress get the shutdown
        grace period to finish, then their jobs are handed back to be run again at once."""

    def submitted(self, internal_id: str) -> None:
        """A job was stored: see that it runs."""

    def readiness(self) -> Mapping[str, Callable[[], object]]:
        """What this scheduler needs to reach, by name, each with a check that raises when it
        cannot (the broker in Celery mode; nothing when jobs run here)."""

    def periodic(self) -> Mapping[str, Callable[[], object]]:
        """Work to run every sweep, by one API process of the deployment at a time (Celery
        mode re-sends lost tasks; nothing when jobs run here)."""


@dataclass
class JobService:
    """What the API serves: the job store and result store, and behind them whoever runs jobs
    and the sweeper; ``check`` is the pipeline's own check of a request, which every input of
    a job passes before the job is accepted (tests replace it)."""

    store: JobStore
    storage: Storage
    scheduler: Scheduler
    sweeper: Periodic
    check: Check
    policy: FetchPolicy
    max_unfinished: int

    def submit(self, new: NewJob) -> Job:
        """Check every input, store the job (or find its twin), see that it runs. Blocking
        (up to 10,000 parses): the API calls it in its thread pool."""
        check_inputs(new.spec, self.check, self.policy)
        job, created = self.store.create(new, str(uuid.uuid4()), max_unfinished=self.max_unfinished)
        if created:
            metrics().jobs_created.labels(KIND_OF[Flavor(job.flavor)]).inc()
            with bind(job_id=job.job_id, internal_id=job.internal_id):
                _LOG.info("Job created with %d input(s)", len(new.spec.inputs))
                self.scheduler.submitted(job.internal_id)
        return job

    def unready(self) -> list[str]:
        """What this process cannot reach now (database, result store, the scheduler's
        broker): readiness."""
        checks = {
            "database": self._ping_database,
            "storage": self.storage.check,
            **self.scheduler.readiness(),
        }
        failed = []
        for name, check in checks.items():
            try:
                check()
            except Exception:
                failed.append(name)
        return failed

    def _ping_database(self) -> None:
        with self.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def start(self) -> None:
        """Run jobs and sweep while the server runs."""
        self.scheduler.start()
        self.sweeper.start()

    def stop(self) -> None:
        """Stop sweeping and running (renders get the grace period), then disconnect."""
        self.sweeper.stop()
        self.scheduler.stop()
        self.store.engine.dispose()
