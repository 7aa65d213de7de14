"""Create bodies as Azure reads them: case-insensitive, defaults filled, every error named."""

from __future__ import annotations

from typing import Any

import pytest

from avatarsynth.errors import InvalidRequest, InvalidScript, RequestTooLarge, UnknownVoice
from avatarsynth.frame import Box
from avatarsynth.jobs import Flavor, check_inputs, current_spec, legacy_spec
from avatarsynth.jobs._fields import parse_json
from avatarsynth.jobs._spec import JobSpec
from avatarsynth.pipeline import RenderRequest
from tests.jobs.conftest import body


def _target_of(data: dict[str, Any]) -> str | None:
    with pytest.raises(InvalidRequest) as caught:
        current_spec(data)
    assert caught.value.target is not None
    assert caught.value.target in caught.value.message
    return caught.value.target


def test_defaults_are_filled_in() -> None:
    spec = current_spec(body("Hi."))
    assert spec.flavor is Flavor.CURRENT and spec.inputs == ("Hi.",) and spec.ttl_hours == 744
    assert (spec.avatar.video_format, spec.avatar.video_codec) == ("mp4", "hevc")
    assert spec.avatar.subtitle_type == "soft_embedded"
    assert spec.avatar.background_color == "#FFFFFFFF" and spec.avatar.bitrate_kbps == 2000


def test_names_and_values_are_case_insensitive_and_unknown_names_ignored() -> None:
    spec = current_spec(
        {
            "INPUTKIND": "plaintext",
            "SynthesisConfig": {"Voice": "en-US-JennyNeural"},
            "Inputs": [{"CONTENT": "Hi."}],
            "avatarconfig": {
                "TalkingAvatarCharacter": "lisa",
                "talkingavatarstyle": "casual-sitting",
                "VideoFormat": "WEBM",
                "VIDEOCODEC": "VP9",
                "SubtitleType": "None",
            },
            "somethingNew": {"deep": [1, 2]},
        }
    )
    assert spec.input_kind == "PlainText" and spec.synthesis is not None
    assert (spec.avatar.video_format, spec.avatar.video_codec) == ("webm", "vp9")
    assert spec.avatar.subtitle_type == "none"


@pytest.mark.parametrize(
    ("change", "target"),
    [
        ({"inputKind": None}, "inputKind"),
        ({"inputKind": "Markdown"}, "inputKind"),
        ({"inputKind": 3}, "inputKind"),
        ({"inputs": []}, "inputs"),
        ({"inputs": "Hello"}, "inputs"),
        ({"inputs": [{"content": ""}]}, "inputs[0].content"),
        ({"inputs": [{"content": "a"}, {"text": "b"}]}, "inputs[1].content"),
        ({"inputs": [{"content": "a"}, "b"]}, "inputs[1]"),
        ({"synthesisConfig": None}, "synthesisConfig"),
        ({"synthesisConfig": {"voice": 7}}, "synthesisConfig.voice"),
        ({"avatarConfig": None}, "avatarConfig"),
        ({"avatarConfig": []}, "avatarConfig"),
        ({"customVoices": {"a": 1}}, "customVoices"),
        ({"description": 5}, "description"),
        ({"properties": {"timeToLiveInHours": 745}}, "properties.timeToLiveInHours"),
        ({"properties": {"timeToLiveInHours": "12"}}, "properties.timeToLiveInHours"),
        (
            {"properties": {"destinationContainerUrl": 42}},
            "properties.destinationContainerUrl",
        ),
    ],
)
def test_every_wrong_field_is_named(change: dict[str, Any], target: str) -> None:
    data = body()
    data.update(change)
    if change.get("inputKind", 0) is None:
        del data["inputKind"]
    assert _target_of({k: v for k, v in data.items() if v is not None}) == target


@pytest.mark.parametrize(
    ("avatar", "target"),
    [
        ({"talkingAvatarCharacter": None}, "avatarConfig.talkingAvatarCharacter"),
        ({"talkingAvatarStyle": 5}, "avatarConfig.talkingAvatarStyle"),
        ({"videoFormat": "avi"}, "avatarConfig.videoFormat"),
        ({"videoCodec": "mpeg2"}, "avatarConfig.videoCodec"),
        ({"subtitleType": "burnt"}, "avatarConfig.subtitleType"),
        ({"bitrateKbps": "fast"}, "avatarConfig.bitrateKbps"),
        ({"bitrateKbps": True}, "avatarConfig.bitrateKbps"),
        ({"bitrateKbps": 0}, "avatarConfig.bitrateKbps"),
        ({"backgroundColor": "red"}, "avatarConfig.backgroundColor"),
        ({"customized": "yes"}, "avatarConfig.customized"),
        ({"videoCrop": {"topLeft": {"x": 0, "y": 0}}}, "avatarConfig.videoCrop"),
        ({"videoCrop": [0, 0, 10, 10]}, "avatarConfig.videoCrop"),
        (
            {"videoCrop": {"topLeft": {"x": "0", "y": 0}, "bottomRight": {"x": 9, "y": 9}}},
            "avatarConfig.videoCrop.topLeft.x",
        ),
        (
            {"videoCrop": {"topLeft": {"x": 0, "y": 0}, "bottomRight": {"x": 9, "y": -9}}},
            "avatarConfig.videoCrop.bottomRight.y",
        ),
    ],
)
def test_every_wrong_avatar_setting_is_named(avatar: dict[str, Any], target: str) -> None:
    assert _target_of(body(**avatar)) == target


