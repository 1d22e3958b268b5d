"""Review policy: when a record read from a page is certain enough to count without a person.

Every threshold that decides a record's confidence or sends it to review lives here, named,
with the one confidence formula that certificates and transcript rows share, and the
consistency checks that turn a doubt the page itself reveals (a total that does not add up, an
activity dated after its certificate was issued, a year that contradicts the page's other dates,
credits above the designated maximum) into a review reason instead of a silent row, and the
checks made each run (a date after the run's as-of date). ``docs/extraction.md`` describes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Final

from cme_batch.fields.record import ActivityRecord

#: A record whose overall confidence is below this goes to review even when no field is
#: missing.
REVIEW_BELOW: Final[float] = 0.6

#: The fields a record cannot count without; its confidence is bounded by the weakest.
KEY_FIELDS: Final[tuple[str, ...]] = ("physician", "activity_date", "credits")

#: Weight of the supporting fields (title, provider): a record with a key field certain but
#: no provider found loses at most this share of its confidence.
SUPPORT_WEIGHT: Final[float] = 0.1

#: A provider that could not be found counts as this confidence in the formula: most
#: certificates name the provider only in a logo, so its absence is weak evidence.
MISSING_PROVIDER: Final[float] = 0.5

#: How much the page's own reading confidence (1.0 for a text layer, tesseract's mean word
#: confidence for OCR) bounds a record read from it: ``FLOOR + (1 - FLOOR) * reading``.
READING_FLOOR: Final[float] = 0.5

#: Field confidence of a transcript row's date and amount read from their own cells: a
#: table's cells are unambiguous, but an OCR'd digit is never certain.
TABLE_CELL: Final[float] = 0.95

#: Credits above this for one activity are not plausible (a misread amount or decimal point).
MAX_ONE_ACTIVITY: Final[Decimal] = Decimal(100)

#: Printed transcript totals and the sum of the rows read may differ by rounding only.
TOTAL_TOLERANCE: Final[Decimal] = Decimal("0.05")

#: An activity's year this many years or more from every other date on its page, and one digit
#: from one of them, is taken for a misread year (OCR reads "2026" as "2006").
YEAR_APART: Final[int] = 10

#: An activity may be dated this many days after the certificate's issue or print date
#: (certificates for multi-day meetings are issued on the last day, some a day early).
ISSUED_BEFORE_SLACK: Final[int] = 1


#: Marks OCR makes of a leading "1" ("[.5" for "1.5", "|1/05/2025" for "11/05/2025"), when
#: glued to the start of a number and not closed after it like a real bracket.
DIGIT_LIKE_MARKS: Final[str] = "[]|!{}"


#: An OCR'd amount or date whose word was read with less confidence than this (tesseract's
#: 0..1, or two readings that disagreed: ``extract.ocr.DISAGREED``) goes to review.
OCR_WORD_DOUBT: Final[float] = 0.3


def check_word_doubt(conf: float, what: str, printed: str) -> str:
    """A reason when the words an amount or date was read from were read unsure."""
    if conf >= OCR_WORD_DOUBT:
        return ""
    return (
        f"the {what} was read as '{printed}' with low OCR confidence ({conf:.2f}): check it "
        "against the page"
    )


def confidence(field_confidence: Mapping[str, float], reading_confidence: float) -> float:
    """A record's overall confidence, the same formula for every kind of page.

    The weakest key field bounds it, and so does the page's reading; the supporting fields
    (title, provider) shade it by at most :data:`SUPPORT_WEIGHT`.

    Args:
        field_confidence: 0..1 per field (``physician``, ``activity_date``, ``credits``,
            ``activity_title``, ``provider``); a missing field counts as 0.
        reading_confidence: The page's reading confidence, 0..1.
    """
    key = min(field_confidence.get(name, 0.0) for name in KEY_FIELDS)
    support = min(
        field_confidence.get("activity_title", 0.0),
        field_confidence.get("provider") or MISSING_PROVIDER,
    )
    quality = (1.0 - SUPPORT_WEIGHT) + SUPPORT_WEIGHT * support
    bound = READING_FLOOR + (1.0 - READING_FLOOR) * reading_confidence
    return round(min(key, bound) * quality, 3)


def low_confidence_reason(value: float, what: str = "fields") -> str:
    """The review reason of a record below :data:`REVIEW_BELOW`, or empty."""
    if value >= REVIEW_BELOW:
        return ""
    return f"low confidence ({value:.2f}): check the {what} against the page"


def final_reasons(reasons: Iterable[str], value: float, what: str = "fields") -> tuple[str, ...]:
    """A record's review reasons: those found (empty ones left out), else low confidence."""
    found = tuple(r for r in reasons if r)
    low = low_confidence_reason(value, what)
    return found or ((low,) if low else ())


def with_reason(record: ActivityRecord, reason: str) -> ActivityRecord:
    """The record with one more review reason (kept once)."""
    if not reason or reason in record.review_reasons:
        return record
    return replace(record, review_reasons=(*record.review_reasons, reason))


