"""The whole pipeline against the encoder alone, at 1080p25: ``python bench/pipeline.py``.

Renders a 60-second script end to end (Piper speech → performance → avatar → H.264 + AAC MP4)
and prints seconds of video per wall second. Then it renders the same frames into memory and
times the encoder alone on them, and prints the ratio: the design's targets are ≥ 2.5× real
time for the whole pipeline and ≥ 0.85 of the encoder alone, on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from avatarsynth import avatar, performance, pipeline, script, speech, video
from avatarsynth.script import InputKind

PARAGRAPH = (
    "Welcome to the quarterly product update. Today we walk through three new features, the "
    "results of our customer survey, and the plans for the next release. First, the new "
    "dashboard shows every project at a glance. Second, reports now export to any format your "
    "team prefers. Third, notifications arrive where you already work. Thank you for watching, "
    "and see you next quarter."
)


def script_of_length(seconds: float) -> str:
    """Enough paragraphs for about ``seconds`` of speech at Piper's pace (~2.7 words/s)."""
    words = round(seconds * 2.7)
    repeats = words // len(PARAGRAPH.split()) + 1
    return " ".join(" ".join([PARAGRAPH] * repeats).split()[:words]) + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    request = pipeline.RenderRequest(
        content=script_of_length(parser.parse_args().seconds),
        input_kind=InputKind.PLAIN_TEXT,
        voice="en-US-AvaMultilingualNeural",
        character="lisa",
        style="casual-sitting",
    )
    pipeline.warm_up()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "bench.mp4"
        started = time.perf_counter()
        result = pipeline.run(request, out)
        whole = time.perf_counter() - started

        spoken = speech.synthesize(script.parse(request.content, request.input_kind, request.voice))
        acted = performance.perform(spoken, request.video.fps)
        look = avatar.find_look(request.character, request.style)
        frames = list(avatar.render(acted, look, 1920, 1080, request.background_rgba))
        started = time.perf_counter()
        video.encode(frames, spoken.samples, spoken.sample_rate, request.video, out)
        alone = time.perf_counter() - started
    n, seconds = len(frames), result.duration_s
    print(f"{seconds:.1f} s of 1920x1080 at 25 fps ({n} frames), H.264 {request.video.preset}")
    for label, wall in (("whole pipeline", whole), ("encoder alone", alone)):
        print(f"{label:16} {wall:6.2f} s {n / wall:6.1f} fps {seconds / wall:5.2f}x real time")
    print(f"whole / encoder alone  {alone / whole:.2f}")


if __name__ == "__main__":
    main()