def test_at_most_1000_inputs() -> None:
    assert len(current_spec(body(*["x"] * 1000)).inputs) == 1000
    assert _target_of(body(*["x"] * 1001)) == "inputs"


def test_ssml_needs_no_synthesis_config() -> None:
    data = body("<speak version='1.0' xml:lang='en-US'>Hi</speak>")
    data["inputKind"] = "SSML"
    del data["synthesisConfig"]
    assert current_spec(data).synthesis is None


def test_the_body_limit_is_named_and_bad_json_is_a_400() -> None:
    with pytest.raises(RequestTooLarge, match="500 KB"):
        parse_json(b"{}" + b" " * 500_000, 500_000)
    for raw in (b"", b"{", b"[1]", b"\xff", b'"text"', b"[" * 50_000, b'{"a": "\\udc00"}'):
        with pytest.raises(InvalidRequest):
            parse_json(raw, 500_000)


def _legacy(**properties: Any) -> dict[str, Any]:
    return {
        "displayName": "my job",
        "textType": "PlainText",
        "synthesisConfig": {"voice": "en-US-JennyNeural"},
        "inputs": [{"text": "Hello."}],
        "properties": {
            "talkingAvatarCharacter": "lisa",
            "talkingAvatarStyle": "graceful-sitting",
            **properties,
        },
        "customProperties": {"team": "docs"},
    }


def test_the_legacy_body_reads_its_own_names() -> None:
    spec = legacy_spec(_legacy(timeToLive="PT12H", videoFormat="webm", videoCodec="vp9"))
    assert spec.flavor is Flavor.LEGACY and spec.display_name == "my job"
    assert spec.inputs == ("Hello.",) and spec.ttl_hours == 12
    assert spec.avatar.video_format == "webm" and spec.custom_properties == {"team": "docs"}
    assert legacy_spec(_legacy()).ttl_hours == 744
    assert legacy_spec(_legacy(timeToLive="P1DT6H")).ttl_hours == 30


