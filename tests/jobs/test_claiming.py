"""Claiming: oldest first, and never twice, however many workers race for jobs."""

from __future__ import annotations

import threading

from avatarsynth.jobs import Job, JobStore, Status
from tests.jobs.conftest import new_job


def add(store: JobStore, job_id: str) -> Job:
    job, created = store.create(new_job(job_id), f"internal-{job_id}")
    assert created
    return job


def test_jobs_are_claimed_oldest_first_and_only_once(store: JobStore) -> None:
    first, second = add(store, "first"), add(store, "second")
    claimed = store.claim("node-a", lease_s=30)
    assert claimed is not None and claimed.internal_id == first.internal_id
    assert claimed.status == Status.RUNNING
    assert claimed.last_action_at >= first.created_at
    again = store.claim("node-b", lease_s=30)
    assert again is not None and again.internal_id == second.internal_id
    assert store.claim("node-c", lease_s=30) is None


def test_racing_workers_never_claim_the_same_job(store: JobStore) -> None:
    for index in range(20):
        add(store, f"race-{index}")
    claimed: list[str] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        while (job := store.claim(name, lease_s=30)) is not None:
            with lock:
                claimed.append(job.internal_id)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(f"internal-race-{i}" for i in range(20))
