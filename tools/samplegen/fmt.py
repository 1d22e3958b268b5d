"""Printed forms of names, dates and credit amounts, as different providers print them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from .model import Physician

NAME_FORMS = (
    "first_mi_last_deg",  # Jane Q. Doe, MD
    "last_comma_first_upper",  # DOE, JANE
    "dr_first_mi_last",  # Dr. Jane Q. Doe
    "first_last_md_dots_hon",  # Jane Doe, M.D., FACP
    "full_middle_deg_hon",  # Jane Quinn Doe MD PhD
    "first_last",  # Jane Doe
    "last_comma_first_mi",  # Doe, Jane Q.
    "upper_full",  # JANE Q. DOE, MD
)


def _initial(middle: str) -> str:
    return f"{middle[0]}." if middle else ""


def printed_name(p: Physician, form: str) -> str:
    """The physician's name in one of :data:`NAME_FORMS`."""
    mi = _initial(p.middle_name)
    deg = p.degree
    deg_dots = "M.D." if deg == "MD" else "D.O."
    hon = list(p.honorifics)
    parts: list[str]
    if form == "first_mi_last_deg":
        parts = [p.first_name, mi, p.last_name]
        return " ".join(x for x in parts if x) + f", {deg}"
    if form == "last_comma_first_upper":
        return f"{p.last_name}, {p.first_name}".upper()
    if form == "dr_first_mi_last":
        return " ".join(x for x in ["Dr.", p.first_name, mi, p.last_name] if x)
    if form == "first_last_md_dots_hon":
        return ", ".join([f"{p.first_name} {p.last_name}", deg_dots, *hon[:1]])
    if form == "full_middle_deg_hon":
        middle = p.middle_name if len(p.middle_name) > 1 else mi
        return " ".join(x for x in [p.first_name, middle, p.last_name, deg, *hon] if x)
    if form == "first_last":
        return f"{p.first_name} {p.last_name}"
    if form == "last_comma_first_mi":
        return " ".join(x for x in [f"{p.last_name}, {p.first_name}", mi] if x)
    if form == "upper_full":
        return (" ".join(x for x in [p.first_name, mi, p.last_name] if x) + f", {deg}").upper()
    raise ValueError(form)


MONTHS = (
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
)

DATE_FORMS = ("long", "us_slash", "d_mon_y", "iso", "ordinal", "mon_dot", "dd_mon_yyyy")


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suf = "th"
    else:
        suf = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def fmt_date(d: dt.date, form: str) -> str:
    """A date in one of :data:`DATE_FORMS` ("March 3, 2026", "03/03/2026", ...)."""
    m = MONTHS[d.month - 1]
    if form == "long":
        return f"{m} {d.day}, {d.year}"
    if form == "us_slash":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if form == "d_mon_y":
        return f"{d.day} {m[:3]} {d.year}"
    if form == "iso":
        return d.isoformat()
    if form == "ordinal":
        return f"{_ordinal(d.day)} {m} {d.year}"
    if form == "mon_dot":
        short = m[:3] + ("." if m not in ("May", "June", "July") else "")
        if m in ("June", "July"):
            short = m
        return f"{short} {d.day}, {d.year}"
    if form == "dd_mon_yyyy":
        return f"{d.day:02d}-{m[:3]}-{d.year}"
    raise ValueError(form)


def fmt_range(start: dt.date, end: dt.date, rng: random.Random) -> str:
    """A multi-day range as printed: "October 12-15, 2025", "Oct 30 – Nov 1, 2025", ..."""
    ms, me = MONTHS[start.month - 1], MONTHS[end.month - 1]
    choice = rng.randrange(4)
    if start.month == end.month and start.year == end.year:
        if choice == 0:
            return f"{ms} {start.day}-{end.day}, {end.year}"
        if choice == 1:
            return f"{ms} {start.day} \u2013 {end.day}, {end.year}"
        if choice == 2:
            return f"{start.day}-{end.day} {ms} {end.year}"
        return f"{fmt_date(start, 'us_slash')} - {fmt_date(end, 'us_slash')}"
    if choice in (0, 1):
        return f"{ms} {start.day} \u2013 {me} {end.day}, {end.year}"
    if choice == 2:
        return f"{ms[:3]} {start.day} - {me[:3]} {end.day}, {end.year}"
    return f"{fmt_date(start, 'us_slash')} - {fmt_date(end, 'us_slash')}"


_WORDS = {
    Decimal("0.25"): "one-quarter",
    Decimal("0.5"): "one-half",
    Decimal("0.75"): "three-quarters",
    Decimal("1"): "one",
    Decimal("1.5"): "one and one-half",
    Decimal("2"): "two",
    Decimal("2.5"): "two and one-half",
    Decimal("3"): "three",
    Decimal("4"): "four",
    Decimal("5"): "five",
    Decimal("6"): "six",
    Decimal("8"): "eight",
    Decimal("10"): "ten",
}

CREDIT_FORMS = ("two_dp", "one_dp", "plain", "words")


def fmt_credits(c: Decimal, form: str) -> str:
    """A credit amount: "1.50", "12.0", "1.5", or "one and one-half (1.5)"."""
    if form == "two_dp":
        return f"{c:.2f}"
    if form == "one_dp":
        # 0.25 must not become 0.2: fall back to two decimals when one would lose digits.
        return f"{c:.1f}" if c == c.quantize(Decimal("0.1")) else f"{c:.2f}"
    if form == "words" and c.normalize() in _WORDS:
        return f"{_WORDS[c.normalize()]} ({plain(c)})"
    return plain(c)


def plain(c: Decimal) -> str:
    """The truth form of credits: a plain decimal without trailing zeros ("1.5", "12", "0.25")."""
    n = c.normalize()
    s = format(n, "f")
    return s


def pick(rng: random.Random, seq: tuple[str, ...] | list[str]) -> str:
    """A random element (typed helper)."""
    return seq[rng.randrange(len(seq))]
