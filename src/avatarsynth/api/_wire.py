"""Jobs as each API generation shows them (spec §1 and §4): the wire shapes, kept apart from
the table model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request

from avatarsynth.api._services import Services
from avatarsynth.jobs import AvatarConfig, Job, JobResults, JobSpec, Status


def _background_image(avatar: AvatarConfig) -> dict[str, str]:
    return {"backgroundImage": avatar.background_image} if avatar.background_image else {}


def timestamp(moment: datetime) -> str:
    """RFC 3339 UTC with milliseconds and ``Z``, as Azure writes them."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _outputs(job: Job, request: Request, services: Services) -> dict[str, str] | None:
    """Both URLs, or none: strict clients fail on one without the other."""
    if job.results is None:
        return None
    results = JobResults.from_json(job.results)
    if results.result_key is None:
        return None
    if results.folder is not None:  # in the caller's container, named as Azure names it
        result = results.folder
    else:
        result = services.result_url(request, results.result_key)
    outputs = {"result": result}
    if results.result_key != f"{job.internal_id}/results.zip":  # the audio zip holds the summary
        outputs["summary"] = services.result_url(request, results.summary_key)
    if results.subtitle_key is not None:
        outputs["subtitle"] = services.result_url(request, results.subtitle_key)
    return outputs


def _totals(job: Job) -> dict[str, Any]:
    if job.results is None:
        return {}
    totals = JobResults.from_json(job.results).totals
    return {
        "sizeInBytes": totals.size_bytes,
        "durationInMilliseconds": totals.duration_ms,
        "succeededCount": totals.succeeded,
        "failedCount": totals.failed,
        "billingDetails": {
            "neuralCharacters": totals.neural_characters,
            "talkingAvatarDurationSeconds": totals.avatar_seconds,
        },
    }


def _error(job: Job) -> dict[str, Any]:
    if job.status != Status.FAILED.value:
        return {}
    return {"error": {"code": job.error_code, "message": job.error_message}}


def _progress(job: Job) -> dict[str, Any]:
    """``progress`` (an extension) of a running or succeeded job, once its render told any."""
    shown = job.status in (Status.RUNNING.value, Status.SUCCEEDED.value)
    if not shown or job.progress_percent is None:
        return {}
    return {
        "progress": {
            "percent": round(job.progress_percent, 1),
            "stage": job.progress_stage or "",
            "framesDone": job.progress_frames_done or 0,
            "framesTotal": job.progress_frames_total or 0,
        }
    }


def _synthesis(spec: JobSpec) -> dict[str, Any]:
    if spec.synthesis is None:
        return {}
    fields = {
        "voice": spec.synthesis.voice,
        "style": spec.synthesis.style,
        "rate": spec.synthesis.rate,
        "pitch": spec.synthesis.pitch,
        "volume": spec.synthesis.volume,
    }
    return {"synthesisConfig": {k: v for k, v in fields.items() if v is not None}}


def _head(job: Job, spec: JobSpec) -> dict[str, Any]:
    """What both current APIs (avatar 2024-08-01, audio 2024-04-01) show first."""
    return {
        "id": job.job_id,
        "internalId": job.internal_id,
        "status": job.status,
        "createdDateTime": timestamp(job.created_at),
        "lastActionDateTime": timestamp(job.last_action_at),
        "inputKind": spec.input_kind,
        **({"description": spec.description} if spec.description is not None else {}),
        "customVoices": spec.custom_voices,
        **_synthesis(spec),
    }


def _with_outputs(
    body: dict[str, Any], job: Job, request: Request, services: Services
) -> dict[str, Any]:
    outputs = _outputs(job, request, services)
    return {**body, "outputs": outputs} if outputs else body


def _crop(avatar: AvatarConfig) -> dict[str, Any]:
    """``videoCrop`` as it was asked for (integers), only when it was."""
    if avatar.video_crop is None:
        return {}
    left, top, right, bottom = avatar.video_crop
    return {
        "videoCrop": {"topLeft": {"x": left, "y": top}, "bottomRight": {"x": right, "y": bottom}}
    }


def _photo(avatar: AvatarConfig) -> dict[str, Any]:
    """``photoAvatarBaseModel`` and ``scene`` for a photo avatar (no style then)."""
    if avatar.photo_base_model is None:
        return {}
    return {"photoAvatarBaseModel": avatar.photo_base_model, "scene": avatar.scene}


def _resolution(avatar: AvatarConfig) -> dict[str, Any]:
    """``resolution``, ``avatarSize`` and ``avatarPosition`` as they were asked for, each only
    when it was."""
    sizes = {
        "resolution": avatar.resolution,
        "avatarSize": avatar.avatar_size,
        "avatarPosition": avatar.avatar_position,
    }
    return {name: {"x": xy[0], "y": xy[1]} for name, xy in sizes.items() if xy is not None}


