"""Photo presenter speed: ``python bench/photo.py [--seconds 12]``.

Registers the public-domain test portrait, then prints milliseconds per frame for the photo
presenter at 512×512 (its default framing) and at 1920×1080 (the same portrait as a presenter,
cut out over a backdrop), beside a drawn character at 1080p rendered in the same run, with
their ratio. The speech is ``bench/render.py``'s synthetic cycle through every mouth shape,
so no voice is needed. The renderer runs on one core (OpenCV's threads are turned off).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).parents[1]))  # the repository: bench/ and tests/
from bench.render import BACKGROUND, frames, synthetic_speech
from tests.photo.conftest import ASTRONAUT

from avatarsynth.performance import perform
from avatarsynth.photo import Portrait, register, render

FPS = 25


def ms_per_frame(portrait: Portrait, acted: object, width: int, height: int) -> float:
    start = time.perf_counter()
    count = sum(1 for _ in render(acted, portrait, width, height, BACKGROUND))  # type: ignore[arg-type]
    return 1000 * (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    seconds = parser.parse_args().seconds
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


if __name__ == "__main__":
    main()
