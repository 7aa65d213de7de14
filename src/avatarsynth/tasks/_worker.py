"""The worker side of Celery mode: ``avatarsynth worker`` and the task it runs.

Each worker process builds its context once (database, result store, a render thread, the
loaded voice models) and keeps it for every task. A task claims its job by compare-and-set:
a duplicate or redelivered task of a job that is finished, deleted or held by a live worker
does nothing. While the job renders, the job's lease is renewed; if the worker dies, the lease
runs out and the job is delivered again (broker redelivery or the API's re-dispatch) and
rendered from the start, each output overwriting its own object.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from celery.signals import worker_process_init

from avatarsynth import pipeline
from avatarsynth.config import Settings, load_settings
from avatarsynth.dispatch import InlineDispatcher, RenderFn
from avatarsynth.jobs import JobRunner, JobStore, LostJob, fetch_policy, open_database
from avatarsynth.storage import Storage, open_storage
from avatarsynth.tasks._celery import RUN_JOB, make_celery

_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_context: WorkerContext | None = None


def _node() -> str:
    """This worker process's lease owner name (fits the 64-character column)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class WorkerContext:
    """What a worker process keeps between tasks."""

    store: JobStore
    storage: Storage
    runner: JobRunner
    node: str
    lease_s: float
    max_attempts: int

    @classmethod
    def build(
        cls, settings: Settings, render: RenderFn = pipeline.execute, threads: int = 1
    ) -> WorkerContext:
        """Connect to the database and the store; renders run on ``threads`` threads of this
        process (one per concurrently running task) while the task's thread renews leases."""
        store = JobStore(open_database(settings.sqlalchemy_url))
        storage = open_storage(settings)
        node = _node()
        work = Path(tempfile.mkdtemp(prefix="avatarsynth-work-"))
        runner = JobRunner(
            store,
            storage,
            InlineDispatcher(render, workers=threads),
            node=node,
            work_dir=work,
            threads=0,
            lease_s=settings.lease_s,
            window=1,
            fetch_policy=fetch_policy(settings),
        )
        return cls(store, storage, runner, node, settings.lease_s, settings.max_attempts)


def install_context(context: WorkerContext | None) -> None:
    """Use this context for the tasks of this process (tests run workers in threads)."""
    global _context
    with _lock:
        _context = context


def _current() -> WorkerContext:
    global _context
    with _lock:
        if _context is None:
            _context = WorkerContext.build(load_settings())
        return _context


def run_job(internal_id: str) -> str:
    """The task: claim the job, render it, finish it; what happened, for the worker's log."""
    context = _current()
    job = context.store.claim_job(internal_id, context.node, context.lease_s)
    if job is None:
        return "skipped: finished, deleted or running elsewhere"
    try:
        if job.attempts > context.max_attempts:
            context.runner.give_up(
                job, f"Rendering stopped its worker {job.attempts - 1} times; the job failed."
            )
            return "failed: too many attempts"
        context.runner.run(job)
    except LostJob:
        return "lost: deleted or taken over while running"
    return "done"


def _warm(**_: object) -> None:
    """A prefork child: load voices and connect before the first task arrives."""
    pipeline.warm_up()
    _current()


worker_process_init.connect(_warm, weak=False)


def register(app: object) -> None:
    """Bind the task to a Celery app."""
    app.task(name=RUN_JOB, ignore_result=True)(run_job)  # type: ignore[attr-defined]


def run_worker(settings: Settings, *, concurrency: int | None = None) -> None:
    """``avatarsynth worker``: a Celery worker on the configured queue (blocks)."""
    app = make_celery(settings)
    register(app)
    app.worker_main(
        [
            "worker",
            f"--queues={settings.queue}",
            f"--concurrency={concurrency or settings.workers}",
            "--loglevel=INFO",
            f"--hostname=avatarsynth-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )
