"""A long video with 1 and 2 worker processes: ``python bench/long.py [--minutes 10]``.

Renders one ``--minutes`` input through the real worker pool (``ProcessDispatcher``): the
first step speaks and acts the whole script and encodes its audio, then the chunks (30–60 s,
cut at pauses) are drawn and encoded side by side and joined by remuxing. Prints the wall time
for each pool size, the chunk count and the speed-up. The voice is espeak-ng (German), which
speaks ten minutes in about a second, so the figures are about rendering; a Piper voice adds
its synthesis time, once, before the chunks start. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures import GERMAN_REPORT  # noqa: E402

from avatarsynth import pipeline  # noqa: E402
from avatarsynth.dispatch import ProcessDispatcher  # noqa: E402
from avatarsynth.script import InputKind  # noqa: E402
from avatarsynth.video import EncodeOptions  # noqa: E402

SECONDS_PER_ROUND = 19.0
"""How long espeak-ng takes to say the five sentences once."""


def _request(minutes: float, options: EncodeOptions) -> pipeline.RenderRequest:
    rounds = max(1, round(minutes * 60 / SECONDS_PER_ROUND))
    return pipeline.RenderRequest(
        " ".join(GERMAN_REPORT * rounds),
        InputKind.PLAIN_TEXT,
        "de-DE-KatjaNeural",
        "lisa",
        "casual-sitting",
        video=options,
    )


def _timed(workers: int, request: pipeline.RenderRequest, out: Path) -> tuple[float, int, float]:
    """Wall seconds from submit to the joined file, chunk count, video seconds."""
    dispatcher = ProcessDispatcher(workers)
    dispatcher.warm()  # model loading is a worker's start-up, not the video's time
    try:
        started = time.perf_counter()
        result = dispatcher.submit(request, out).result()
        wall = time.perf_counter() - started
    finally:
        dispatcher.close()
    assert isinstance(result, pipeline.RenderResult)
    return wall, len(result.chunk_starts), result.duration_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args()
    options = EncodeOptions(width=args.width, height=args.height)
    request = _request(args.minutes, options)
    walls = {}
    with tempfile.TemporaryDirectory() as scratch:
        for workers in (1, 2):
            wall, chunks, video_s = _timed(workers, request, Path(scratch) / f"{workers}.mp4")
            walls[workers] = wall
            print(
                f"{workers} worker(s): {wall:6.1f} s wall for {video_s / 60:.1f} min of "
                f"{args.width}x{args.height} h264 in {chunks} chunks "
                f"({video_s / wall:.2f}x real time)"
            )
    print(f"speed-up with 2 workers: {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
