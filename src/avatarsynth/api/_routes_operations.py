"""Operations of the current API: ``GET /avatar/operations/{id}`` follows a job's status."""

from __future__ import annotations

from fastapi import APIRouter

from avatarsynth.api._services import OwnerDep, ServicesDep
from avatarsynth.api._versions import ApiVersion, checked_version

router = APIRouter(prefix="/avatar/operations")


@router.get("/{operation_id}")
def operation(
    operation_id: str, services: ServicesDep, owner: OwnerDep, api_version: ApiVersion = None
) -> dict[str, str]:
    """The status of the job an ``Operation-Location`` header pointed at."""
    checked_version(api_version)
    job = services.store.by_operation(owner, operation_id)
    return {"id": operation_id, "status": job.status}
