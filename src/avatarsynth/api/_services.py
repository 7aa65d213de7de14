"""Everything a request handler needs, built once by ``create_app`` (no globals): the keys,
the URL signer and the job service behind the routes."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends, Request

from avatarsynth.api._auth import KeyRing
from avatarsynth.config import Settings
from avatarsynth.errors import InvalidRequest, RequestTooLarge
from avatarsynth.jobs import Flavor, Job, JobService, JobStore, NewJob
from avatarsynth.portraits import Portraits
from avatarsynth.storage import Storage, UrlSigner

MAX_BODY_BYTES = 500_000
MAX_SKIP = 2**31 - 1
"""Past any real list; bounds ``skip`` so a huge value is a 400, not a database overflow."""


@dataclass
class Services:
    """The app's collaborators; ``request.app.state.services`` holds one."""

    settings: Settings
    keys: KeyRing
    signer: UrlSigner
    jobs: JobService
    portraits: Portraits

    def submit(self, new: NewJob) -> Job:
        """Hand a new job to the job service, a photo avatar's portrait looked up first, for
        the key that asks (so a job renders the portrait it was created with). Blocking:
        routes call it in the thread pool."""
        return self.jobs.submit(self._with_portrait(new))

    def _with_portrait(self, new: NewJob) -> NewJob:
        avatar = new.spec.avatar
        if avatar is None or avatar.photo_base_model is None:
            return new
        try:
            found = self.portraits.find(new.owner, avatar.character)
        except InvalidRequest as exc:
            legacy = new.spec.flavor is Flavor.LEGACY
            target = ("properties" if legacy else "avatarConfig") + ".talkingAvatarCharacter"
            raise InvalidRequest(f"{target}: {exc.message}", target=target) from exc
        spec = replace(new.spec, avatar=replace(avatar, portrait=str(found)))
        return replace(new, spec=spec)

    @property
    def store(self) -> JobStore:
        return self.jobs.store

    @property
    def storage(self) -> Storage:
        return self.jobs.storage

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
