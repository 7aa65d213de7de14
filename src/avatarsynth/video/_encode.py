"""Frames and audio → an MP4 or WebM file, through PyAV (after its ``generate_video.py``).

The audio decides the length: the video has ceil(audio duration × fps) frames, and the audio is
padded with silence to exactly that many frames' time, so both streams end together. All PyAV
and FFmpeg errors are translated to :class:`EncodeError` here, in :func:`encode`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from avatarsynth.errors import EncodeError
from avatarsynth.video._captions import Caption, add_track, write_track
from avatarsynth.video._options import Codecs, EncodeOptions, codecs_for
from avatarsynth.video._prefetch import prefetched
from avatarsynth.video._still import StillLock

Frame = npt.NDArray[np.uint8]
_BT709 = 1
_LIMITED_RANGE = 1


@dataclass(frozen=True)
class EncodedVideo:
    """What the written file holds."""

    size_bytes: int
    duration_s: float


def frame_count(num_samples: int, sample_rate: int, fps: int) -> int:
    """Frames that cover the audio: ceil(duration × fps), exactly, and at least one."""
    return max(1, -(-num_samples * fps // sample_rate))


def _video_stream(
    container: av.container.OutputContainer, codecs: Codecs, options: EncodeOptions
) -> av.VideoStream:
    stream = container.add_stream(codecs.video, rate=options.fps, options=codecs.video_options)
    if not isinstance(stream, av.VideoStream):
        raise EncodeError(f"{codecs.video} is not a video encoder.")
    stream.width, stream.height = options.width, options.height
    stream.pix_fmt = "yuv420p"
    if not codecs.constant_quality:
        stream.bit_rate = options.bitrate_kbps * 1000
    context = stream.codec_context
    context.time_base = Fraction(1, options.fps)
    context.color_primaries = context.color_trc = context.colorspace = _BT709
    context.color_range = _LIMITED_RANGE
    return stream


def _audio_frames(
    samples: npt.NDArray[np.float32], sample_rate: int, target_samples: int, stream: av.AudioStream
) -> Iterator[av.AudioFrame]:
    """Mono float audio, padded with silence to ``target_samples``, resampled for the codec."""
    padded = np.zeros((1, target_samples), dtype=np.float32)
    count = min(len(samples), target_samples)
    padded[0, :count] = samples[:count]
    source = av.AudioFrame.from_ndarray(padded, format="flt", layout="mono")
    source.sample_rate = sample_rate
    context = stream.codec_context
    resampler = av.AudioResampler(
        format=context.format,
        layout="mono",
        rate=context.sample_rate,
        frame_size=context.frame_size or None,
    )
    yield from resampler.resample(source)
    yield from resampler.resample(None)


def _padded(frames: Iterable[Frame], count: int) -> Iterator[Frame]:
    """Exactly ``count`` frames: extra ones are dropped, a short stream repeats its last."""
    last: Frame | None = None
    iterator = iter(frames)
    for _ in range(count):
        last = next(iterator, last)
        if last is None:
            raise EncodeError("The renderer gave no frames to encode.")
        yield last


def _encode_video(
    container: av.container.OutputContainer,
    video: av.VideoStream,
    frames: Iterable[Frame],
    n_frames: int,
    lock: StillLock | None,
) -> None:
    """Exactly ``n_frames`` frames, drawn ahead in a second thread, still blocks locked."""
    for index, pixels in enumerate(_padded(prefetched(frames), n_frames)):
        source = lock.prepare(pixels) if lock else pixels
        frame = av.VideoFrame.from_ndarray(source, format="yuv420p")
        frame.pts = index
        packets = video.encode(frame)
        if lock:
            lock.learn(packets, video.codec_context.extradata, index)
        container.mux(packets)
    container.mux(video.encode(None))


def _write(
    container: av.container.OutputContainer,
    frames: Iterable[Frame],
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    options: EncodeOptions,
    captions: Sequence[Caption],
) -> int:
    codecs = codecs_for(options)
    video = _video_stream(container, codecs, options)
    audio = container.add_stream(codecs.audio, rate=codecs.audio_rate, layout="mono")
    if not isinstance(audio, av.AudioStream):
        raise EncodeError(f"{codecs.audio} is not an audio encoder.")
    track = add_track(container) if captions else None
    n_frames = frame_count(len(samples), sample_rate, options.fps)
    target = -(-n_frames * sample_rate // options.fps)
    for audio_frame in _audio_frames(samples, sample_rate, target, audio):
        container.mux(audio.encode(audio_frame))
    container.mux(audio.encode(None))
    if track is not None:
        write_track(container, track, captions)
    lockable = codecs.lock_still_blocks and StillLock.fits(options.width)
    lock = StillLock(options.width, options.height) if lockable else None
    _encode_video(container, video, frames, n_frames, lock)
    return n_frames


def encode(
    frames: Iterable[Frame],
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    options: EncodeOptions,
    out_path: Path,
    captions: Sequence[Caption] = (),
) -> EncodedVideo:
    """Write ``frames`` (I420 arrays, see :data:`Frame`) with mono float ``samples`` and, if
    given, a soft subtitle track of ``captions`` to ``out_path``; raises :class:`EncodeError`
    if FFmpeg refuses or fails."""
    mp4_options = {"movflags": "+faststart"} if options.container == "mp4" else {}
    try:
        with av.open(
            str(out_path), "w", format=options.container, options=mp4_options
        ) as container:
            n_frames = _write(container, frames, samples, sample_rate, options, captions)
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise EncodeError(f"Could not encode {out_path.name}: {exc}") from exc
    return EncodedVideo(out_path.stat().st_size, n_frames / options.fps)
