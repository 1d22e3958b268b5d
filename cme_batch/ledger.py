"""Load self-reported ledgers: activities with no certificate file (Category 2 reading, etc.).

A ledger row's record id is ``ledger:<file>#r<digest>``: the digest is taken over the row's
content (physician, title, provider, date, credits, category, credit type, topics, as read), not
its line, so a decision stays with its row when the office inserts or sorts rows in Excel, and a
row whose content changed gets a new id instead of inheriting another row's decision. The n-th
identical copy of a row gets ``.n``. Rows with the same physician, title, date and credits are
the same activity: the later ones are marked duplicates and counted once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from cme_batch.errors import InputTableError
from cme_batch.fields.credits import normalize_credit, to_decimal
from cme_batch.matching import RosterIndex
from cme_batch.schema import ACTIVITY_COLUMNS, TOPICS
from cme_batch.tables import NOT_A_DATE, read_date, read_table

REQUIRED = ("activity_title", "activity_date", "credits")


#: Where a row was first seen: (record id, "FILE line N"), by :func:`activity_key`.
Seen = MutableMapping[tuple[str, ...], tuple[str, str]]


@dataclass(frozen=True)
class LedgerWarning:
    """A warning about one ledger row.

    Attributes:
        text: The message ("ledger.csv line 3: physician_id 'P99' is not on the roster; ...").
        record_id: The row's record id when a person's decision on the row settles what the
            warning is about (who the row is for); ``""`` when no decision does.
    """

    text: str
    record_id: str = ""

    def __str__(self) -> str:
        return self.text


def load_ledger(
    path: Path, roster: pd.DataFrame, index: RosterIndex, seen: Seen | None = None
) -> tuple[pd.DataFrame, list[LedgerWarning]]:
    """Read one ledger into activity rows.

    Args:
        path: CSV or XLSX with the ledger columns (see README).
        roster: The loaded roster, to check physician ids.
        index: The roster index, to match rows that give only a name.
        seen: Rows of the ledgers read before this one in the same run, to find duplicates
            across files (filled in).

    Returns:
        The activity rows (``schema.ACTIVITY_COLUMNS``) and warnings about rows for physicians
        not on the roster or named ambiguously (those rows are kept with an empty
        ``physician_id``, for review; the warning carries the row's record id, as a decision on
        the row settles it) and about duplicate rows (kept, excluded as duplicates).

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
    warnings: list[LedgerWarning] = []
    rows: list[dict[str, object]] = []
    seen = {} if seen is None else seen
    copies: dict[str, int] = {}
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2

        def get(col: str, row: dict[object, object] = row) -> str:
            return str(row.get(col, "")).strip()

        pid, printed = get("physician_id"), get("physician_name")
        # Who the row is for, when the roster cannot say: kept for review, warned about.
        reasons: list[str] = []
        if pid and pid not in known:
            reasons.append(f"physician_id {pid!r} is not on the roster")
            pid = ""
        elif not pid and printed:
            match = index.match_name(printed)
            pid = match.physician_id
            if not pid:
                reasons.append(match.reason)
        elif not pid:
            problems.append(f"line {line}: physician_id and physician_name are both empty")
        date, problem = read_date(get("activity_date"))
        if date is None:
            problems.append(
                f"line {line}: activity_date {get('activity_date')!r} {problem or NOT_A_DATE}"
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
        credit = normalize_credit(credits) if isinstance(credits, Decimal) else None
        who = get("physician_id") or printed.casefold()
        content = [who, get("activity_title"), get("provider"), date, credit, category,
                   get("credit_type"), ";".join(topics)]  # fmt: skip
        digest = row_digest(content)
        copies[digest] = copies.get(digest, 0) + 1
        record_id = f"ledger:{path.name}#r{digest}"
        if copies[digest] > 1:
            record_id += f".{copies[digest]}"
        warnings.extend(
            LedgerWarning(f"{path.name} line {line}: {reason}; row kept, not counted", record_id)
            for reason in reasons
        )
        exclude = ""
        key = activity_key(who, get("activity_title"), date, credit)
        first = seen.get(key)
        if first is None:
            seen[key] = (record_id, f"{path.name} line {line}")
        else:
            exclude = f"duplicate of {first[0]}"
            warnings.append(
                LedgerWarning(
                    f"{path.name} line {line}: same physician, title, date and credits as "
                    f"{first[1]}: counted once"
                )
            )
        rows.append(
            {
                "source_file": f"ledger:{path.name}",
                "page": None,
                "physician_name": printed or names.get(pid, ""),
                "physician_id": pid,
                "activity_title": get("activity_title"),
                "provider": get("provider") or "self-reported",
                "activity_date": date,
                "credits": credit,
                "category": category or "2",
                "credit_type": get("credit_type") or "self-reported",
                "topics": ";".join(topics),
                "confidence": 1.0,
                "needs_review": bool(reasons),
                "review_reason": "; ".join(reasons),
                "record_id": record_id,
                "exclude_reason": exclude,
                "corrected_fields": "",
            }
        )
    if problems:
        raise InputTableError(str(path), problems)
    return pd.DataFrame(rows, columns=list(ACTIVITY_COLUMNS)), warnings


def row_digest(content: Sequence[object]) -> str:
    """The content part of a ledger record id: 10 hex digits of SHA-256 over the values."""
    text = json.dumps([format(v, "f") if isinstance(v, Decimal) else str(v or "") for v in content])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def activity_key(who: str, title: str, date: object, credits: object) -> tuple[str, ...]:
    """What makes two ledger rows the same activity: physician, title, date and credits."""
    return (who.casefold(), " ".join(title.casefold().split()), str(date), str(credits))
