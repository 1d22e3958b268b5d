"""Transcript tables read by position: each row's amount from the credits column, totals kept.

Each page is built from positioned words (as a scan's OCR gives them), so the columns are
where the words are printed, not where characters fall in a line of text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cme_batch.fields.parse import parse_pages
from cme_batch.fields.transcript import printed_total
from tests.fields.pages import page_of
from tests.fields.test_certificate_text import ROSTER, parse

# x of each column of the osteopathic report below.
SPONSOR, PROGRAM, DATE, CAT, CREDITS = 40.0, 150.0, 380.0, 450.0, 500.0


def _report(rows: list[tuple[str, str, str, str]], totals: list[str]) -> list:
    cells: list[tuple[float, float, str]] = [
        (40, 40, "Osteopathic CME Activity Report"),
        (40, 60, "Member: Jane Q. Doe, DO AOA No. 123456"),
        (SPONSOR, 90, "Sponsor"),
        (PROGRAM, 90, "Program"),
        (DATE, 90, "Date"),
        (CAT, 90, "Cat."),
        (CREDITS, 90, "Credits"),
    ]
    top = 110.0
    for title, date, cat, credits in rows:
        cells += [(SPONSOR, top, "Beacon School"), (PROGRAM, top, title), (DATE, top, date)]
        cells += [(CAT, top, cat)] if cat else []
        cells += [(CREDITS, top, credits)] if credits else []
        top += 20
    cells += [(SPONSOR, top + 10 + 15 * n, line) for n, line in enumerate(totals)]
    return parse_pages((page_of(cells, origin="ocr"),), ROSTER)[0].records


ROWS = [
    ("Rheumatoid Arthritis", "07/08/2023", "1A", "7.25"),
    ("Neonatal Jaundice", "07/01/2024", "2A", "1.75"),
    # Category 1-B read by OCR as the number 18, beside the row's own amount.
    ("Partner Violence", "01/07/2025", "18", "4.00"),
    ("Low Back Pain", "02/17/2025", "1-A", "7.75"),
]


def test_each_row_takes_the_amount_in_the_credits_column() -> None:
    records = _report(ROWS, [])
    assert [r.credits for r in records] == [Decimal("7.25"), Decimal("1.75"), 4, Decimal("7.75")]
    assert not any(r.needs_review for r in records), [r.review_reasons for r in records]


def test_a_number_outside_the_credits_column_is_never_the_amount() -> None:
    # The credits cell of the third row was lost: its "18" is a misread category, not 18 credits.
    rows = [*ROWS[:2], ("Partner Violence", "01/07/2025", "18", ""), ROWS[3]]
    records = _report(rows, [])
    third = records[2]
    assert third.credits is None
    assert third.needs_review
    assert "not in the table's credits column" in "; ".join(third.review_reasons)
    assert records[3].credits == Decimal("7.75")


def test_a_credits_cell_that_reads_as_more_than_an_amount_goes_to_review() -> None:
    rows = [*ROWS[:3], ("Low Back Pain", "02/17/2025", "1A", "5 Yas")]
    last = _report(rows, [])[3]
    assert last.credits is None
    assert "the credits cell reads '5 Yas'" in "; ".join(last.review_reasons)


def test_osteopathic_rows_take_their_own_aoa_category() -> None:
    records = _report(ROWS, [])
    types = [r.credit_type for r in records]
    assert types[:2] == ["AOA Category 1-A", "AOA Category 2-A"]
    assert types[3] == "AOA Category 1-A"
    assert [r.category for r in records][:2] == ["1", "2"]


def test_category_subtotals_add_up_to_the_printed_total() -> None:
    assert printed_total("Category 1-A total: 33.00\nCategory 2-A total: 9.25") == Decimal("42.25")
    # A grand total is the total, subtotals or not.
    assert printed_total("Category 1-A total: 3\nTOTAL CREDITS 5.50") == Decimal("5.50")
    # The total word as OCR reads it.
    assert printed_total("Tota! hours:   5") == Decimal(5)


def test_rows_that_do_not_add_up_to_the_subtotals_go_to_review() -> None:
    totals = ["Category 1-A total: 15.00", "Category 2-A total: 1.75", "Category 1-B total: 4.00"]
    assert not any(r.needs_review for r in _report(ROWS, totals))
    short = ["Category 1-A total: 15.00", "Category 2-A total: 9.25", "Category 1-B total: 4.00"]
    records = _report(ROWS, short)
    assert all("prints a total of 28.25" in "; ".join(r.review_reasons) for r in records)


def test_amounts_printed_after_each_title_are_not_a_column() -> None:
    # A text layer's two-row table whose amounts follow each title: no column lines them up.
    text = """Grand Rounds attendance for John Doe, MD
Date   Topic   Credits
07/24/2025   Implicit Bias   1.00
07/29/2026   Intimate Partner Violence: Screening and Response   1.50
Credit type: AMA PRA Category 1 Credits"""
    records = parse(text)[0].records
    assert [(r.activity_date, r.credits) for r in records] == [
        (dt.date(2025, 7, 24), Decimal("1")),
        (dt.date(2026, 7, 29), Decimal("1.5")),
    ]


def _scanned_table(amounts: list[str], conf: float = 0.9) -> list:
    cells: list[tuple[float, float, str]] = [
        (40, 40, "Attendance summary for Jane Q. Doe, MD"),
        (40, 70, "Session date"),
        (150, 70, "Topic"),
        (450, 70, "Credits"),
    ]
    for n, amount in enumerate(amounts):
        top = 90 + 20 * n
        cells += [(40, top, f"0{n + 1}/07/2025"), (150, top, f"Session topic {n + 1}")]
        cells += [(450, top, amount)]
    return parse_pages((page_of(cells, origin="ocr"),), ROSTER)[0].records


def test_a_whole_amount_among_decimals_may_have_lost_its_point() -> None:
    records = _scanned_table(["10", "1.50", "1.0", "1.00"])
    assert records[0].credits == 10
    assert "a decimal point may be lost" in "; ".join(records[0].review_reasons)
    assert not any(r.needs_review for r in records[1:]), [r.review_reasons for r in records]
    # A column of whole amounts is no sign of a lost point.
    assert not any(r.needs_review for r in _scanned_table(["10", "2", "1", "3"]))
