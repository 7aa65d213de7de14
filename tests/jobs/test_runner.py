"""The runner: claims jobs, renders every input, publishes files and summary, finishes the job."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.errors import RenderError
from avatarsynth.jobs import Job, JobResults, JobRunner, JobStore, legacy_spec, utcnow
from avatarsynth.pipeline import RenderRequest, RenderResult
from avatarsynth.storage import LocalStorage
from tests.jobs.conftest import new_job


def fake_render(request: RenderRequest, out_path: Path, progress: object = None) -> RenderResult:
    if "fail" in request.content:
        raise RenderError("The avatar could not be drawn.")
    out_path.write_bytes(request.content.encode() * 3)
    return RenderResult(out_path, out_path.stat().st_size, 2.7, len(request.content))


@pytest.fixture
def runner(store: JobStore, storage: LocalStorage, tmp_path: Path) -> Iterator[JobRunner]:
    dispatcher = InlineDispatcher(fake_render)
    yield JobRunner(
        store,
        storage,
        dispatcher,
        node="node-a",
        work_dir=tmp_path / "work",
        threads=2,
        lease_s=3,
        poll_s=0.05,
    )
    dispatcher.close()


def _run_one(store: JobStore, runner: JobRunner) -> Job:
    job = store.claim(runner.node, runner.lease_s)
    assert job is not None
    runner.run(job)
    done = store.by_internal_id(job.internal_id)
    assert done is not None
    return done


def test_every_input_is_published_with_a_summary(
    store: JobStore, storage: LocalStorage, runner: JobRunner
) -> None:
    store.create(new_job("job-1", "One.", "Two."), "internal-1")
    job = _run_one(store, runner)
    assert job.status == "Succeeded" and job.results is not None
    assert storage.keys("internal-1") == [
        "internal-1/0001.mp4",
        "internal-1/0002.mp4",
        "internal-1/summary.json",
    ]
    totals = JobResults.from_json(job.results).totals
    assert (totals.succeeded, totals.failed, totals.neural_characters) == (2, 0, 8)
    assert (totals.duration_ms, totals.avatar_seconds) == (5400, 5)
    summary = json.loads(storage.local_path("internal-1/summary.json").read_bytes())
    assert summary["jobID"] == "internal-1" and summary["status"] == "Succeeded"
    assert summary["results"][1] == {
        "texts": ["Two."],
        "status": "Succeeded",
        "videoFileName": "job-1/0002.mp4",
        "TalkingAvatarCharacter": "lisa",
        "TalkingAvatarStyle": "casual-sitting",
    }
    assert not list((runner.work_dir).glob("*"))


def test_a_failed_input_is_counted_and_the_others_succeed(
    store: JobStore, storage: LocalStorage, runner: JobRunner
) -> None:
    store.create(new_job("job-1", "One.", "please fail", "Three."), "internal-1")
    job = _run_one(store, runner)
    assert job.status == "Succeeded" and job.results is not None
    totals = JobResults.from_json(job.results).totals
    assert (totals.succeeded, totals.failed) == (2, 1)
    summary = json.loads(storage.local_path("internal-1/summary.json").read_bytes())
    assert [r["status"] for r in summary["results"]] == ["Succeeded", "Failed", "Succeeded"]
    assert summary["results"][1]["error"]["code"] == "InternalServerError"
    assert "videoFileName" not in summary["results"][1]


def test_a_job_whose_every_input_failed_is_failed(store: JobStore, runner: JobRunner) -> None:
    store.create(new_job("job-1", "fail one", "fail two"), "internal-1")
    job = _run_one(store, runner)
    assert job.status == "Failed" and job.error_code is not None
    assert job.error_message == "The avatar could not be drawn."


def test_a_legacy_summary_has_string_billing_per_input(
    store: JobStore, storage: LocalStorage, runner: JobRunner
) -> None:
    spec = legacy_spec(
        {
            "displayName": "legacy",
            "textType": "PlainText",
            "synthesisConfig": {"voice": "en-US-JennyNeural"},
            "inputs": [{"text": "Hello there."}],
            "properties": {
                "talkingAvatarCharacter": "lisa",
                "talkingAvatarStyle": "casual-sitting",
            },
        }
    )
    store.create(new_job("0b4a0a36-legacy", spec=spec), "internal-1")
    _run_one(store, runner)
    entry = json.loads(storage.local_path("internal-1/summary.json").read_bytes())["results"][0]
    assert entry["billingDetails"] == {"Neural": "12", "TalkingAvatarDuration": "2"}
    assert entry["videoFileName"] == "0b4a0a36-legacy/0001.mp4"
    assert entry["TalkingAvatarCharacter"] == "lisa"


def test_runner_threads_pick_up_new_and_abandoned_jobs(store: JobStore, runner: JobRunner) -> None:
    store.create(new_job("abandoned"), "internal-1")
    store.claim("a-dead-node", lease_s=3600)
    with store.session() as session, session.begin():  # the dead node stops renewing
        session.execute(
            update(Job).where(Job.internal_id == "internal-1").values(lease_expires_at=utcnow())
        )
    runner.start()
    try:
        store.create(new_job("fresh"), "internal-2")
        runner.wake()
        for internal_id in ("internal-1", "internal-2"):
            assert _wait_finished(store, internal_id).status == "Succeeded"
    finally:
        runner.stop()


def test_a_job_deleted_while_rendering_leaves_no_files(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_render(
        request: RenderRequest, out_path: Path, progress: object = None
    ) -> RenderResult:
        started.set()
        release.wait(5)
        return fake_render(request, out_path)

    dispatcher = InlineDispatcher(slow_render)
    runner = JobRunner(
        store, storage, dispatcher, node="n", work_dir=tmp_path / "w", threads=1, lease_s=0.3
    )
    store.create(new_job(), "internal-1")
    job = store.claim("n", 0.3)
    assert job is not None
    worker = threading.Thread(target=_swallow_lost, args=(runner, job))
    worker.start()
    started.wait(5)
    store.remove("internal-1")
    time.sleep(0.2)
    release.set()
    worker.join(5)
    dispatcher.close()
    assert storage.keys("internal-1") == []


def _swallow_lost(runner: JobRunner, job: Job) -> None:
    from avatarsynth.jobs._runner import LostJob

    with contextlib.suppress(LostJob):
        runner.run(job)


def _wait_finished(store: JobStore, internal_id: str, timeout_s: float = 10) -> Job:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = store.by_internal_id(internal_id)
        if job is not None and job.status in ("Succeeded", "Failed"):
            return job
        time.sleep(0.02)
    raise AssertionError(f"{internal_id} did not finish")


def test_the_inputs_of_one_job_render_side_by_side_and_report_in_order(
    store: JobStore, storage: LocalStorage, tmp_path: Path
) -> None:
    lock, running, most = threading.Lock(), [0], [0]

    def counting_render(
        request: RenderRequest, out_path: Path, progress: object = None
    ) -> RenderResult:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05 if request.content != "Input 0." else 0.15)
        with lock:
            running[0] -= 1
        return fake_render(request, out_path)

    dispatcher = InlineDispatcher(counting_render, workers=3)
    runner = JobRunner(
        store,
        storage,
        dispatcher,
        node="n",
        work_dir=tmp_path / "w",
        threads=1,
        lease_s=5,
        window=3,
    )
    store.create(new_job("job-1", *[f"Input {n}." for n in range(6)]), "internal-1")
    job = _run_one(store, runner)
    dispatcher.close()
    assert job.status == "Succeeded" and most[0] == 3
    summary = json.loads(storage.local_path("internal-1/summary.json").read_bytes())
    assert [r["texts"][0] for r in summary["results"]] == [f"Input {n}." for n in range(6)]
    assert storage.local_path("internal-1/0006.mp4").read_bytes() == b"Input 5." * 3


def test_a_worker_whose_job_was_taken_over_neither_finishes_it_nor_deletes_its_files(
    store: JobStore, storage: LocalStorage, runner: JobRunner
) -> None:
    from avatarsynth.jobs._runner import LostJob

    store.create(new_job(), "internal-1")
    stale = store.claim("node-a", lease_s=30)
    with store.session() as session, session.begin():  # node-a stalls; its lease lapses
        session.execute(
            update(Job).where(Job.internal_id == "internal-1").values(lease_expires_at=utcnow())
        )
    assert store.claim("node-b", lease_s=30) is not None
    storage.put_bytes("internal-1/0001.mp4", b"node-b's video")
    assert stale is not None
    with pytest.raises(LostJob):
        runner.run(stale)  # runner is node-a
    job = store.by_internal_id("internal-1")
    assert job is not None and job.status == "Running" and job.lease_owner == "node-b"
    assert storage.keys("internal-1") != []
