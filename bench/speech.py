"""Cost of each speech engine per second of audio, and the memory each holds once loaded.

    .venv/bin/python bench/speech.py [--words 300]

Each engine runs in its own child process, as a worker would: it imports the package, notes its
resident memory, speaks one warm-up sentence (which loads the model), notes the memory again,
then speaks ``--words`` words. Printed per engine: seconds of audio, wall seconds, CPU seconds
(user + system, every thread of the process), both per audio second, the memory the loaded
engine added after its warm-up, and the peak above the imports while it spoke. Ratios come from
one run on one machine; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

ENGLISH = (
    "Welcome to the quarterly product update. Today we walk through three new features, "
    "the results of our customer survey, and the plans for the next release. "
)
GERMAN = (
    "Willkommen zum vierteljährlichen Produktupdate. Heute zeigen wir drei neue Funktionen, "
    "die Ergebnisse unserer Kundenumfrage und die Pläne für die nächste Version. "
)
CASES = {
    "kokoro af_heart (en-US-AvaMultilingualNeural)": (ENGLISH, "en-US-AvaMultilingualNeural"),
    "piper joe (en-US-DavisNeural)": (ENGLISH, "en-US-DavisNeural"),
    "espeak-ng de (de-DE-KatjaNeural)": (GERMAN, "de-DE-KatjaNeural"),
}


def script_of(paragraph: str, words: int) -> str:
    repeats = words // len(paragraph.split()) + 1
    return " ".join((paragraph * repeats).split()[:words]) + "."


def _rss_mb() -> float:
    with open("/proc/self/statm") as stream:
        pages = int(stream.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(name: str, words: int) -> dict[str, float]:
    """In this process: load one engine, then time ``words`` words of it."""
    from avatarsynth.script import InputKind, parse
    from avatarsynth.speech import synthesize

    paragraph, voice = CASES[name]
    before = _rss_mb()
    synthesize(parse("Warm up.", InputKind.PLAIN_TEXT, voice))
    loaded = _rss_mb()
    utterance = parse(script_of(paragraph, words), InputKind.PLAIN_TEXT, voice)
    cpu, wall = _cpu_s(), time.perf_counter()
    speech = synthesize(utterance)
    wall, cpu = time.perf_counter() - wall, _cpu_s() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "audio": speech.duration_s,
        "wall": wall,
        "cpu": cpu,
        "mb": loaded - before,
        "peak": peak - before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--engine", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(measure(args.engine, args.words)))
        return
    print(
        f"{'engine':46} {'audio s':>7} {'wall s':>7} {'CPU s':>7} {'wall/s':>6} "
        f"{'CPU/s':>6} {'MB':>5}"
    )
    for name in CASES:
        child = [sys.executable, __file__, "--engine", name, "--words", str(args.words)]
        out = json.loads(subprocess.run(child, check=True, capture_output=True).stdout)
        print(
            f"{name:46} {out['audio']:7.1f} {out['wall']:7.2f} {out['cpu']:7.2f} "
            f"{out['wall'] / out['audio']:6.3f} {out['cpu'] / out['audio']:6.3f} "
            f"{out['mb']:5.0f} {out['peak']:7.0f}"
        )


if __name__ == "__main__":
    main()
