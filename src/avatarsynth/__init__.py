"""avatarsynth: text or SSML in, a talking-avatar video out, behind Azure's batch avatar API."""

__version__ = "0.1.0"