def check_against_maximum(credits: Decimal | None, maximums: Iterable[Decimal]) -> str:
    """A reason when the credits read exceed the maximum the same certificate designates."""
    tops = sorted(set(maximums))
    if credits is None or not tops or credits <= tops[-1]:
        return ""
    return (
        f"credits read as {credits} but the certificate designates at most {tops[-1]}: "
        "check the amount against the page"
    )


def check_against_issue(
    activity: dt.date | None, issued: Sequence[dt.date], released: Sequence[dt.date] = ()
) -> str:
    """A reason when the activity date contradicts the certificate's other dates.

    An activity cannot end after the certificate for it was issued, printed or claimed, nor
    (for an enduring material) before the material was released: one of the dates is misread
    (an OCR digit in a year) or the wrong date was taken.
    """
    if activity is None:
        return ""
    if issued:
        first = min(issued)
        if activity > first + dt.timedelta(days=ISSUED_BEFORE_SLACK):
            return (
                f"activity date {activity.isoformat()} is after the certificate's issue, claim "
                f"or print date {first.isoformat()}: check the dates against the page"
            )
    if released:
        start = max(released)
        if activity < start:
            return (
                f"activity date {activity.isoformat()} is before the activity's release date "
                f"{start.isoformat()}: check the dates against the page"
            )
    return ""


def check_total(records: Sequence[ActivityRecord], printed: Decimal) -> str:
    """A reason when a transcript's rows do not add up to the total it prints.

    Rows whose amount could not be read count as missing: with them the sum cannot match,
    and a person must look.
    """
    read = sum((r.credits for r in records if r.credits is not None), Decimal(0))
    unread = sum(1 for r in records if r.credits is None)
    if unread == 0 and abs(read - printed) <= TOTAL_TOLERANCE:
        return ""
    missing = f" ({unread} row(s) without a readable amount)" if unread else ""
    return (
        f"the rows read add up to {read} credits{missing} but the transcript prints a total "
        f"of {printed}: a row may be misread or missed; check the rows against the page"
    )


def check_digit_like_mark(text: str, start: int, what: str) -> str:
    """A reason when the number at ``text[start:]`` may have lost a leading digit to OCR.

    Tesseract often reads a "1" at the start of a word as a bracket or bar; the rest of the
    number then parses as a smaller amount or an earlier date, with nothing else on the page
    to contradict it. A mark glued to the start of the word, and not closed after the number
    like a real bracket ("[1.5]"), sends the value to review.
    """
    if start < 1 or text[start - 1] not in DIGIT_LIKE_MARKS:
        return ""
    if start >= 2 and not text[start - 2].isspace():
        return ""
    word = re.match(r"\S*", text[start - 1 :])
    token = word.group(0) if word else text[start - 1 : start + 1]
    if text[start - 1] == "[" and "]" in token:
        return ""
    return (
        f"the {what} '{token}' starts with a mark ('{text[start - 1]}') that OCR may have made "
        "of a digit: check it against the page"
    )


def check_after_as_of(activity: dt.date | None, as_of: dt.date) -> str:
    """A reason when an activity is dated after the day the run judges as of."""
    if activity is None or activity <= as_of:
        return ""
    return (
        f"activity dated {activity.isoformat()}, after the as-of date {as_of.isoformat()}: "
        "a misread date, or a certificate dated ahead; check it against the page"
    )


def check_year_against_page(activity: dt.date | None, others: Iterable[dt.date]) -> str:
    """A reason when the activity's year looks misread against the page's other dates.

    One OCR digit in a year ("2006" for "2026") moves a date a decade or more; the page's
    other dates (issue, release, expiry, claim) then all lie far from it, and one of their
    years differs from it in a single digit. A page whose other dates include one within
    :data:`YEAR_APART` years of the activity is not contradicted by it.
    """
    if activity is None:
        return ""
    years = sorted({d.year for d in others if d != activity})
    if not years or any(abs(y - activity.year) < YEAR_APART for y in years):
        return ""
    if not any(_one_digit_apart(activity.year, y) for y in years):
        return ""
    listed = ", ".join(str(y) for y in years)
    return (
        f"activity year {activity.year} contradicts the page's other dates ({listed}): one "
        "digit of the year may be misread; check the date against the page"
    )


def _one_digit_apart(a: int, b: int) -> bool:
    left, right = f"{a:04d}", f"{b:04d}"
    return len(left) == len(right) and sum(x != y for x, y in zip(left, right, strict=True)) == 1


def checked_for_run(records: Iterable[ActivityRecord], as_of: dt.date) -> list[ActivityRecord]:
    """Records with the checks that depend on the run, not on the page, applied.

    The page's reading is stored and reused by later runs with other as-of dates, so a date
    after the run's as-of date is judged here, each run, rather than when the page is read.
    """
    return [with_reason(r, check_after_as_of(r.activity_date, as_of)) for r in records]
