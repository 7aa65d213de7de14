"""The whole pipeline against its ingredients, at 1080p25: ``python bench/pipeline.py``.

One English script, spoken by ``en-US-AvaMultilingualNeural``, measured in one run:

- whole: ``pipeline.run`` (speech → performance → avatar → H.264 + AAC MP4), as a worker does:
  speech spoken sentence by sentence in a thread while the frames are drawn and encoded;
- whole, speaking first: the same input spoken whole, then acted, drawn and encoded (the path
  long videos take, and every video's before issue 11 item 5);
- speech alone: the same text through ``speech.synthesize``;
- render + encode alone: that speech acted, drawn and encoded (the still lock and filler too);
- plain x264 alone: the same frames through libx264 with the same quality settings (veryfast,
  ``tune=zerolatency``, CRF 18 under the same VBV ceiling) and nothing else: no still lock, no
  filler. Frames are drawn between encoder calls and only the calls are timed (sliced threads
  finish each frame before the call returns, so nothing runs on while drawing); the drawing
  between the calls is printed too ("drawing alone").

Prints wall seconds, CPU-seconds (all threads) per second of video, seconds of video per wall
second, the ratio whole ÷ (speech alone + plain x264 alone), and the memory a worker process
holds once every engine is loaded (resident set after ``pipeline.warm_up``) and at its peak.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import av

from avatarsynth import avatar, performance, pipeline, script, speech, video
from avatarsynth.frame import Frame
from avatarsynth.pipeline._video import prepare, render_prepared
from avatarsynth.script import InputKind

PARAGRAPH = (
    "Welcome to the quarterly product update. Today we walk through three new features, the "
    "results of our customer survey, and the plans for the next release. First, the new "
    "dashboard shows every project at a glance. Second, reports now export to any format your "
    "team prefers. Third, notifications arrive where you already work. Thank you for watching, "
    "and see you next quarter."
)
VOICE = "en-US-AvaMultilingualNeural"
T = TypeVar("T")


@dataclass
class Cost:
    """Wall and CPU seconds (every thread of this process) spent on a stage."""

    wall: float = 0.0
    cpu: float = 0.0

    def add(self, other: Cost) -> None:
        self.wall += other.wall
        self.cpu += other.cpu


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[], T]) -> tuple[T, Cost]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = work()
    return result, Cost(time.perf_counter() - wall, cpu_seconds() - cpu)


def memory_mib(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak) of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def script_of_length(seconds: float) -> str:
    """Enough paragraphs for about ``seconds`` of speech (~2.7 words/s)."""
    words = round(seconds * 2.7)
    repeats = words // len(PARAGRAPH.split()) + 1
    return " ".join(" ".join([PARAGRAPH] * repeats).split()[:words]) + "."


def plain_x264(
    frames: Iterable[Frame], options: video.EncodeOptions, out: Path
) -> tuple[Cost, Cost]:
    """The reference: libx264 alone on ``frames``; its calls and the drawing of the frames
    between them are timed apart (x264's cost, the renderer's)."""
    kbps = f"{options.bitrate_kbps}k"
    settings = {
        "preset": options.preset,
        "tune": "zerolatency",
        "crf": "18",
        "maxrate": kbps,
        "bufsize": kbps,
    }
    cost, drawing = Cost(), Cost()
    source = iter(frames)
    with av.open(str(out), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=options.fps, options=settings)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = options.width, options.height, "yuv420p"
        stream.codec_context.time_base = Fraction(1, options.fps)
        for index in itertools.count():
            pixels, spent = timed(lambda: next(source, None))
            drawing.add(spent)
            if pixels is None:
                break

            def one(pixels: Frame = pixels, index: int = index) -> None:
                frame = av.VideoFrame.from_ndarray(pixels, format="yuv420p")
                frame.pts = index
                container.mux(stream.encode(frame))

            cost.add(timed(one)[1])
        cost.add(timed(lambda: container.mux(stream.encode(None)))[1])
    return cost, drawing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    request = pipeline.RenderRequest(
        content=script_of_length(parser.parse_args().seconds),
        input_kind=InputKind.PLAIN_TEXT,
        voice=VOICE,
        character="lisa",
        style="casual-sitting",
    )
    options = request.video
    pipeline.warm_up()
    loaded = memory_mib("VmRSS")
    utterance = script.parse(request.content, request.input_kind, request.voice)
    look = avatar.find_look(request.character, request.style)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "bench.mp4"
        result, whole = timed(lambda: pipeline.run(request, out))
        _, first = timed(lambda: render_prepared(request, prepare(request), out))
        spoken, alone = timed(lambda: speech.synthesize(utterance))

        def drawn() -> Iterable[Frame]:
            acted = performance.perform(spoken, options.fps)
            return avatar.render(acted, look, options.width, options.height)

        def render_encode() -> video.EncodedVideo:
            return video.encode(drawn(), spoken.samples, spoken.sample_rate, options, out)

        _, both = timed(render_encode)
        x264, drawing = plain_x264(drawn(), options, Path(folder) / "plain.mp4")
    seconds = result.duration_s
    engine = speech.cast(speech.resolve(VOICE).voice).label
    print(
        f"{seconds:.1f} s of {options.width}x{options.height} at {options.fps} fps, "
        f"{VOICE} spoken by {engine}, H.264 {options.preset} at {options.bitrate_kbps} kbit/s"
    )
    print(f"{'stage':22} {'wall s':>7} {'x real time':>11} {'CPU-s per video s':>18}")
    for label, cost in (
        ("whole pipeline", whole),
        ("whole, speaking first", first),
        ("speech alone", alone),
        ("render + encode alone", both),
        ("plain x264 alone", x264),
        ("drawing alone", drawing),
    ):
        print(f"{label:22} {cost.wall:7.2f} {seconds / cost.wall:11.2f} {cost.cpu / seconds:18.3f}")
    print(f"whole / (speech alone + plain x264 alone)  {whole.wall / (alone.wall + x264.wall):.2f}")
    print(f"render + encode at {x264.wall / both.wall:.2f} of plain x264's speed")
    print(f"whole's CPU over 2 cores: {whole.cpu / 2:.2f} s (the least wall time 2 cores allow)")
    print(
        f"worker memory: {loaded:.0f} MiB with the engines loaded, {memory_mib('VmHWM'):.0f} peak"
    )


if __name__ == "__main__":
    main()
