"""Load self-reported ledgers: activities with no certificate file (Category 2 reading, etc.)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from cme_batch.errors import InputTableError
from cme_batch.fields.credits import normalize_credit, to_decimal
from cme_batch.matching import RosterIndex
from cme_batch.schema import ACTIVITY_COLUMNS, TOPICS
from cme_batch.tables import parse_iso_date, read_table

REQUIRED = ("activity_title", "activity_date", "credits")


def load_ledger(
    path: Path, roster: pd.DataFrame, index: RosterIndex
) -> tuple[pd.DataFrame, list[str]]:
    """Read one ledger into activity rows.

    Args:
        path: CSV or XLSX with the ledger columns (see README).
        roster: The loaded roster, to check physician ids.
        index: The roster index, to match rows that give only a name.

    Returns:
        The activity rows (``schema.ACTIVITY_COLUMNS``) and warnings about rows for physicians
        not on the roster (those rows are kept with an empty ``physician_id``).

    Raises:
        InputTableError: Every bad row, by line number.
    """
    frame = read_table(path)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if "physician_id" not in frame.columns and "physician_name" not in frame.columns:
        missing.append("physician_id or physician_name")
    if missing:
        raise InputTableError(str(path), [f"missing column(s): {', '.join(missing)}"])
    known = set(roster["physician_id"].astype(str))
    names = dict(zip(roster["physician_id"].astype(str), roster["physician_name"], strict=True))
    problems: list[str] = []
    warnings: list[str] = []
    rows: list[dict[str, object]] = []
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2

        def get(col: str, row: dict[object, object] = row) -> str:
            return str(row.get(col, "")).strip()

        pid, printed = get("physician_id"), get("physician_name")
        reasons: list[str] = []
        if pid and pid not in known:
            warnings.append(
                f"{path.name} line {line}: physician_id {pid!r} is not on the roster; "
                "row kept, not counted"
            )
            reasons.append(f"physician_id {pid!r} is not on the roster")
            pid = ""
        elif not pid and printed:
            match = index.match_name(printed)
            pid = match.physician_id
            if not pid:
                warnings.append(f"{path.name} line {line}: {match.reason}; row kept, not counted")
                reasons.append(match.reason)
        elif not pid:
            problems.append(f"line {line}: physician_id and physician_name are both empty")
        date = parse_iso_date(get("activity_date"))
        if date is None:
            problems.append(
                f"line {line}: activity_date {get('activity_date')!r} is not a date (YYYY-MM-DD)"
            )
        credits = to_decimal(get("credits"))
        if credits is None:
            problems.append(f"line {line}: credits {get('credits')!r} is not a number")
        elif credits < 0:
            problems.append(
                f"line {line}: credits {get('credits')!r} is negative: credits are 0 or more "
                "(to take a row back, delete it)"
            )
        category = get("category")
        if category not in ("1", "2", ""):
            problems.append(f"line {line}: category {category!r} must be 1 or 2")
        topics = sorted(
            {t.strip() for t in get("topics").replace(",", ";").split(";") if t.strip()}
        )
        unknown = [t for t in topics if t not in TOPICS]
        if unknown:
            problems.append(
                f"line {line}: unknown topic(s) {', '.join(unknown)} (allowed: {', '.join(TOPICS)})"
            )
        if not get("activity_title"):
            problems.append(f"line {line}: activity_title is empty")
        rows.append(
            {
                "source_file": f"ledger:{path.name}",
                "page": None,
                "physician_name": printed or names.get(pid, ""),
                "physician_id": pid,
                "activity_title": get("activity_title"),
                "provider": get("provider") or "self-reported",
                "activity_date": date,
                "credits": normalize_credit(credits) if isinstance(credits, Decimal) else None,
                "category": category or "2",
                "credit_type": get("credit_type") or "self-reported",
                "topics": ";".join(topics),
                "confidence": 1.0,
                "needs_review": bool(reasons),
                "review_reason": "; ".join(reasons),
                "record_id": f"ledger:{path.name}#row{line}",
                "exclude_reason": "",
                "corrected_fields": "",
            }
        )
    if problems:
        raise InputTableError(str(path), problems)
    return pd.DataFrame(rows, columns=list(ACTIVITY_COLUMNS)), warnings
