"""The HTTP face of avatarsynth: Azure's batch avatar routes, auth, errors, signed downloads."""

from avatarsynth.api._app import create_app
from avatarsynth.api._auth import load_keys

__all__ = ["create_app", "load_keys"]
