"""Synthetic rosters, activities and physicians tables for notice and packet tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from cme_batch.rules import Evaluation, RuleSettings, evaluate, load_rulesets
from cme_batch.schema import ACTIVITY_COLUMNS

RULESETS = tuple(load_rulesets())


def physician(pid: str, renewal: date, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "physician_id": pid,
        "last_name": "Doe",
        "first_name": "Jane",
        "middle_name": "",
        "degree": "MD",
        "license_number": f"L{pid}",
        "license_expires": renewal,
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


def act(
    record_id: str,
    pid: str,
    when: date,
    credits: str,
    topics: str = "",
    category: str = "1",
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
        "credits": Decimal(credits),
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


def complete(pid: str, start: date) -> list[dict[str, Any]]:
    """Activities meeting every ma_2018 requirement, dated from ``start`` (inside the window)."""
    d = start
    p = f"{pid}-"
    return [
        act(p + "gen", pid, d, "38"),
        act(p + "rm", pid, d, "3", "risk_management"),
        act(p + "op", pid, d, "3", "opioid_pain"),
        act(p + "br", pid, d, "2", "board_regulations", category="2"),
        act(p + "ib", pid, d, "2", "implicit_bias"),
        act(p + "dv", pid, d, "1", "domestic_violence"),
        act(p + "dem", pid, d, "1", "dementia"),
        act(p + "eol", pid, date(2019, 5, 1), "2", "end_of_life"),
        act(p + "ehr", pid, date(2016, 5, 1), "3", "ehr"),
        act(p + "ca", pid, date(2010, 1, 1), "1", "child_abuse"),
    ]


def evaluate_group(
    people: list[dict[str, Any]], acts: list[dict[str, Any]], as_of: date
) -> Evaluation:
    return evaluate(
        pd.DataFrame(acts, columns=list(ACTIVITY_COLUMNS)),
        pd.DataFrame(people),
        as_of,
        RuleSettings(),
        rulesets=RULESETS,
    )


def physicians_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A physicians table as the engine writes it, from short dicts."""
    base = {"license_type": "full", "rule_set": "ma_2018", "missing": "needs 3 more CME credits"}
    return pd.DataFrame([{**base, **r} for r in rows])


EMPTY_COMPLIANCE = pd.DataFrame(
    columns=["physician_id", "requirement", "required", "earned", "status", "counted"]
)
