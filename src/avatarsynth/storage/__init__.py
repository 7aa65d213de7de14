"""Result files: where they are kept, and URLs that let a client fetch them without a key."""

from avatarsynth.storage._local import LocalStorage
from avatarsynth.storage._signing import UrlSigner, load_secret

__all__ = ["LocalStorage", "UrlSigner", "load_secret"]
