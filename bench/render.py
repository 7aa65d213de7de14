"""Render and encode speed at 1080p25: ``python bench/render.py [--seconds 12]``.

Prints the renderer's milliseconds per frame for each character, the encoder alone on frames
rendered beforehand, render and encode together (``encode`` pulls frames from a drawing
thread), their ratio, and whether drawing and encoding overlap in two threads (the GIL check). The
speech is synthetic (phones cycling through every mouth shape, short pauses between
sentences), so no voice is needed; see docs/performance.md for the figures.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from avatarsynth.avatar import catalog, find_look, render
from avatarsynth.frame import Frame
from avatarsynth.performance import Performance, perform
from avatarsynth.speech import SILENCE, Mark, Phone, Speech
from avatarsynth.video import EncodeOptions, encode

SAMPLE_RATE = 22050
CYCLE = (
    "h",
    "ə",
    "l",
    "oʊ",
    "w",
    "ɜː",
    "l",
    "d",
    "m",
    "aɪ",
    "n",
    "eɪ",
    "m",
    "ɪ",
    "z",
    "θ",
    "iː",
    "f",
    "uː",
    "s",
    "ʃ",
    "ɑː",
    "p",
    "t",
    "k",
    "ɹ",
    "æ",
    "b",
    "v",
    "ɔ",
)
BACKGROUND = (250, 246, 240, 255)
OPTIONS = EncodeOptions()
LOOK = ("lisa", "graceful-sitting")


GESTURES = ("wave-left-1", "show-left-2", "point-right", "hands-open", "show-right-1")


def synthetic_speech(seconds: float) -> Speech:
    """Sentences of 20 phones (80 ms each, every fifth stressed) with 0.4 s pauses, and a
    gesture every 4 s (every style has these five), so arms move a third of the time."""
    phones, at, index = [Phone(SILENCE, 0.0, 0.3)], 0.3, 0
    while at < seconds - 2.0:
        for _ in range(20):
            symbol = CYCLE[index % len(CYCLE)]
            phones.append(Phone(symbol, at, at + 0.08, stressed=index % 5 == 0))
            at, index = at + 0.08, index + 1
        phones.append(Phone(SILENCE, at, at + 0.4))
        at += 0.4
    phones.append(Phone(SILENCE, at, seconds))
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    samples = (0.2 * np.sin(2 * np.pi * 180 * t)).astype(np.float32)
    marks = tuple(
        Mark(f"gesture.{GESTURES[i % len(GESTURES)]}", 1.0 + 4.0 * i)
        for i in range(int((seconds - 3.0) // 4.0))
    )
    return Speech(samples, SAMPLE_RATE, tuple(phones), (), (), marks)


def frames(acted: Performance, character: str, style: str) -> Iterator[Frame]:
    look = find_look(character, style)
    return render(acted, look, OPTIONS.width, OPTIONS.height, BACKGROUND)


def concurrently(first: Callable[[], object], second: Callable[[], object]) -> float:
    """Wall time of two jobs run at once in two threads: near the longer one's time if their
    libraries release the GIL, near the sum if they do not."""
    worker = threading.Thread(target=first)
    start = time.perf_counter()
    worker.start()
    second()
    worker.join()
    return time.perf_counter() - start


def drain_seconds(source: Iterator[Frame]) -> float:
    start = time.perf_counter()
    for _ in source:
        pass
    return time.perf_counter() - start


def encode_seconds(source: Iterable[Frame], speech: Speech, out: Path) -> float:
    start = time.perf_counter()
    encode(source, speech.samples, speech.sample_rate, OPTIONS, out)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    seconds = parser.parse_args().seconds
    speech = synthetic_speech(seconds)
    acted = perform(speech, OPTIONS.fps)
    n = acted.n_frames
    print(
        f"{n} frames of 1920x1080 at {OPTIONS.fps} fps ({seconds:.0f} s), libx264 "
        f"{OPTIONS.preset}, held at {OPTIONS.bitrate_kbps} kbit/s"
    )
    for character, styles in catalog().items():
        times = {
            style: 1000 * drain_seconds(frames(acted, character, style)) / n for style in styles
        }
        listed = ", ".join(f"{style or '(no style)'} {ms:.2f}" for style, ms in times.items())
        print(f"render {character:6s} {max(times.values()):5.2f} ms/frame at most ({listed})")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "bench.mp4"
        rendered = list(frames(acted, *LOOK))
        alone = encode_seconds(rendered, speech, out)
        drawing = drain_seconds(frames(acted, *LOOK))
        both = concurrently(
            lambda: drain_seconds(frames(acted, *LOOK)),
            lambda: encode_seconds(rendered, speech, out),
        )
        rendered.clear()
        together = encode_seconds(frames(acted, *LOOK), speech, out)
        size = out.stat().st_size
    print(f"encoder alone        {n / alone:6.1f} fps")
    print(f"render + encode      {n / together:6.1f} fps  ({seconds / together:.2f}x real time)")
    print(f"whole / encoder alone  {alone / together:.2f}")
    print(
        f"render alone {drawing:.2f} s and encoder alone {alone:.2f} s run at once: "
        f"{both:.2f} s (serial sum {drawing + alone:.2f} s)"
    )
    print(f"file size {size / 1e6:.2f} MB = {size * 8 / seconds / 1000:.0f} kbit/s")


if __name__ == "__main__":
    main()
