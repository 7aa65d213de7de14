"""How a video is encoded: what a job may choose, and what each choice means to FFmpeg.

Every codec runs at a constant bitrate, because ``bitrateKbps`` is a promise to the caller (a
file of the size they budgeted for, a stream their CDN was sized for). A talking head is mostly
still, so an encoder left to itself spends far less than asked (a still face at 2 Mbit/s came
out near 500 kbit/s under CRF); measured on 30 s of a real avatar (docs/performance.md):

- x264: constant quality (CRF 18) under a VBV ceiling of the bitrate, padded up to it with
  filler NAL units (``_filler``). x264's own CBR (``nal-hrd=cbr``, filler) holds the rate too,
  but starts every stream at QP 24, and a long video's chunks each start a stream: the outlines
  of the figure were re-quantized visibly at every seam (mean change 0.40 grey levels at
  320×180, more than any motion); at CRF 18 the first keyframe is fine enough that seams stay
  below the motion around them. The spare bits go to filler, never to re-coding still blocks
  (which would make them shimmer).
- x265: ``hrd`` with ``strict-cbr``, preset ``superfast`` (48 fps at 1080p against 43 for
  ``veryfast`` at CRF here).
- libvpx-vp9: ``minrate = maxrate = bitrate`` (its CBR mode), realtime deadline, cpu-used 8,
  padded with zero bytes where it undershoots (``_filler``).
- SVT-AV1: ``rc=2`` (CBR), which needs its low-delay prediction structure; preset 9 (79 fps
  at 1080p; preset 10 ran at 99 but left changed blocks unchanged: a numbered test pattern
  showed the wrong number on 5 frames in 77).

None of them uses B-frames or frame reordering, so packets come out in display order and a
long video's chunks can be joined packet by packet. H.264 also runs without lookahead or
frame threads, so each frame's packet comes out at once and still regions can be locked to
what a player shows (see ``_still``), and without weighted prediction (``weightp``), which
offsets a whole reference frame and so re-codes the still blocks the lock made equal to it: a
textured still region beside a moving box shimmered for 8 frames with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from avatarsynth.errors import InvalidRequest
from avatarsynth.frame import Box

MIN_CROP_PX = 64
"""The smallest cropped side: every encoder here accepts it, and less is not a video."""


@dataclass(frozen=True)
class EncodeOptions:
    """A job's video settings; the defaults are 1080p25 H.264 in MP4 at 2 Mbit/s (Azure's,
    except its codec: jobs fill that in from :func:`default_codec`).

    ``width`` and ``height`` are the size frames are drawn at; the file has the size of
    ``crop`` when one is given (see :attr:`output_size`). ``alpha`` asks for a transparent
    background (VP9 in WebM only, as in Azure).
    """

    container: str = "mp4"
    codec: str = "h264"
    bitrate_kbps: int = 2000
    width: int = 1920
    height: int = 1080
    fps: int = 25
    preset: str = "veryfast"
    alpha: bool = False
    crop: Box | None = None

    def __post_init__(self) -> None:
        if (self.container, self.codec) not in _PAIRS:
            allowed = ", ".join(f"{codec} in {container}" for container, codec in _PAIRS)
            raise InvalidRequest(
                f"Cannot put {self.codec} video in {self.container}; use one of: {allowed}.",
                option="codec",
            )
        if self.alpha and (self.container, self.codec) != ("webm", "vp9"):
            raise InvalidRequest(
                "A transparent background needs videoFormat webm with videoCodec vp9; "
                f"{self.codec} in {self.container} has no alpha channel.",
                option="alpha",
            )
        if self.crop is not None:
            _check_crop(self.crop, self.width, self.height)

    @property
    def output_size(self) -> tuple[int, int]:
        """Width and height of the encoded picture: the (even) crop, or the whole frame."""
        if self.crop is None:
            return self.width, self.height
        even = self.crop.even()
        return even.width, even.height

    @property
    def pix_fmt(self) -> str:
        """``yuva420p`` for a transparent background, ``yuv420p`` otherwise."""
        return "yuva420p" if self.alpha else "yuv420p"


def _check_crop(crop: Box, width: int, height: int) -> None:
    inside = 0 <= crop.left < crop.right <= width and 0 <= crop.top < crop.bottom <= height
    even = crop.even()
    if not inside or even.width < MIN_CROP_PX or even.height < MIN_CROP_PX:
        raise InvalidRequest(
            f"videoCrop must lie inside the {width}×{height} frame, with topLeft above and left "
            f"of bottomRight, and keep at least {MIN_CROP_PX}×{MIN_CROP_PX} pixels; got "
            f"({crop.left}, {crop.top})–({crop.right}, {crop.bottom}).",
            option="crop",
        )


@dataclass(frozen=True)
class Codecs:
    """The FFmpeg encoders and settings behind one container and codec choice."""

    video: str
    audio: str
    audio_rate: int
    video_options: dict[str, str] = field(default_factory=dict)
    lock_still_blocks: bool = False


_PAIRS: dict[tuple[str, str], Codecs] = {
    ("mp4", "h264"): Codecs(
        "libx264", "aac", 48000, {"tune": "zerolatency", "weightp": "none"}, lock_still_blocks=True
    ),
    ("mp4", "hevc"): Codecs("libx265", "aac", 48000, {"preset": "superfast"}),
    ("webm", "vp9"): Codecs(
        "libvpx-vp9", "libopus", 48000, {"deadline": "realtime", "cpu-used": "8", "row-mt": "1"}
    ),
    ("mp4", "av1"): Codecs("libsvtav1", "aac", 48000, {"preset": "9"}),
    ("webm", "av1"): Codecs("libsvtav1", "libopus", 48000, {"preset": "9"}),
}


CONTAINERS = tuple(dict.fromkeys(container for container, _ in _PAIRS))
"""``videoFormat``'s values: mp4, webm."""
CODECS = tuple(dict.fromkeys(codec for _, codec in _PAIRS))
"""``videoCodec``'s values: h264, hevc, vp9, av1 (which container takes which: ``_PAIRS``)."""
_AZURE_DEFAULTS = {"mp4": "hevc", "webm": "vp9"}


def default_codec(container: str) -> str:
    """The codec a job gets when it names none: Azure's, hevc in MP4 and vp9 in WebM (both API
    versions). ``EncodeOptions`` itself defaults to h264, the fastest to encode, for callers
    that are not jobs (``avatarsynth render``, tests)."""
    return _AZURE_DEFAULTS[container]


def _constant_bitrate(encoder: str, kbps: int, preset: str) -> dict[str, str]:
    """Each encoder's own way to hold ``kbps`` (see the module docstring)."""
    rate = f"{kbps}k"
    if encoder == "libx264":
        return {"preset": preset, "crf": "18", "maxrate": rate, "bufsize": rate}
    if encoder == "libx265":
        hrd = f"vbv-maxrate={kbps}:vbv-bufsize={kbps}:hrd=1:strict-cbr=1"
        return {"x265-params": f"log-level=error:bframes=0:{hrd}"}
    if encoder == "libsvtav1":
        return {"svtav1-params": "rc=2:pred-struct=1"}
    return {"minrate": rate, "maxrate": rate}


def codecs_for(options: EncodeOptions) -> Codecs:
    """The encoders for ``options``, with their constant-bitrate settings."""
    codecs = _PAIRS[(options.container, options.codec)]
    rate = _constant_bitrate(codecs.video, options.bitrate_kbps, options.preset)
    return replace(codecs, video_options={**codecs.video_options, **rate})
