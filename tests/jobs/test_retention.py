"""Retention: finished jobs go with their files at lastActionDateTime + timeToLiveInHours."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import update

from avatarsynth.jobs import Job, JobStore, Status, Sweeper, sweep, utcnow
from avatarsynth.storage import LocalStorage
from tests.jobs.conftest import new_job


def _finished(store: JobStore, storage: LocalStorage, job_id: str, age_h: float) -> str:
    internal_id = f"internal-{job_id}"
    store.create(new_job(job_id), internal_id)
    job = store.claim("node", 30)
    assert job is not None and job.internal_id == internal_id
    store.finish(job, "node", Status.SUCCEEDED, "{}")
    storage.put_bytes(f"{internal_id}/0001.mp4", b"video")
    with store.session() as session, session.begin():
        session.execute(
            update(Job)
            .where(Job.internal_id == internal_id)
            .values(expires_at=utcnow() - timedelta(hours=age_h))
        )
    return internal_id


def test_expired_jobs_go_with_their_files(store: JobStore, storage: LocalStorage) -> None:
    old = _finished(store, storage, "old", age_h=1)
    young = _finished(store, storage, "young", age_h=-1)
    store.create(new_job("waiting"), "internal-waiting")
    assert sweep(store, storage) == 1
    assert store.by_internal_id(old) is None and storage.keys(old) == []
    assert store.by_internal_id(young) is not None and storage.keys(young) != []
    assert store.by_internal_id("internal-waiting") is not None
    assert sweep(store, storage) == 0


def test_the_sweeper_runs_in_the_background(store: JobStore, storage: LocalStorage) -> None:
    old = _finished(store, storage, "old", age_h=1)
    sweeper = Sweeper(store, storage, interval_s=0.05)
    sweeper.start()
    try:
        deadline = time.monotonic() + 5
        while store.by_internal_id(old) is not None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        sweeper.stop()
    assert store.by_internal_id(old) is None and storage.keys(old) == []
