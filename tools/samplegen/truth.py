"""Writers of the roster, ledger, truth and document-truth CSV files."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from .fmt import plain
from .model import DocSpec, Physician, TruthRow

#: ``certificates.csv`` columns, in the order of ``cme_batch.schema.CERTIFICATE_COLUMNS``.
#: Repeated here (and checked against the schema by a test) so the generator runs without
#: the package installed.
CERTIFICATE_COLUMNS = (
    "source_file",
    "page",
    "physician_name",
    "physician_id",
    "activity_title",
    "provider",
    "activity_date",
    "credits",
    "category",
    "credit_type",
    "topics",
    "confidence",
    "needs_review",
    "review_reason",
)
TRUTH_COLUMNS = CERTIFICATE_COLUMNS + ("variant", "layout")
ROSTER_COLUMNS = (
    "physician_id",
    "last_name",
    "first_name",
    "middle_name",
    "degree",
    "license_number",
    "license_expires",
    "prescribes_controlled_substances",
    "first_licensed",
    "email",
    "license_type",
    "serves_adults",
    "ehr_alternative_route",
)
LEDGER_COLUMNS = (
    "physician_id",
    "physician_name",
    "activity_title",
    "provider",
    "activity_date",
    "credits",
    "category",
    "credit_type",
    "topics",
)
DOCUMENT_TRUTH_COLUMNS = ("source_file", "expected_status", "note")


def write_roster(path: Path, physicians: Iterable[Physician]) -> None:
    """Write the roster CSV."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ROSTER_COLUMNS), lineterminator="\n")
        w.writeheader()
        for p in physicians:
            w.writerow(p.roster_row())


def truth_dict(r: TruthRow) -> dict[str, str]:
    """A truth row as CSV strings."""
    return {
        "source_file": r.source_file,
        "page": str(r.page),
        "physician_name": r.physician_name,
        "physician_id": r.physician_id,
        "activity_title": r.activity_title,
        "provider": r.provider,
        "activity_date": r.activity_date.isoformat(),
        "credits": plain(r.credits),
        "category": r.category,
        "credit_type": r.credit_type,
        "topics": ";".join(sorted(r.topics)),
        "confidence": "",
        "needs_review": "",
        "review_reason": "",
        "variant": r.variant,
        "layout": r.layout,
    }


def write_truth(path: Path, rows: Iterable[TruthRow]) -> None:
    """Write ``truth.csv``, sorted by file, page and then as drawn."""
    ordered = sorted(rows, key=lambda r: (r.source_file, r.page))
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(TRUTH_COLUMNS), lineterminator="\n")
        w.writeheader()
        for r in ordered:
            w.writerow(truth_dict(r))


def write_documents_truth(
    path: Path, docs: Iterable[DocSpec], extra: Iterable[tuple[str, str, str]] = ()
) -> None:
    """Write ``documents_truth.csv``: every document with its expected status."""
    rows = [(d.path, d.expected_status, d.note) for d in docs] + list(extra)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(DOCUMENT_TRUTH_COLUMNS)
        for row in sorted(rows):
            w.writerow(row)


def write_rows(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> None:
    """Write any list of dict rows with fixed columns."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
