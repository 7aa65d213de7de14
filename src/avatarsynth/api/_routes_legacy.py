"""The legacy talking-avatar API, 3.1-preview1: server-chosen GUID ids, its own body and job
shapes, and ``values``/``@nextLink`` lists. It is the API of Azure's how-to page "Obtain batch
synthesis results", whose commands must work verbatim."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
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
from avatarsynth.api._wire import legacy_job
from avatarsynth.jobs import Flavor, NewJob, legacy_spec, parse_json

PREFIX = "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar"
MAX_TOP = 100
router = APIRouter(prefix=PREFIX)


@router.post("")
async def create(request: Request, services: ServicesDep, owner: OwnerDep) -> JSONResponse:
    """Create a job under a new GUID."""
    body = parse_json(await read_body(request), MAX_BODY_BYTES)
    spec = legacy_spec(body)
    job_id = new_id()
    new = NewJob(
        owner=owner,
        job_id=job_id,
        api_version=Flavor.LEGACY.value,
        spec=spec,
        request_hash=canonical_hash(body),
        operation_id=new_id(),
    )
    job = await run_in_threadpool(services.submit, new)
    location = f"{services.base_url(request)}{PREFIX}/{job_id}"
    return JSONResponse(
        legacy_job(job, request, services), status_code=201, headers={"Location": location}
    )


@router.get("")
@router.get("/", include_in_schema=False)
def list_jobs(
    request: Request,
    services: ServicesDep,
    owner: OwnerDep,
    skip: Annotated[int, Query(ge=0, le=MAX_SKIP)] = 0,
    top: Annotated[int, Query(ge=1, le=1_000_000)] = MAX_TOP,
) -> dict[str, Any]:
    size = min(top, MAX_TOP)
    jobs, more = services.store.page(owner, Flavor.LEGACY, skip, size)
    page: dict[str, Any] = {"values": [legacy_job(job, request, services) for job in jobs]}
    if more:
        page["@nextLink"] = f"{services.base_url(request)}{PREFIX}?skip={skip + size}&top={size}"
    return page


@router.get("/{job_id}")
def get(job_id: str, request: Request, services: ServicesDep, owner: OwnerDep) -> dict[str, Any]:
    return legacy_job(services.store.get(owner, job_id, Flavor.LEGACY), request, services)


@router.delete("/{job_id}", status_code=204)
def delete(job_id: str, services: ServicesDep, owner: OwnerDep) -> Response:
    job = services.store.delete(owner, job_id, Flavor.LEGACY)
    services.storage.delete_prefix(job.internal_id)
    return Response(status_code=204)
