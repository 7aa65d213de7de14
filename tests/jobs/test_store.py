"""The job store: migrations, idempotent creation, ownership, claiming and leases."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text, update

from avatarsynth.errors import Conflict, InvalidRequest, NotFound, TooManyRequests
from avatarsynth.jobs import Flavor, Job, JobStore, NewJob, Status, open_database, owner_of, utcnow
from tests.jobs.conftest import OWNER, new_job


def test_start_up_migrates_to_head_and_is_repeatable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db' / 'jobs.db'}"
    open_database(url)
    engine = open_database(url)
    assert "jobs" in inspect(engine).get_table_names()
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "0005"


def test_an_identical_retry_returns_the_first_job(store: JobStore) -> None:
    first, created = store.create(new_job(), "internal-1")
    again, created_again = store.create(new_job(), "internal-2")
    assert created and not created_again
    assert again.internal_id == first.internal_id == "internal-1"


def test_the_same_id_with_another_body_conflicts(store: JobStore) -> None:
    store.create(new_job("job-1", "Hello."), "internal-1")
    with pytest.raises(Conflict):
        store.create(new_job("job-1", "Goodbye."), "internal-2")


def test_an_operation_id_cannot_name_a_second_request(store: JobStore) -> None:
    store.create(new_job("job-1"), "internal-1")
    reused = NewJob(**{**new_job("job-2").__dict__, "operation_id": "op-job-1"})
    with pytest.raises(InvalidRequest) as caught:
        store.create(reused, "internal-2")
    assert caught.value.target == "Operation-Id"


def test_racing_creates_of_one_id_make_one_job(store: JobStore) -> None:
    results: list[str] = []

    def put(n: int) -> None:
        job, _ = store.create(new_job(), f"internal-{n}")
        results.append(job.internal_id)

    threads = [threading.Thread(target=put, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and len(set(results)) == 1


def test_jobs_belong_to_their_owner(store: JobStore) -> None:
    store.create(new_job(), "internal-1")
    other = owner_of("another-key")
    with pytest.raises(NotFound):
        store.get(other, "job-1", Flavor.CURRENT)
    with pytest.raises(NotFound):
        store.delete(other, "job-1", Flavor.CURRENT)
    with pytest.raises(NotFound):
        store.get(OWNER, "job-1", Flavor.LEGACY)
    assert store.page(other, Flavor.CURRENT, 0, 100) == ([], False)
    assert store.get(OWNER, "job-1", Flavor.CURRENT).internal_id == "internal-1"


def test_pages_are_newest_first(store: JobStore) -> None:
    for n in range(5):
        store.create(new_job(f"job-{n}"), f"internal-{n}")
    first, more = store.page(OWNER, Flavor.CURRENT, 0, 2)
    rest, no_more = store.page(OWNER, Flavor.CURRENT, 2, 10)
    assert [j.job_id for j in first] == ["job-4", "job-3"] and more
    assert [j.job_id for j in rest] == ["job-2", "job-1", "job-0"] and not no_more


def test_a_job_is_claimed_once(store: JobStore) -> None:
    store.create(new_job(), "internal-1")
    claimed = store.claim("node-a", lease_s=30)
    assert claimed is not None and claimed.status == "Running"
    assert claimed.lease_owner == "node-a" and claimed.attempts == 1
    assert store.claim("node-b", lease_s=30) is None


def test_a_job_whose_lease_expired_is_claimed_again(store: JobStore) -> None:
    store.create(new_job(), "internal-1")
    store.claim("dead-node", lease_s=30)
    _expire_lease(store, "internal-1")
    taken = store.claim("node-b", lease_s=30)
    assert taken is not None and taken.lease_owner == "node-b" and taken.attempts == 2
    assert not store.renew("internal-1", "dead-node", 30)
    assert store.renew("internal-1", "node-b", 30)


def test_a_restarting_node_releases_its_own_running_jobs_at_once(store: JobStore) -> None:
    store.create(new_job(), "internal-1")
    store.claim("node-a", lease_s=3600)
    assert store.claim("node-a", lease_s=30) is None
    assert store.release_all("node-a") == 1
    again = store.claim("node-a", lease_s=30)
    assert again is not None and again.internal_id == "internal-1"


def test_only_the_lease_holder_finishes_a_job(store: JobStore) -> None:
    store.create(new_job(), "internal-1")
    job = store.claim("node-a", lease_s=30)
    assert job is not None
    assert not store.finish(job, "node-b", Status.SUCCEEDED, "{}")
    assert store.finish(job, "node-a", Status.SUCCEEDED, "{}")
    done = store.by_internal_id("internal-1")
    assert done is not None and done.status == "Succeeded" and done.lease_owner is None
    assert done.expires_at is not None
    assert done.expires_at - done.last_action_at == timedelta(hours=744)


def test_the_quota_counts_waiting_and_running_jobs_only(store: JobStore) -> None:
    for n in range(3):
        store.create(new_job(f"job-{n}"), f"internal-{n}")
    job = store.claim("node-a", lease_s=30)
    assert job is not None
    with pytest.raises(TooManyRequests):
        store.create(new_job("job-3"), "internal-3", max_unfinished=3)
    store.finish(job, "node-a", Status.FAILED, "{}", ("RenderError", "no"))
    _, created = store.create(new_job("job-3"), "internal-3", max_unfinished=3)
    assert created


def _expire_lease(store: JobStore, internal_id: str) -> None:
    with store.session() as session, session.begin():
        session.execute(
            update(Job)
            .where(Job.internal_id == internal_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
