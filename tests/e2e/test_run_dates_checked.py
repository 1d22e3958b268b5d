"""A whole run on real text-layer PDFs: dates the page or the run contradicts go to review."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cme_batch.cli import main
from tests.conftest import cert_lines, write_certificate_pdf


def _certificates(out: Path) -> dict[str, dict[str, str]]:
    with (out / "certificates.csv").open(newline="", encoding="utf-8") as fh:
        return {row["source_file"]: row for row in csv.DictReader(fh)}


def _run(inbox: Path, roster: Path, out: Path, as_of: str) -> int:
    return main(
        ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
        + ["--as-of", as_of, "--jobs", "1", "--quiet"]
    )


def _review_list(out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["review", "list", "--out", str(out)]) == 0
    return capsys.readouterr().out


def test_dates_after_the_as_of_date_and_misread_years_go_to_review(
    tmp_path: Path, roster_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_certificate_pdf(
        inbox / "ahead.pdf",
        cert_lines(
            "Jane Q. Doe, MD",
            "Safe Prescribing of Opioids and Pain Management",
            "November 20, 2026",
            "3.0",
            "Harborview Medical Education Institute",
        ),
    )
    misread = cert_lines(
        "Amara Okafor-Reyes, DO",
        "Recognizing Unconscious Bias",
        "05/04/2006",
        "2.00",
        "Commonwealth Learning Collaborative",
    )
    write_certificate_pdf(inbox / "misread.pdf", [*misread, (10, "Certificate issued 05/04/2026")])
    out = tmp_path / "out"

    assert _run(inbox, roster_file, out, "2026-11-01") in (0, 5)
    rows = _certificates(out)
    ahead, misread_row = rows["ahead.pdf"], rows["misread.pdf"]
    assert ahead["needs_review"] == "true"
    assert "after the as-of date 2026-11-01" in ahead["review_reason"]
    assert misread_row["activity_date"] == "2006-05-04"
    assert misread_row["needs_review"] == "true"
    assert "may be misread" in misread_row["review_reason"]
    # `cme-batch review list` judges the stored records as the last run did.
    assert "ahead.pdf" in _review_list(out, capsys)

    # The same stored reading, judged as of a later day: the date is no longer ahead.
    assert _run(inbox, roster_file, out, "2026-11-27") in (0, 5)
    rows = _certificates(out)
    assert "after the as-of date" not in rows["ahead.pdf"]["review_reason"]
    assert rows["ahead.pdf"]["needs_review"] == "false"
    assert "may be misread" in rows["misread.pdf"]["review_reason"]
    listing = _review_list(out, capsys)
    assert "ahead.pdf" not in listing and "misread.pdf" in listing
