"""Celery mode: jobs run as tasks on ``avatarsynth worker`` processes on any number of hosts.

The API process only stores a job and sends its task; workers claim it in the database, render,
upload to the result store and finish it. The job's compare-and-set in the database stays the
single source of truth, so a task delivered twice (a redelivery after a worker died, a re-send
by the periodic re-dispatch) renders at most once at a time and overwrites its own outputs.
"""

from avatarsynth.tasks._celery import RUN_JOB, CeleryScheduler, make_celery
from avatarsynth.tasks._fanout import (
    RENDER_CHUNK,
    ChunkRef,
    ChunkShare,
    ChunkWorker,
    SendChunks,
)
from avatarsynth.tasks._worker import (
    WorkerContext,
    install_context,
    register,
    render_chunk,
    run_job,
    run_worker,
)

__all__ = [
    "RENDER_CHUNK",
    "RUN_JOB",
    "CeleryScheduler",
    "ChunkRef",
    "ChunkShare",
    "ChunkWorker",
    "SendChunks",
    "WorkerContext",
    "install_context",
    "make_celery",
    "register",
    "render_chunk",
    "run_job",
    "run_worker",
]
