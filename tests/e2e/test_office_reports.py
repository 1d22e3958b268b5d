"""Reports that read at a glance, checked on a real run's ``report.html`` (issue "office-proof", D).

A failed document is listed apart from documents that count nothing; the review queue carries
the record id that ``cme-batch review`` takes; the cycle window is stated inclusively, and an
activity on its first day counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from pathlib import Path

from cme_batch.cli import main
from tests.state.certs import Cert, write_lines_pdf, write_pdf, write_roster

AS_OF = "2026-11-27"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _section(page: str, section_id: str) -> str:
    m = re.search(rf'<section id="{section_id}">(.*?)</section>', page, re.S)
    assert m, section_id
    return html.unescape(m.group(1))


def _run(inbox: Path, roster: Path, out: Path) -> int:
    return main(
        ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out),
         "--as-of", AS_OF, "--jobs", "1", "--quiet", "--no-notices"]
    )  # fmt: skip


def test_failed_apart_from_not_counted_record_ids_and_inclusive_windows(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.csv")
    inbox = tmp_path / "inbox"
    write_pdf(
        inbox / "good.pdf", [Cert(1, "Advances in Heart Failure Care", dt.date(2026, 3, 2), "2.0")]
    )
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not a PDF body")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 a word document")
    write_lines_pdf(
        inbox / "letter.pdf", ["Dear colleague,", "Thank you for attending.", "Sincerely"]
    )
    write_lines_pdf(
        inbox / "undated.pdf",
        ["This certifies that", "Wei Chen, MD", "has completed", "Sepsis Care Today",
         "and is awarded 1.5 AMA PRA Category 1 Credits"],
    )  # fmt: skip
    out = tmp_path / "out"
    assert _run(inbox, roster, out) == 5  # a document failed
    statuses = {r["source_file"]: r["status"] for r in _rows(out / "documents.csv")}
    assert statuses["broken.pdf"] == "failed"
    page = (out / "report.html").read_text(encoding="utf-8")
    failed = _section(page, "failed")
    assert "Documents that failed (1)" in failed and "broken.pdf" in failed
    not_counted = _section(page, "not-counted")
    for name in ("notes.docx", "letter.pdf"):
        assert name in not_counted and name not in failed
    assert "broken.pdf" not in not_counted
    # The review queue gives the id `cme-batch review` takes, and the command accepts it.
    review = _section(page, "review")
    undated = next(
        r["record_id"]
        for r in _rows(out / "corrections.csv")
        if r["record_id"].startswith("undated")
    )
    assert f'<code class="record-id">{undated}</code>' in page and undated in review
    state = str(out / "state.sqlite")
    assert main(["review", "fix", undated, "--activity-date", "2026-04-01", "--state", state]) == 0

    # An activity on the first day of the cycle window counts, and the window says so.
    total = next(
        r for r in _rows(out / "compliance.csv")
        if r["physician_id"] == "P002" and r["requirement"] == "total"
    )  # fmt: skip
    first_day = dt.date.fromisoformat(total["cycle_start"])
    write_pdf(
        inbox / "first_day.pdf", [Cert(1, "Updates in Diabetes Management", first_day, "3.0")]
    )
    assert _run(inbox, roster, out) == 5
    total = next(
        r for r in _rows(out / "compliance.csv")
        if r["physician_id"] == "P002" and r["requirement"] == "total"
    )  # fmt: skip
    assert "first_day.pdf#p1" in total["counted"]
    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    window = f"{total['cycle_start']} through {total['cycle_end']} (both days count)"
    assert window in page
    assert f"one-time requirements: any date up to {total['cycle_end']}" in page
    assert "after " + total["cycle_start"] not in page
