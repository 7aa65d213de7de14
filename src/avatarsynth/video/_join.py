"""A long video's pieces → one file, by remuxing packets: nothing is encoded twice.

Each segment was encoded alone from a range of the same frames (``encode_segment``), starts
on a keyframe and holds no reordered frames, so its packets go into the joined stream as they
are, their timestamps shifted by the frames before it. The audio was encoded once for the
whole video (``encode_audio_track``), so it has no seam at all. Segments of one video are made
with identical settings, so their codec headers are identical; a difference is refused rather
than written into a file players would choke on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av

from avatarsynth.errors import EncodeError, full_disk
from avatarsynth.frame import pyav_errors
from avatarsynth.video._captions import Caption, add_track, write_track
from avatarsynth.video._encode import EncodedVideo
from avatarsynth.video._options import EncodeOptions


def _copy_video(
    output: av.container.OutputContainer,
    stream: av.VideoStream,
    segments: Sequence[Path],
    fps: int,
) -> int:
    """Every segment's packets, shifted onto one clock; returns the number of frames."""
    frames, extradata = 0, stream.codec_context.extradata
    for path in segments:
        with av.open(str(path)) as segment:
            source = segment.streams.video[0]
            if source.codec_context.extradata != extradata:
                raise EncodeError(f"{path.name} was encoded with other settings than the first.")
            offset = round(frames / (source.time_base * fps)) if source.time_base else 0
            count = 0
            for packet in segment.demux(source):
                if packet.dts is None:  # the demuxer's end-of-stream marker
                    continue
                packet.pts = (packet.pts or 0) + offset
                packet.dts += offset
                packet.stream = stream
                output.mux(packet)
                count += 1
            frames += count
    return frames


def _copy_audio(
    output: av.container.OutputContainer, stream: av.AudioStream, audio_path: Path
) -> None:
    with av.open(str(audio_path)) as audio:
        for packet in audio.demux(audio.streams.audio[0]):
            if packet.dts is not None:
                packet.stream = stream
                output.mux(packet)


def join(
    segments: Sequence[Path],
    audio_path: Path,
    options: EncodeOptions,
    out_path: Path,
    captions: Sequence[Caption] = (),
) -> EncodedVideo:
    """``segments`` (in order) and the audio into ``out_path``, with a soft subtitle track of
    ``captions`` if given; raises :class:`EncodeError`."""
    if not segments:
        raise EncodeError("A long video needs at least one segment to join.")
    mp4_options = {"movflags": "+faststart"} if options.container == "mp4" else {}
    with (
        pyav_errors("join the video's chunks", EncodeError),
        full_disk("join the video's chunks"),
        av.open(str(segments[0])) as first,
        av.open(str(audio_path)) as audio_file,
        av.open(str(out_path), "w", format=options.container, options=mp4_options) as output,
    ):
        video = output.add_stream_from_template(first.streams.video[0], opaque=True)
        audio = output.add_stream_from_template(audio_file.streams.audio[0], opaque=True)
        if options.alpha:
            video.metadata["alpha_mode"] = "1"
        track = add_track(output) if captions else None
        _copy_audio(output, audio, audio_path)
        if track is not None:
            write_track(output, track, captions)
        n_frames = _copy_video(output, video, segments, options.fps)
    return EncodedVideo(out_path.stat().st_size, n_frames / options.fps)
