"""How a video is encoded: what a job may choose, and what each choice means to FFmpeg."""

from __future__ import annotations

from dataclasses import dataclass, field

from avatarsynth.errors import InvalidRequest


@dataclass(frozen=True)
class EncodeOptions:
    """A job's video settings; the defaults are Azure's (1080p25 H.264 in MP4, 2 Mbit/s)."""

    container: str = "mp4"
    codec: str = "h264"
    bitrate_kbps: int = 2000
    width: int = 1920
    height: int = 1080
    fps: int = 25
    preset: str = "veryfast"

    def __post_init__(self) -> None:
        if (self.container, self.codec) not in _PAIRS:
            allowed = ", ".join(f"{codec} in {container}" for container, codec in _PAIRS)
            raise InvalidRequest(
                f"Cannot put {self.codec} video in {self.container}; use one of: {allowed}.",
                target="properties.avatarConfig.videoCodec",
            )


@dataclass(frozen=True)
class Codecs:
    """The FFmpeg encoders and settings behind one container and codec choice."""

    video: str
    audio: str
    audio_rate: int
    video_options: dict[str, str] = field(default_factory=dict)


_PAIRS: dict[tuple[str, str], Codecs] = {
    ("mp4", "h264"): Codecs("libx264", "aac", 48000),
    ("mp4", "hevc"): Codecs("libx265", "aac", 48000, {"x265-params": "log-level=error"}),
    ("webm", "vp9"): Codecs(
        "libvpx-vp9", "libopus", 48000,
        {"deadline": "realtime", "cpu-used": "8", "row-mt": "1"},
    ),
    ("mp4", "av1"): Codecs("libsvtav1", "aac", 48000),
    ("webm", "av1"): Codecs("libsvtav1", "libopus", 48000),
}


def codecs_for(options: EncodeOptions) -> Codecs:
    """The encoders for ``options``; the x264/x265 preset applies to those codecs only."""
    codecs = _PAIRS[(options.container, options.codec)]
    if codecs.video in ("libx264", "libx265"):
        return Codecs(codecs.video, codecs.audio, codecs.audio_rate,
                      {**codecs.video_options, "preset": options.preset})
    return codecs
