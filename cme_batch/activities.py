"""Build the activity table from document records and ledgers; mark duplicate certificates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd
from rapidfuzz import fuzz

from cme_batch.fields.record import ActivityRecord
from cme_batch.schema import ACTIVITY_COLUMNS

# Bidirectional overrides and C0/C1 controls never belong in certificate text; they are removed
# so a file name or OCR line cannot reorder or hide text in any output.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_TITLE_SIMILAR = 85


def clean_text(value: str | None) -> str:
    """Normalize untrusted text for the tables: NFC, no control or bidi characters, one line."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value)
    text = _UNSAFE.sub("", text.replace("\t", " ").replace("\r", " ").replace("\n", " "))
    return " ".join(text.split())


def record_rows(source_file: str, records: Iterable[ActivityRecord]) -> list[dict[str, object]]:
    """Turn a document's records into activity-table rows with stable record ids."""
    records = list(records)
    per_page: dict[int, int] = {}
    for r in records:
        per_page[r.page] = per_page.get(r.page, 0) + 1
    rows = []
    for r in records:
        record_id = f"{source_file}#p{r.page}"
        if per_page[r.page] > 1:
            record_id += f".{r.item}"
        rows.append(
            {
                "source_file": source_file,
                "page": r.page,
                "physician_name": clean_text(r.physician_name),
                "physician_id": r.physician_id,
                "activity_title": clean_text(r.activity_title),
                "provider": clean_text(r.provider),
                "activity_date": r.activity_date,
                "credits": r.credits,
                "category": r.category,
                "credit_type": r.credit_type,
                "topics": ";".join(sorted(r.topics)),
                "confidence": round(r.confidence, 3),
                "needs_review": r.needs_review,
                "review_reason": clean_text("; ".join(r.review_reasons)),
                "record_id": record_id,
                "exclude_reason": "",
                "corrected_fields": "",
            }
        )
    return rows


def build_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Make the activity DataFrame, ordered by source file, page and record id."""
    frame = pd.DataFrame(rows, columns=list(ACTIVITY_COLUMNS))
    if frame.empty:
        return frame
    frame = frame.astype({"needs_review": bool})
    return frame.sort_values(["source_file", "record_id"], kind="stable").reset_index(drop=True)


def mark_duplicates(table: pd.DataFrame) -> pd.DataFrame:
    """Mark the same activity read from two files (a portal PDF and a scan of its printout).

    Two rows are the same activity when physician, date and credits are equal and the titles
    are alike. The copy with the higher confidence (a text layer over a scan) is kept; the other
    gets ``exclude_reason`` "duplicate of <record_id>". Ledger rows are never marked.
    """
    table = table.copy()
    keep_order = table.sort_values(["confidence", "source_file"], ascending=[False, True]).index
    kept: dict[tuple[str, object, object], list[int]] = {}
    for idx in keep_order:
        row = table.loc[idx]
        if not row["physician_id"] or row["activity_date"] is None or row["credits"] is None:
            continue
        if str(row["source_file"]).startswith("ledger:"):
            continue
        key = (str(row["physician_id"]), row["activity_date"], row["credits"])
        for other in kept.get(key, []):
            other_row = table.loc[other]
            if other_row["source_file"] == row["source_file"]:
                continue
            if (
                fuzz.token_set_ratio(str(other_row["activity_title"]), str(row["activity_title"]))
                >= _TITLE_SIMILAR
            ):
                table.at[idx, "exclude_reason"] = f"duplicate of {other_row['record_id']}"
                break
        else:
            kept.setdefault(key, []).append(idx)
    return table
