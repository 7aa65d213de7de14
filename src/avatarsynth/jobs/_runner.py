"""Workers' side of a job: claim it, render every input, publish results, finish it.

Runner threads live in the API process (embedded mode); the renders themselves run in the
dispatcher's worker processes. A job's lease is renewed while its inputs render; if the
process dies, the lease expires (or, on restart of the same node, is released at once) and
the job is claimed and rendered again from the start. Outputs are written under temporary
names and moved into place, so a redelivered job overwrites its own files and never leaves a
half-written one.

Stopping (SIGTERM) lets running renders finish for a grace period; past it the runner
*abandons* them: each job is handed back at once (its lease ended, so another worker or this
one after its restart claims it now), its scratch files deleted, nothing published. A failed
input's message is in the caller's terms (a full disk is ``InsufficientStorage``); what a
person needs to find the cause goes to the log under the job's ids.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from pathlib import Path

from avatarsynth.delivery import Destination, deliver
from avatarsynth.dispatch import Dispatcher
from avatarsynth.errors import (
    AvatarsynthError,
    DeliveryError,
    InsufficientStorage,
    full_disk,
    public_message,
)
from avatarsynth.fetch import SAFE, FetchPolicy
from avatarsynth.jobs._disk import make_room
from avatarsynth.jobs._lifecycle import Status
from avatarsynth.jobs._models import Job
from avatarsynth.jobs._progress import UPLOADING, ProgressTally
from avatarsynth.jobs._results import InputOutcome, JobResults, summary
from avatarsynth.jobs._side_files import publish_zip, write_boundaries, write_video_side_files
from avatarsynth.jobs._spec import JobSpec
from avatarsynth.jobs._store import JobStore
from avatarsynth.jobs._work import WorkItem, work_items
from avatarsynth.pipeline import AnyResult, RenderResult, SpeakResult
from avatarsynth.storage import Storage
from avatarsynth.telemetry import bind, metrics, timed

_LOG = logging.getLogger(__name__)
_Pending = tuple[WorkItem, Path, "Future[AnyResult]"]
"""Work handed to the dispatcher: what it makes, its scratch file, its future."""


_POLL_S = 0.5
"""How often a waiting runner looks whether it must abandon its job (shutdown)."""
_PROGRESS_S = 0.45
"""A job's progress is written at most this often (by the thread that waits on its renders,
which looks every ``_POLL_S``): about twice a second while it goes forwards."""


class LostJob(Exception):
    """The job was deleted, or another worker took it over; stop working on it."""


class Released(LostJob):
    """The runner is shutting down and handed the job back unfinished: stop working on it."""


class JobRunner:
    """Threads that take jobs from the store and see them through."""

    def __init__(
        self,
        store: JobStore,
        storage: Storage,
        dispatcher: Dispatcher,
        *,
        node: str,
        work_dir: Path,
        threads: int,
        lease_s: float,
        poll_s: float = 1.0,
        window: int | None = None,
        fetch_policy: FetchPolicy = SAFE,
        abandon: threading.Event | None = None,
        grace_s: float = 30.0,
        reserve_bytes: int = 0,
    ) -> None:
        self.store, self.storage, self.dispatcher = store, storage, dispatcher
        self.node, self.work_dir, self.lease_s, self.poll_s = node, work_dir, lease_s, poll_s
        self.window = window or threads
        self.fetch_policy = fetch_policy
        """How many pieces of one job's work may be with the dispatcher at once."""
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(threads)]
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self.reserve_bytes = reserve_bytes
        """Disk space a render must leave free in ``work_dir`` (else it is refused)."""
        self.grace_s = grace_s
        """At shutdown, how long running jobs may take to finish before they are handed back."""
        self.abandon = abandon or threading.Event()
        """Set at shutdown once the grace period is over: running jobs are handed back."""

    def start(self) -> None:
        released = self.store.release_all(self.node)
        if released:
            _LOG.info("Resuming %d job(s) left running by the previous start", released)
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Claim nothing more; let running jobs finish for ``grace_s``, then hand them back
        (another worker, or this node after its restart, claims them at once)."""
        self._stop.set()
        self.wake()
        deadline = time.monotonic() + self.grace_s
        for thread in self._started():
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in self._started()):
            self.abandon.set()
            for thread in self._started():
                thread.join(timeout=10)
        released = self.store.release_all(self.node)
        if released:
            _LOG.warning("Handed back %d unfinished job(s) at shutdown", released)

    def _started(self) -> list[threading.Thread]:
        return [thread for thread in self._threads if thread.ident is not None]

    def submitted(self, internal_id: str) -> None:
        """A job was stored: a runner thread of this process will claim it."""
        self.wake()

    def wake(self) -> None:
        """A job was created: let an idle thread look now instead of at its next poll."""
        with self._wake:
            self._wake.notify_all()

    def _claim(self) -> Job | None:
        """The next job, or ``None``; a database hiccup is logged and retried, never fatal."""
        try:
            return self.store.claim(self.node, self.lease_s)
        except Exception:
            _LOG.exception("Could not claim a job; retrying")
            return None

    def _loop(self) -> None:
        while not self._stop.is_set():
            job = self._claim()
            if job is None:
                with self._wake:  # checked under the lock, so a stop's wake-up is never missed
                    if not self._stop.is_set():
                        self._wake.wait(self.poll_s)
                continue
            with bind(job_id=job.job_id, internal_id=job.internal_id):
                try:
                    self.run(job)
                except Released:
                    _LOG.info("Job handed back unfinished at shutdown")
                except LostJob:
                    _LOG.info("Job was deleted or taken over while running")
                except Exception:  # a bug must not kill the thread; the lease brings it back
                    _LOG.exception("Job broke its runner")

    def run(self, job: Job) -> None:
        """Run every piece of a claimed job's work, publish its results, finish it."""
        spec = JobSpec.from_json(job.spec)
        with bind(job_id=job.job_id, internal_id=job.internal_id), timed("job"):
            self._conclude(job, spec, self._run_all(job, spec))

    def give_up(self, job: Job, message: str) -> None:
        """Fail a claimed job without running it (it broke its workers too often): every
        input fails with ``message``, and the job finishes as any failed job does."""
        spec = JobSpec.from_json(job.spec)
        every = tuple(range(len(spec.inputs)))
        concatenated = spec.audio is not None and spec.audio.concatenate
        groups = [every] if concatenated else [(index,) for index in every]
        outcomes = tuple(
            InputOutcome(inputs, False, error_code="InternalServerError", error_message=message)
            for inputs in groups
        )
        self._conclude(job, spec, outcomes)

    def _conclude(self, job: Job, spec: JobSpec, outcomes: tuple[InputOutcome, ...]) -> None:
        """Publish a job's summary and results, deliver them if asked, finish the job."""
        summary_key = f"{job.internal_id}/summary.json"
        self.storage.put_bytes(summary_key, summary(spec, job.job_id, job.internal_id, outcomes))
        results = JobResults(
            outcomes,
            summary_key,
            self._publish(job, spec, outcomes),
            _subtitle_key(job.internal_id, spec, outcomes),
        )
        failed = [o for o in outcomes if not o.succeeded]
        error = None
        if len(failed) == len(outcomes):
            error = (failed[0].error_code or "InternalServerError", failed[0].error_message or "")
        elif spec.destination is not None:
            try:
                results = replace(results, folder=self._deliver(job, spec.destination))
            except DeliveryError as exc:
                error = (exc.code, exc.message)
        status = Status.FAILED if error else Status.SUCCEEDED
        if not self.store.finish(job, self.node, status, results.to_json(), error):
            # Deleted meanwhile: our files must go too. Taken over: they are the new owner's.
            if self.store.by_internal_id(job.internal_id) is None:
                self.storage.delete_prefix(job.internal_id)
            raise LostJob(job.internal_id)
        _count_finished(error)

    def _deliver(self, job: Job, destination: Destination) -> str:
        """Copy the job's files into the caller's container; the folder they are in."""
        keys = self.storage.keys(job.internal_id)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.work_dir) as scratch:
            files = (
                (key.rsplit("/", 1)[-1], self.storage.local_copy(key, Path(scratch)))
                for key in keys
            )
            return deliver(destination, job.job_id, files, self.fetch_policy)

    def _publish(self, job: Job, spec: JobSpec, outcomes: tuple[InputOutcome, ...]) -> str | None:
        """The key ``outputs.result`` points at: a video, a job's folder, or results.zip."""
        if spec.audio is not None:
            made = any(o.succeeded for o in outcomes)
            return publish_zip(self.storage, job.internal_id) if made else None
        return _file_or_folder(job.internal_id, outcomes, lambda key: key)

    def _run_all(self, job: Job, spec: JobSpec) -> tuple[InputOutcome, ...]:
        """Work goes to the dispatcher ``window`` items at a time, so one job of many inputs
        keeps every worker process busy, while outcomes come back in input order."""
        pending: deque[_Pending] = deque()
        outcomes: list[InputOutcome] = []
        progress = _Reporter(self.store, job, self.node, ProgressTally(spec.inputs))
        try:
            for item in work_items(spec, self.fetch_policy):
                pending.append(self._submit(job, item, progress.tally))
                if len(pending) >= self.window:
                    outcomes.append(self._collect(job, spec, pending.popleft(), progress))
            while pending:
                outcomes.append(self._collect(job, spec, pending.popleft(), progress))
        finally:  # left over only when the job was lost: nothing more needs to run
            for _, scratch, future in pending:
                future.cancel()
                scratch.unlink(missing_ok=True)
        return tuple(outcomes)

    def _submit(self, job: Job, item: WorkItem, tally: ProgressTally) -> _Pending:
        scratch = self.work_dir / f"{job.internal_id}-{uuid.uuid4().hex}-{item.file_name}"
        scratch.parent.mkdir(parents=True, exist_ok=True)
        try:
            make_room(item.request, self.work_dir, self.reserve_bytes)
        except InsufficientStorage as exc:
            refused: Future[AnyResult] = Future()
            refused.set_exception(exc)
            return item, scratch, refused
        told = tally.render(item.inputs)
        return item, scratch, self.dispatcher.submit(item.request, scratch, told)

    def _collect(
        self, job: Job, spec: JobSpec, pending: _Pending, progress: _Reporter
    ) -> InputOutcome:
        item, scratch, future = pending
        try:
            with timed("render", inputs=_numbers(item.inputs)):
                result = self._await(job, future, progress)
            progress.tally.stage(item.inputs, UPLOADING)
            progress.flush()
            key = f"{job.internal_id}/{item.file_name}"
            with full_disk("store the result"):
                size = self.storage.put_file(key, scratch)
            if isinstance(result, SpeakResult):
                write_boundaries(self.storage, key, result, spec)
            elif isinstance(result, RenderResult):
                write_video_side_files(self.storage, key, result, spec)
        except LostJob:
            raise
        except Exception as exc:
            return _failed(item, exc)
        finally:
            scratch.unlink(missing_ok=True)
            scratch.with_suffix(".jpg").unlink(missing_ok=True)
            progress.tally.finished(item.inputs)
        metrics().video_seconds.inc(result.duration_s)
        return InputOutcome(
            item.inputs,
            True,
            key=key,
            size_bytes=size,
            duration_s=result.duration_s,
            billable_characters=result.billable_characters,
            warnings=result.warnings,
        )

    def _await(self, job: Job, future: Future[AnyResult], progress: _Reporter) -> AnyResult:
        """Wait for a render, renewing the lease and writing the job's progress; give up if
        the job is no longer ours, or hand it back if the runner is shutting down past its
        grace period."""
        renewed = time.monotonic()
        while not self.abandon.is_set():
            try:
                return future.result(timeout=min(self.lease_s / 3, _POLL_S))
            except FutureTimeout:
                progress.flush()
                if time.monotonic() - renewed < self.lease_s / 3:
                    continue
                renewed = time.monotonic()
                if not self.store.renew(job.internal_id, self.node, self.lease_s):
                    future.cancel()
                    raise LostJob(job.internal_id) from None
            except Exception:
                if self.abandon.is_set():  # the render's process was stopped: not its fault
                    break
                raise
        future.cancel()
        raise Released(job.internal_id)


