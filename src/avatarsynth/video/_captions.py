"""Subtitles: timed phrases, embedded as a text track or written as SRT and WebVTT files.

Phrases come from word timings, cut at sentence ends and kept to about two short lines (42
characters) so a viewer can read each one in the time it is on screen. The soft track is
``mov_text`` in MP4 and WebVTT in WebM, the tracks players show with their CC button.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import av
from av.subtitles.stream import SubtitleStream

from avatarsynth.errors import EncodeError

MAX_PHRASE_CHARS = 42
_TRACK_CODECS = {"mp4": "mov_text", "webm": "webvtt"}
_MS = Fraction(1, 1000)
# mov_text's encoder wants an ASS header; players style the track themselves.
_ASS_HEADER = (
    b"[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n"
    b"Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
    b"BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
    b"BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    b"Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0"
    b"\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
    b"Text\n"
)


@dataclass(frozen=True)
class Caption:
    """Text on screen from ``start_s`` to ``end_s`` (a word, or a phrase of words)."""

    text: str
    start_s: float
    end_s: float


def phrases(words: Sequence[Caption], max_chars: int = MAX_PHRASE_CHARS) -> list[Caption]:
    """One sentence's words grouped into readable phrases, each timed by its words."""
    result: list[Caption] = []
    group: list[Caption] = []
    for word in words:
        if group and len(" ".join(w.text for w in (*group, word))) > max_chars:
            result.append(_joined(group))
            group = []
        group.append(word)
    if group:
        result.append(_joined(group))
    return result


def _joined(words: Sequence[Caption]) -> Caption:
    return Caption(" ".join(w.text for w in words), words[0].start_s, words[-1].end_s)


def add_track(container: av.container.OutputContainer) -> SubtitleStream:
    """A soft subtitle track; streams must all exist before the first packet is muxed."""
    stream = container.add_stream(_TRACK_CODECS[container.format.name.split(",")[0]])
    if not isinstance(stream, SubtitleStream):
        raise EncodeError("The subtitle encoder is missing from this FFmpeg build.")
    stream.time_base = _MS
    stream.codec_context.subtitle_header = _ASS_HEADER
    return stream


def write_track(
    container: av.container.OutputContainer, stream: SubtitleStream, captions: Iterable[Caption]
) -> None:
    """Mux one packet per caption into the track from :func:`add_track`."""
    for caption in captions:
        start, end = round(caption.start_s * 1000), round(caption.end_s * 1000)
        dialogue = f"0,0,Default,,0,0,0,,{caption.text}".encode()
        cue = av.subtitles.subtitle.SubtitleSet.create(dialogue, 0, end - start, pts=start)
        packet = stream.codec_context.encode_subtitle(cue)
        packet.stream, packet.time_base = stream, _MS
        packet.pts = packet.dts = start
        packet.duration = end - start
        container.mux(packet)


def _clock(seconds: float, separator: str) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def to_srt(captions: Sequence[Caption]) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``."""
    return "\n".join(
        f"{index}\n{_clock(c.start_s, ',')} --> {_clock(c.end_s, ',')}\n{c.text}\n"
        for index, c in enumerate(captions, start=1)
    )


def to_vtt(captions: Sequence[Caption]) -> str:
    """WebVTT: a header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` cues."""
    cues = (f"{_clock(c.start_s, '.')} --> {_clock(c.end_s, '.')}\n{c.text}\n" for c in captions)
    return "WEBVTT\n\n" + "\n".join(cues)
