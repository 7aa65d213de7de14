"""``python -m avatarsynth`` is the ``avatarsynth`` command."""

from avatarsynth.cli import app

app()
