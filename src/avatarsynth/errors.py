"""The one error tree of avatarsynth.

Every failure the service can explain is an :class:`AvatarsynthError`; each carries the Azure
error ``code`` that the API puts in its envelope, and the context a reader needs (the field that
was wrong; the failing stage is the error's class). ``api`` maps the tree to HTTP in one
exception handler; foreign libraries' exceptions are translated where they are called
(``raise … from exc``), never caught and re-guessed elsewhere.

    AvatarsynthError                    InternalServerError
    ├── InvalidRequest                  BadArgument (400): a field of the request is wrong
    │   ├── InvalidScript               the text or SSML of an input cannot be spoken
    │   ├── UnknownVoice                a voice name or locale that no engine serves
    │   └── UnknownAvatar               a character or style that does not exist
    ├── RequestTooLarge                 BadRequest (400): a size limit was passed
    ├── Unauthorized                    Unauthorized (401)
    ├── Forbidden                       Forbidden (403): the operator turned this off
    ├── NotFound                        NotFound (404)
    ├── Conflict                        Conflict (409)
    ├── TooManyRequests                 TooManyRequests (429)
    └── SynthesisError                  a stage failed while making one input's result
        ├── SpeechError
        ├── RenderError
        ├── EncodeError
        └── InsufficientStorage         InsufficientStorage: the server's disk is full

Messages are in the caller's terms: never a server path, host, stack frame or a library's
own wording (``full_disk`` turns a full disk into one); the details go to the log.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from contextlib import contextmanager


class AvatarsynthError(Exception):
    """Base of every error the service can explain to its caller."""

    code = "InternalServerError"

    def __init__(self, message: str, *, target: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.target = target


class InvalidRequest(AvatarsynthError):
    """A field of the request is missing, of the wrong type or out of range.

    Stages name the ``option`` they were given (``"codec"``, ``"crop"``), never an HTTP field:
    ``jobs`` maps options to each API version's fields for the envelope's ``target``.
    """

    code = "BadArgument"

    def __init__(
        self, message: str, *, target: str | None = None, option: str | None = None
    ) -> None:
        super().__init__(message, target=target)
        self.option = option


class InvalidScript(InvalidRequest):
    """An input's text or SSML cannot be parsed or spoken as written."""


class UnknownVoice(InvalidRequest):
    """No local engine serves the requested voice or locale."""


class UnknownAvatar(InvalidRequest):
    """The talking avatar character, style or gesture does not exist."""


class RequestTooLarge(AvatarsynthError):
    """The request passes one of the documented size limits."""

    code = "BadRequest"


class Unauthorized(AvatarsynthError):
    """The credential is missing or wrong."""

    code = "Unauthorized"


class Forbidden(AvatarsynthError):
    """The caller may not do this here: the operator turned the feature off."""

    code = "Forbidden"


class NotFound(AvatarsynthError):
    """The resource does not exist for this caller."""

    code = "NotFound"


class Conflict(AvatarsynthError):
    """The resource exists already with different content."""

    code = "Conflict"


class TooManyRequests(AvatarsynthError):
    """A configured quota is full; the caller should retry later."""

    code = "TooManyRequests"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class SynthesisError(AvatarsynthError):
    """A pipeline stage failed while turning one input into its result."""


class SpeechError(SynthesisError):
    """The speech engine could not produce audio or timings."""


class RenderError(SynthesisError):
    """The avatar could not be drawn."""


class EncodeError(SynthesisError):
    """The video or audio could not be encoded."""


class FetchError(SynthesisError):
    """A file the request points at (a background image) could not be fetched or used."""


class DeliveryError(AvatarsynthError):
    """Results could not be written where the request asked (``destinationContainerUrl``)."""

    code = "BadRequest"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.code = "Forbidden" if status in (401, 403) else "BadRequest"


class InsufficientStorage(SynthesisError):
    """The server ran out of disk space while making a result: nothing wrong with the
    request, so the same job may succeed when retried later."""

    code = "InsufficientStorage"

    def __init__(self, action: str) -> None:
        super().__init__(f"The server ran out of disk space when it tried to {action}.")
        self.action = action
        """What it tried to do ("encode the video"); a job adds "of input 3"."""


_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


@contextmanager
def full_disk(action: str) -> Iterator[None]:
    """Within the block, an operating system's "no space left" (FFmpeg's too) becomes
    :class:`InsufficientStorage` naming ``action``, never the file it was writing."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _DISK_FULL:
            raise InsufficientStorage(action) from exc
        raise


_SERVER_PATH = re.compile(r"(?<![\w:/.~-])/(?:[\w.+~-]+/)+[\w.+~-]*")
"""An absolute file path standing alone (a URL's path follows its host and is left alone)."""


def public_message(message: str) -> str:
    """A message safe to show a caller: a server path that slipped in becomes "a file"."""
    return _SERVER_PATH.sub("a file", message)
