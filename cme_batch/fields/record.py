"""The record one activity becomes, with per-field confidence and review reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ActivityRecord:
    """One credit-bearing activity read from a page (or a transcript row).

    A field that could not be read is ``None``: never a default. ``review_reasons`` says why a
    person must look at the record; ``field_confidence`` holds 0..1 per field.
    """

    page: int
    item: int
    physician_name: str | None
    physician_id: str
    activity_title: str | None
    provider: str | None
    activity_date: dt.date | None
    credits: Decimal | None
    category: str
    credit_type: str
    topics: tuple[str, ...]
    confidence: float
    review_reasons: tuple[str, ...] = ()
    field_confidence: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def needs_review(self) -> bool:
        """Whether a person must check this record before it counts without question."""
        return bool(self.review_reasons)


@dataclass(frozen=True)
class PageOutcome:
    """What one page yielded: records, or a note saying why it holds no credit."""

    records: tuple[ActivityRecord, ...] = ()
    note: str = ""
