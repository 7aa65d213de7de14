"""Shared fixtures: a fake speech stage, timelines of phone symbols over silent audio, and the
job database, parametrized so the store and API contract tests run on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from avatarsynth.jobs import open_database
from avatarsynth.speech import SILENCE, Mark, Phone, Speech
from tests.services import SeaweedFS, empty_tables, postgres_database, seaweedfs

SAMPLE_RATE = 22050
SpeechOf = Callable[[str], Speech]


def timeline(parts: Sequence[tuple[str, float]], marks: Sequence[Mark] = ()) -> Speech:
    """Phones tiling the audio from (symbol, seconds) pairs; a leading ``ˈ`` marks stress."""
    phones, at = [], 0.0
    for symbol, seconds in parts:
        stressed = symbol.startswith("ˈ")
        phones.append(Phone(symbol.lstrip("ˈ"), at, at + seconds, stressed))
        at += seconds
    samples = np.zeros(round(at * SAMPLE_RATE), dtype=np.float32)
    return Speech(samples, SAMPLE_RATE, tuple(phones), (), (), tuple(marks))


def words(text: str, phone_s: float = 0.09) -> list[tuple[str, float]]:
    """Space-separated phones, each ``phone_s`` long; ``|`` is a one-second pause."""
    return [(SILENCE, 1.0) if p == "|" else (p, phone_s) for p in text.split()]


@pytest.fixture
def speech_of() -> SpeechOf:
    """Speech from space-separated phones (0.09 s each; ``|`` is a 1 s pause), 0.3 s of
    silence at each end."""

    def build(text: str) -> Speech:
        return timeline([(SILENCE, 0.3), *words(text), (SILENCE, 0.3)])

    return build


@pytest.fixture
def minute_of_speech() -> Speech:
    """About 60 s of sentences cycling through every mouth shape, with short pauses."""
    sentence = words("h ə ˈl oʊ w ɜː l d m aɪ ˈn eɪ m ɪ z θ iː f uː s ʃ ɑː p", 0.08)
    parts = [(SILENCE, 0.5)]
    while sum(seconds for _, seconds in parts) < 60.0:
        parts += [*sentence, (SILENCE, 0.4)]
    return timeline(parts, [Mark("gesture.wave", 2.0)])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One PostgreSQL database for the run, migrated by the service itself, dropped after."""
    with postgres_database() as url:
        open_database(url).dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty job database: a fresh SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'jobs.db'}"
    url: str = request.getfixturevalue("postgres_url")
    empty_tables(url)
    return url


@pytest.fixture(scope="session")
def s3_server() -> Iterator[SeaweedFS]:
    """One SeaweedFS for the whole run (each test uses its own bucket)."""
    with seaweedfs() as server:
        yield server
