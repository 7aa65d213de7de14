"""``build(settings)``: the one place a process's runtime is made, for ``serve`` and ``worker``.

Both kinds of process share a deployment's parts: the job database, the result store and the
pipeline as workers run it (long videos planned in chunks of ``settings.chunk_s``). An API
process then serves a :class:`~avatarsynth.jobs.JobService` whose scheduler is Celery when a
broker is configured (this process renders nothing) or its own runner threads and worker
processes (embedded); a worker process wraps the same parts in its task context.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from avatarsynth import pipeline
from avatarsynth.config import Settings
from avatarsynth.dispatch import Dispatcher, RenderFn
from avatarsynth.jobs import (
    Check,
    JobService,
    JobStore,
    Scheduler,
    Sweeper,
    fetch_policy,
    open_database,
)
from avatarsynth.runtime._embedded import embedded
from avatarsynth.storage import Storage, open_storage
from avatarsynth.tasks import CeleryScheduler, SendChunks, WorkerContext
from avatarsynth.tasks import run_worker as run_celery_worker


@dataclass
class Runtime:
    """One process's connections to the deployment, and the pipeline its workers run."""

    settings: Settings
    store: JobStore
    storage: Storage
    render: RenderFn

    def service(
        self, *, dispatcher: Dispatcher | None = None, check: Check = pipeline.check
    ) -> JobService:
        """The API process's side: jobs accepted after ``check``, run by Celery workers or
        by ``dispatcher`` (default: worker processes here running ``render``), and swept."""
        scheduler: Scheduler = (
            CeleryScheduler(self.settings, self.store)
            if self.settings.broker_url
            else embedded(self.settings, self.store, self.storage, self.render, dispatcher)
        )
        sweeper = Sweeper(
            self.store,
            self.storage,
            self.settings.sweep_interval_s,
            extra=scheduler.periodic(),
        )
        return JobService(
            self.store,
            self.storage,
            scheduler,
            sweeper,
            check,
            fetch_policy(self.settings),
            self.settings.max_running_jobs,
        )

    def worker(self, *, send_chunks: SendChunks | None = None) -> WorkerContext:
        """A Celery worker process's side: the context its tasks run in."""
        return WorkerContext.create(
            self.settings, self.store, self.storage, self.render, send_chunks
        )


def build(settings: Settings, *, render: RenderFn | None = None) -> Runtime:
    """Connect to the job database and the result store; ``render`` defaults to the real
    pipeline (tests replace it)."""
    return Runtime(
        settings,
        JobStore(open_database(settings.sqlalchemy_url)),
        open_storage(settings),
        render or partial(pipeline.begin, chunk_s=settings.chunk_s),
    )


def run_worker(settings: Settings, *, concurrency: int | None = None) -> None:
    """``avatarsynth worker``: a Celery worker whose every process builds its own runtime
    from ``settings`` (blocks)."""
    run_celery_worker(settings, lambda: build(settings).worker(), concurrency=concurrency)
