"""Result files: where they are kept, and URLs that let a client fetch them without a key."""

from avatarsynth.storage._base import Download, Storage
from avatarsynth.storage._counted import CountedStorage
from avatarsynth.storage._local import LocalStorage
from avatarsynth.storage._open import open_storage
from avatarsynth.storage._s3 import S3Location, S3Storage
from avatarsynth.storage._signing import UrlSigner, load_secret

__all__ = [
    "CountedStorage",
    "Download",
    "LocalStorage",
    "S3Location",
    "S3Storage",
    "Storage",
    "UrlSigner",
    "load_secret",
    "open_storage",
]