def current_job(job: Job, request: Request, services: Services) -> dict[str, Any]:
    """A job in the shape of api-version 2024-08-01."""
    spec = JobSpec.from_json(job.spec)
    avatar = spec.avatar
    assert avatar is not None
    body: dict[str, Any] = {
        **_head(job, spec),
        "properties": {
            "timeToLiveInHours": spec.ttl_hours,
            **({"webhookUrl": spec.webhook_url} if spec.webhook_url else {}),
            **_totals(job),
            **_progress(job),
            **_error(job),
        },
        "avatarConfig": {
            "talkingAvatarCharacter": avatar.character,
            **({"talkingAvatarStyle": avatar.style} if avatar.style else {}),
            "videoFormat": avatar.video_format.capitalize(),
            "videoCodec": avatar.video_codec,
            "subtitleType": avatar.subtitle_type,
            "backgroundColor": avatar.background_color,
            **_background_image(avatar),
            "bitrateKbps": avatar.bitrate_kbps,
            "customized": avatar.customized,
            **_crop(avatar),
            **_photo(avatar),
            **_resolution(avatar),
        },
    }
    return _with_outputs(body, job, request, services)


def iso_duration(hours: int) -> str:
    """``744`` → ``P31D``, ``36`` → ``P1DT12H``."""
    days, rest = divmod(hours, 24)
    return "P" + (f"{days}D" if days else "") + (f"T{rest}H" if rest else "") if hours else "PT0H"


def _legacy_totals(job: Job) -> dict[str, Any]:
    if job.results is None:
        return {}
    totals = JobResults.from_json(job.results).totals
    return {
        "audioSize": totals.size_bytes,
        "durationInTicks": totals.duration_ms * 10_000,
        "duration": f"PT{totals.duration_ms / 1000:.3f}".rstrip("0").rstrip(".") + "S",
        "succeededAudioCount": totals.succeeded,
        "failedAudioCount": totals.failed,
        "billingDetails": {"neural": totals.neural_characters, "customNeural": 0},
    }


def legacy_job(job: Job, request: Request, services: Services) -> dict[str, Any]:
    """A job in the shape of the 3.1-preview1 talking-avatar API."""
    spec = JobSpec.from_json(job.spec)
    avatar = spec.avatar
    assert avatar is not None
    body: dict[str, Any] = {
        "id": job.job_id,
        "displayName": spec.display_name,
        **({"description": spec.description} if spec.description is not None else {}),
        "status": job.status,
        "textType": spec.input_kind,
        "createdDateTime": timestamp(job.created_at),
        "lastActionDateTime": timestamp(job.last_action_at),
        "customVoices": spec.custom_voices,
        **_synthesis(spec),
        "properties": {
            **_legacy_totals(job),
            "timeToLive": iso_duration(spec.ttl_hours),
            "talkingAvatarCharacter": avatar.character,
            **({"talkingAvatarStyle": avatar.style} if avatar.style else {}),
            "videoFormat": avatar.video_format,
            "videoCodec": avatar.video_codec,
            "subtitleType": avatar.subtitle_type,
            "backgroundColor": avatar.background_color,
            **_background_image(avatar),
            "kBitrate": avatar.bitrate_kbps,
            "customized": avatar.customized,
            **_crop(avatar),
            **_resolution(avatar),
            **_progress(job),
            **_error(job),
        },
        **({"customProperties": spec.custom_properties} if spec.custom_properties else {}),
    }
    return _with_outputs(body, job, request, services)


def audio_job(job: Job, request: Request, services: Services) -> dict[str, Any]:
    """A job in the shape of the audio batch API, api-version 2024-04-01."""
    spec = JobSpec.from_json(job.spec)
    audio = spec.audio
    assert audio is not None
    totals = _totals(job)
    if totals:
        totals["billingDetails"] = {
            "neuralCharacters": totals["billingDetails"]["neuralCharacters"],
            "customNeuralCharacters": 0,
        }
    body: dict[str, Any] = {
        **_head(job, spec),
        "properties": {
            "timeToLiveInHours": spec.ttl_hours,
            "outputFormat": audio.output_format,
            "concatenateResult": audio.concatenate,
            "decompressOutputFiles": False,
            "wordBoundaryEnabled": audio.word_boundaries,
            "sentenceBoundaryEnabled": audio.sentence_boundaries,
            **totals,
            **_progress(job),
            **_error(job),
        },
    }
    return _with_outputs(body, job, request, services)
