"""A failed input says what went wrong in the caller's terms; a full disk is named as such;
a job still rendering at shutdown is handed back, never failed."""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.errors import InsufficientStorage, RenderError, full_disk
from avatarsynth.jobs import Job, JobRunner, JobStore
from avatarsynth.pipeline import AnyRequest, AnyResult, RenderRequest, RenderResult
from avatarsynth.storage import LocalStorage
from avatarsynth.telemetry import ContextFilter
from tests.jobs.conftest import new_job
from tests.jobs.test_runner import fake_render

SCRATCH = "/srv/avatarsynth/var/work/internal-1-3f2a.part0000.mp4"


def _runner(
    store: JobStore,
    storage: LocalStorage,
    tmp_path: Path,
    render: Callable[[RenderRequest, Path], AnyResult],
    **options: float,
) -> tuple[JobRunner, InlineDispatcher]:
    dispatcher = InlineDispatcher(render)  # type: ignore[arg-type]
    runner = JobRunner(
        store,
        storage,
        dispatcher,
        node="node-a",
        work_dir=tmp_path / "work",
        threads=1,
        lease_s=3,
        poll_s=0.05,
        **options,  # type: ignore[arg-type]
    )
    return runner, dispatcher


def _run(store: JobStore, runner: JobRunner) -> Job:
    store.create(new_job("job-1", "Hello there."), "internal-1")
    job = store.claim(runner.node, runner.lease_s)
    assert job is not None
    runner.run(job)
    done = store.by_internal_id("internal-1")
    assert done is not None
    return done


def _failing(exc: Exception) -> Callable[[AnyRequest, Path], AnyResult]:
    def render(request: AnyRequest, out_path: Path, progress: object = None) -> AnyResult:
        raise exc

    return render


def test_a_full_disk_while_encoding_is_insufficient_storage_without_a_path(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    def encode() -> None:
        with full_disk("encode the video"):
            raise OSError(errno.ENOSPC, "No space left on device", SCRATCH)

    with pytest.raises(InsufficientStorage) as full:
        encode()
    runner, dispatcher = _runner(store, storage, tmp_path, _failing(full.value))
    job = _run(store, runner)
    dispatcher.close()
    assert (job.status, job.error_code) == ("Failed", "InsufficientStorage")
    assert job.error_message == (
        "The server ran out of disk space when it tried to encode the video of input 1; "
        "retry the job later."
    )


def test_a_full_disk_while_storing_the_result_is_insufficient_storage(
    store: JobStore, storage: LocalStorage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def put_file(key: str, source: Path) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", SCRATCH)

    monkeypatch.setattr(storage, "put_file", put_file)
    runner, dispatcher = _runner(store, storage, tmp_path, fake_render)
    job = _run(store, runner)
    dispatcher.close()
    assert job.error_code == "InsufficientStorage"
    assert job.error_message is not None and "store the result of input 1" in job.error_message
    assert not list((tmp_path / "work").iterdir())


def test_an_unexpected_error_names_no_path_nor_library_and_is_logged_with_the_ids(
    store: JobStore, storage: LocalStorage, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    crash = RuntimeError(f"{SCRATCH}: codec context broken in libavcodec")
    runner, dispatcher = _runner(store, storage, tmp_path, _failing(crash))
    caplog.handler.addFilter(ContextFilter())  # as the service's own handler does
    with caplog.at_level(logging.INFO):
        job = _run(store, runner)
    dispatcher.close()
    assert job.error_code == "InternalServerError"
    message = job.error_message or ""
    assert "/" not in message and "RuntimeError" not in message and "libav" not in message
    assert "Input 1 failed unexpectedly" in message
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[1] is crash]
    assert logged and logged[0].internal_id == "internal-1"  # type: ignore[attr-defined]
    assert logged[0].job_id == "job-1"  # type: ignore[attr-defined]


def test_a_stage_error_that_slipped_a_path_in_is_scrubbed(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    error = RenderError(f"Could not read {SCRATCH} while drawing.")
    runner, dispatcher = _runner(store, storage, tmp_path, _failing(error))
    job = _run(store, runner)
    dispatcher.close()
    assert job.error_message == "Could not read a file while drawing."


def test_a_video_that_cannot_fit_is_refused_before_rendering(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    rendered: list[str] = []

    def render(request: RenderRequest, out_path: Path, progress: object = None) -> AnyResult:
        rendered.append(request.content)
        return fake_render(request, out_path)

    everything = 1 << 60
    runner, dispatcher = _runner(store, storage, tmp_path, render, reserve_bytes=everything)
    job = _run(store, runner)
    assert rendered == []
    assert (job.status, job.error_code) == ("Failed", "InsufficientStorage")
    assert job.error_message == (
        "The server ran out of disk space when it tried to make room for the video of input 1; "
        "retry the job later."
    )
    store.remove("internal-1")  # the caller retries once space is back
    runner.reserve_bytes = 0
    assert _run(store, runner).status == "Succeeded"
    dispatcher.close()


def _blocking() -> tuple[Callable[[RenderRequest, Path], RenderResult], threading.Event]:
    started, release = threading.Event(), threading.Event()

    def render(request: RenderRequest, out_path: Path, progress: object = None) -> RenderResult:
        started.set()
        release.wait(10)
        return fake_render(request, out_path)

    render.started = started  # type: ignore[attr-defined]
    return render, release


def test_a_job_still_rendering_after_the_grace_period_is_handed_back_at_once(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    render, release = _blocking()
    runner, dispatcher = _runner(store, storage, tmp_path, render, grace_s=0.3)
    store.create(new_job("job-1", "Hello there."), "internal-1")
    runner.start()
    try:
        assert render.started.wait(5)  # type: ignore[attr-defined]
        began = time.monotonic()
        runner.stop()
        assert time.monotonic() - began < 3
        job = store.by_internal_id("internal-1")
        assert job is not None and job.status == "Running" and job.results is None
        assert store.claim("node-b", 3) is not None  # claimable now, not after the lease
        assert storage.keys("internal-1") == []
        assert not list((tmp_path / "work").iterdir())
    finally:
        release.set()
        dispatcher.close()


def test_a_job_that_finishes_within_the_grace_period_is_finished(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    render, release = _blocking()
    runner, dispatcher = _runner(store, storage, tmp_path, render, grace_s=5)
    store.create(new_job("job-1", "Hello there."), "internal-1")
    runner.start()
    assert render.started.wait(5)  # type: ignore[attr-defined]
    threading.Timer(0.3, release.set).start()
    runner.stop()
    dispatcher.close()
    job = store.by_internal_id("internal-1")
    assert job is not None and job.status == "Succeeded"
