"""Frames and audio → an MP4 or WebM file, through PyAV (after its ``generate_video.py``).

The audio decides the length: the video has ceil(audio duration × fps) frames, and the audio is
padded with silence to exactly that many frames' time, so both streams end together. Each
frame is checked against the file's layout (alpha or not), cropped, and given its burnt-in
caption before FFmpeg sees it; the middle frame can be kept as a JPEG thumbnail. PyAV's and
FFmpeg's errors become :class:`EncodeError` (through ``avatarsynth.frame.pyav_errors``).

Long videos are made in pieces (see ``_join``): :func:`encode_segment` writes the video of a
range of frames alone, :func:`encode_audio_track` the whole audio alone, and ``join`` remuxes
them. The same :class:`_VideoWriter` serves both paths, so a chunk's frames are treated
exactly as the same frames of a whole video.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from avatarsynth.errors import EncodeError, full_disk
from avatarsynth.frame import Frame, pyav_errors
from avatarsynth.video._burn import CaptionBurner
from avatarsynth.video._captions import Caption, add_track, write_track
from avatarsynth.video._filler import Filler
from avatarsynth.video._frames import checked, cropped, to_video_frame
from avatarsynth.video._options import Codecs, EncodeOptions, codecs_for
from avatarsynth.video._prefetch import prefetched
from avatarsynth.video._still import StillLock
from avatarsynth.video._thumbnail import thumbnail_from_file, write_thumbnail

_BT709 = 1
_LIMITED_RANGE = 1


@dataclass(frozen=True)
class EncodedVideo:
    """What the written file holds."""

    size_bytes: int
    duration_s: float


@dataclass(frozen=True)
class Thumbnail:
    """Where to save frame ``frame`` (counted from the start of the whole video) as a JPEG."""

    path: Path
    frame: int


def frame_count(num_samples: int, sample_rate: int, fps: int) -> int:
    """Frames that cover the audio: ceil(duration × fps), exactly, and at least one."""
    return max(1, -(-num_samples * fps // sample_rate))


def _video_stream(
    container: av.container.OutputContainer, codecs: Codecs, options: EncodeOptions
) -> av.VideoStream:
    if codecs.video == "libsvtav1":
        os.environ.setdefault("SVT_LOG", "1")  # SVT-AV1 prints its banner unless told not to
    stream = container.add_stream(codecs.video, rate=options.fps, options=codecs.video_options)
    if not isinstance(stream, av.VideoStream):
        raise EncodeError(f"{codecs.video} is not a video encoder.")
    stream.width, stream.height = options.output_size
    stream.pix_fmt = options.pix_fmt
    stream.bit_rate = options.bitrate_kbps * 1000
    if options.alpha:  # Matroska's AlphaMode: players (and libvpx decoders) then read alpha
        stream.metadata["alpha_mode"] = "1"
    context = stream.codec_context
    context.time_base = Fraction(1, options.fps)
    context.color_primaries = context.color_trc = context.colorspace = _BT709
    context.color_range = _LIMITED_RANGE
    return stream


def _audio_stream(container: av.container.OutputContainer, codecs: Codecs) -> av.AudioStream:
    audio = container.add_stream(codecs.audio, rate=codecs.audio_rate, layout="mono")
    if not isinstance(audio, av.AudioStream):
        raise EncodeError(f"{codecs.audio} is not an audio encoder.")
    return audio


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


def _write_audio(
    container: av.container.OutputContainer,
    audio: av.AudioStream,
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    n_frames: int,
    fps: int,
) -> None:
    """The audio padded to exactly ``n_frames`` frames' time."""
    target = -(-n_frames * sample_rate // fps)
    for audio_frame in _audio_frames(samples, sample_rate, target, audio):
        container.mux(audio.encode(audio_frame))
    container.mux(audio.encode(None))


def _padded(frames: Iterable[Frame], count: int) -> Iterator[Frame]:
    """Exactly ``count`` frames: extra ones are dropped, a short stream repeats its last."""
    last: Frame | None = None
    iterator = iter(frames)
    for _ in range(count):
        last = next(iterator, last)
        if last is None:
            raise EncodeError("The renderer gave no frames to encode.")
        yield last


class _VideoWriter:
    """Turns drawn frames into the file's picture: alpha, crop, caption, still lock."""

    def __init__(
        self,
        options: EncodeOptions,
        codecs: Codecs,
        burnt: Sequence[Caption],
        first_frame: int,
        thumbnail: Thumbnail | None,
        total: Callable[[], int | None] | None = None,
    ) -> None:
        self.options, self.first_frame, self.thumbnail = options, first_frame, thumbnail
        self.total = total
        """When the frame count is not known up front: it, once known (the thumbnail is the
        middle frame)."""
        self.thumbnail_written = False
        width, height = options.output_size
        self.burner = (
            CaptionBurner(burnt, width, height, options.fps, first_frame) if burnt else None
        )
        lockable = codecs.lock_still_blocks and StillLock.fits(width) and not options.alpha
        self.lock = StillLock(width, height) if lockable else None
        fill = Filler.needed(codecs.video)
        self.filler = Filler(codecs.video, options.bitrate_kbps, options.fps) if fill else None

    def picture(self, source: Frame, index: int) -> av.VideoFrame:
        """Frame ``index`` (of this file) as the encoder must see it."""
        options = self.options
        pixels = checked(source, options.height, options.alpha)
        if options.crop is not None:
            pixels = cropped(pixels, options.width, options.height, options.alpha, options.crop)
        width, height = options.output_size
        if self.burner is not None:
            pixels = np.array(pixels, copy=True) if options.crop is None else pixels
            self.burner.burn(pixels, index, options.alpha)
        if self.thumbnail is not None and self.first_frame + index == self._thumbnail_frame():
            write_thumbnail(pixels, width, height, self.thumbnail.path)
            self.thumbnail_written = True
        if self.lock is not None:
            pixels = self.lock.prepare(pixels)
        return to_video_frame(pixels, width, height, options.alpha)

    def _thumbnail_frame(self) -> int | None:
        if self.thumbnail_written:
            return None
        if self.total is None or self.thumbnail is None:
            return self.thumbnail.frame if self.thumbnail is not None else None
        total = self.total()
        return None if total is None else total // 2

    def write(
        self,
        container: av.container.OutputContainer,
        video: av.VideoStream,
        frames: Iterable[Frame],
        n_frames: int | None,
    ) -> int:
        """Exactly ``n_frames`` frames (or every frame there is, for None), drawn ahead in a
        second thread; returns how many."""
        drawn = prefetched(frames)
        index = -1
        for index, source in enumerate(drawn if n_frames is None else _padded(drawn, n_frames)):
            frame = self.picture(source, index)
            frame.pts = index
            packets = video.encode(frame)
            if self.lock is not None:
                self.lock.learn(packets, video.codec_context.extradata, index)
            container.mux(self.filled(packets))
        container.mux(self.filled(video.encode(None)))
        if index < 0:
            raise EncodeError("The renderer gave no frames to encode.")
        return index + 1

    def filled(self, packets: list[av.Packet[av.VideoStream]]) -> list[av.Packet[av.VideoStream]]:
        """``packets`` padded to the bitrate where the encoder cannot pad (``_filler``)."""
        return self.filler.pad(packets) if self.filler is not None else packets


@contextmanager
def _output(out_path: Path, options: EncodeOptions) -> Iterator[av.container.OutputContainer]:
    """An open output file; what goes wrong while it is written is an :class:`EncodeError`."""
    mp4_options = {"movflags": "+faststart"} if options.container == "mp4" else {}
    with (
        pyav_errors("encode the video", EncodeError),
        full_disk("encode the video"),
        av.open(str(out_path), "w", format=options.container, options=mp4_options) as container,
    ):
        yield container


def encode(
    frames: Iterable[Frame],
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    options: EncodeOptions,
    out_path: Path,
    captions: Sequence[Caption] = (),
    *,
    burnt: Sequence[Caption] = (),
    thumbnail: Path | None = None,
) -> EncodedVideo:
    """Write ``frames`` (see :data:`Frame`) with mono float ``samples`` to ``out_path``: a soft
    subtitle track of ``captions``, ``burnt`` captions drawn into the picture, the middle frame
    as a JPEG at ``thumbnail``; raises :class:`EncodeError` if FFmpeg refuses or fails."""
    n_frames = frame_count(len(samples), sample_rate, options.fps)
    codecs = codecs_for(options)
    middle = Thumbnail(thumbnail, n_frames // 2) if thumbnail else None
    with _output(out_path, options) as container:
        video = _video_stream(container, codecs, options)
        audio = _audio_stream(container, codecs)
        track = add_track(container) if captions else None
        _write_audio(container, audio, samples, sample_rate, n_frames, options.fps)
        if track is not None:
            write_track(container, track, captions)
        _VideoWriter(options, codecs, burnt, 0, middle).write(container, video, frames, n_frames)
    return EncodedVideo(out_path.stat().st_size, n_frames / options.fps)


@dataclass(frozen=True, eq=False)
class Soundtrack:
    """What :func:`encode_overlapped` adds once the last frame is written."""

    samples: npt.NDArray[np.float32]
    sample_rate: int
    captions: Sequence[Caption] = ()


def encode_overlapped(
    frames: Iterable[Frame],
    soundtrack: Callable[[], Soundtrack],
    options: EncodeOptions,
    out_path: Path,
    *,
    total: Callable[[], int | None],
    subtitles: bool = False,
    thumbnail: Path | None = None,
) -> EncodedVideo:
    """Like :func:`encode`, for frames drawn while their audio is still being made: the frames
    come first, as many as there are; ``soundtrack()`` is called after the last and must last
    exactly as long (``frame_count`` of its samples); a soft subtitle track of its captions if
    ``subtitles``. The audio is written after the video (as :func:`encode` writes it before).
    ``total()`` is the frame count once known: the middle frame is kept as the thumbnail when
    it is known in time, else decoded back from the file."""
    codecs = codecs_for(options)
    middle = Thumbnail(thumbnail, -1) if thumbnail else None
    with _output(out_path, options) as container:
        video = _video_stream(container, codecs, options)
        audio = _audio_stream(container, codecs)
        track = add_track(container) if subtitles else None
        writer = _VideoWriter(options, codecs, (), 0, middle, total)
        n_frames = writer.write(container, video, frames, None)
        sound = soundtrack()
        if frame_count(len(sound.samples), sound.sample_rate, options.fps) != n_frames:
            raise EncodeError(f"{n_frames} frames were drawn for audio of another length.")
        _write_audio(container, audio, sound.samples, sound.sample_rate, n_frames, options.fps)
        if track is not None:
            write_track(container, track, sound.captions)
    if thumbnail is not None and not writer.thumbnail_written:
        thumbnail_from_file(out_path, n_frames // 2, options.fps, thumbnail)
    return EncodedVideo(out_path.stat().st_size, n_frames / options.fps)


def encode_segment(
    frames: Iterable[Frame],
    options: EncodeOptions,
    out_path: Path,
    first_frame: int,
    n_frames: int,
    *,
    burnt: Sequence[Caption] = (),
    thumbnail: Thumbnail | None = None,
) -> None:
    """The video alone of frames ``first_frame`` … ``first_frame + n_frames - 1`` of a long
    video, starting on a keyframe, for ``join``. ``burnt`` captions are timed on the whole
    video's clock; ``thumbnail`` is written if its frame falls in this range."""
    codecs = codecs_for(options)
    with _output(out_path, options) as container:
        video = _video_stream(container, codecs, options)
        writer = _VideoWriter(options, codecs, burnt, first_frame, thumbnail)
        writer.write(container, video, frames, n_frames)


def encode_audio_track(
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    n_frames: int,
    options: EncodeOptions,
    out_path: Path,
) -> None:
    """The audio alone of a long video, padded to ``n_frames`` frames' time, for ``join``."""
    with _output(out_path, options) as container:
        audio = _audio_stream(container, codecs_for(options))
        _write_audio(container, audio, samples, sample_rate, n_frames, options.fps)
