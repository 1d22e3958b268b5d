"""A PDF pdfium refuses but whose text survives is read leniently, and flagged for review."""

from pathlib import Path

import pandas as pd

from cme_batch.extract.document import read_document
from cme_batch.extract.recover import RECOVERED_WARNING
from cme_batch.fields.parse import parse_pages
from cme_batch.matching import RosterIndex
from tests.conftest import cert_lines, write_certificate_pdf


def test_broken_trailer_is_recovered_and_flagged(tmp_path: Path) -> None:
    good = write_certificate_pdf(
        tmp_path / "good.pdf",
        cert_lines(
            "Jane Q. Doe, MD", "Heart Failure Update", "May 2, 2026", "1.5", "Lakeside Hospital"
        ),
    )
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.read_bytes().replace(b"/Root", b"/Rxxx"))
    document = read_document(broken, "pdf")
    assert document.error == ""
    assert document.warnings == (RECOVERED_WARNING,)
    roster = RosterIndex(
        pd.DataFrame(
            [
                dict(
                    physician_id="P1",
                    first_name="Jane",
                    middle_name="",
                    last_name="Doe",
                    license_number="",
                )
            ]
        )
    )
    (outcome,) = parse_pages(document.pages, roster)
    (record,) = outcome.records
    assert record.physician_id == "P1"
    assert record.needs_review
    assert RECOVERED_WARNING in record.review_reasons


def test_unrecoverable_pdf_still_fails(tmp_path: Path) -> None:
    good = write_certificate_pdf(
        tmp_path / "good.pdf",
        cert_lines("Jane Doe", "X Update", "May 2, 2026", "1", "Lakeside Hospital"),
    )
    cut = tmp_path / "cut.pdf"
    data = good.read_bytes()
    cut.write_bytes(data[: data.rfind(b"trailer")])
    document = read_document(cut, "pdf")
    assert "corrupt or truncated PDF" in document.error
