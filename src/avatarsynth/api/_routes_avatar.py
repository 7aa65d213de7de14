"""Azure's batch avatar API, api-version 2024-08-01 (and 2024-04-15-preview, same shape)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from avatarsynth.api._services import (
    MAX_BODY_BYTES,
    MAX_SKIP,
    OwnerDep,
    ServicesDep,
    canonical_hash,
    new_id,
    read_body,
)
from avatarsynth.api._versions import ApiVersion, checked_version
from avatarsynth.api._wire_2024 import BatchJob, BatchJobPage, current_job
from avatarsynth.errors import InvalidRequest
from avatarsynth.jobs import Flavor, Job, NewJob, current_spec, parse_json

MAX_PAGE = 100
_ID = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,62}[a-zA-Z0-9]$")

router = APIRouter(prefix="/avatar")


def _checked_id(value: str, what: str = "id") -> str:
    if not _ID.match(value):
        raise InvalidRequest(
            f"The {what} must be 3-64 letters, digits, '.', '-' or '_', starting and ending "
            "with a letter or digit.",
            target=what,
        )
    return value


def _operation_headers(
    request: Request, response: Response, services: ServicesDep, job: Job, version: str
) -> None:
    location = (
        f"{services.base_url(request)}/avatar/operations/{job.operation_id}?api-version={version}"
    )
    response.headers["Operation-Id"] = job.operation_id
    response.headers["Operation-Location"] = location


@router.put("/batchsyntheses/{job_id}", status_code=201, response_model_exclude_none=True)
async def create(
    job_id: str,
    request: Request,
    response: Response,
    services: ServicesDep,
    owner: OwnerDep,
    api_version: ApiVersion = None,
    operation_id: Annotated[str | None, Header(alias="Operation-Id")] = None,
) -> BatchJob:
    """Create a job; an identical retry answers with the job it created before."""
    version = checked_version(api_version)
    _checked_id(job_id)
    body = parse_json(await read_body(request), MAX_BODY_BYTES)
    new = NewJob(
        owner=owner,
        job_id=job_id,
        api_version=version,
        spec=current_spec(body),
        request_hash=canonical_hash(body),
        operation_id=_checked_id(operation_id, "Operation-Id") if operation_id else new_id(),
    )
    job = await run_in_threadpool(services.submit, new)
    _operation_headers(request, response, services, job, version)
    return current_job(job, request, services)


@router.get("/batchsyntheses/{job_id}", response_model_exclude_none=True)
def get(
    job_id: str,
    request: Request,
    services: ServicesDep,
    owner: OwnerDep,
    api_version: ApiVersion = None,
) -> BatchJob:
    """One job, with freshly signed result URLs once it has finished."""
    checked_version(api_version)
    return current_job(services.store.get(owner, job_id, Flavor.CURRENT), request, services)


@router.get("/batchsyntheses", response_model_exclude_none=True)
@router.get("/batchsyntheses/", include_in_schema=False, response_model_exclude_none=True)
def list_jobs(
    request: Request,
    services: ServicesDep,
    owner: OwnerDep,
    api_version: ApiVersion = None,
    skip: Annotated[int, Query(ge=0, le=MAX_SKIP)] = 0,
    maxpagesize: Annotated[int, Query(ge=1, le=1_000_000)] = MAX_PAGE,
) -> BatchJobPage:
    """Newest first; ``nextLink`` (absolute, keeping api-version) until the last page."""
    version = checked_version(api_version)
    size = min(maxpagesize, MAX_PAGE)
    jobs, more = services.store.page(owner, Flavor.CURRENT, skip, size)
    value = [current_job(job, request, services) for job in jobs]
    next_link = (
        f"{services.base_url(request)}/avatar/batchsyntheses?api-version={version}"
        f"&skip={skip + size}&maxpagesize={size}"
    )
    return BatchJobPage(value=value, values=value, next_link=next_link if more else None)


@router.delete("/batchsyntheses/{job_id}", status_code=204)
def delete(
    job_id: str, services: ServicesDep, owner: OwnerDep, api_version: ApiVersion = None
) -> Response:
    """Delete a job and its files; its result URLs stop working at once."""
    checked_version(api_version)
    job = services.store.delete(owner, job_id, Flavor.CURRENT)
    services.storage.delete_prefix(job.internal_id)
    return Response(status_code=204)
