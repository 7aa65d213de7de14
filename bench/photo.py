"""Photo presenter speed: ``python bench/photo.py [--seconds 12] [--pipeline-seconds 20]``.

Registers the public-domain test portrait, then prints milliseconds per frame for the photo
presenter at 512×512 (its default framing) and at 1920×1080 (the same portrait as a presenter,
cut out over a backdrop), beside a drawn character at 1080p rendered in the same run, with
their ratio. The speech is ``bench/render.py``'s synthetic cycle through every mouth shape,
so no voice is needed. The renderer runs on one core (OpenCV's threads are turned off).
Then the whole pipeline (Piper speech → performance → frames → H.264 + AAC) on one script,
as seconds of video per wall second: the photo avatar at 512×512 and the drawn one at 1080p.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).parents[1]))  # the repository: bench/ and tests/
from bench.pipeline import script_of_length
from bench.render import BACKGROUND, frames, synthetic_speech
from tests.fixtures import ASTRONAUT

from avatarsynth import pipeline
from avatarsynth.performance import perform
from avatarsynth.photo import Portrait, register, render
from avatarsynth.script import InputKind
from avatarsynth.video import EncodeOptions

FPS = 25


def ms_per_frame(portrait: Portrait, acted: object, width: int, height: int) -> float:
    start = time.perf_counter()
    count = sum(1 for _ in render(acted, portrait, width, height, BACKGROUND))  # type: ignore[arg-type]
    return 1000 * (time.perf_counter() - start) / count


def realtime(request: pipeline.RenderRequest, out: Path) -> float:
    """Seconds of video made per wall second, end to end."""
    start = time.perf_counter()
    result = pipeline.run(request, out)
    assert isinstance(result, pipeline.RenderResult)
    return result.duration_s / (time.perf_counter() - start)


def whole_pipeline(portrait: Portrait, seconds: float) -> None:
    text = script_of_length(seconds)
    voice = "en-US-AvaMultilingualNeural"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portrait.npz"
        path.write_bytes(portrait.to_bytes())
        photo = pipeline.RenderRequest(
            text, InputKind.PLAIN_TEXT, voice, "eileen", "",
            video=EncodeOptions(width=512, height=512, codec="h264"),
            photo=pipeline.PhotoAvatar(str(path)),
        )  # fmt: skip
        drawn = pipeline.RenderRequest(
            text, InputKind.PLAIN_TEXT, voice, "lisa", "graceful-sitting",
            video=EncodeOptions(codec="h264"),
        )  # fmt: skip
        photo_rate = realtime(photo, Path(folder) / "photo.mp4")
        drawn_rate = realtime(drawn, Path(folder) / "drawn.mp4")
    print(f"whole pipeline, photo 512x512: {photo_rate:.2f}x real time")
    print(f"whole pipeline, drawn 1080p:   {drawn_rate:.2f}x real time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--pipeline-seconds", type=float, default=20.0)
    args = parser.parse_args()
    seconds = args.seconds
    cv2.setNumThreads(1)
    portrait = register(ASTRONAUT.read_bytes())
    acted = perform(synthetic_speech(seconds), FPS)
    print(f"{acted.n_frames} frames ({seconds:.0f} s), portrait plate {portrait.side} px")
    small = ms_per_frame(portrait, acted, 512, 512)
    large = ms_per_frame(portrait, acted, 1920, 1080)
    start = time.perf_counter()
    drawn_count = sum(1 for _ in frames(acted, "lisa", "graceful-sitting"))
    drawn = 1000 * (time.perf_counter() - start) / drawn_count
    print(f"photo  512x512   {small:6.2f} ms/frame")
    print(f"photo  1920x1080 {large:6.2f} ms/frame (target 15)")
    print(f"drawn  1920x1080 {drawn:6.2f} ms/frame (lisa)")
    print(f"ratio photo/drawn at 1080p: {large / drawn:.2f}")
    whole_pipeline(portrait, args.pipeline_seconds)


if __name__ == "__main__":
    main()
