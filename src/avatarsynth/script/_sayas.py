"""``<say-as>``: text written one way, read another.

Engines already read plain numbers in their own language, so expansion is only needed where
reading differs from writing: digit by digit, letter by letter, dates, times, phone numbers,
ordinals and currency. Dates, ordinals and currency are spelled out in English for English
voices; other languages get a form their engine reads correctly (digits with separators).
A value that does not fit its declared format is spoken as written, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
_CURRENCIES = {
    "$": "dollars",
    "USD": "dollars",
    "€": "euros",
    "EUR": "euros",
    "£": "pounds",
    "GBP": "pounds",
    "¥": "yen",
    "JPY": "yen",
}
_SUBUNITS = {"dollars": "cents", "euros": "cents", "pounds": "pence"}


class NotReadable(ValueError):
    """The text does not fit the ``interpret-as`` and ``format`` it was given."""


def _ordinal(number: int) -> str:
    """``3`` → ``3rd``; English engines read that as "third"."""
    suffix = "th" if 10 <= number % 100 <= 20 else _ORDINAL_SUFFIX.get(number % 10, "th")
    return f"{number}{suffix}"


def _digits(text: str, english: bool) -> str:
    digits = [c for c in text if c.isdigit()]
    if not digits:
        raise NotReadable(text)
    return " ".join(digits)


def _characters(text: str, english: bool) -> str:
    return " ".join(c for c in text if not c.isspace())


def _ordinal_text(text: str, english: bool) -> str:
    number = re.sub(r"(st|nd|rd|th|\.)$", "", text.strip().lower())
    if not number.isdigit():
        raise NotReadable(text)
    return _ordinal(int(number)) if english else f"{int(number)}."


def _telephone(text: str, english: bool) -> str:
    groups = re.findall(r"\+?\d+", text)
    if not groups:
        raise NotReadable(text)
    return ", ".join(" ".join(g.replace("+", "plus " if english else "+ ")) for g in groups)


def _date_parts(text: str, form: str) -> dict[str, int]:
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    order = [{"d": "day", "m": "month", "y": "year"}[c] for c in form if c in "dmy"]
    if len(numbers) != len(order) or not order:
        raise NotReadable(text)
    parts = dict(zip(order, numbers, strict=True))
    if not 1 <= parts.get("month", 1) <= 12 or not 1 <= parts.get("day", 1) <= 31:
        raise NotReadable(text)
    return parts


def date(text: str, form: str, english: bool) -> str:
    """``10/19/2016`` with format ``mdy`` → ``October 19th, 2016``."""
    parts = _date_parts(text, form or "ymd")
    if not english:
        return " ".join(str(parts[k]) for k in ("day", "month", "year") if k in parts)
    month = _MONTHS[parts["month"] - 1] if "month" in parts else ""
    day = _ordinal(parts["day"]) if "day" in parts else ""
    year = str(parts["year"]) if "year" in parts else ""
    head = " ".join(p for p in (month, day) if p)
    return ", ".join(p for p in (head, year) if p)


def spoken_time(text: str, english: bool) -> str:
    """``3:30 pm`` → ``3 30 P M``; ``14:00`` → ``14 hundred``."""
    match = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?\s*", text)
    if match is None:
        raise NotReadable(text)
    hours, minutes, seconds, meridiem = match.groups()
    spoken = [str(int(hours))]
    if minutes and int(minutes):
        spoken.append(
            minutes if int(minutes) >= 10 else f"oh {int(minutes)}" if english else minutes
        )
    elif english and not meridiem:
        spoken.append("hundred" if int(hours) > 12 else "o'clock")
    if seconds and int(seconds):
        spoken.append(f"and {int(seconds)} seconds" if english else seconds)
    if meridiem:
        spoken.append(" ".join(meridiem.replace(".", "").upper()))
    return " ".join(spoken)


def currency(text: str, english: bool) -> str:
    """``$3.50`` → ``3 dollars and 50 cents``; ``$1`` → ``1 dollar``."""
    match = re.fullmatch(
        r"\s*([$€£¥]|[A-Z]{3})?\s*(\d[\d,]*)(?:\.(\d{1,2}))?\s*([A-Z]{3})?\s*", text
    )
    if match is None:
        raise NotReadable(text)
    symbol, whole, cents, code = match.groups()
    unit = _CURRENCIES.get(symbol or code or "", code or symbol or "")
    amount = whole.replace(",", "")
    if not english:
        return f"{amount},{cents} {unit}" if cents else f"{amount} {unit}"
    sub = _SUBUNITS.get(unit)
    if amount == "1" and unit in _SUBUNITS:
        unit = unit[:-1]
    if cents and int(cents) and sub:
        return f"{amount} {unit} and {int(cents.ljust(2, '0'))} {sub}"
    return f"{amount} {unit}".strip()


_SIMPLE: dict[str, Callable[[str, bool], str]] = {
    "digits": _digits,
    "number_digit": _digits,
    "characters": _characters,
    "spell-out": _characters,
    "ordinal": _ordinal_text,
    "telephone": _telephone,
    "time": spoken_time,
    "currency": currency,
}
# Read well as written by every engine.
_AS_WRITTEN = frozenset({"cardinal", "number", "address", "name", "fraction", "duration"})


def expand(text: str, interpret_as: str, form: str, english: bool) -> str:
    """How ``text`` is read; raises ``NotReadable`` or ``KeyError`` (unknown interpret-as)."""
    kind = interpret_as.lower()
    if kind in _AS_WRITTEN:
        return text
    if kind == "date":
        return date(text, form.lower(), english)
    return _SIMPLE[kind](text, english)
