"""A fresh database, storage and request body per test."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from avatarsynth.jobs import JobSpec, JobStore, NewJob, current_spec, open_database, owner_of
from avatarsynth.storage import LocalStorage

OWNER = owner_of("test-key")


def body(*contents: str, **avatar: Any) -> dict[str, Any]:
    """A valid 2024-08-01 create body with the given inputs."""
    return {
        "inputKind": "PlainText",
        "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
        "inputs": [{"content": c} for c in contents or ("Hello.",)],
        "avatarConfig": {
            "talkingAvatarCharacter": "lisa",
            "talkingAvatarStyle": "casual-sitting",
            **avatar,
        },
    }


def new_job(job_id: str = "job-1", *contents: str, spec: JobSpec | None = None) -> NewJob:
    return NewJob(
        owner=OWNER,
        job_id=job_id,
        api_version="2024-08-01",
        spec=spec or current_spec(body(*contents)),
        request_hash=hashlib.sha256(f"{job_id}-{contents}".encode()).hexdigest(),
        operation_id=f"op-{job_id}",
    )


@pytest.fixture
def store(database_url: str) -> Iterator[JobStore]:
    """The job store on each database the service supports."""
    found = JobStore(open_database(database_url))
    yield found
    found.engine.dispose()  # PostgreSQL's database can only be dropped once nobody is in it


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "var" / "results")
