"""The Celery task itself, called as a worker calls it: a redelivered or duplicated task never
renders a job twice at once, and a re-run after a dead worker overwrites its own outputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from avatarsynth.config import load_settings
from avatarsynth.jobs import Job, JobResults, Status, utcnow
from avatarsynth.runtime import build
from avatarsynth.tasks import WorkerContext, install_context, run_job
from tests.api.conftest import fake_render
from tests.jobs.conftest import new_job


@pytest.fixture
def context(tmp_path: Path, database_url: str) -> Iterator[WorkerContext]:
    settings = load_settings(data_dir=tmp_path / "var", database_url=database_url)
    found = build(settings, render=fake_render).worker()
    install_context(found)
    yield found
    install_context(None)
    found.store.engine.dispose()


def test_a_task_renders_its_job_once_and_a_duplicate_does_nothing(
    context: WorkerContext,
) -> None:
    context.store.create(new_job("job-1", "One.", "Two."), "internal-1")
    assert run_job("internal-1") == "done"
    job = context.store.by_internal_id("internal-1")
    assert job is not None and job.status == Status.SUCCEEDED and job.attempts == 1
    assert run_job("internal-1").startswith("skipped")  # redelivered after it finished
    assert run_job("no-such-job").startswith("skipped")  # deleted meanwhile
    keys = context.storage.keys("internal-1")
    assert keys == ["internal-1/0001.mp4", "internal-1/0002.mp4", "internal-1/summary.json"]


def test_a_job_held_by_a_live_worker_is_left_alone(context: WorkerContext) -> None:
    context.store.create(new_job("job-1"), "internal-1")
    assert context.store.claim_job("internal-1", "another-worker", lease_s=60) is not None
    assert run_job("internal-1").startswith("skipped")
    job = context.store.by_internal_id("internal-1")
    assert job is not None and job.status == Status.RUNNING and job.lease_owner == "another-worker"


def test_a_dead_workers_job_is_rendered_again_over_its_own_files(
    context: WorkerContext,
) -> None:
    context.store.create(new_job("job-1", "One."), "internal-1")
    assert context.store.claim_job("internal-1", "dead-worker", lease_s=60) is not None
    context.storage.put_bytes("internal-1/0001.mp4", b"half of a video from the dead worker")
    with context.store.session() as session, session.begin():
        session.execute(
            update(Job)
            .where(Job.internal_id == "internal-1")
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    assert run_job("internal-1") == "done"
    job = context.store.by_internal_id("internal-1")
    assert job is not None and job.status == Status.SUCCEEDED and job.attempts == 2
    assert context.storage.keys("internal-1") == ["internal-1/0001.mp4", "internal-1/summary.json"]
    video = context.storage.get_bytes("internal-1/0001.mp4")
    assert video.startswith(b"\x00\x00\x00\x18ftyp") and b"dead worker" not in video
    assert job.results is not None
    outcome = JobResults.from_json(job.results).outcomes[0]
    assert outcome.size_bytes == len(video)
    summary = json.loads(context.storage.get_bytes("internal-1/summary.json"))
    assert [r["status"] for r in summary["results"]] == ["Succeeded"]


def test_a_job_that_keeps_killing_its_workers_fails_instead_of_looping(
    context: WorkerContext,
) -> None:
    context.store.create(new_job("job-1", "One.", "Two."), "internal-1")
    for attempt in range(context.max_attempts):  # each worker died mid-render
        assert context.store.claim_job("internal-1", f"worker-{attempt}", lease_s=60)
        _expire(context)
    assert run_job("internal-1") == "failed: too many attempts"
    job = context.store.by_internal_id("internal-1")
    assert job is not None and job.status == Status.FAILED
    assert job.error_code == "InternalServerError" and "3 times" in (job.error_message or "")
    summary = json.loads(context.storage.get_bytes("internal-1/summary.json"))
    assert [r["status"] for r in summary["results"]] == ["Failed", "Failed"]


def _expire(context: WorkerContext) -> None:
    with context.store.session() as session, session.begin():
        session.execute(
            update(Job)
            .where(Job.internal_id == "internal-1")
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
