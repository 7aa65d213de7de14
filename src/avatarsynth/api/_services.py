"""Everything a request handler needs, built once by ``create_app`` (no globals)."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Request
from sqlalchemy import text

from avatarsynth.api._auth import KeyRing
from avatarsynth.config import Settings
from avatarsynth.errors import RequestTooLarge
from avatarsynth.jobs import Flavor, Job, JobStore, NewJob, check_inputs, fetch_policy
from avatarsynth.pipeline import AnyRequest
from avatarsynth.storage import Storage, UrlSigner
from avatarsynth.telemetry import bind, metrics

_LOG = logging.getLogger(__name__)
MAX_BODY_BYTES = 500_000
KIND_OF = {Flavor.CURRENT: "avatar", Flavor.LEGACY: "avatar-legacy", Flavor.AUDIO: "audio"}
"""A job's kind as the metrics label it (the API generation that created it)."""
MAX_SKIP = 2**31 - 1
"""Past any real list; bounds ``skip`` so a huge value is a 400, not a database overflow."""


class Scheduler(Protocol):
    """Who runs stored jobs: runner threads in this process (embedded), or Celery workers."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def submitted(self, internal_id: str) -> None: ...


class Broker(Protocol):
    """A scheduler with a broker to check (Celery mode)."""

    def check(self) -> None: ...


@dataclass
class Services:
    """The app's collaborators; ``request.app.state.services`` holds one."""

    settings: Settings
    keys: KeyRing
    store: JobStore
    storage: Storage
    signer: UrlSigner
    scheduler: Scheduler
    check: Callable[[AnyRequest], object]

    def submit(self, new: NewJob) -> Job:
        """Check every input with the pipeline, store the job (or find its twin), wake a
        runner or send its task. Blocking (up to 10,000 parses): routes call it in the thread
        pool."""
        check_inputs(new.spec, self.check, fetch_policy(self.settings))
        job, created = self.store.create(
            new, new_id(), max_unfinished=self.settings.max_running_jobs
        )
        if created:
            metrics().jobs_created.labels(KIND_OF[Flavor(job.flavor)]).inc()
            with bind(job_id=job.job_id, internal_id=job.internal_id):
                _LOG.info("Job created with %d input(s)", len(new.spec.inputs))
                self.scheduler.submitted(job.internal_id)
        return job

    def unready(self) -> list[str]:
        """What this process cannot reach now (database, broker, result store): readiness."""
        checks: dict[str, Callable[[], object]] = {
            "database": self._ping_database,
            "storage": self.storage.check,
        }
        if hasattr(self.scheduler, "check"):
            broker: Broker = self.scheduler  # type: ignore[assignment]
            checks["broker"] = broker.check
        failed = []
        for name, check in checks.items():
            try:
                check()
            except Exception:
                failed.append(name)
        return failed

    def _ping_database(self) -> None:
        with self.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def base_url(self, request: Request) -> str:
        """Where clients reach us: the configured public URL, else the request's own."""
        return (self.settings.public_url or str(request.base_url)).rstrip("/")

    def result_url(self, request: Request, key: str) -> str:
        """An absolute, signed, expiring URL for a result file (or a job's folder): the
        store's presigned URL for a file when so configured, else the API's own."""
        if "/" in key:  # a file; a job's folder is always the API's listing
            presigned = self.storage.presigned_url(key, self.settings.result_url_ttl_s)
            if presigned is not None:
                return presigned
        query = self.signer.sign(key, self.settings.result_url_ttl_s)
        return f"{self.base_url(request)}/results/{key}?se={query['se']}&sig={query['sig']}"


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


def owner(request: Request, found: ServicesDep) -> str:
    """The caller's owner id (hash of their key); 401 without a valid key."""
    return found.keys.owner(request)


OwnerDep = Annotated[str, Depends(owner)]


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refused as soon as it passes the limit (no unbounded buffering)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestTooLarge(
            f"The request body is {declared} bytes; the limit is {limit // 1000} KB."
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(f"The request body passes the limit of {limit // 1000} KB.")
        chunks.append(chunk)
    return b"".join(chunks)


def canonical_hash(body: object) -> str:
    """Identical bodies hash alike whatever their key order or spacing (idempotent PUTs)."""
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def new_id() -> str:
    return str(uuid.uuid4())
