"""Celery mode's long videos: one video's chunks rendered by every worker.

The job's task (``run_job``) begins a long video with ``pipeline.begin``; ``dispatch``'s
``Conductor`` hands the plan to :class:`ChunkShare` (its ``fan_out``), which:

1. stores each chunk (a picklable ``ChunkJob``) in the shared result store, hidden under
   ``{job}/.chunks/{plan}/``, opens one free lease row per chunk (``chunk/{job}/{plan}/{n}``)
   and sends a Celery ``group`` of ``render_chunk`` tasks to the chunk queue;
2. works through the chunks itself, last to first: any chunk no live worker holds, it claims
   and renders (work stealing), so it never waits for a task that may need its own worker
   slot; it waits only for chunks that other live workers hold and keep renewing; a chunk
   whose holder died (its lease ran out) is claimed again, by this task or a chunk task;
3. downloads the segments others made to where the plan wants them, and deletes the shared
   copies and the lease rows. The ``Conductor`` then joins them in this task (which has the
   audio) and deletes the pieces.

A chunk task claims its lease row before rendering and marks it ``done:{holder}`` after its
segment is uploaded (one atomic PUT that overwrites its own object). A redelivered or
duplicated task finds the row done or held, or gone with its plan, and does nothing; a task
of an attempt of the job that is no longer current does nothing either.

Why not a Celery ``chord``: its join would be a separate task on whichever worker, which needs
a result backend (RabbitMQ has none of its own), would have to fetch the audio and the job's
state, and a chord header task waiting on a killed worker holds the join until the broker
redelivers it; leases in the job database (already the single source of truth) give the same
fan-out without a backend, and the join stays where the job's outputs are published.
"""

from __future__ import annotations

import dataclasses
import logging
import pickle
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from avatarsynth import pipeline
from avatarsynth.dispatch import ChunkTally
from avatarsynth.errors import NotFound
from avatarsynth.jobs import Job, JobStore, LostJob, Status
from avatarsynth.pipeline import ChunkJob, LongRender
from avatarsynth.storage import Storage
from avatarsynth.telemetry import rendering

RENDER_CHUNK = "avatarsynth.render_chunk"
DONE = "done:"
"""A finished chunk's lease row holder: ``done:`` and the holder that rendered it."""
_DONE_TTL_S = 7 * 24 * 3600.0
"""A done row is never taken again (its plan's rows are dropped after the join)."""
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChunkRef:
    """One chunk of one plan of one attempt of a job: what a chunk task's message carries."""

    internal_id: str
    attempt: int
    plan: str
    index: int

    @property
    def lock(self) -> str:
        return f"{plan_locks(self.internal_id, self.plan)}{self.index:04d}"

    @property
    def folder(self) -> str:
        return f"{chunk_folder(self.internal_id)}/{self.plan}"

    @property
    def payload(self) -> str:
        return f"{self.folder}/{self.index:04d}.chunk"

    def segment(self, suffix: str) -> str:
        return f"{self.folder}/{self.index:04d}{suffix}"

    @property
    def thumbnail(self) -> str:
        return f"{self.folder}/{self.index:04d}.jpg"

    def args(self) -> list[object]:
        return [self.internal_id, self.attempt, self.plan, self.index]


def chunk_folder(internal_id: str) -> str:
    """Where a job's chunk work lives in the result store (hidden: never listed or served)."""
    return f"{internal_id}/.chunks"


def plan_locks(internal_id: str, plan: str = "") -> str:
    """The prefix of the lease rows of a job's chunks (of one plan, when given)."""
    return f"chunk/{internal_id}/{plan}/" if plan else f"chunk/{internal_id}/"


def forget_chunks(store: JobStore, storage: Storage, internal_id: str) -> None:
    """A new attempt of a job: the chunk work of earlier (dead) attempts is garbage."""
    storage.delete_prefix(chunk_folder(internal_id))
    store.drop_locks(plan_locks(internal_id))


def _done(holder: str | None) -> bool:
    return holder is not None and holder.startswith(DONE)


def _has_thumbnail(chunk: ChunkJob) -> bool:
    return chunk.first_frame <= chunk.thumbnail.frame < chunk.first_frame + chunk.n_frames


