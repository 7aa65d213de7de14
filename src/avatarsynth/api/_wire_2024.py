"""Jobs as api-version 2024-08-01 (and 2024-04-15-preview) shows them (spec §4), kept apart
from the table model. Fields that are ``None`` are left out of the JSON."""

from __future__ import annotations

from fastapi import Request

from avatarsynth.api._services import Services
from avatarsynth.api._wire_common import ErrorDetail, Outputs, Wire, error, outputs, timestamp
from avatarsynth.api._wire_common import totals as totals_of
from avatarsynth.jobs import Job, JobSpec


class SynthesisConfig(Wire):
    voice: str
    style: str | None = None
    rate: str | None = None
    pitch: str | None = None
    volume: str | None = None


class BillingDetails(Wire):
    neural_characters: int
    talking_avatar_duration_seconds: int


class Properties(Wire):
    time_to_live_in_hours: int
    size_in_bytes: int | None = None
    duration_in_milliseconds: int | None = None
    succeeded_count: int | None = None
    failed_count: int | None = None
    billing_details: BillingDetails | None = None
    error: ErrorDetail | None = None


class AvatarConfig(Wire):
    talking_avatar_character: str
    talking_avatar_style: str
    video_format: str
    video_codec: str
    subtitle_type: str
    background_color: str
    bitrate_kbps: int
    customized: bool


class BatchJob(Wire):
    """One job."""

    id: str
    internal_id: str
    status: str
    created_date_time: str
    last_action_date_time: str
    input_kind: str
    description: str | None = None
    custom_voices: dict[str, str]
    synthesis_config: SynthesisConfig | None = None
    properties: Properties
    avatar_config: AvatarConfig
    outputs: Outputs | None = None


class BatchJobPage(Wire):
    """A page of jobs, newest first; ``values`` repeats ``value`` for clients that read it."""

    value: list[BatchJob]
    values: list[BatchJob]
    next_link: str | None = None


def _properties(job: Job, spec: JobSpec) -> Properties:
    totals = totals_of(job)
    if totals is None:
        return Properties(time_to_live_in_hours=spec.ttl_hours, error=error(job))
    return Properties(
        time_to_live_in_hours=spec.ttl_hours,
        size_in_bytes=totals.size_bytes,
        duration_in_milliseconds=totals.duration_ms,
        succeeded_count=totals.succeeded,
        failed_count=totals.failed,
        billing_details=BillingDetails(
            neural_characters=totals.neural_characters,
            talking_avatar_duration_seconds=totals.avatar_seconds,
        ),
        error=error(job),
    )


def _avatar(spec: JobSpec) -> AvatarConfig:
    avatar = spec.avatar
    return AvatarConfig(
        talking_avatar_character=avatar.character,
        talking_avatar_style=avatar.style,
        video_format=avatar.video_format.capitalize(),
        video_codec=avatar.video_codec,
        subtitle_type=avatar.subtitle_type,
        background_color=avatar.background_color,
        bitrate_kbps=avatar.bitrate_kbps,
        customized=avatar.customized,
    )


def current_job(job: Job, request: Request, services: Services) -> BatchJob:
    """A job in the shape of api-version 2024-08-01."""
    spec = JobSpec.from_json(job.spec)
    synthesis = spec.synthesis
    return BatchJob(
        id=job.job_id,
        internal_id=job.internal_id,
        status=job.status,
        created_date_time=timestamp(job.created_at),
        last_action_date_time=timestamp(job.last_action_at),
        input_kind=spec.input_kind,
        description=spec.description,
        custom_voices=spec.custom_voices,
        synthesis_config=SynthesisConfig(**vars(synthesis)) if synthesis else None,
        properties=_properties(job, spec),
        avatar_config=_avatar(spec),
        outputs=outputs(job, request, services),
    )
