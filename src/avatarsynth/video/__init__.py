"""The video stage: frames and audio → an MP4 or WebM file (or audio alone, for the audio API).

    >>> encode(frames, speech.samples, speech.sample_rate, EncodeOptions(), Path("out.mp4"))
    EncodedVideo(size_bytes=..., duration_s=...)

Frames are I420 (yuv420p) numpy arrays of shape (height × 3/2, width), uint8, BT.709 limited
range: the Y plane, then U and V with two half-width rows per row. That is what
``avatarsynth.avatar.render`` yields; this package imports nothing from ``avatar``.
"""

from avatarsynth.video._audio import (
    DEFAULT_AUDIO_FORMAT,
    AudioFormat,
    EncodedAudio,
    audio_format,
    encode_audio,
)
from avatarsynth.video._captions import Caption, phrases, to_srt, to_vtt
from avatarsynth.video._encode import EncodedVideo, Frame, encode, frame_count
from avatarsynth.video._options import EncodeOptions

__all__ = [
    "DEFAULT_AUDIO_FORMAT",
    "AudioFormat",
    "Caption",
    "EncodeOptions",
    "EncodedAudio",
    "EncodedVideo",
    "Frame",
    "audio_format",
    "encode",
    "encode_audio",
    "frame_count",
    "phrases",
    "to_srt",
    "to_vtt",
]
