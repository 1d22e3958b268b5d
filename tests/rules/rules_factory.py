"""Small roster and activity tables for rules-engine tests (no extraction code needed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import pandas as pd

from cme_batch.rules import Evaluation, RuleSet, RuleSettings, evaluate, load_rulesets
from cme_batch.schema import ACTIVITY_COLUMNS

RENEWAL = date(2027, 3, 14)
AS_OF = date(2026, 11, 27)  # 107 days before RENEWAL: not urgent
WINDOW_START = date(2025, 3, 15)  # first day that counts: R - 2y + 1 day


#: Every requirement of the 2018 rule set, in its order.
ALL_2018 = (
    "total",
    "risk_management",
    "board_regulations",
    "opioid_pain",
    "end_of_life",
    "ehr",
    "implicit_bias",
    "child_abuse",
    "domestic_violence",
    "dementia",
)


@cache
def rulesets() -> tuple[RuleSet, ...]:
    return load_rulesets()


def physician(pid: str = "P1", **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "physician_id": pid,
        "last_name": "Doe",
        "first_name": "Jane",
        "middle_name": "",
        "degree": "MD",
        "license_number": f"L{pid}",
        "license_expires": RENEWAL,
        "prescribes_controlled_substances": True,
        "first_licensed": date(2000, 7, 1),
        "email": f"{pid.lower()}@example.org",
        "license_type": "full",
        "serves_adults": True,
        "ehr_alternative_route": False,
        "physician_name": f"Jane Doe {pid}, MD",
    }
    row.update(overrides)
    return row


def roster(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows) or [physician()])


def act(
    record_id: str,
    when: date | None,
    credits: str | Decimal | None,
    topics: str = "",
    category: str = "1",
    pid: str = "P1",
    **overrides: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "source_file": f"{record_id}.pdf",
        "page": 1,
        "physician_name": "Jane Doe",
        "physician_id": pid,
        "activity_title": f"Course {record_id}",
        "provider": "Provider",
        "activity_date": when,
        "credits": None if credits is None else Decimal(credits),
        "category": category,
        "credit_type": "AMA PRA Category 1" if category == "1" else "",
        "topics": topics,
        "confidence": 0.99,
        "needs_review": False,
        "review_reason": "",
        "record_id": record_id,
        "exclude_reason": "",
        "corrected_fields": "",
    }
    row.update(overrides)
    return row


def activities(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(ACTIVITY_COLUMNS))


def complete_2018(pid: str = "P1") -> list[dict[str, Any]]:
    """Activities that meet every ma_2018 requirement for a full-license prescriber.

    In-window credits: 38 + 3 + 3 + 2 + 2 + 1 + 1 = 50; risk management 3 + 3 + 2 + 2 = 10.
    """
    return [
        act("gen", date(2025, 6, 1), "38", pid=pid),
        act("rm", date(2025, 7, 1), "3", "risk_management", pid=pid),
        act("op", date(2025, 8, 1), "3", "opioid_pain", pid=pid),
        act("br", date(2025, 9, 1), "2", "board_regulations", category="2", pid=pid),
        act("ib", date(2025, 10, 1), "2", "implicit_bias", pid=pid),
        act("dv", date(2025, 11, 1), "1", "domestic_violence", pid=pid),
        act("dem", date(2025, 12, 1), "1", "dementia", pid=pid),
        # One-time requirements met in earlier cycles: they must not add to this cycle.
        act("eol", date(2019, 5, 1), "2", "end_of_life", pid=pid),
        act("ehr", date(2016, 5, 1), "3", "ehr", pid=pid),
        act("ca", date(2010, 1, 1), "1", "child_abuse", pid=pid),
    ]


def without(rows: list[dict[str, Any]], *record_ids: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["record_id"] not in record_ids]


def run(
    acts: list[dict[str, Any]],
    people: list[dict[str, Any]] | None = None,
    as_of: date = AS_OF,
    settings: RuleSettings | None = None,
) -> Evaluation:
    return evaluate(
        activities(*acts),
        roster(*(people or [physician()])),
        as_of,
        settings or RuleSettings(),
        rulesets=rulesets(),
    )


def req(ev: Evaluation, requirement: str, pid: str = "P1") -> dict[str, Any]:
    frame = ev.compliance
    rows = frame[(frame.physician_id == pid) & (frame.requirement == requirement)]
    assert len(rows) == 1, f"expected one {requirement} row for {pid}, got {len(rows)}"
    return {str(k): v for k, v in rows.iloc[0].to_dict().items()}


def overall(ev: Evaluation, pid: str = "P1") -> dict[str, Any]:
    frame = ev.physicians
    rows = frame[frame.physician_id == pid]
    assert len(rows) == 1
    return {str(k): v for k, v in rows.iloc[0].to_dict().items()}


def status_of(ev: Evaluation, record_id: str) -> dict[str, Any]:
    frame = ev.activity_status
    rows = frame[frame.record_id == record_id]
    assert len(rows) == 1, f"expected one activity_status row for {record_id}"
    return {str(k): v for k, v in rows.iloc[0].to_dict().items()}
