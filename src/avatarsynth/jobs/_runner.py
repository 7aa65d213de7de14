"""Workers' side of a job: claim it, render every input, publish results, finish it.

Runner threads live in the API process (embedded mode); the renders themselves run in the
dispatcher's worker processes. A job's lease is renewed while its inputs render; if the
process dies, the lease expires (or, on restart of the same node, is released at once) and
the job is claimed and rendered again from the start. Outputs are written under temporary
names and moved into place, so a redelivered job overwrites its own files and never leaves a
half-written one.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from pathlib import Path

from avatarsynth.delivery import Destination, deliver
from avatarsynth.dispatch import Dispatcher
from avatarsynth.errors import AvatarsynthError, DeliveryError
from avatarsynth.fetch import SAFE, FetchPolicy
from avatarsynth.jobs._lifecycle import Status
from avatarsynth.jobs._models import Job
from avatarsynth.jobs._results import InputOutcome, JobResults, summary
from avatarsynth.jobs._side_files import publish_zip, write_boundaries, write_video_side_files
from avatarsynth.jobs._spec import JobSpec
from avatarsynth.jobs._store import JobStore
from avatarsynth.jobs._work import WorkItem, work_items
from avatarsynth.pipeline import AnyResult, RenderResult, SpeakResult
from avatarsynth.storage import Storage

_LOG = logging.getLogger(__name__)
_Pending = tuple[WorkItem, Path, "Future[AnyResult]"]
"""Work handed to the dispatcher: what it makes, its scratch file, its future."""


class LostJob(Exception):
    """The job was deleted, or another worker took it over; stop working on it."""


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
    ) -> None:
        self.store, self.storage, self.dispatcher = store, storage, dispatcher
        self.node, self.work_dir, self.lease_s, self.poll_s = node, work_dir, lease_s, poll_s
        self.window = window or threads
        self.fetch_policy = fetch_policy
        """How many pieces of one job's work may be with the dispatcher at once."""
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(threads)]
        self._stop = threading.Event()
        self._wake = threading.Condition()

    def start(self) -> None:
        released = self.store.release_all(self.node)
        if released:
            _LOG.info("Resuming %d job(s) left running by the previous start", released)
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.wake()
        for thread in self._threads:
            if thread.ident is not None:  # started
                thread.join(timeout=30)

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
            try:
                self.run(job)
            except LostJob:
                _LOG.info("Job %s was deleted or taken over while running", job.internal_id)
            except Exception:  # a bug must not kill the thread; the lease brings the job back
                _LOG.exception("Job %s broke its runner", job.internal_id)

    def run(self, job: Job) -> None:
        """Run every piece of a claimed job's work, publish its results, finish it."""
        spec = JobSpec.from_json(job.spec)
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
        try:
            for item in work_items(spec, self.fetch_policy):
                pending.append(self._submit(job, item))
                if len(pending) >= self.window:
                    outcomes.append(self._collect(job, spec, pending.popleft()))
            while pending:
                outcomes.append(self._collect(job, spec, pending.popleft()))
        finally:  # left over only when the job was lost: nothing more needs to run
            for _, scratch, future in pending:
                future.cancel()
                scratch.unlink(missing_ok=True)
        return tuple(outcomes)

    def _submit(self, job: Job, item: WorkItem) -> _Pending:
        scratch = self.work_dir / f"{job.internal_id}-{uuid.uuid4().hex}-{item.file_name}"
        scratch.parent.mkdir(parents=True, exist_ok=True)
        return item, scratch, self.dispatcher.submit(item.request, scratch)

    def _collect(self, job: Job, spec: JobSpec, pending: _Pending) -> InputOutcome:
        item, scratch, future = pending
        try:
            result = self._await(job, future)
            key = f"{job.internal_id}/{item.file_name}"
            size = self.storage.put_file(key, scratch)
            if isinstance(result, SpeakResult):
                write_boundaries(self.storage, key, result, spec)
            elif isinstance(result, RenderResult):
                write_video_side_files(self.storage, key, result, spec)
        except AvatarsynthError as exc:
            return InputOutcome(item.inputs, False, error_code=exc.code, error_message=exc.message)
        except LostJob:
            raise
        except Exception as exc:  # a crashed worker process, a bug in a stage
            _LOG.exception("Work %s of job %s failed", item.file_name, job.internal_id)
            return InputOutcome(
                item.inputs,
                False,
                error_code="InternalServerError",
                error_message=f"Rendering failed unexpectedly: {type(exc).__name__}.",
            )
        finally:
            scratch.unlink(missing_ok=True)
            scratch.with_suffix(".jpg").unlink(missing_ok=True)
        return InputOutcome(
            item.inputs,
            True,
            key=key,
            size_bytes=size,
            duration_s=result.duration_s,
            billable_characters=result.billable_characters,
            warnings=result.warnings,
        )

    def _await(self, job: Job, future: Future[AnyResult]) -> AnyResult:
        """Wait for a render, renewing the lease; give up if the job is no longer ours."""
        while True:
            try:
                return future.result(timeout=self.lease_s / 3)
            except FutureTimeout:
                if not self.store.renew(job.internal_id, self.node, self.lease_s):
                    future.cancel()
                    raise LostJob(job.internal_id) from None


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