@pytest.mark.parametrize(
    ("data", "target"),
    [
        ({**_legacy(), "displayName": None}, "displayName"),
        ({**_legacy(), "textType": "Html"}, "textType"),
        ({**_legacy(), "inputs": [{"content": "x"}]}, "inputs[0].text"),
        (_legacy(timeToLive="P32D"), "properties.timeToLive"),
        (_legacy(timeToLive="PT0S"), "properties.timeToLive"),
        (_legacy(timeToLive="31 days"), "properties.timeToLive"),
        (_legacy(talkingAvatarCharacter=None), "properties.talkingAvatarCharacter"),
        ({**_legacy(), "customProperties": {str(n): "v" for n in range(11)}}, "customProperties"),
    ],
)
def test_legacy_errors_name_the_field(data: dict[str, Any], target: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        legacy_spec({k: v for k, v in data.items() if v is not None})
    assert caught.value.target == target


def _failing_on(index: int, error: InvalidRequest) -> Any:
    def check(request: RenderRequest) -> None:
        if request.content == f"input {index}":
            raise error

    return check


def test_pipeline_checks_are_targeted_at_the_input_that_failed() -> None:
    spec = current_spec(body("input 0", "input 1", "input 2"))
    with pytest.raises(InvalidRequest) as caught:
        check_inputs(spec, _failing_on(2, InvalidScript("Unclosed tag.")))
    assert caught.value.target == "inputs[2].content" and "inputs[2]" in caught.value.message
    with pytest.raises(UnknownVoice) as voice:
        check_inputs(spec, _failing_on(1, UnknownVoice("No voice xx-XX.")))
    assert voice.value.target == "synthesisConfig.voice"


def test_an_impossible_codec_pairing_is_named() -> None:
    spec = current_spec(body(videoFormat="webm", videoCodec="h264"))
    with pytest.raises(InvalidRequest) as caught:
        check_inputs(spec, lambda request: None)
    assert caught.value.target == "avatarConfig.videoCodec"


def test_a_crop_and_a_transparent_background_reach_the_encoder_options() -> None:
    crop = {"topLeft": {"x": 561, "y": 0}, "bottomRight": {"x": 1360, "y": 1080}}
    spec = current_spec(
        body(videoFormat="webm", videoCodec="vp9", backgroundColor="transparent", videoCrop=crop)
    )
    assert spec.avatar is not None and spec.avatar.video_crop == (561, 0, 1360, 1080)
    seen: list[RenderRequest] = []
    check_inputs(spec, lambda request: seen.append(request))  # type: ignore[arg-type, func-returns-value]
    options = seen[0].video
    assert options.alpha and options.output_size == (800, 1080)


def test_a_crop_outside_the_frame_is_named_at_create_time() -> None:
    crop = {"topLeft": {"x": 0, "y": 0}, "bottomRight": {"x": 1920, "y": 1081}}
    with pytest.raises(InvalidRequest) as caught:
        check_inputs(current_spec(body(videoCrop=crop)), lambda request: None)
    assert caught.value.target == "avatarConfig.videoCrop"


def test_a_resolution_sizes_the_frames_and_survives_storage() -> None:
    spec = current_spec(body(resolution={"x": 1080, "y": 1920}))
    assert spec.avatar is not None and spec.avatar.resolution == (1080, 1920)
    assert JobSpec.from_json(spec.to_json()) == spec
    seen: list[RenderRequest] = []
    check_inputs(spec, lambda request: seen.append(request))  # type: ignore[arg-type, func-returns-value]
    assert (seen[0].video.width, seen[0].video.height) == (1080, 1920)


@pytest.mark.parametrize(
    ("size", "target"),
    [
        ({"x": 100, "y": 1080}, "avatarConfig.resolution.x"),
        ({"x": 1920, "y": 4000}, "avatarConfig.resolution.y"),
        ({"x": 1921, "y": 1080}, "avatarConfig.resolution.x"),
        ({"x": "1920", "y": 1080}, "avatarConfig.resolution.x"),
        ([1920, 1080], "avatarConfig.resolution"),
    ],
)
def test_a_resolution_outside_320_to_3840_even_is_named(size: object, target: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        current_spec(body(resolution=size))
    assert caught.value.target.endswith(target), caught.value.target


def test_avatar_size_and_position_frame_the_presenter_in_a_box_of_the_frame() -> None:
    asked = {"avatarSize": {"x": 960, "y": 540}, "avatarPosition": {"x": 900, "y": 500}}
    spec = current_spec(body(**asked))
    assert JobSpec.from_json(spec.to_json()) == spec
    seen: list[RenderRequest] = []
    check_inputs(spec, lambda request: seen.append(request))  # type: ignore[arg-type, func-returns-value]
    assert seen[0].avatar_area == Box(900, 500, 1860, 1040)
    seen.clear()  # a size alone is centred on the bottom edge; neither is the whole frame
    check_inputs(current_spec(body(avatarSize={"x": 640, "y": 360})), seen.append)  # type: ignore[arg-type]
    check_inputs(current_spec(body()), seen.append)  # type: ignore[arg-type]
    assert [request.avatar_area for request in seen] == [Box(640, 720, 1280, 1080), None]


@pytest.mark.parametrize(
    ("asked", "target"),
    [
        ({"avatarSize": {"x": 32, "y": 540}}, "avatarConfig.avatarSize.x"),
        ({"avatarSize": {"x": 960, "y": 9000}}, "avatarConfig.avatarSize.y"),
        ({"avatarSize": {"x": 960}}, "avatarConfig.avatarSize.y"),
        ({"avatarPosition": {"x": 1900, "y": 0}}, "avatarConfig.avatarPosition.x"),
        ({"avatarPosition": {"x": 0, "y": -1030}}, "avatarConfig.avatarPosition.y"),
        ({"avatarPosition": {"x": 0.5, "y": 0}}, "avatarConfig.avatarPosition.x"),
        ({"avatarPosition": [0, 0]}, "avatarConfig.avatarPosition"),
    ],
)
def test_a_presenter_placed_out_of_the_frame_is_named(asked: dict[str, Any], target: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        current_spec(body(**asked))
    assert caught.value.target == target, caught.value.target


def test_the_legacy_bitrate_is_read_from_kbitrate() -> None:
    data = {
        "displayName": "x",
        "textType": "PlainText",
        "synthesisConfig": {"voice": "en-US-JennyNeural"},
        "inputs": [{"text": "Hi."}],
        "properties": {
            "talkingAvatarCharacter": "lisa",
            "talkingAvatarStyle": "casual-sitting",
            "kBitrate": 4000,
        },
    }
    assert legacy_spec(data).avatar.bitrate_kbps == 4000  # type: ignore[union-attr]
