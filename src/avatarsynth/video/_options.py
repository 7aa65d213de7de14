"""How a video is encoded: what a job may choose, and what each choice means to FFmpeg.

x264 and x265 run at constant quality (CRF) with the bitrate as a ceiling (VBV maxrate), and
without B-frames: a talking head is mostly still, and at a fixed average bitrate the encoder
spends the spare bits re-coding still regions, which then shimmer from frame to frame. H.264
also runs without lookahead or frame threads, so that each frame's packet comes out at once
and still regions can be locked to what a player shows (see ``_still``). The other codecs aim
at the bitrate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
    constant_quality: bool = False
    lock_still_blocks: bool = False


_PAIRS: dict[tuple[str, str], Codecs] = {
    ("mp4", "h264"): Codecs(
        "libx264",
        "aac",
        48000,
        {"crf": "20", "tune": "zerolatency"},
        constant_quality=True,
        lock_still_blocks=True,
    ),
    ("mp4", "hevc"): Codecs(
        "libx265",
        "aac",
        48000,
        {"crf": "22", "x265-params": "log-level=error:bframes=0"},
        True,
    ),
    ("webm", "vp9"): Codecs(
        "libvpx-vp9",
        "libopus",
        48000,
        {"deadline": "realtime", "cpu-used": "8", "row-mt": "1"},
    ),
    ("mp4", "av1"): Codecs("libsvtav1", "aac", 48000),
    ("webm", "av1"): Codecs("libsvtav1", "libopus", 48000),
}


def codecs_for(options: EncodeOptions) -> Codecs:
    """The encoders for ``options``: x264/x265 get the preset and the bitrate as a ceiling."""
    codecs = _PAIRS[(options.container, options.codec)]
    if not codecs.constant_quality:
        return codecs
    ceiling = {
        "preset": options.preset,
        "maxrate": f"{options.bitrate_kbps}k",
        "bufsize": f"{options.bitrate_kbps}k",
    }
    return replace(codecs, video_options={**codecs.video_options, **ceiling})
