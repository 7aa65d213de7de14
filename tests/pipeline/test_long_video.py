"""Long videos: cut at pauses into 30–60 s chunks, rendered side by side by worker processes,
joined without re-encoding, with no seam in the picture, the timing or the sound."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth import pipeline, speech
from avatarsynth.avatar import find_look
from avatarsynth.dispatch import ProcessDispatcher
from avatarsynth.performance import Cue, perform
from avatarsynth.pipeline._long import chunk_bounds, gestures_playing
from avatarsynth.script import InputKind
from avatarsynth.speech import Span
from avatarsynth.video import EncodeOptions
from tests.conftest import timeline, words
from tests.fixtures import GERMAN_REPORT

TEN_MINUTES = " ".join(GERMAN_REPORT * 32)  # espeak-ng speaks it in about 10 minutes


def sentences_every(seconds: float, total_s: float) -> speech.Speech:
    """Silent speech whose sentences end every ``seconds`` with a 0.4 s pause."""
    spoken = timeline([("a", total_s)])
    spans = []
    at = 0.0
    while at + seconds <= total_s:
        spans.append(Span("s", at, at + seconds - 0.4))
        at += seconds
    return speech.Speech(spoken.samples, spoken.sample_rate, spoken.phones, (), tuple(spans))


def test_chunks_cover_every_frame_once_and_cut_in_pauses() -> None:
    spoken = sentences_every(7.0, 600.0)
    bounds = chunk_bounds(spoken, 15000, 25)
    assert bounds[0][0] == 0 and sum(count for _, count in bounds) == 15000
    assert all(first + count == after for (first, count), (after, _) in itertools.pairwise(bounds))
    assert all(30 * 25 <= count <= 60 * 25 for _, count in bounds[:-1])
    pause_middles = {round((7.0 * k - 0.2) * 25) for k in range(1, 90)}
    assert all(first in pause_middles for first, _ in bounds[1:])


def test_a_stretch_without_pauses_is_cut_at_60_s() -> None:
    spoken = sentences_every(200.0, 400.0)
    bounds = chunk_bounds(spoken, 10000, 25)
    assert [count for _, count in bounds][:2] == [1500, 1500]


def test_a_chunk_of_a_performance_is_those_frames_with_later_cues_shifted() -> None:
    acted = perform(timeline([("_", 0.3), *words("h ə l oʊ w ɜː l d"), ("_", 3.0)]), 25)
    cues = (Cue("gesture.wave", 0.4, 10), Cue("gesture.nod", 1.4, 35))
    acted = dataclasses.replace(acted, cues=cues)
    part = acted.window(20, 30)
    assert part.n_frames == 30
    assert np.array_equal(part.mouth.jaw_open, acted.mouth.jaw_open[20:50])
    assert np.array_equal(part.head.eyelids_closed, acted.head.eyelids_closed[20:50])
    assert part.cues == (Cue("gesture.nod", 1.4 - 20 / 25, 15),)


def test_no_chunk_starts_while_a_gesture_plays() -> None:
    spoken = sentences_every(7.0, 600.0)
    free = chunk_bounds(spoken, 15000, 25)
    first_cut = free[1][0]
    busy = [(first_cut - 100, first_cut + 50)]
    bounds = chunk_bounds(spoken, 15000, 25, busy)
    starts = [first for first, _ in bounds]
    assert not any(begin < start < end for start in starts for begin, end in busy)
    assert sum(count for _, count in bounds) == 15000
    everything_busy = [(0, 15000)]
    assert chunk_bounds(spoken, 15000, 25, everything_busy) == [(0, 15000)]


def _mean_abs_diffs(path: Path) -> tuple[list[float], list[float]]:
    """Each frame's time, and how much each frame differs from the one before."""
    times, diffs, previous = [], [], None
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            luma = frame.to_ndarray(format="gray").astype(np.int16)
            times.append(float(frame.pts * frame.time_base))
            if previous is not None:
                diffs.append(float(np.abs(luma - previous).mean()))
            previous = luma
    return times, diffs


def _audio_packets(path: Path) -> list[tuple[int, int]]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return [(p.pts, p.duration) for p in container.demux(stream) if p.pts is not None]


@pytest.mark.slow
def test_a_ten_minute_script_is_rendered_in_chunks_that_join_without_a_seam(
    tmp_path: Path,
) -> None:
    options = EncodeOptions(width=640, height=360, bitrate_kbps=1000)
    request = pipeline.RenderRequest(
        TEN_MINUTES,
        InputKind.PLAIN_TEXT,
        "de-DE-KatjaNeural",
        "lisa",
        "casual-sitting",
        video=options,
    )
    dispatcher = ProcessDispatcher(2)
    try:
        result = dispatcher.submit(request, tmp_path / "long.mp4").result(timeout=900)
    finally:
        dispatcher.close()
    assert isinstance(result, pipeline.RenderResult) and result.thumbnail is not None
    assert result.thumbnail.read_bytes()[:2] == b"\xff\xd8"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.jpg", "long.mp4"]  # no pieces
    n_frames = round(result.duration_s * 25)
    assert 9.5 * 60 < result.duration_s < 10.5 * 60
    seams = list(result.chunk_starts[1:])
    assert len(seams) >= 9 and result.chunk_starts[0] == 0

    times, diffs = _mean_abs_diffs(result.path)
    assert len(times) == n_frames  # no frame missing or repeated
    assert np.allclose(np.diff(times), 0.04, atol=1e-6) and times[0] == 0.0
    elsewhere = max(d for index, d in enumerate(diffs) if index + 1 not in seams)
    for seam in seams:  # diffs[seam - 1]: frame seam against the one before it
        assert diffs[seam - 1] <= elsewhere, f"the seam at frame {seam} shows"

    packets = _audio_packets(result.path)  # encoded once: one unbroken run of packets
    assert all(
        pts + duration == after for (pts, duration), (after, _) in itertools.pairwise(packets)
    )
    with av.open(str(result.path)) as container:
        audio = container.streams.audio[0]
        audio_end = float((packets[-1][0] + packets[-1][1]) * audio.time_base)
    assert abs(audio_end - n_frames / 25) <= 0.040  # drift at the end


def test_a_gesture_keeps_the_chunks_from_starting_while_it_plays() -> None:
    look = find_look("lisa", "casual-sitting")
    acted = perform(timeline([("_", 4.0)]), 25)
    cues = (Cue("gesture.wave-left-1", 1.0, 25), Cue("not-a-gesture", 2.0, 50))
    acted = dataclasses.replace(acted, cues=cues)
    assert gestures_playing(look, acted) == [(25, 25 + 47 + 1)]  # 1.88 s: 47 frames
