"""Room on the disk before a render starts: a video that cannot fit is refused up front.

A render writes its video to the scratch folder (result files on the same disk are moved into
place, not copied). Every codec runs at a constant bitrate, so the size
is about bitrate × duration, and speech runs at about 12 characters a second or more: the
estimate errs large. A refused input fails with ``InsufficientStorage`` and nothing on disk;
the job may be created again once space is back.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from avatarsynth.errors import InsufficientStorage
from avatarsynth.pipeline import AnyRequest, RenderRequest

_CHARS_PER_S = 12.0
_MARKUP = re.compile(r"<[^>]*>")


def expected_bytes(request: AnyRequest) -> int:
    """About how large the request's video will be (audio is small: not estimated)."""
    if not isinstance(request, RenderRequest):
        return 0
    spoken = len(_MARKUP.sub("", request.content))
    seconds = spoken / _CHARS_PER_S + 1.0
    return int(seconds * request.video.bitrate_kbps * 1000 / 8)


def make_room(request: AnyRequest, scratch_dir: Path, reserve_bytes: int) -> None:
    """Raise :class:`InsufficientStorage` unless the expected output fits on the scratch
    folder's disk with ``reserve_bytes`` to spare."""
    needed = expected_bytes(request) + reserve_bytes
    if needed and shutil.disk_usage(scratch_dir).free < needed:
        raise InsufficientStorage("make room for the video")
