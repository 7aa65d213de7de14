"""Azure's current batch synthesis APIs: one router shape, two resources.

- ``/avatar/batchsyntheses`` (api-version 2024-08-01, and 2024-04-15-preview of the same
  shape): talking-avatar videos;
- ``/texttospeech/batchsyntheses`` (api-version 2024-04-01): audio only.

Both have create (PUT under the client's id), get, list, delete and operation routes with the
same rules; they differ in the body they accept, the job JSON they show and their limits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from avatarsynth.api._services import (
    MAX_BODY_BYTES,
    MAX_SKIP,
    OwnerDep,
    Services,
    ServicesDep,
    canonical_hash,
    new_id,
    read_body,
)
from avatarsynth.api._wire import audio_job, current_job
from avatarsynth.errors import InvalidRequest
from avatarsynth.jobs import (
    Flavor,
    Job,
    JobSpec,
    NewJob,
    audio_spec,
    current_spec,
    parse_json,
)

MAX_PAGE = 100
_ID = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,62}[a-zA-Z0-9]$")
ApiVersion = Annotated[str | None, Query(alias="api-version")]
OperationId = Annotated[str | None, Header(alias="Operation-Id")]


@dataclass(frozen=True)
class Resource:
    """What distinguishes one batch synthesis resource from the other."""

    prefix: str
    versions: tuple[str, ...]
    flavor: Flavor
    parse: Callable[[dict[str, Any]], JobSpec]
    show: Callable[[Job, Request, Services], dict[str, Any]]
    body_limit: int


AVATAR = Resource(
    "/avatar",
    ("2024-08-01", "2024-04-15-preview"),
    Flavor.CURRENT,
    current_spec,
    current_job,
    MAX_BODY_BYTES,
)
AUDIO = Resource("/texttospeech", ("2024-04-01",), Flavor.AUDIO, audio_spec, audio_job, 2_000_000)


def _version(resource: Resource, value: str | None) -> str:
    if value is None:
        raise InvalidRequest("The api-version query parameter is required.", target="api-version")
    if value not in resource.versions:
        raise InvalidRequest(
            f"api-version '{value}' is not supported here; use {', '.join(resource.versions)}.",
            target="api-version",
        )
    return value


def _checked_id(value: str, what: str = "id") -> str:
    if not _ID.match(value):
        raise InvalidRequest(
            f"The {what} must be 3-64 letters, digits, '.', '-' or '_', starting and ending "
            "with a letter or digit.",
            target=what,
        )
    return value


def router_for(resource: Resource) -> APIRouter:
    """The create, get, list, delete and operation routes of one resource."""
    router = APIRouter(prefix=resource.prefix)

    @router.put("/batchsyntheses/{job_id}")
    async def create(
        job_id: str,
        request: Request,
        services: ServicesDep,
        owner: OwnerDep,
        api_version: ApiVersion = None,
        operation_id: OperationId = None,
    ) -> JSONResponse:
        """Create a job; an identical retry answers with the job it created before."""
        version = _version(resource, api_version)
        _checked_id(job_id)
        body = parse_json(await read_body(request, resource.body_limit), resource.body_limit)
        new = NewJob(
            owner=owner,
            job_id=job_id,
            api_version=version,
            spec=resource.parse(body),
            request_hash=canonical_hash(body),
            operation_id=_checked_id(operation_id, "Operation-Id") if operation_id else new_id(),
        )
        job = await run_in_threadpool(services.submit, new)
        location = (
            f"{services.base_url(request)}{resource.prefix}/operations/{job.operation_id}"
            f"?api-version={version}"
        )
        return JSONResponse(
            resource.show(job, request, services),
            status_code=201,
            headers={"Operation-Id": job.operation_id, "Operation-Location": location},
        )

    @router.get("/batchsyntheses/{job_id}")
    def get(
        job_id: str,
        request: Request,
        services: ServicesDep,
        owner: OwnerDep,
        api_version: ApiVersion = None,
    ) -> dict[str, Any]:
        _version(resource, api_version)
        job = services.store.get(owner, job_id, resource.flavor)
        return resource.show(job, request, services)

    @router.get("/batchsyntheses")
    @router.get("/batchsyntheses/", include_in_schema=False)
    def list_jobs(
        request: Request,
        services: ServicesDep,
        owner: OwnerDep,
        api_version: ApiVersion = None,
        skip: Annotated[int, Query(ge=0, le=MAX_SKIP)] = 0,
        maxpagesize: Annotated[int, Query(ge=1, le=1_000_000)] = MAX_PAGE,
    ) -> dict[str, Any]:
        """Newest first; ``nextLink`` (absolute, keeping api-version) until the last page."""
        version = _version(resource, api_version)
        size = min(maxpagesize, MAX_PAGE)
        jobs, more = services.store.page(owner, resource.flavor, skip, size)
        value = [resource.show(job, request, services) for job in jobs]
        page: dict[str, Any] = {"value": value, "values": value}
        if more:
            page["nextLink"] = (
                f"{services.base_url(request)}{resource.prefix}/batchsyntheses"
                f"?api-version={version}&skip={skip + size}&maxpagesize={size}"
            )
        return page

    @router.delete("/batchsyntheses/{job_id}", status_code=204)
    def delete(
        job_id: str, services: ServicesDep, owner: OwnerDep, api_version: ApiVersion = None
    ) -> Response:
        """Delete a job and its files; its result URLs stop working at once."""
        _version(resource, api_version)
        job = services.store.delete(owner, job_id, resource.flavor)
        services.storage.delete_prefix(job.internal_id)
        return Response(status_code=204)

    @router.get("/operations/{operation_id}")
    def operation(
        operation_id: str,
        services: ServicesDep,
        owner: OwnerDep,
        api_version: ApiVersion = None,
    ) -> dict[str, str]:
        _version(resource, api_version)
        job = services.store.by_operation(owner, operation_id)
        return {"id": operation_id, "status": job.status}

    return router
