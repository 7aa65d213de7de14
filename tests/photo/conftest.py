"""The registered public-domain portrait, shared by the photo tests."""

from __future__ import annotations

import pytest

from avatarsynth.photo import Portrait, register
from tests.fixtures import ASTRONAUT


@pytest.fixture(scope="session")
def portrait() -> Portrait:
    """The astronaut portrait, registered once for the session."""
    return register(ASTRONAUT.read_bytes())
