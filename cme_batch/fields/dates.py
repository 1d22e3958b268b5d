"""Find calendar dates in certificate text, in every form certificates print them.

Handles month names ("March 3, 2026", "3 Mar 2026", "3rd March 2026"), numeric US and ISO forms
("03/03/2026", "2026-03-03"), and ranges ("October 12-15, 2025", "Oct 30 - Nov 2, 2025",
"03/01/2026 - 03/03/2026"), where the last day is the one that counts. Digits misread by OCR as
letters (O for 0, l or I for 1) are repaired inside numeric forms only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

_MON = (
    r"(?P<{n}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<{n}>[0-3]?[0-9OIl])(?:st|nd|rd|th)?"
_YEAR = r"(?P<{n}>(?:19|2[0O])[0-9OIl]{{2}})"
_DASH = r"\s*(?:--?|–|—|to|through|thru)\s*"
_D = r"[0-9OIl]"


def _f(pattern: str, **names: str) -> str:
    return pattern.format(**names)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # Oct 30 - Nov 2, 2025
    (
        "mdmdy",
        re.compile(
            _f(_MON, n="m1")
            + r"\s+"
            + _f(_DAY, n="d1")
            + r",?(?:\s+"
            + _f(_YEAR, n="y1")
            + r")?"
            + _DASH
            + _f(_MON, n="m2")
            + r"\s+"
            + _f(_DAY, n="d2")
            + r"[,.]?\s+"
            + _f(_YEAR, n="y2"),
            re.I,
        ),
    ),
    # October 12-15, 2025
    (
        "mddy",
        re.compile(
            _f(_MON, n="m1")
            + r"\s+"
            + _f(_DAY, n="d1")
            + _DASH
            + _f(_DAY, n="d2")
            + r"[,.]?\s+"
            + _f(_YEAR, n="y2"),
            re.I,
        ),
    ),
    # 12-15 October 2025 ; 30 Oct - 2 Nov 2025
    (
        "ddmy",
        re.compile(
            r"\b"
            + _f(_DAY, n="d1")
            + r"(?:\s+"
            + _f(_MON, n="m1")
            + r")?"
            + _DASH
            + _f(_DAY, n="d2")
            + r"\s+(?:of\s+)?"
            + _f(_MON, n="m2")
            + r"[,.]?\s+"
            + _f(_YEAR, n="y2"),
            re.I,
        ),
    ),
    # March 3, 2026 ; March 3rd 2026
    (
        "mdy",
        re.compile(
            _f(_MON, n="m2") + r"\s+" + _f(_DAY, n="d2") + r"[,.]?\s+" + _f(_YEAR, n="y2"), re.I
        ),
    ),
    # 01-Feb-2023 - 15-Dec-2026
    (
        "dmdmy",
        re.compile(
            r"\b"
            + _f(_DAY, n="d1")
            + r"[-\s./]"
            + _f(_MON, n="m1")
            + r"[-\s./,]+"
            + _f(_YEAR, n="y1")
            + _DASH
            + _f(_DAY, n="d2")
            + r"[-\s./]"
            + _f(_MON, n="m2")
            + r"[-\s./,]+"
            + _f(_YEAR, n="y2"),
            re.I,
        ),
    ),
    # 3 March 2026 ; 3rd of March, 2026 ; 17-Jun-2026 ; 17.Jun.26
    (
        "dmy",
        re.compile(
            r"\b"
            + _f(_DAY, n="d2")
            + r"(?:[\s~_“”‘’'\"]+(?:of\s+)?|[-./])"
            + _f(_MON, n="m2")
            + r"(?:,?\s+|[-./])(?P<y2>(?:19|2[0O])[0-9OIl]{2}|[0-9]{2}\b)",
            re.I,
        ),
    ),
    # 2026-03-03 ; 2026/03/03
    (
        "iso",
        re.compile(
            r"\b(?P<y2>(?:19|2[0O])"
            + _D
            # OCR may put a space after a separator ("2024- 09-02").
            + r"{2})[-/.] ?(?P<m2>[01O]?"
            + _D
            + r") ?[-/.] ?(?P<d2>[0-3O]?"
            + _D
            + r")\b"
        ),
    ),
    # 03/01/2026 - 03/03/2026
    (
        "us_range",
        re.compile(
            r"\b(?P<m1>[01]?"
            + _D
            + r")[/.-](?P<d1>[0-3]?"
            + _D
            + r")[/.-](?P<y1>(?:19|20)?"
            + _D
            + r"{2})"
            + _DASH
            + r"(?P<m2>[01]?"
            + _D
            + r")[/.-](?P<d2>[0-3]?"
            + _D
            + r")[/.-](?P<y2>(?:19|20)?"
            + _D
            + r"{2})\b"
        ),
    ),
    # 03/03/2026 ; 3-3-26
    (
        "us",
        re.compile(
            r"\b(?P<m2>[01]?"
            + _D
            + r")[/.-](?P<d2>[0-3]?"
            + _D
            + r")[/.-](?P<y2>(?:19|20)"
            + _D
            + r"{2}|"
            + _D
            + r"{2})\b"
        ),
    ),
    # 15-Jul-2026 with one letter of the month misread ("15-dul-2026"): the strict layout of
    # digits and dashes makes it a date; _month accepts the token only if one month fits.
    (
        "dmy_misread",
        re.compile(r"\b(?P<d2>[0-3]?\d)-(?P<m2>[A-Za-z]{3})-(?P<y2>(?:19|20)\d{2})\b"),
    ),
]

_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


@dataclass(frozen=True)
class DateHit:
    """A date found in text.

    Attributes:
        value: The date; for a range, its last day.
        start: Start offset of the matched text.
        end: End offset of the matched text.
        raw: The matched text.
        is_range: Whether the text was a range of days.
    """

    value: dt.date
    start: int
    end: int
    raw: str
    is_range: bool = False


def _num(text: str) -> int:
    return int(text.translate(_DIGIT_FIX))


def _month(text: str) -> int:
    if text.isalpha():
        key = text.lower().rstrip(".")[:3] if text.lower() not in MONTHS else text.lower()
        if key in MONTHS:
            return MONTHS[key]
        # A month abbreviation with one letter misread ("dul" for "Jul"), when only one fits.
        near = {
            number
            for name, number in MONTHS.items()
            if len(name) == 3 and sum(a != b for a, b in zip(name, key, strict=True)) == 1
        }
        if len(key) == 3 and len(near) == 1:
            return near.pop()
        raise KeyError(text)
    return _num(text)


def _year(text: str) -> int:
    year = _num(text)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not 1970 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateHit]:
    """Find every date in ``text``, longest forms first, without overlapping matches.

    Args:
        text: Any text (a page, a line).

    Returns:
        The dates in reading order.
    """
    taken: list[tuple[int, int]] = []
    hits: list[DateHit] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            groups = m.groupdict()
            try:
                value = _make(
                    _year(groups["y2"] or ""),
                    _month(groups.get("m2") or groups.get("m1") or ""),
                    _num(groups["d2"] or ""),
                )
            except (KeyError, ValueError):
                value = None
            if value is None:
                continue
            is_range = name in ("mdmdy", "mddy", "ddmy", "us_range", "dmdmy")
            if is_range and not _range_ok(groups, value):
                continue
            taken.append((m.start(), m.end()))
            hits.append(DateHit(value, m.start(), m.end(), m.group(0), is_range))
    hits.sort(key=lambda h: h.start)
    return hits


def _range_ok(groups: dict[str, str | None], last: dt.date) -> bool:
    """Check that a range's first day is a real date not after its last day."""
    month = groups.get("m1") or groups.get("m2")
    year = groups.get("y1") or groups["y2"]
    if month is None or year is None or groups.get("d1") is None:
        return False
    first = _make(_year(year), _month(month), _num(groups["d1"] or ""))
    return first is not None and first <= last and (last - first).days <= 62


def parse_date(text: str) -> dt.date | None:
    """Parse a field that should hold exactly one date (or range); ``None`` when it doesn't."""
    hits = find_dates(text.strip())
    if len(hits) != 1:
        return None
    return hits[0].value
