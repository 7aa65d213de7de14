"""English text as it is read aloud, before a neural voice turns it into phonemes.

espeak-ng (which phonemizes for the neural voices) already reads plain numbers, ordinals
("21st"), decimals and acronyms ("FBI") well. What it reads wrongly is rewritten here, with the
readings ``<say-as>`` uses (``_sayas``): currency ("$1.2 million" → "1.2 million dollars"),
dates ("10/19/2016"), times ("3:30 pm"), years ("1990s"), percentages, abbreviations ("Dr.",
"St.", "e.g."), web addresses and e-mail addresses. Each rule is one pattern and one function,
applied in order, so the table reads as the list of cases the tests check.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from avatarsynth.script._sayas import NotReadable, currency, date, spoken_time

# Abbreviations read the same wherever they stand.
_ABBREVIATIONS = {
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "et cetera",
    "vs.": "versus",
    "approx.": "approximately",
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Prof.": "Professor",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "Inc.": "Incorporated",
    "Ltd.": "Limited",
    "Ave.": "Avenue",
    "Mt.": "Mount",
    "Jan.": "January",
    "Feb.": "February",
    "Aug.": "August",
    "Sept.": "September",
    "Oct.": "October",
    "Nov.": "November",
    "Dec.": "December",
}
# Before a name they are titles; elsewhere, parts of an address.
_TITLES = {"Dr.": ("Doctor", "Drive"), "St.": ("Saint", "Street")}
# Never the end of a sentence, whatever follows.
NOT_SENTENCE_ENDS = frozenset(a for a in (*_ABBREVIATIONS, *_TITLES) if a != "etc.")
_SCALES = "thousand|million|billion|trillion"
_DOT_WORDS = {".": " dot ", "/": " slash ", "-": " dash ", "_": " underscore ", "@": " at "}


def _currency(match: re.Match[str]) -> str:
    symbol, amount, scale = match.group("symbol"), match.group("amount"), match.group("scale")
    if scale:
        unit = currency(f"{symbol}2", english=True).split()[-1]
        return f"{amount} {scale} {unit}"
    try:
        return currency(f"{symbol}{amount}", english=True)
    except NotReadable:
        return match.group(0)


def _spelled_address(text: str) -> str:
    """``example.com/docs`` → ``example dot com slash docs``."""
    return re.sub(r"[./@_-]", lambda m: _DOT_WORDS[m.group(0)], text).strip()


def _url(match: re.Match[str]) -> str:
    address = re.sub(r"^(https?://)?(www\.)?", "", match.group(0), flags=re.IGNORECASE)
    return _spelled_address(address.rstrip("/"))


def _date(match: re.Match[str]) -> str:
    form = "ymd" if match.group(0)[4:5] == "-" else "mdy"
    try:
        return date(match.group(0), form, english=True)
    except NotReadable:
        return match.group(0)


def _time(match: re.Match[str]) -> str:
    try:
        return spoken_time(match.group(0), english=True)
    except NotReadable:
        return match.group(0)


def _year(match: re.Match[str]) -> str:
    """``1990`` → ``19 90`` and ``1990s`` → ``19 90s``: read as a year, not a quantity."""
    year, plural = match.group("year"), match.group("plural") or ""
    if year[2:] == "00":
        return f"{year[:2]} hundred{plural}"
    return f"{year[:2]} {year[2:]}{plural}"


def _title(match: re.Match[str]) -> str:
    title, address = _TITLES[match.group("abbr")]
    return title if match.group("next") is not None else address


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), lambda m: _spelled_address(m.group(0))),
    (
        re.compile(r"\b(?:https?://|www\.)[^\s,;]*[^\s,;.!?)]", re.IGNORECASE),
        _url,
    ),
    (
        re.compile(
            rf"(?P<symbol>[$€£¥])\s?(?P<amount>\d[\d,]*(?:\.\d+)?)(?:\s(?P<scale>{_SCALES}))?\b"
        ),
        _currency,
    ),
    (re.compile(r"(\d+(?:\.\d+)?)\s?%"), lambda m: f"{m.group(1)} percent"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b"), _date),
    (
        re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\b)?|\b\d{1,2}\s?[AaPp]\.[Mm]\."),
        _time,
    ),
    (re.compile(r"\b(?P<year>1[1-9]\d\d|20[1-9]\d)(?P<plural>s)?\b(?![,.]\d)"), _year),
    (re.compile(r"\b(?P<abbr>Dr\.|St\.)(?P<next>(?=\s+[A-Z]))?"), _title),
    (
        re.compile(
            r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")(?=\s|$|[,;:])"
        ),
        lambda m: _ABBREVIATIONS[m.group(0)],
    ),
)


def normalise_english(text: str) -> str:
    """``"Dr. Lee paid $1.2 million"`` → ``"Doctor Lee paid 1.2 million dollars"``."""
    for pattern, read in _RULES:
        text = pattern.sub(read, text)
    return re.sub(r" {2,}", " ", text).strip()


_SENTENCE_END = re.compile("(?<=[.!?\u2026\u3002\uff01\uff1f])\\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; a title or abbreviation ("Dr.", "e.g.") does not end one."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        last = sentences[-1].rsplit(" ", 1)[-1] if sentences else ""
        if last in NOT_SENTENCE_ENDS:
            sentences[-1] = f"{sentences[-1]} {piece}"
        elif piece:
            sentences.append(piece)
    return sentences
