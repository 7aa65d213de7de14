"""Reading a JSON body the way Azure does: property names case-insensitive, unknown ones
ignored, every wrong field a 400 that names it (``avatarConfig.videoCodec``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, TypeVar

from avatarsynth.errors import InvalidRequest, RequestTooLarge

T = TypeVar("T")
_MISSING = object()


def parse_json(raw: bytes, limit_bytes: int) -> dict[str, Any]:
    """The request body as a JSON object, refusing oversize and malformed bodies."""
    if len(raw) > limit_bytes:
        raise RequestTooLarge(
            f"The request body is {len(raw)} bytes; the limit is {limit_bytes // 1000} KB."
        )
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRequest(f"The request body is not valid JSON: {exc}.") from exc
    except RecursionError as exc:
        raise InvalidRequest("The request body is nested too deeply.") from exc
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    _check_unicode(body)
    return body


def _check_unicode(body: dict[str, Any]) -> None:
    """JSON may escape lone surrogates (``"\\ud800"``) that no UTF-8 response or database can
    hold; refusing them here keeps them from surfacing later as a 500."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidRequest(
            "The request body contains invalid Unicode (a lone surrogate escape)."
        ) from exc
    except RecursionError as exc:
        raise InvalidRequest("The request body is nested too deeply.") from exc


class Fields:
    """One JSON object with case-insensitive access; ``path`` prefixes error targets."""

    def __init__(self, data: object, path: str = "") -> None:
        if not isinstance(data, dict):
            raise InvalidRequest(
                f"{path or 'The body'} must be a JSON object.", target=path or None
            )
        self._data = {str(k).casefold(): v for k, v in data.items()}
        self.path = path

    def target(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def raw(self, name: str) -> object:
        return self._data.get(name.casefold(), _MISSING)

    def has(self, name: str) -> bool:
        return self.raw(name) not in (_MISSING, None)

    def _typed(self, name: str, kind: type[T], label: str, default: T | None) -> T | None:
        value = self.raw(name)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InvalidRequest(f"{self.target(name)} must be {label}.", target=self.target(name))
        return value

    def string(self, name: str, default: str | None = None) -> str | None:
        return self._typed(name, str, "a string", default)

    def required_string(self, name: str) -> str:
        value = self.string(name)
        if value is None or not value.strip():
            raise InvalidRequest(f"{self.target(name)} is required.", target=self.target(name))
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._typed(name, bool, "true or false", default)
        return default if value is None else value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self._typed(name, int, "an integer", default)
        if value is None or not low <= value <= high:
            raise InvalidRequest(
                f"{self.target(name)} must be an integer from {low} to {high}.",
                target=self.target(name),
            )
        return value

    def number(
        self, name: str, default: float, low: float, high: float, *, above_low: bool = False
    ) -> float:
        """A number in [low, high] (or (low, high] with ``above_low``); integers are numbers."""
        value = self.raw(name)
        if value is _MISSING or value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidRequest(f"{self.target(name)} must be a number.", target=self.target(name))
        if not (low < value if above_low else low <= value) or not value <= high:
            opening = "above" if above_low else "from"
            raise InvalidRequest(
                f"{self.target(name)} must be {opening} {low:g} up to {high:g}; got {value:g}.",
                target=self.target(name),
            )
        return float(value)

    def choice(self, name: str, allowed: Iterable[str], default: str | None = None) -> str | None:
        """An enum value matched case-insensitively; returns the canonical spelling."""
        value = self.string(name)
        if value is None:
            return default
        canonical = {a.casefold(): a for a in allowed}
        found = canonical.get(value.strip().casefold())
        if found is None:
            raise InvalidRequest(
                f"{self.target(name)} must be one of {', '.join(canonical.values())}; "
                f"got '{value}'.",
                target=self.target(name),
            )
        return found

    def child(self, name: str, required: bool = False) -> Fields | None:
        value = self.raw(name)
        if value is _MISSING or value is None:
            if required:
                raise InvalidRequest(f"{self.target(name)} is required.", target=self.target(name))
            return None
        return Fields(value, self.target(name))

    def required_child(self, name: str) -> Fields:
        child = self.child(name, required=True)
        assert child is not None  # child() raised otherwise
        return child

    def string_map(self, name: str, max_items: int) -> dict[str, str]:
        value = self.raw(name)
        if value is _MISSING or value is None:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise InvalidRequest(
                f"{self.target(name)} must map strings to strings.", target=self.target(name)
            )
        if len(value) > max_items:
            raise InvalidRequest(
                f"{self.target(name)} may hold at most {max_items} entries.",
                target=self.target(name),
            )
        return dict(value)

    def array(self, name: str, low: int, high: int) -> list[object]:
        value = self.raw(name)
        if not isinstance(value, list) or not low <= len(value) <= high:
            raise InvalidRequest(
                f"{self.target(name)} must be an array of {low} to {high} items.",
                target=self.target(name),
            )
        return value


_DURATION = re.compile(
    r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.IGNORECASE
)


def iso_duration_hours(value: str, target: str) -> float:
    """``P31D``, ``PT12H``, ``P1DT6H`` → hours (the legacy ``timeToLive``)."""
    match = _DURATION.match(value.strip())
    if match is None or value.strip().upper() in ("P", "PT"):
        raise InvalidRequest(
            f"{target} must be an ISO 8601 duration such as P31D or PT12H.", target=target
        )
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return days * 24 + hours + minutes / 60 + seconds / 3600
