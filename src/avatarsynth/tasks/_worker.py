"""The worker side of Celery mode: ``avatarsynth worker`` and the tasks it runs.

Each worker process builds its context once (database, result store, the loaded voice models)
and keeps it for every task. A job's task claims its job by compare-and-set: a duplicate or
redelivered task of a job that is finished, deleted or held by a live worker does nothing.
While the job renders, the job's lease is renewed; if the worker dies, the lease runs out and
the job is delivered again (broker redelivery or the API's re-dispatch) and rendered from the
start, each output overwriting its own object. A long video's chunks go to every worker as
``render_chunk`` tasks and are joined in the job's task (``_fanout``).

Stopping (SIGTERM, a warm shutdown) takes no new task; a running job gets
``SHUTDOWN_GRACE_S`` to finish, then its task hands it back: the lease ended and the task sent
again at once, so another worker (or this one restarted) renders it from the start without
waiting for the lease to run out. A chunk task still rendering then frees its chunk's lease
row the same way, for the job's task to take over. Pool processes get the stop whether it was
sent to the process group (systemd, Kubernetes) or to the main process alone (``docker stop``).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from billiard.process import active_children
from celery import group
from celery.signals import worker_process_init, worker_process_shutdown, worker_shutting_down

from avatarsynth import pipeline
from avatarsynth.config import Settings
from avatarsynth.dispatch import InlineDispatcher, RenderFn
from avatarsynth.jobs import Job, JobRunner, JobStore, LostJob, Released, fetch_policy
from avatarsynth.storage import Storage
from avatarsynth.tasks._celery import RUN_JOB, make_celery
from avatarsynth.tasks._fanout import (
    RENDER_CHUNK,
    ChunkRef,
    ChunkShare,
    ChunkWorker,
    SendChunks,
    forget_chunks,
)
from avatarsynth.telemetry import bind, serve_metrics

_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_context: WorkerContext | None = None
_make_context: Callable[[], WorkerContext] | None = None
"""How a worker process builds its context (``run_worker``'s, inherited by forked children)."""


def _node() -> str:
    """This worker process's lease owner name (fits the 64-character column)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class WorkerContext:
    """What a worker process keeps between tasks."""

    store: JobStore
    storage: Storage
    node: str
    lease_s: float
    max_attempts: int
    work_dir: Path
    render: RenderFn
    send_chunks: SendChunks
    settings: Settings
    send_job: Callable[[str], None]
    abandon: threading.Event = field(default_factory=threading.Event)
    """Set when this process's stop grace period is over: its running job is handed back."""
    stopping: bool = False
    """A stop signal arrived and the grace period runs."""

    @classmethod
    def create(
        cls,
        settings: Settings,
        store: JobStore,
        storage: Storage,
        render: RenderFn,
        send_chunks: SendChunks | None = None,
    ) -> WorkerContext:
        """This process's context around a runtime's parts (``avatarsynth.runtime``): its own
        lease-holder name and scratch folder. ``send_chunks`` defaults to a group of Celery
        tasks on the chunk queue; tests replace it."""
        return cls(
            store,
            storage,
            _node(),
            settings.lease_s,
            settings.max_attempts,
            Path(tempfile.mkdtemp(prefix="avatarsynth-work-")),
            render,
            send_chunks or _chunk_sender(settings),
            settings,
            _job_sender(settings, store),
        )

    @property
    def chunks(self) -> ChunkWorker:
        """This task as a renderer of shared chunks: a lease holder of its own (``node/xxxx``),
        so two tasks of one process (a threads pool) never both hold one chunk."""
        holder = f"{self.node}/{uuid.uuid4().hex[:4]}"
        return ChunkWorker(
            self.store, self.storage, holder, self.lease_s, self.work_dir, self.abandon
        )

    def runner(self, job: Job) -> tuple[JobRunner, InlineDispatcher]:
        """A runner for one claimed job: renders run on a thread of this process (the task's
        thread renews the job's lease), a long video's chunks are shared with every worker."""
        dispatcher = InlineDispatcher(
            self.render, workers=1, fan_out=ChunkShare(self.chunks, job, self.send_chunks)
        )
        runner = JobRunner(
            self.store,
            self.storage,
            dispatcher,
            node=self.node,
            work_dir=self.work_dir,
            threads=0,
            lease_s=self.lease_s,
            window=1,
            fetch_policy=fetch_policy(self.settings),
            reserve_bytes=self.settings.min_free_disk_mb * 1024 * 1024,
            abandon=self.abandon,
        )
        return runner, dispatcher

    def hand_back(self, internal_id: str) -> None:
        """A job stopped at shutdown: free it and send its task again, so it runs at once."""
        self.store.release_all(self.node)
        try:
            self.send_job(internal_id)
        except Exception:  # the API's re-dispatch sends it after the lease ran out
            _LOG.exception("Could not send the handed-back job again")


def _job_sender(settings: Settings, store: JobStore) -> Callable[[str], None]:
    """Sends one job's task again (a job handed back at shutdown)."""
    app = make_celery(settings)

    def send(internal_id: str) -> None:
        app.send_task(RUN_JOB, args=[internal_id], queue=settings.queue)
        store.mark_dispatched([internal_id])

    return send


def _chunk_sender(settings: Settings) -> SendChunks:
    """Sends a plan's chunks as one group of tasks to the chunk queue every worker consumes."""
    app = make_celery(settings)

    def send(refs: list[ChunkRef]) -> None:
        signatures = (
            app.signature(RENDER_CHUNK, args=ref.args(), queue=settings.chunk_queue) for ref in refs
        )
        group(signatures).apply_async()

    return send


def install_context(context: WorkerContext | None) -> None:
    """Use this context for the tasks of this process (tests run workers in threads)."""
    global _context
    with _lock:
        _context = context


def _current() -> WorkerContext:
    global _context
    with _lock:
        if _context is None:
            if _make_context is None:
                raise RuntimeError("No worker context: start workers with run_worker.")
            _context = _make_context()
        return _context


def run_job(internal_id: str) -> str:
    """The task: claim the job, render it, finish it; what happened, for the worker's log."""
    context = _current()
    _on_stop_signal(context)
    job = context.store.claim_job(internal_id, context.node, context.lease_s)
    if job is None:
        return "skipped: finished, deleted or running elsewhere"
    runner, dispatcher = context.runner(job)
    try:
        with bind(job_id=job.job_id, internal_id=internal_id):
            if job.attempts > 1:  # an earlier attempt's worker died: its chunk work is garbage
                forget_chunks(context.store, context.storage, internal_id)
            if job.attempts > context.max_attempts:
                runner.give_up(
                    job, f"Rendering stopped its worker {job.attempts - 1} times; the job failed."
                )
                return "failed: too many attempts"
            runner.run(job)
    except Released:
        context.hand_back(internal_id)
        return "released: handed back at shutdown"
    except LostJob:
        return "lost: deleted or taken over while running"
    finally:  # a render cut short at shutdown goes on in its thread until the process exits
        dispatcher.close(wait=not context.abandon.is_set())
    return "done"


def render_chunk(internal_id: str, attempt: int, plan: str, index: int) -> str:
    """The chunk task: render one chunk of a long video unless it is done or held. A stop
    signal lets it finish for the grace period; after that it gives the chunk back (its lease
    row freed), and the job's task, here or on another worker, renders it at once."""
    context = _current()
    _on_stop_signal(context)
    return context.chunks.run(ChunkRef(internal_id, attempt, plan, index))


def _warm(**_: object) -> None:
    """A prefork child: load voices and connect before the first task arrives."""
    pipeline.warm_up()
    _current()


def _on_stop_signal(context: WorkerContext) -> None:
    """From now on a stop signal starts the grace period instead of ending the task at once.
    Set by each task: the pool installs its own handler after the process's initializers
    (pool processes run tasks on their main thread; a threads pool handles no signals)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: _grace(context))


def _grace(context: WorkerContext) -> None:
    """The first stop signal: the running job may finish for the grace period, no longer."""
    if not context.stopping:
        context.stopping = True
        timer = threading.Timer(context.settings.shutdown_grace_s, context.abandon.set)
        timer.daemon = True
        timer.start()


def _tell_children(**_: object) -> None:
    """The main process begins a warm shutdown: start every pool process's grace period too
    (a stop sent to the main process alone would otherwise wait for renders to end)."""
    for child in active_children():
        if child.pid is not None:
            with suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGTERM)


def _tidy(**_: object) -> None:
    """A pool process exits: its scratch folder goes with it (a render cut short included)."""
    if _context is not None:
        shutil.rmtree(_context.work_dir, ignore_errors=True)


worker_process_init.connect(_warm, weak=False)
worker_process_shutdown.connect(_tidy, weak=False)
worker_shutting_down.connect(_tell_children, weak=False)


def register(app: object) -> None:
    """Bind the tasks to a Celery app."""
    app.task(name=RUN_JOB, ignore_result=True)(run_job)  # type: ignore[attr-defined]
    app.task(name=RENDER_CHUNK, ignore_result=True)(render_chunk)  # type: ignore[attr-defined]


def run_worker(
    settings: Settings, context: Callable[[], WorkerContext], *, concurrency: int | None = None
) -> None:
    """``avatarsynth worker``: a Celery worker on the configured queue (blocks); each of its
    processes builds its own ``context`` before its first task. Its processes' metrics are
    served on ``METRICS_PORT`` when set."""
    global _make_context
    with _lock:
        _make_context = context
    app = make_celery(settings)
    register(app)
    if settings.metrics_port:
        serve_metrics(settings.metrics_host, settings.metrics_port)
    app.worker_main(
        [
            "worker",
            f"--queues={settings.queue},{settings.chunk_queue}",
            f"--concurrency={concurrency or settings.workers}",
            "--loglevel=INFO",
            f"--hostname=avatarsynth-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            # JSON logs: no banner lines among the JSON objects
            *(["--quiet"] if settings.log_format == "json" else []),
        ]
    )
