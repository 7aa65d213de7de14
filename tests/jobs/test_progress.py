"""A job's progress: told by its renders, weighted over its inputs, written only forwards."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.jobs import Job, JobRunner, JobStore, Status
from avatarsynth.jobs._progress import JobProgress, ProgressTally
from avatarsynth.pipeline import SPEECH, VIDEO, RenderRequest, RenderResult
from avatarsynth.storage import LocalStorage
from tests.jobs.conftest import new_job


def _claimed(store: JobStore, node: str = "node-a") -> Job:
    store.create(new_job("job-1", "Hello."), "internal-1")
    job = store.claim(node, 30)
    assert job is not None
    return job


def _shown(store: JobStore) -> tuple[float | None, str | None, int | None, int | None]:
    job = store.by_internal_id("internal-1")
    assert job is not None
    return (
        job.progress_percent,
        job.progress_stage,
        job.progress_frames_done,
        job.progress_frames_total,
    )


def test_progress_never_goes_backwards_and_stays_below_100_while_running(
    store: JobStore,
) -> None:
    job = _claimed(store)
    assert _shown(store)[0] is None  # nothing told yet: absent
    assert store.report_progress(job.internal_id, "node-a", JobProgress(30.0, VIDEO, 30, 100))
    assert not store.report_progress(job.internal_id, "node-a", JobProgress(20.0, VIDEO, 20, 100))
    assert not store.report_progress(job.internal_id, "node-a", JobProgress(30.0, VIDEO, 30, 100))
    assert _shown(store) == (30.0, VIDEO, 30, 100)
    assert store.report_progress(job.internal_id, "node-a", JobProgress(120.0, VIDEO, 99, 100))
    assert _shown(store)[0] == 99.0


def test_only_the_lease_holder_of_a_running_job_writes_progress(store: JobStore) -> None:
    job = _claimed(store)
    assert not store.report_progress(job.internal_id, "node-b", JobProgress(10.0, SPEECH))
    assert store.finish(job, "node-a", Status.SUCCEEDED, "{}")
    assert not store.report_progress(job.internal_id, "node-a", JobProgress(50.0, VIDEO))


def test_success_shows_100_with_every_frame_done(store: JobStore) -> None:
    job = _claimed(store)
    store.report_progress(job.internal_id, "node-a", JobProgress(60.0, VIDEO, 60, 100))
    assert store.finish(job, "node-a", Status.SUCCEEDED, "{}")
    assert _shown(store) == (100.0, "done", 100, 100)


def test_inputs_weigh_by_their_length() -> None:
    tally = ProgressTally(["a" * 10, "b" * 30])
    tally.render((1,))(VIDEO, 50, 100)  # the long input half drawn
    assert tally.snapshot() == JobProgress(
        pytest.approx(30 * (0.1 + 0.85 * 0.5) / 40 * 100), VIDEO, 50, 100
    )
    tally.finished((0,))
    tally.finished((1,))
    assert tally.snapshot().percent == 99.0  # 100 is Succeeded's alone


def _frames_render(n_frames: int, seconds: float) -> Callable[..., RenderResult]:
    def render(
        request: RenderRequest, out_path: Path, progress: Callable[..., None]
    ) -> RenderResult:
        progress(SPEECH, 0, 0)
        for done in range(n_frames + 1):
            progress(VIDEO, done, n_frames)
            time.sleep(seconds / n_frames)
        out_path.write_bytes(b"video")
        return RenderResult(out_path, 5, 2.0, len(request.content))

    return render


def test_a_running_job_shows_its_progress_rising(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    dispatcher = InlineDispatcher(_frames_render(100, 4.0))
    runner = JobRunner(
        store, storage, dispatcher, node="node-a", work_dir=tmp_path / "work", threads=1, lease_s=30
    )
    job = _claimed(store)
    seen: list[float] = []
    thread = threading.Thread(target=runner.run, args=(job,))
    thread.start()
    while True:
        running = thread.is_alive()
        percent = _shown(store)[0]
        if percent is not None and (not seen or percent != seen[-1]):
            seen.append(percent)
        if not running:
            break
        time.sleep(0.1)
    dispatcher.close()
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 100.0
    assert all(percent < 100 for percent in seen[:-1])
    assert _shown(store)[1:] == ("done", 100, 100)
