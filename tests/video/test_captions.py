"""Subtitles: phrases a viewer can read, a soft track players show, SRT and WebVTT files."""

from __future__ import annotations

import re
from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth.video import Caption, EncodeOptions, encode, phrases, to_srt, to_vtt

TEXT = "Welcome to the quarterly update of our small but growing company, everyone."
WORDS = [Caption(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(TEXT.split())]


def test_phrases_stay_short_and_keep_word_timing() -> None:
    grouped = phrases(WORDS)
    assert [p.text for p in grouped] == [
        "Welcome to the quarterly update of our",
        "small but growing company, everyone.",
    ]
    assert all(len(p.text) <= 42 for p in grouped)
    assert (grouped[0].start_s, grouped[0].end_s) == (WORDS[0].start_s, WORDS[6].end_s)
    assert grouped[1].end_s == WORDS[-1].end_s


def test_srt_and_vtt_cues_cover_the_words_in_order() -> None:
    grouped = phrases(WORDS)
    srt = to_srt(grouped)
    assert srt.startswith(
        "1\n00:00:00,000 --> 00:00:02,700\nWelcome to the quarterly update of our\n"
    )
    assert re.findall(r"^\d+$", srt, re.M) == ["1", "2"]
    vtt = to_vtt(grouped)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.700\n")
    spoken = " ".join(re.findall(r"^[A-Za-z].*$", vtt, re.M)[1:])
    assert spoken == " ".join(w.text for w in WORDS)


@pytest.mark.parametrize(
    ("container", "codec", "track"), [("mp4", "h264", "mov_text"), ("webm", "vp9", "webvtt")]
)
def test_a_soft_track_is_readable_from_the_file(
    tmp_path: Path, container: str, codec: str, track: str
) -> None:
    options = EncodeOptions(container=container, codec=codec, width=320, height=240)
    frames = [np.full((360, 320), 128, np.uint8)] * 125
    samples = np.zeros(22050 * 5, np.float32)
    path = tmp_path / f"captioned.{container}"
    encode(frames, samples, 22050, options, path, phrases(WORDS))
    with av.open(str(path)) as opened:
        stream = opened.streams.subtitles[0]
        assert stream.codec_context.name == track
        cues = [
            (round(float(packet.pts * packet.time_base), 3), subtitle.dialogue.decode())
            for packet in opened.demux(stream)
            if packet.size
            for subtitle in (stream.codec_context.decode2(packet) or [])
        ]
    assert [text for _, text in cues][-2:] == [p.text for p in phrases(WORDS)]
    assert cues[-1][0] == pytest.approx(phrases(WORDS)[1].start_s, abs=0.002)
