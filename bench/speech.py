"""Real-time factor of each speech engine for 1000 words on this machine.

    .venv/bin/python bench/speech.py

Prints, per engine, the seconds of audio made, the wall seconds it took (after a warm-up that
loads the model, as a worker process does once), and their ratio.
"""

from __future__ import annotations

import time

from avatarsynth.script import InputKind, parse
from avatarsynth.speech import synthesize

ENGLISH = (
    "Welcome to the quarterly product update. Today we walk through three new features, "
    "the results of our customer survey, and the plans for the next release. "
)
GERMAN = (
    "Willkommen zum vierteljährlichen Produktupdate. Heute zeigen wir drei neue Funktionen, "
    "die Ergebnisse unserer Kundenumfrage und die Pläne für die nächste Version. "
)
CASES = {
    "piper (en-US-JennyNeural)": (ENGLISH, "en-US-JennyNeural"),
    "espeak-ng (de-DE-KatjaNeural)": (GERMAN, "de-DE-KatjaNeural"),
}
WORDS = 1000


def script_of(paragraph: str, words: int) -> str:
    repeats = words // len(paragraph.split()) + 1
    return " ".join((paragraph * repeats).split()[:words]) + "."


def main() -> None:
    print(f"{'engine':32} {'audio s':>8} {'wall s':>7} {'RTF':>6} {'x real time':>11}")
    for name, (paragraph, voice) in CASES.items():
        synthesize(parse("Warm up.", InputKind.PLAIN_TEXT, voice))
        utterance = parse(script_of(paragraph, WORDS), InputKind.PLAIN_TEXT, voice)
        started = time.perf_counter()
        speech = synthesize(utterance)
        wall = time.perf_counter() - started
        rtf = wall / speech.duration_s
        print(f"{name:32} {speech.duration_s:8.1f} {wall:7.2f} {rtf:6.3f} {1 / rtf:11.1f}")


if __name__ == "__main__":
    main()
