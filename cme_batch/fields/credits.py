"""Find credit amounts and the credit system they are in.

A certificate may print several amounts: what the provider designated ("a maximum of 20 AMA PRA
Category 1 Credits"), what the physician claimed or was awarded, MOC points, nursing contact
hours. Each amount is classified by the words around it so the caller can prefer the claimed
amount over the designation and physician credit over other kinds.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

_NUM = r"(?P<num>(?<![\d.,/-])(?:\d{1,3}(?:[.,]\d{1,2})?|[.,]\d{1,2})(?![\d/-]|[.,]\d))"
_UNIT = re.compile(
    # On the same line any unit; across a line break only a credit system's name.
    r"\s*\n\s*(?:AMA|AOA|AAFP|ANCC|ACPE)\b|"
    r"[ \t]*\)?[ \t]*(?:-[ \t]*)?"
    r"(?:(?:AMA|AOA|AAFP|ANCC|ACPE)\b|Category\b|Cat\.|credits?\b|credit\(s\)|"
    r"CMEs?\b|hours?\b|hrs?\b|contact\b|Prescribed\b|Elective\b|(?:ABMS\s+)?MOC\b|points?\b|"
    r"CEUs?\b|units?\b|"
    # "AMA" garbled by OCR before an intact "PRA" ("1.25 Siege PRA Category 1").
    r"[A-Za-z]{1,6}[ \t]+PRA\b)",
    re.I,
)
_AMOUNT = re.compile(_NUM)
_LABEL_BEFORE = re.compile(
    r"(?:(?:credits?|credit\s+hours?|CME\s+hours?|hours?|credit\(s\)|amount|CME)\s*"
    r"(?:awarded|earned|claimed|granted|received|total)?\s*(?:\([^)]{0,20}\))?\s*[:=#-]\s*"
    # A cell naming the credit, then the amount in the next cell ("AMA PRA ... Credits™   2.00").
    r"|(?:credits?|credit\(s\)|hours?|points?)\s*(?:™|\(TM\)|TM)?\s*(?:earned|awarded|claimed)?\s{3,}"
    # ... with perhaps one short scrap of OCR noise in the gap ("Credits earned   Pes,   2.00").
    r"(?:[^\d\s]{1,4}\s{3,})?)$",
    re.I,
)
# The "1" of "Category 1 Credits" is a category, not an amount.
_CATEGORY_NUMBER = re.compile(r"(?:Category|Cat\.?|Level|Part|Tier|Module|Session)\s*$", re.I)
_MAX_CUE = re.compile(r"maximum|up\s+to|max\.|designat", re.I)
_CLAIM_CUE = re.compile(
    r"claim|award|earn|receiv|grant|completed?\s+for|is\s+entitled|attest|has\s+been\s+given", re.I
)
# A totals row ("Total credits: 14.5"), not a claim such as "awarded a total of two (2)".
_TOTAL_CUE = re.compile(r"\s*(?:grand\s+|sub)?totals?\b", re.I)
_POINTS = re.compile(r"\s*\)?\s*(?:(?:ABMS\s+)?MOC\b.*?points?|points?\b)", re.I)
_HOURS = re.compile(r"\s*\)?\s*(?:contact\s+)?(?:hours?|hrs?)\b", re.I)

_WORDS: dict[str, Decimal] = {
    "one": Decimal(1), "two": Decimal(2), "three": Decimal(3), "four": Decimal(4),
    "five": Decimal(5), "six": Decimal(6), "seven": Decimal(7), "eight": Decimal(8),
    "nine": Decimal(9), "ten": Decimal(10), "eleven": Decimal(11), "twelve": Decimal(12),
    "fifteen": Decimal(15), "twenty": Decimal(20),
}  # fmt: skip
_FRACTIONS: dict[str, Decimal] = {
    "one-half": Decimal("0.5"), "one half": Decimal("0.5"), "a half": Decimal("0.5"),
    "half": Decimal("0.5"), "one-quarter": Decimal("0.25"), "one quarter": Decimal("0.25"),
    "a quarter": Decimal("0.25"), "three-quarters": Decimal("0.75"),
    "three quarters": Decimal("0.75"),
}  # fmt: skip
_WORD_AMOUNT = re.compile(
    r"\b(?P<whole>"
    + "|".join(_WORDS)
    + r")(?:\s+and\s+(?P<frac>"
    + "|".join(_FRACTIONS)
    + r"))?(?=\s+(?:\(|AMA|AOA|AAFP|credits?|hours?|Category))",
    re.I,
)


@dataclass(frozen=True)
class CreditSystem:
    """A credit system from ``credit_systems.toml``."""

    id: str
    pattern: re.Pattern[str]
    credit_type: str
    category: str
    physician: bool


@dataclass(frozen=True)
class CreditHit:
    """An amount of credit found in text.

    Attributes:
        value: The amount.
        kind: ``claimed`` (awarded, earned), ``max`` (the designation), ``total`` (a totals
            row) or ``plain``.
        unit: ``credit``, ``hour`` or ``point`` (MOC points are not credits).
        system: The credit system printed with the amount, when there is one.
        start: Offset of the amount in the text.
    """

    value: Decimal
    kind: str
    unit: str
    system: CreditSystem | None
    start: int


@lru_cache(maxsize=1)
def credit_systems() -> tuple[CreditSystem, ...]:
    """Load the credit systems data file (validated: every entry needs every key)."""
    raw = resources.files("cme_batch.fields").joinpath("credit_systems.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    systems = []
    for entry in data["system"]:
        systems.append(
            CreditSystem(
                id=str(entry["id"]),
                pattern=re.compile(entry["pattern"], re.I),
                credit_type=str(entry["credit_type"]),
                category=str(entry["category"]),
                physician=bool(entry["physician"]),
            )
        )
    return tuple(systems)


def system_at(text: str, start: int, window: int = 90) -> CreditSystem | None:
    """Return the credit system printed just after (or, failing that, just before) ``start``."""
    after = text[start : start + window]
    best: tuple[int, CreditSystem] | None = None
    for system in credit_systems():
        m = system.pattern.search(after)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), system)
    if best is not None:
        return best[1]
    before = text[max(0, start - window) : start]
    for system in credit_systems():
        if system.pattern.search(before):
            return system
    return None


def systems_in(text: str) -> list[CreditSystem]:
    """Every credit system named anywhere in ``text``, in data-file order."""
    return [s for s in credit_systems() if s.pattern.search(text)]


def to_decimal(raw: str) -> Decimal | None:
    """Parse "1.50", "1,5", ".25" into a Decimal; ``None`` when it is not a number.

    An amount is never printed with a leading zero before more digits, so "05" and "084" are
    OCR's readings of "0.5" and "0.84" with the small decimal point lost.
    """
    cleaned = raw.replace(",", ".")
    if cleaned.startswith("."):
        cleaned = "0" + cleaned
    elif len(cleaned) > 1 and cleaned[0] == "0" and cleaned.isdigit():
        cleaned = "0." + cleaned[1:]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value.normalize() if value == value.to_integral_value() else value


def normalize_credit(value: Decimal) -> Decimal:
    """Strip trailing zeros (1.50 -> 1.5, 12.0 -> 12) so equal amounts compare and print alike."""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return normalized.quantize(Decimal(1))
    return normalized


def find_credits(text: str) -> list[CreditHit]:
    """Find every credit amount in ``text``.

    An amount is a number followed by a credit unit or system ("1.5 AMA PRA Category 1
    Credits", "3 hours", "(1.5) AMA PRA") or preceded by a credit label ("Credits: 1.5").
    """
    hits: list[CreditHit] = []
    seen: set[int] = set()
    for m in _AMOUNT.finditer(text):
        start, end = m.span("num")
        after = text[end : end + 40]
        before = text[max(0, start - 40) : start]
        unit_follow = _UNIT.match(after)
        label_before = _LABEL_BEFORE.search(before)
        if not unit_follow and not label_before:
            continue
        if _CATEGORY_NUMBER.search(before):
            continue
        value = to_decimal(m.group("num"))
        if value is None or value <= 0 or value > 200:
            continue
        seen.add(start)
        hits.append(_classify(text, start, end, normalize_credit(value)))
    for start, value, kind in _captioned_amounts(text):
        if start not in seen:
            seen.add(start)
            hit = _classify(text, start, start + 1, value)
            hits.append(CreditHit(value, kind, hit.unit, hit.system, start))
    for m in _WORD_AMOUNT.finditer(text):
        # "one and one-half (1.5)": the numeral in brackets is already taken above.
        if re.match(r"\s*\(\s*\d", text[m.end() : m.end() + 6]):
            continue
        value = _WORDS[m.group("whole").lower()]
        if m.group("frac"):
            value += _FRACTIONS[m.group("frac").lower()]
        hits.append(_classify(text, m.start(), m.end(), normalize_credit(value)))
    hits.sort(key=lambda h: h.start)
    return hits


def _classify(text: str, start: int, end: int, value: Decimal) -> CreditHit:
    line_start = text.rfind("\n", 0, start) + 1
    # The sentence before the amount: back to the previous full stop or two lines up.
    context_start = max(
        text.rfind(". ", 0, start) + 1, text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    )
    before = text[max(context_start, start - 120) : start]
    after = text[end : end + 60]
    if (
        _POINTS.match(after) and not re.match(r"\s*\)?\s*(?:AMA|AOA|AAFP|credits?)", after, re.I)
    ) or (re.search(r"points?\s*$", text[line_start:start], re.I)):
        unit = "point"
    elif _HOURS.match(after) or re.search(r"hours?\s*[:=-]?\s*$", before, re.I):
        unit = "hour"
    else:
        unit = "credit"
    # The cue nearest the amount decides: "designated this activity for 2.5 ..., and our
    # records show you claimed 2.50 credits" claims 2.50.
    max_at = max((m.end() for m in _MAX_CUE.finditer(before)), default=-1)
    claim_at = max((m.end() for m in _CLAIM_CUE.finditer(before)), default=-1)
    if _TOTAL_CUE.match(text[line_start:start]):
        kind = "total"
    elif max_at > claim_at:
        kind = "max"
    elif claim_at >= 0:
        kind = "claimed"
    else:
        kind = "plain"
    return CreditHit(value, kind, unit, system_at(text, end), start)


_CREDIT_CAPTION = re.compile(
    r"^(?:(?:total\s+)?(?:cme\s+)?(?:credits?|credit\(s\)|credit\s+hours?|hours?)(?:\s+(?:claimed|earned|awarded))?"
    r"|(?:AMA|AOA|AAFP)\b.*credits?.*)(?:™|\(TM\)|TM)?\W*$",
    re.I,
)
_LONE_NUMBER = re.compile(r"^\(?(\d{1,3}(?:[.,]\d{1,2})?|[.,]\d{1,2})\)?$")


_ITEM_WORD = re.compile(
    r"\W*(?:activity|session|course|module|program|item|part|lecture|event|page|no\.?|#)\W*", re.I
)


def _captioned_amounts(text: str) -> list[tuple[int, Decimal, str]]:
    """Amounts alone in a table cell whose caption says "credits".

    Certificate designers put the caption under the number ("2.78" over "credits"), above it
    (a "Credits" heading over a boxed "1.5"), or in a column header. A lone number is taken as
    an amount when a credit caption sits in the same column on the line below, or a credit
    heading is at most two lines above.
    """
    found: list[tuple[int, Decimal, str]] = []
    lines = text.split("\n")
    offset = 0
    for index, line in enumerate(lines):
        cells = [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?:\s{1,2}\S+)*", line)]
        for col, (pos, raw_cell) in enumerate(cells):
            cell = raw_cell.rstrip(".,;:|'\"")
            m = _LONE_NUMBER.match(cell)
            if not m:
                continue
            value = to_decimal(m.group(1))
            if value is None or not 0 < value <= 100:
                continue
            if col > 0 and _MAX_CUE.search(cells[col - 1][1]):
                continue  # "Max. designated   32.50": the designation, not what was earned
            if col > 0 and _ITEM_WORD.fullmatch(cells[col - 1][1]):
                continue  # "Activity   3": an item's number
            below = _cells(lines[index + 1]) if index + 1 < len(lines) else []
            # Same column below; a number ending its line is captioned by the line's last cell.
            last = col == len(cells) - 1
            caption = (below[-1] if last else below[min(col, len(below) - 1)]) if below else ""
            above = [c for back in (1, 2) if index - back >= 0 for c in _cells(lines[index - back])]
            kind = ""
            if caption and _CREDIT_CAPTION.match(caption):
                kind = "claimed" if re.search(r"claim|earn|award", caption, re.I) else "plain"
            elif any(_CREDIT_CAPTION.match(c) and not re.search(r"\d", c) for c in above):
                kind = "plain"
            if kind:
                found.append(
                    (
                        offset + pos + (m.start(1) if cell.startswith("(") else 0),
                        normalize_credit(value),
                        kind,
                    )
                )
        offset += len(line) + 1
    return found


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"\s{3,}", line) if c.strip()]