class _Reporter:
    """Writes one job's progress to its row, at most every ``_PROGRESS_S`` and only when it
    went forwards; a failed write is logged and costs nothing but that update."""

    def __init__(self, store: JobStore, job: Job, node: str, tally: ProgressTally) -> None:
        self.store, self.job, self.node, self.tally = store, job, node, tally
        self._written, self._percent = 0.0, -1.0

    def flush(self) -> None:
        now = time.monotonic()
        if now - self._written < _PROGRESS_S:
            return
        told = self.tally.snapshot()
        if not told.stage or told.percent <= self._percent:  # nothing told yet, or no further
            return
        self._written, self._percent = now, told.percent
        try:
            self.store.report_progress(self.job.internal_id, self.node, told)
        except Exception:
            _LOG.exception("Could not record the job's progress")


def _numbers(inputs: tuple[int, ...]) -> str:
    """Inputs as the caller counts them (from 1): "1", "1-3"."""
    first, last = inputs[0] + 1, inputs[-1] + 1
    return str(first) if first == last else f"{first}-{last}"


def _failed(item: WorkItem, exc: Exception) -> InputOutcome:
    """A failed input's outcome in the caller's terms; the details go to the log."""
    inputs = _numbers(item.inputs)
    if isinstance(exc, InsufficientStorage):
        _LOG.error("Input %s: out of disk space (%s)", inputs, exc.__cause__ or exc.message)
    elif isinstance(exc, AvatarsynthError):
        _LOG.warning("Input %s failed: %s", inputs, exc.message, exc_info=exc.__cause__ is not None)
    else:  # a crashed worker process, a bug in a stage
        _LOG.error("Input %s failed unexpectedly", inputs, exc_info=exc)
        return InputOutcome(
            item.inputs,
            False,
            error_code="InternalServerError",
            error_message=f"Input {inputs} failed unexpectedly; the service's log has the "
            "details under this job's id.",
        )
    message = public_message(exc.message)
    if isinstance(exc, InsufficientStorage):
        message = (
            f"The server ran out of disk space when it tried to {exc.action} of input "
            f"{inputs}; retry the job later."
        )
    return InputOutcome(item.inputs, False, error_code=exc.code, error_message=message)


def _count_finished(error: tuple[str, str] | None) -> None:
    if error is None:
        metrics().jobs_succeeded.inc()
    else:
        metrics().jobs_failed.labels(error[0]).inc()


def _file_or_folder(
    internal_id: str, outcomes: tuple[InputOutcome, ...], file_key: Callable[[str], str]
) -> str | None:
    """What an output URL names (spec §5): one input's file, or the job's folder for several."""
    done = [o.key for o in outcomes if o.succeeded and o.key]
    if not done:
        return None
    return file_key(done[0]) if len(outcomes) == 1 else internal_id


def _subtitle_key(
    internal_id: str, spec: JobSpec, outcomes: tuple[InputOutcome, ...]
) -> str | None:
    """``outputs.subtitle``: the SRT file of one input, or the folder holding several."""
    if spec.avatar is None or spec.avatar.subtitle_type != "external_file":
        return None
    return _file_or_folder(internal_id, outcomes, lambda key: key.rsplit(".", 1)[0] + ".srt")


def clear_work_dir(work_dir: Path) -> None:
    """Scratch files of renders that never finished (a killed process) are garbage."""
    shutil.rmtree(work_dir, ignore_errors=True)
