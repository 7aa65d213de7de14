"""The video stage: frames and audio → an MP4 or WebM file (or audio alone, for the audio API).

    >>> encode(frames, speech.samples, speech.sample_rate, EncodeOptions(), Path("out.mp4"))
    EncodedVideo(size_bytes=..., duration_s=...)

Frames are I420 (yuv420p) numpy arrays of shape (height × 3/2, width), uint8, BT.709 limited
range: the Y plane, then U and V with two half-width rows per row; a transparent frame adds the
alpha plane below them (height × 5/2 rows, see ``avatarsynth.frame``). That is what
``avatarsynth.avatar.render`` yields; this package imports nothing from ``avatar``.

A long video is made in pieces that can run on different processes or hosts::

    encode_audio_track(samples, rate, n_frames, options, Path("audio.mp4"))
    encode_segment(frames_0_to_999, options, Path("s0.mp4"), first_frame=0, n_frames=1000)
    encode_segment(frames_1000_on, options, Path("s1.mp4"), first_frame=1000, n_frames=...)
    join([Path("s0.mp4"), Path("s1.mp4")], Path("audio.mp4"), options, Path("out.mp4"))
"""

from avatarsynth.video._audio import (
    DEFAULT_AUDIO_FORMAT,
    AudioFormat,
    EncodedAudio,
    audio_format,
    encode_audio,
)
from avatarsynth.video._captions import Caption, phrases, to_srt, to_vtt
from avatarsynth.video._encode import (
    EncodedVideo,
    Soundtrack,
    Thumbnail,
    encode,
    encode_audio_track,
    encode_overlapped,
    encode_segment,
    frame_count,
)
from avatarsynth.video._join import join
from avatarsynth.video._options import CODECS, CONTAINERS, EncodeOptions, default_codec

__all__ = [
    "CODECS",
    "CONTAINERS",
    "DEFAULT_AUDIO_FORMAT",
    "AudioFormat",
    "Caption",
    "EncodeOptions",
    "EncodedAudio",
    "EncodedVideo",
    "Soundtrack",
    "Thumbnail",
    "audio_format",
    "default_codec",
    "encode",
    "encode_audio",
    "encode_audio_track",
    "encode_overlapped",
    "encode_segment",
    "frame_count",
    "join",
    "phrases",
    "to_srt",
    "to_vtt",
]
