"""Registered portraits for photo avatars: per API key, plus an operator folder for everyone.

A key's portraits live under ``{data_dir}/portraits/{owner}/{name}.npz`` (the registered
:class:`photo.Portrait`) beside ``{name}.png`` (its preview). The operator's folder holds plain
image files (``{name}.jpg``/``.png``/``.webp``) that every key may use; each is registered
the first time a job asks for it, and the result is kept under ``portraits/.operator/`` keyed
by the file's hash, so it is measured once however many jobs use it. Worker processes read the
``.npz`` files by path: in a distributed deployment the data directory must be shared.

Azure's 30 standard photo avatars are its own people; no portraits of them ship here. Asking
for one gets a 400 that says how to register a portrait, and an operator may put portraits
under those names in the operator folder.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from avatarsynth import photo
from avatarsynth.errors import Forbidden, InvalidRequest, NotFound

STANDARD_PHOTO_AVATARS = frozenset(
    [
        "adrian",
        "amara",
        "amira",
        "anika",
        "bianca",
        "camila",
        "carlos",
        "clara",
        "darius",
        "diego",
        "elise",
        "farhan",
        "faris",
        "gabrielle",
        "hyejin",
        "imran",
        "isabella",
        "layla",
        "liwei",
        "ling",
        "marcus",
        "matteo",
        "rahul",
        "rana",
        "ren",
        "riya",
        "sakura",
        "simone",
        "zayd",
        "zoe",
    ]
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_IMAGES = (".jpg", ".jpeg", ".png", ".webp")
_OPERATOR = ".operator"
_CHARACTER = "avatarConfig.talkingAvatarCharacter"
_LOG = logging.getLogger("avatarsynth.portraits")


@dataclass(frozen=True)
class Entry:
    """A portrait a key may use."""

    name: str
    shared: bool
    """From the operator's folder (every key sees it; it cannot be deleted through the API)."""


def portrait_name(name: str) -> str:
    """The canonical (lower-case) name, or a 400 naming the rule."""
    canonical = name.strip().lower()
    if not _NAME.match(canonical):
        raise InvalidRequest(
            f"'{name}' is not a valid portrait name: use 1–64 letters, digits, '-' or '_', "
            "starting with a letter or digit.",
            target="name",
        )
    return canonical


class Portraits:
    """The portraits of every key and of the operator, on the local file system."""

    def __init__(self, root: Path, operator_dir: Path | None, registration: bool) -> None:
        self.root, self.operator_dir, self.registration = root, operator_dir, registration

    def _own(self, owner: str, name: str) -> Path:
        return self.root / owner / f"{name}.npz"

    def _operator_image(self, name: str) -> Path | None:
        if self.operator_dir is None:
            return None
        found = (self.operator_dir / f"{name}{suffix}" for suffix in _IMAGES)
        return next((path for path in found if path.is_file()), None)

    def register(self, owner: str, name: str, data: bytes) -> Entry:
        """Check and register ``data`` as ``name`` for ``owner`` (replacing one of that name);
        nothing is stored when the photo is refused."""
        if not self.registration:
            raise Forbidden("Portrait registration is turned off on this service.")
        name = portrait_name(name)
        portrait = photo.register(data)
        folder = self.root / owner
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"{name}.png", portrait.preview_png())
        _write(folder / f"{name}.npz", portrait.to_bytes())
        digest = hashlib.sha256(data).hexdigest()[:16]
        _LOG.info("portrait registered: key %s… name %s image sha256 %s", owner[:12], name, digest)
        return Entry(name, shared=False)

    def entries(self, owner: str) -> list[Entry]:
        """The key's portraits, then the operator's (a key's own wins on a shared name)."""
        own = sorted(p.stem for p in (self.root / owner).glob("*.npz"))
        shared = []
        if self.operator_dir is not None and self.operator_dir.is_dir():
            shared = sorted(
                {p.stem.lower() for p in self.operator_dir.iterdir() if p.suffix.lower() in _IMAGES}
                - set(own)
            )
        return [Entry(n, False) for n in own] + [Entry(n, True) for n in shared if _NAME.match(n)]

    def delete(self, owner: str, name: str) -> None:
        """Remove one of the key's portraits; jobs created with it that have not rendered yet
        fail, saying the portrait is no longer registered."""
        path = self._own(owner, portrait_name(name))
        if not path.is_file():
            raise NotFound(f"No portrait named '{name}' is registered with this key.")
        path.unlink()
        path.with_suffix(".png").unlink(missing_ok=True)
        _LOG.info("portrait deleted: key %s… name %s", owner[:12], name)

    def find(self, owner: str, name: str) -> Path:
        """The registered portrait's file for a job, or a 400 saying how to get one."""
        canonical = name.strip().lower()
        if _NAME.match(canonical):
            own = self._own(owner, canonical)
            if own.is_file():
                return own
            image = self._operator_image(canonical)
            if image is not None:
                return self._operator_portrait(image, canonical)
        if canonical in STANDARD_PHOTO_AVATARS:
            message = (
                f"'{name}' is one of Azure's standard photo avatars; their portraits are not "
                "available offline. Register a portrait of your own with "
                "PUT /avatar/photos/{name} (the image as the body) and use that name, or ask "
                "the operator to add one under this name."
            )
        else:
            message = (
                f"No portrait named '{name}' is registered; register one with "
                "PUT /avatar/photos/{name} (the image as the body)."
            )
        raise InvalidRequest(message, target=_CHARACTER)

    def _operator_portrait(self, image: Path, name: str) -> Path:
        data = image.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        cached = self.root / _OPERATOR / f"{name}-{digest}.npz"
        if not cached.is_file():
            try:
                portrait = photo.register(data)
            except InvalidRequest as exc:
                raise InvalidRequest(
                    f"The operator's portrait '{name}' cannot be used: {exc.message}",
                    target=_CHARACTER,
                ) from exc
            cached.parent.mkdir(parents=True, exist_ok=True)
            _write(cached, portrait.to_bytes())
            _write(cached.with_suffix(".png"), portrait.preview_png())
            _LOG.info("operator portrait registered: name %s image sha256 %s", name, digest)
        return cached

    def preview(self, owner: str, name: str) -> bytes:
        """The framed portrait as PNG."""
        return self.find(owner, name).with_suffix(".png").read_bytes()


def _write(path: Path, data: bytes) -> None:
    """Atomically: a portrait appears whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
