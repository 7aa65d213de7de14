"""The job store and its state machine: claiming, leases, recovery, retention."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from avatarsynth.jobs import (
    AvatarConfig,
    Flavor,
    Job,
    JobSpec,
    JobStore,
    NewJob,
    Status,
    open_database,
    sweep,
    transition,
    utcnow,
)
from avatarsynth.jobs._lifecycle import IllegalTransition
from avatarsynth.storage import LocalStorage


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(open_database(f"sqlite:///{tmp_path / 'jobs.db'}"))


def add(store: JobStore, job_id: str, ttl_hours: int = 744) -> Job:
    spec = JobSpec(
        flavor=Flavor.CURRENT,
        input_kind="PlainText",
        inputs=("Hi",),
        avatar=AvatarConfig("lisa", "casual-sitting"),
        ttl_hours=ttl_hours,
    )
    new = NewJob("owner", job_id, "2024-08-01", spec, f"hash-{job_id}", f"op-{job_id}")
    job, created = store.create(new, f"internal-{job_id}")
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


def test_a_job_whose_lease_expired_is_taken_over(store: JobStore) -> None:
    job = add(store, "orphan")
    assert store.claim("dead-node", lease_s=30) is not None
    assert store.claim("live-node", lease_s=30) is None
    with store.session() as session, session.begin():
        session.execute(update(Job).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
    taken = store.claim("live-node", lease_s=30)
    assert taken is not None and taken.internal_id == job.internal_id
    assert (taken.lease_owner, taken.attempts) == ("live-node", 2)
    assert not store.renew(job.internal_id, "dead-node", 30)
    assert not store.finish(taken, "dead-node", Status.SUCCEEDED, "{}")


def test_a_restarting_node_releases_its_own_running_jobs_at_once(store: JobStore) -> None:
    add(store, "interrupted")
    assert store.claim("node", lease_s=3600) is not None
    assert store.claim("node", lease_s=3600) is None
    assert store.release_all("node") == 1
    assert store.claim("node", lease_s=3600) is not None


def test_only_legal_transitions_exist(store: JobStore) -> None:
    job = add(store, "strict")
    with store.session() as session:
        with pytest.raises(IllegalTransition):
            transition(session, job.internal_id, Status.NOT_STARTED, Status.SUCCEEDED, utcnow())
        with pytest.raises(IllegalTransition):
            transition(session, job.internal_id, Status.SUCCEEDED, Status.RUNNING, utcnow())
        assert not transition(session, job.internal_id, Status.RUNNING, Status.FAILED, utcnow())


def test_retention_removes_expired_jobs_and_their_files(store: JobStore, tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "results")
    keep, expire = add(store, "keep"), add(store, "expire", ttl_hours=1)
    for _ in (keep, expire):
        claimed = store.claim("node", 30)
        assert claimed is not None
        storage.put_bytes(f"{claimed.internal_id}/0001.mp4", b"video")
        assert store.finish(
            claimed, "node", Status.SUCCEEDED, '{"outcomes": [], "summary_key": ""}'
        )
    assert sweep(store, storage) == 0
    with store.session() as session, session.begin():
        session.execute(
            update(Job)
            .where(Job.internal_id == expire.internal_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert sweep(store, storage) == 1
    assert store.by_internal_id(expire.internal_id) is None
    assert storage.keys(expire.internal_id) == []
    assert storage.keys(keep.internal_id) == [f"{keep.internal_id}/0001.mp4"]
