"""Batch throughput: ``python bench/batch.py [--processes 2] [--seconds 20] [--speech-only]``.

A server renders one job per worker process, one process per core by default, so a batch keeps
every process busy at once. This starts ``--processes`` processes, lets each load its engines
(``pipeline.warm_up``), then starts them together on the same English script (the one
``bench/pipeline.py`` speaks, ``en-US-AvaMultilingualNeural``, 1080p25): each renders the whole
video (``pipeline.run``), or with ``--speech-only`` only speaks it (the audio API's work).

Prints each process's wall and CPU seconds, and the batch's throughput: seconds of output made
per wall second, all processes together.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pipeline as reference  # bench/pipeline.py: its script, voice and CPU clock
from avatarsynth import pipeline, script, speech
from avatarsynth.script import InputKind

Result = tuple[float, float, float]


def one(seconds: float, speech_only: bool, ready: Barrier, results: Queue[Result]) -> None:
    """Put (output seconds, wall seconds, CPU seconds) of one process's job, timed from the
    start, on ``results``."""
    content = reference.script_of_length(seconds)
    pipeline.warm_up()
    ready.wait()
    wall, cpu = time.perf_counter(), reference.cpu_seconds()
    if speech_only:
        utterance = script.parse(content, InputKind.PLAIN_TEXT, reference.VOICE)
        spoken = speech.synthesize(utterance)
        made = len(spoken.samples) / spoken.sample_rate
    else:
        request = pipeline.RenderRequest(
            content, InputKind.PLAIN_TEXT, reference.VOICE, "lisa", "casual-sitting"
        )
        with tempfile.TemporaryDirectory() as folder:
            made = pipeline.run(request, Path(folder) / "batch.mp4").duration_s
    results.put((made, time.perf_counter() - wall, reference.cpu_seconds() - cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--speech-only", action="store_true")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(args.processes)
    queue: Queue[Result] = context.Queue()
    processes = [
        context.Process(target=one, args=(args.seconds, args.speech_only, ready, queue))
        for _ in range(args.processes)
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    what = "speech" if args.speech_only else "1080p25 video"
    for index, (made, wall, cpu) in enumerate(results):
        print(f"process {index}: {made:.1f} s of {what} in {wall:.2f} s wall, {cpu:.2f} CPU-s")
    total = sum(made for made, _, _ in results)
    slowest = max(wall for _, wall, _ in results)
    print(f"batch: {total:.1f} s of {what} in {slowest:.2f} s, {total / slowest:.2f} s per s")


if __name__ == "__main__":
    main()
