"""Find credit amounts and the credit system they are in.

A certificate may print several amounts: what the provider designated ("a maximum of 20 AMA PRA
Category 1 Credits"), what the physician claimed or was awarded, MOC points, nursing contact
hours. Each amount is classified by the words around it so the caller can prefer the claimed
amount over the designation and physician credit over other kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cme_batch.fields import lexicon
from cme_batch.fields.geometry import Layout, Spot

_NUM = r"(?P<num>(?<![\d.,/-])(?:\d{1,3}(?:[.,]\d{1,2})?|[.,]\d{1,2})(?![\d/-]|[.,]\d))"
# The shapes below are filled with the lexicon's words (``lexicon.toml``, ``[credits]``) and the
# credit systems' amount names (``credit_systems.toml``: AMA, AOA, AAFP, ANCC, ACPE, ...).
_UNIT = lexicon.pattern(
    "credits._UNIT",
    # On the same line any unit; across a line break only a credit system's name.
    lambda w: (
        r"\s*\n\s*(?:" + w.amount_names() + r")\b|"
        r"[ \t]*\)?[ \t]*(?:-[ \t]*)?"
        r"(?:(?:" + w.amount_names() + r")\b|" + w("credits.unit") + r")"
    ),
    re.I,
)
_AMOUNT = re.compile(_NUM)
_LABEL_BEFORE = lexicon.pattern(
    "credits._LABEL_BEFORE",
    lambda w: (
        r"(?:(?:" + w("credits.label") + r")\s*"
        r"(?:" + w("credits.label_verb") + r")?\s*(?:\([^)]{0,20}\))?\s*[:=#-]\s*"
        # A cell naming the credit, the amount in the next cell ("AMA PRA ... Credits™   2.00").
        r"|(?:" + w("credits.cell_label") + r")\s*(?:" + w("credits.trademark") + r")?\s*"
        r"(?:" + w("credits.cell_label_verb") + r")?\s{3,}"
        # ... with perhaps one short scrap of OCR noise in the gap ("Credits earned   Pes,   2.00").
        r"(?:[^\d\s]{1,4}\s{3,})?)$"
    ),
    re.I,
)
# The "1" of "Category 1 Credits" is a category, not an amount.
_CATEGORY_NUMBER = lexicon.pattern(
    "credits._CATEGORY_NUMBER", lambda w: r"(?:" + w("credits.category_before") + r")\s*$", re.I
)
_MAX_CUE = lexicon.pattern("credits._MAX_CUE", lambda w: w("credits.maximum"), re.I)
_CLAIM_CUE = lexicon.pattern("credits._CLAIM_CUE", lambda w: w("credits.claimed"), re.I)
# A totals row ("Total credits: 14.5"), not a claim such as "awarded a total of two (2)".
_TOTAL_CUE = lexicon.pattern(
    "credits._TOTAL_CUE",
    lambda w: r"\s*(?:grand\s+|sub)?(?:" + w("transcripts.total_word") + r")(?!\w)",
    re.I,
)
_POINTS = lexicon.pattern(
    "credits._POINTS", lambda w: r"\s*\)?\s*(?:" + w("credits.points") + r")", re.I
)
_HOURS = lexicon.pattern(
    "credits._HOURS", lambda w: r"\s*\)?\s*(?:" + w("credits.hours") + r")", re.I
)
# After a number that _POINTS matched, a physician credit's name or "credits" makes it credit.
_CREDIT_AFTER = lexicon.pattern(
    "credits._CREDIT_AFTER",
    lambda w: r"\s*\)?\s*(?:" + w.amount_names(physician_only=True) + r"|credits?)",
    re.I,
)
_WORD_AMOUNT = lexicon.pattern(
    "credits._WORD_AMOUNT",
    lambda w: (
        r"\b(?P<whole>"
        + "|".join(w.numbers["credits.number_words"])
        + r")(?:\s+and\s+(?P<frac>"
        + "|".join(w.numbers["credits.fraction_words"])
        + r"))?(?=\s+(?:\(|"
        + w.amount_names(physician_only=True)
        + "|"
        + w("credits.word_amount_unit")
        + r"))"
    ),
    re.I,
)

#: A credit system of the lexicon (defined there; imported from here by the readers).
CreditSystem = lexicon.CreditSystem


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


def credit_systems() -> tuple[CreditSystem, ...]:
    """The credit systems of the lexicon in force, in the order they are tried."""
    return lexicon.current().systems


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


def find_credits(text: str, layout: Layout | None = None) -> list[CreditHit]:
    """Find every credit amount in ``text``.

    An amount is a number followed by a credit unit or system ("1.5 AMA PRA Category 1
    Credits", "3 hours", "(1.5) AMA PRA") or preceded by a credit label ("Credits: 1.5"), or
    a lone number in a cell captioned as credits (found from positions).

    Args:
        text: The text.
        layout: The positioned cells ``text`` is the view of; without it, ``text`` is read on
            a fixed-pitch grid.
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
    for start, value, kind in _captioned_amounts(layout or Layout.from_text(text)):
        if start not in seen:
            seen.add(start)
            hit = _classify(text, start, start + 1, value)
            hits.append(CreditHit(value, kind, hit.unit, hit.system, start))
    for m in _WORD_AMOUNT.finditer(text):
        # "one and one-half (1.5)": the numeral in brackets is already taken above.
        if re.match(r"\s*\(\s*\d", text[m.end() : m.end() + 6]):
            continue
        numbers = lexicon.current().numbers
        value = numbers["credits.number_words"][m.group("whole").lower()]
        if m.group("frac"):
            value += numbers["credits.fraction_words"][m.group("frac").lower()]
        hits.append(_classify(text, m.start(), m.end(), normalize_credit(value)))
    hits.sort(key=lambda h: h.start)
    return hits


def _classify(text: str, start: int, end: int, value: Decimal) -> CreditHit:
    line_start = text.rfind("\n", 0, start) + 1
    # The sentence before the amount: back to the previous full stop or two lines up.
    context_start = max(
        text.rfind(". ", 0, start) + 1, text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    )
    # A cue printed after an earlier amount on its own line is that amount's ("18.25 ...
    # Credits claimed" then "maximum of 23.0" on the next line): the context starts after it.
    previous = _previous_amount(text, context_start, start)
    if previous is not None:
        line_end = text.find("\n", previous, start)
        context_start = max(context_start, line_end + 1 if line_end >= 0 else previous)
    before = text[max(context_start, start - 120) : start]
    after = text[end : end + 60]
    if (_POINTS.match(after) and not _CREDIT_AFTER.match(after)) or (
        re.search(r"points?\s*$", text[line_start:start], re.I)
    ):
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
    elif claim_at >= 0 or _claimed_after(text, end):
        kind = "claimed"
    else:
        kind = "plain"
    return CreditHit(value, kind, unit, system_at(text, end), start)


def _previous_amount(text: str, start: int, end: int) -> int | None:
    """Where the last amount with a unit in ``text[start:end]`` ends, if there is one."""
    last: int | None = None
    for m in _AMOUNT.finditer(text, start, end):
        if _UNIT.match(text[m.end("num") : m.end("num") + 40]) and not _CATEGORY_NUMBER.search(
            text[max(0, m.start("num") - 40) : m.start("num")]
        ):
            last = m.end("num")
    return last


def _claimed_after(text: str, end: int) -> bool:
    """Whether the amount's own line says after it that it was claimed ("2 Credits claimed").

    Only when no other amount comes between: "1 credit, 2 claimed" claims the 2.
    """
    line_end = text.find("\n", end)
    rest = text[end : line_end if line_end >= 0 else len(text)][:60]
    # Within the amount's own sentence: "2 Credits(TM). Physicians should claim only the
    # credit commensurate ..." is the standard designation wording, not a claim.
    rest = re.split(r"\.(?:\s|$)", rest, maxsplit=1)[0]
    cue = _CLAIM_CUE.search(rest)
    return cue is not None and _previous_amount(text, end, end + cue.start()) is None


_CREDIT_CAPTION = lexicon.pattern(
    "credits._CREDIT_CAPTION",
    lambda w: (
        r"^(?:(?:total\s+)?(?:cme\s+)?(?:" + w("credits.caption") + r")"
        r"(?:\s+(?:" + w("credits.caption_verb") + r"))?"
        r"|(?:" + w.amount_names(physician_only=True) + r")\b.*credits?.*)"
        r"(?:" + w("credits.trademark") + r")?\W*$"
    ),
    re.I,
)
_CAPTION_CLAIMED = lexicon.pattern(
    "credits._CAPTION_CLAIMED", lambda w: w("credits.caption_claimed"), re.I
)
_LONE_NUMBER = re.compile(r"^\(?(\d{1,3}(?:[.,]\d{1,2})?|[.,]\d{1,2})\)?$")


_ITEM_WORD = lexicon.pattern(
    "credits._ITEM_WORD",
    lambda w: r"\W*(?:" + w("items.word", "items.numbering") + r")\W*",
    re.I,
)


def _captioned_amounts(page: Layout) -> list[tuple[int, Decimal, str]]:
    """Amounts alone in a table cell whose caption says "credits".

    Certificate designers put the caption under the number ("2.78" over "credits"), above it
    (a "Credits" heading over a boxed "1.5"), in a column header, or at the head of its row
    ("AMA PRA Category 1 Credits™ ... 1.25"). A lone number is taken as an amount when a
    credit caption is the cell under it (overlapping it horizontally, on the next row), the
    nearest words left of it on its baseline (other numbers between skipped), or a credit
    heading over it, at most two rows up: the number's own column, never a neighbour's.
    """
    found: list[tuple[int, Decimal, str]] = []
    for where in page.spots():
        cell = page.cell(where)
        text = cell.text.rstrip(".,;:|'\"")
        m = _LONE_NUMBER.match(text)
        if not m:
            continue
        value = to_decimal(m.group(1))
        if value is None or not 0 < value <= 100:
            continue
        left = page.left_of(where)
        if left is not None and _MAX_CUE.search(left.text):
            continue  # "Max. designated   32.50": the designation, not what was earned
        if left is not None and _ITEM_WORD.fullmatch(left.text):
            continue  # "Activity   3": an item's number
        box = cell.box
        below = page.caption_below(where, box)
        caption = below.text.strip() if below else ""
        above = [page.caption_above(where, box, rows) for rows in (1, 2)]
        row = _row_caption(page, where)
        kind = ""
        if caption and _CREDIT_CAPTION.match(caption):
            kind = "claimed" if _CAPTION_CLAIMED.search(caption) else "plain"
        elif _CREDIT_CAPTION.match(row) and not _TOTAL_CUE.match(row):
            kind = "claimed" if _CAPTION_CLAIMED.search(row) else "plain"
        elif any(
            c is not None and _CREDIT_CAPTION.match(c.text) and not re.search(r"\d", c.text)
            for c in above
        ):
            kind = "plain"
        if kind:
            found.append(
                (
                    where.start + (m.start(1) if text.startswith("(") else 0),
                    normalize_credit(value),
                    kind,
                )
            )
    return found


def _row_caption(page: Layout, where: Spot) -> str:
    """The words nearest left of a cell on its baseline, numbers between them skipped."""
    for cell in reversed(page.lines[where.line].cells[: where.cell]):
        text = cell.text.strip(" .,;:|'\"")
        if not _LONE_NUMBER.match(text):
            return text
    return ""