@contextmanager
def _holding(store: JobStore, name: str, holder: str, lease_s: float) -> Iterator[None]:
    """Renew our lease row every third of the lease while the block runs."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease_s / 3):
            try:
                if not store.try_lock(name, holder, lease_s, create=False):
                    return  # taken over (we stalled) or dropped: the render is wasted, no harm
            except Exception:
                _LOG.exception("Could not renew the lease of %s", name)

    thread = threading.Thread(target=renew, daemon=True, name=f"lease-{name}")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _render_to(chunk: ChunkJob, scratch: Path) -> ChunkJob:
    """Render a chunk into ``scratch`` (its segment, and the thumbnail if it holds it)."""
    suffix = chunk.out_path.suffix
    local = dataclasses.replace(
        chunk,
        out_path=scratch / f"segment{suffix}",
        thumbnail=dataclasses.replace(chunk.thumbnail, path=scratch / "thumbnail.jpg"),
    )
    with rendering():
        pipeline.render_chunk(local)
    return local


@dataclass(frozen=True)
class ChunkWorker:
    """What a worker process needs to render shared chunks (a ``render_chunk`` task)."""

    store: JobStore
    storage: Storage
    holder: str
    """Lease holder name of this task (the worker process's node and a suffix)."""
    lease_s: float
    work_dir: Path
    abandon: threading.Event = field(default_factory=threading.Event)
    """Set when this process's stop grace period is over: a chunk still rendering is given
    back (its lease row freed at once), so the job's task renders it without waiting."""

    def run(self, ref: ChunkRef) -> str:
        """Render one chunk unless it is done, held, or of a plan that is over."""
        if self.abandon.is_set():
            return "skipped: this worker is stopping"
        job = self.store.by_internal_id(ref.internal_id)
        if job is None or job.status != Status.RUNNING.value or job.attempts != ref.attempt:
            return "skipped: the job is finished, deleted or running again"
        if not self.store.try_lock(ref.lock, self.holder, self.lease_s, create=False):
            return "skipped: done, held by a live worker, or its plan is over"
        try:
            chunk = pickle.loads(self.storage.get_bytes(ref.payload))  # our own store: trusted
        except NotFound:
            self.store.unlock(ref.lock, self.holder)
            return "skipped: its plan is over"
        try:
            finished = self._render(ref, chunk)
        except BaseException:  # free it at once: the job's task takes it over
            self.store.unlock(ref.lock, self.holder)
            raise
        if not finished:
            self.store.unlock(ref.lock, self.holder)
            return "released: handed back at shutdown"
        if not self.store.hand_lock(ref.lock, self.holder, DONE + self.holder, _DONE_TTL_S):
            if ref.lock not in self.store.lock_holders(ref.lock):  # the plan ended meanwhile
                self.storage.delete_prefix(ref.folder)
                return "rendered, but its plan was over"
            return "rendered, but another worker had taken it over"
        _LOG.info("Rendered chunk %d of job %s (plan %s)", ref.index, ref.internal_id, ref.plan)
        return "rendered"

    def _render(self, ref: ChunkRef, chunk: ChunkJob) -> bool:
        """Render in scratch space, upload the segment (one atomic PUT, overwriting any copy
        of a redelivered render) and the thumbnail if this chunk holds its frame; ``False``
        when the stop grace period ended first: nothing uploaded, the lease no longer renewed
        (a render left running on its thread fails on its deleted scratch, or ends with the
        process)."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=self.work_dir))
        try:
            with _holding(self.store, ref.lock, self.holder, self.lease_s):
                made = _unless_abandoned(lambda: _render_to(chunk, scratch), self.abandon)
                if made is None:
                    return False
                self.storage.put_file(ref.segment(chunk.out_path.suffix), made.out_path)
                if made.thumbnail.path.exists():
                    self.storage.put_file(ref.thumbnail, made.thumbnail.path)
            return True
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _unless_abandoned(work: Callable[[], ChunkJob], abandon: threading.Event) -> ChunkJob | None:
    """``work()`` on a thread of its own, so the task can stop waiting for it: its result, or
    ``None`` once ``abandon`` is set (a render cannot be cut short in Python)."""
    outcome: list[ChunkJob] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # raised again on the task's thread below
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True, name="chunk-render")
    thread.start()
    while thread.is_alive():
        if abandon.is_set():
            return None
        thread.join(0.2)
    if failure:
        raise failure[0]
    return outcome[0]


SendChunks = Callable[[list[ChunkRef]], None]


@dataclass
class ChunkShare:
    """One job's way of spreading a long video's chunks (``FanOut`` of ``dispatch``)."""

    worker: ChunkWorker
    job: Job
    send: SendChunks
    poll_s: float = 0.25

    def __call__(self, plan: LongRender, tally: ChunkTally | None = None) -> None:
        """Chunks to every worker and to this one, each segment then where the plan wants it;
        nothing is left behind in the shared store. ``tally`` counts the frames of the chunks
        this task renders as they go, and others' chunks once they are done."""
        plan_id = uuid.uuid4().hex[:8]
        job_id, attempt = self.job.internal_id, self.job.attempts
        refs = [ChunkRef(job_id, attempt, plan_id, n) for n in range(len(plan.chunks))]
        store, storage = self.worker.store, self.worker.storage
        try:
            for ref, chunk in zip(refs, plan.chunks, strict=True):
                storage.put_bytes(ref.payload, pickle.dumps(chunk))
            store.open_locks([ref.lock for ref in refs])
            try:
                self.send(refs)
            except Exception:  # no broker now: this task renders every chunk itself
                _LOG.exception("Could not send the chunks of job %s", self.job.internal_id)
            mine = self._work_through(plan, refs, tally)
            self._fetch(plan, refs, mine)
        finally:
            storage.delete_prefix(refs[0].folder)
            store.drop_locks(plan_locks(self.job.internal_id, refs[0].plan))

    def _work_through(
        self, plan: LongRender, refs: list[ChunkRef], tally: ChunkTally | None
    ) -> set[int]:
        """Render every chunk nobody holds; wait for those live workers hold. The chunks this
        task rendered (their segments are already in place)."""
        store, node, lease_s = self.worker.store, self.worker.holder, self.worker.lease_s
        pending, mine = set(range(len(refs))), set()
        while pending:
            self._check_still_ours()
            holders = store.lock_holders(plan_locks(self.job.internal_id, refs[0].plan))
            done = {n for n in pending if _done(holders.get(refs[n].lock))}
            for n in done:
                if tally is not None:
                    tally.finished(n)
            pending -= done
            # From the last chunk back: the group's tasks are taken first to last, so the two
            # meet in the middle instead of racing for the same chunks.
            free = [n for n in sorted(pending, reverse=True) if holders.get(refs[n].lock) is None]
            taken = next(
                (n for n in free if store.try_lock(refs[n].lock, node, lease_s, create=False)),
                None,
            )
            if taken is not None:
                told = tally.chunk(taken) if tally else None
                with _holding(store, refs[taken].lock, node, lease_s), rendering():
                    pipeline.render_chunk(plan.chunks[taken], told)
                store.hand_lock(refs[taken].lock, node, DONE + node, _DONE_TTL_S)
                mine.add(taken)
                pending.discard(taken)
            elif pending:
                time.sleep(self.poll_s)
        return mine

    def _check_still_ours(self) -> None:
        """Stop waiting if the job was deleted or another worker took it over."""
        job = self.worker.store.by_internal_id(self.job.internal_id)
        if job is None or (job.attempts, job.lease_owner) != (
            self.job.attempts,
            self.job.lease_owner,
        ):
            raise LostJob(self.job.internal_id)

    def _fetch(self, plan: LongRender, refs: list[ChunkRef], mine: set[int]) -> None:
        """The segments (and thumbnail) other workers made, where the plan's ``join`` wants them."""
        storage = self.worker.storage
        for ref, chunk in zip(refs, plan.chunks, strict=True):
            if ref.index in mine:
                continue
            with tempfile.TemporaryDirectory(dir=chunk.out_path.parent) as scratch:
                segment = storage.local_copy(ref.segment(chunk.out_path.suffix), Path(scratch))
                shutil.copyfile(segment, chunk.out_path)
                if _has_thumbnail(chunk):
                    thumbnail = storage.local_copy(ref.thumbnail, Path(scratch))
                    shutil.copyfile(thumbnail, chunk.thumbnail.path)
