"""Captions, table columns and row amounts paired from positions, never by cell index."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from cme_batch.extract.model import PageText, Word
from cme_batch.fields import geometry
from cme_batch.fields.geometry import Box, Layout
from cme_batch.fields.parse import parse_pages
from tests.fields.pages import SIZE, cell_words, page_of, page_of_words
from tests.fields.test_certificate_text import ROSTER


def _records(page: PageText):  # type: ignore[no-untyped-def]
    (outcome,) = parse_pages((page,), ROSTER)
    return outcome.records


# --- the geometry itself -------------------------------------------------------------------


def test_a_layout_renders_the_pages_own_text_and_finds_each_offsets_words() -> None:
    page = page_of([(72, 100, "Date of activity"), (300, 100, "March 3, 2026")])
    layout = Layout.from_page(page)
    assert layout.text == page.text == "Date of activity   March 3, 2026"
    found = layout.box_at(layout.text.index("March"), layout.text.index("March") + 5)
    assert found is not None
    where, box = found
    assert (where.line, where.cell) == (0, 1)
    assert box.x0 == 300 and box.x1 == 300 + 5 * 5.0


def test_the_caption_below_is_the_overlapping_cell_not_the_same_index() -> None:
    page = page_of(
        [
            (300, 100, "08/12/2025"),
            (72, 115, "Date issued"),
            (300, 115, "Date of activity"),
        ]
    )
    layout = Layout.from_page(page)
    where, box = layout.box_at(0, 10) or pytest.fail("no box")
    assert where.cell == 0  # the first cell of its row ...
    caption = layout.caption_below(where, box)
    assert caption is not None and caption.text == "Date of activity"  # ... under the second


def test_a_caption_too_far_below_is_no_caption() -> None:
    layout = Layout.from_page(page_of([(72, 100, "08/12/2025"), (72, 100 + 6 * SIZE, "Date")]))
    where, box = layout.box_at(0, 10) or pytest.fail("no box")
    assert layout.caption_below(where, box) is None


def test_a_box_between_two_rows_belongs_to_neither() -> None:
    rows = [Box(0, 100, 50, 110), Box(0, 120, 50, 130)]
    assert geometry.owning_row(Box(60, 102, 80, 112), rows) == 0
    assert geometry.owning_row(Box(60, 110, 80, 120), rows) is None  # touches both alike
    assert geometry.owning_row(Box(60, 140, 80, 150), rows) is None  # overlaps neither


def test_the_tilt_of_a_page_is_measured_along_its_rows() -> None:
    rows = [[Box(40, y, 90, y + 10), Box(400, y + 14, 450, y + 24)] for y in (100, 130, 160)]
    assert geometry.skew(rows) == pytest.approx(14 / 360)
    assert geometry.skew([rows[0]]) == 0.0  # one row is no evidence


def test_flat_text_without_words_is_read_on_a_fixed_pitch_grid() -> None:
    layout = Layout.from_text("08/12/2025          4\nDate of activity    Credits claimed")
    assert layout.text == "08/12/2025   4\nDate of activity   Credits claimed"
    where, box = layout.box_at(13, 14) or pytest.fail("no box")
    caption = layout.caption_below(where, box)
    assert caption is not None and caption.text == "Credits claimed"


# --- Done when: a two-caption row with an empty left value cell ---------------------------

HEADER = [
    (72, 60, "Cape Ann Community Hospital"),
    (72, 90, "CME CERTIFICATE"),
    (72, 130, "DOE, JOHN"),
    (72, 145, "Participant name"),
    (72, 180, "Hypertension Guidelines: A Practical Review"),
    (72, 195, "Activity title"),
]


def test_a_date_under_the_right_caption_of_a_two_caption_row_pairs_with_that_caption() -> None:
    # The left value cell is empty: the date is the first cell of its row, under the second
    # caption. By cell index it took "Date issued" (and the page had no activity date).
    page = page_of(
        [
            *HEADER,
            (300, 230, "08/12/2025"),
            (72, 245, "Date issued"),
            (300, 245, "Date of activity"),
            (72, 280, "1.5 AMA PRA Category 1 Credits™"),
            (72, 295, "Credits awarded"),
        ]
    )
    (record,) = _records(page)
    assert record.activity_date == dt.date(2025, 8, 12)
    assert record.credits == Decimal("1.5")
    assert not any("date" in r for r in record.review_reasons)


def test_an_empty_credit_cell_is_not_filled_from_the_neighbouring_column() -> None:
    # Captions "Credits claimed | MOC points | Date of activity"; the credits cell is empty.
    # By cell index the MOC points took the "Credits claimed" caption: 2 credits, unflagged.
    page = page_of(
        [
            *HEADER,
            (250, 230, "2"),
            (420, 230, "08/12/2025"),
            (72, 245, "Credits claimed"),
            (250, 245, "MOC points"),
            (420, 245, "Date of activity"),
            (72, 280, "Credit type: AMA PRA Category 1 Credits™"),
        ]
    )
    (record,) = _records(page)
    assert record.credits is None
    assert "credit amount could not be read" in record.review_reasons
    assert record.needs_review
    assert record.activity_date == dt.date(2025, 8, 12)


# --- Done when: a transcript whose credit column OCR offset from its rows -----------------

ROWS = [
    ("01/15/2026", "Diagnostic Error Reduction", "Bayside Risk Society", "2.00"),
    ("02/03/2026", "Opioid Stewardship in Primary Care", "Harborview Institute", "3.25"),
    ("02/20/2026", "Implicit Bias in Health Care", "Commonwealth Learning", "1.50"),
    ("03/09/2026", "Child Abuse Mandated Reporting", "State Pediatrics", "0.75"),
]


def _transcript_words(
    tilt: float, column_drop: float, column_shift: float, unprinted: int | None = None
) -> list[Word]:
    """A scanned transcript's words: every word lowered by ``tilt`` per point right, and the
    credits column (read by tesseract as a block of its own) a further ``column_drop`` lower
    and ``column_shift`` right of where its rows would put it; row ``unprinted`` has no amount."""
    words: list[Word] = []
    line = 0

    def put(cells: list[tuple[float, str]], top: float, same_line: bool = True) -> None:
        nonlocal line
        for x, text in cells:
            for w in cell_words(x, top, text, line, 0.9):
                dy = tilt * w.x0
                words.append(Word(w.text, w.x0, w.top + dy, w.x1, w.bottom + dy, SIZE, 0.9, line))
            if not same_line:
                line += 1
        line += 1

    put([(40, "Bay State CME Tracker — Transcript")], 60)
    put([(40, "Physician: Jane Quinn Doe, MD"), (330, "License: 123456")], 90)
    put([(40, "Date"), (120, "Activity"), (330, "Provider"), (520, "Credits")], 130)
    for k, (date, title, provider, _amount) in enumerate(ROWS):
        put([(40, date), (120, title), (330, provider)], 155 + 24 * k)
    for k, (*_rest, amount) in enumerate(ROWS):
        if k != unprinted:
            put([(520 + column_shift, amount)], 155 + 24 * k + column_drop)
    put([(40, "Total credits"), (520, "7.50")], 155 + 24 * len(ROWS) + 6)
    put([(40, "All credits are AMA PRA Category 1 Credits™.")], 280)
    return words


@pytest.mark.parametrize(
    ("tilt", "drop", "shift"),
    [
        (0.0, 7.0, 3.0),  # the column a few points low and right: no row builder joins it
        (0.0, -6.5, -2.0),  # ... or high and left
        (0.035, 0.0, 2.0),  # a tilted scan: the column 18 points below its rows' dates
        (0.0, 9.0, 0.0),  # the whole column out of register, 9 points low: off alike
        (0.02, 8.0, 0.0),  # tilted, and the column's block read lower still
    ],
)
def test_each_amount_of_an_offset_credit_column_stays_with_its_own_row(
    tilt: float, drop: float, shift: float
) -> None:
    page = page_of_words(_transcript_words(tilt, drop, shift), origin="ocr")
    records = _records(page)
    assert [(r.activity_date, r.credits) for r in records] == _expected_rows()
    assert [r.activity_title for r in records] == [t for _d, t, _p, _a in ROWS]
    assert [r.provider for r in records] == [p for _d, _t, p, _a in ROWS]
    assert {r.physician_id for r in records} == {"P1"}
    # The rows add up to the printed total, so nothing is flagged for it.
    assert not any("total" in reason for r in records for reason in r.review_reasons)


@pytest.mark.parametrize("drop", [12.0, 15.0])
def test_a_column_half_a_row_or_more_low_is_read_as_low_not_high(drop: float) -> None:
    # Dropped half a row pitch or more, each amount is as near (or nearer) the next row as its
    # own. Only one offset gives every row one amount: read as high instead, the first row
    # would have none and the last amount no row.
    page = page_of_words(_transcript_words(0.0, drop, 0.0), origin="ocr")
    assert [(r.activity_date, r.credits) for r in _records(page)] == _expected_rows()


def test_amounts_halfway_between_rows_that_fit_either_way_go_to_no_row() -> None:
    # Half a row low, and one row printed without an amount: as low or as high, three rows
    # get one amount each. Positions cannot say which, so no row takes one: every row goes to
    # review with its amount unread, never with a neighbour's.
    page = page_of_words(_transcript_words(0.0, 12.0, 0.0, unprinted=3), origin="ocr")
    records = _records(page)
    assert len(records) == len(ROWS)
    assert [r.credits for r in records] == [None] * len(ROWS)
    assert all("credit amount could not be read" in r.review_reasons for r in records)


# --- wrapped cells go to the column they overlap --------------------------------------------


def test_wrapped_transcript_cells_continue_the_column_they_sit_in() -> None:
    columns = (40, 120, 330, 470, 560)
    cells = [
        (40, 40, "CMEtrack Transcript Services"),
        (40, 60, "Name: Jane Q. Doe, MD"),
        (330, 60, "License: MA 123456"),
        *zip(
            columns,
            [90] * 5,
            ["Date", "Activity Title", "Provider", "Credit Type", "Credits"],
            strict=True,
        ),
    ]
    rows = [
        ("05-Feb-2023", "Thyroid Nodules: Evaluation and", "Commonwealth Physician", "1.04"),
        (None, "Follow-Up", "Education Alliance", None),
        ("22-Nov-2023", "Massachusetts Medical Practice", "Quabbin Regional Hospital", "1.81"),
        (None, "Law and Board of Registration", None, None),
        ("09-Feb-2025", "Pediatric Fever Without a Source", "Commonwealth Academy of", "3.40"),
        (None, None, "Family Physicians", None),
        ("12-Apr-2025", "Diabetic Foot Care", "Cape Ann Community Hospital", "0.53"),
    ]
    for k, (date, title, provider, amount) in enumerate(rows):
        top = 115 + 14 * k
        texts = (date, title, provider, "AMA PRA Cat 1" if amount else None, amount)
        for x, text in zip(columns, texts, strict=True):
            if text:
                cells.append((x, top, text))
    records = _records(page_of(cells))
    assert [(r.activity_title, r.provider) for r in records] == [
        ("Thyroid Nodules: Evaluation and Follow-Up", "Commonwealth Physician Education Alliance"),
        (
            "Massachusetts Medical Practice Law and Board of Registration",
            "Quabbin Regional Hospital",
        ),
        ("Pediatric Fever Without a Source", "Commonwealth Academy of Family Physicians"),
        ("Diabetic Foot Care", "Cape Ann Community Hospital"),
    ]


# --- the same from a real PDF, and from its scan read by tesseract --------------------------


def _two_caption_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    height = letter[1]
    for size, x, top, text in [
        (16, 72, 80, "Cape Ann Community Hospital"),
        (14, 72, 120, "CME CERTIFICATE"),
        (13, 72, 170, "DOE, JOHN"),
        (10, 72, 186, "Participant name"),
        (13, 72, 230, "Hypertension Guidelines: A Practical Review"),
        (10, 72, 246, "Activity title"),
        (13, 330, 300, "08/12/2025"),
        (10, 72, 316, "Date issued"),
        (10, 330, 316, "Date of activity"),
        (13, 72, 370, "1.5 AMA PRA Category 1 Credits"),
        (10, 72, 386, "Credits awarded"),
    ]:
        pdf.setFont("Helvetica", size)
        pdf.drawString(x, height - top, text)
    pdf.save()
    return path


def test_a_real_pdf_pairs_the_date_with_the_caption_under_it(tmp_path: Path) -> None:
    from cme_batch.extract.document import read_document

    document = read_document(_two_caption_pdf(tmp_path / "two.pdf"), "pdf")
    (page,) = document.pages
    assert page.origin == "text" and page.words
    (record,) = _records(page)
    assert (record.physician_id, record.activity_date, record.credits) == (
        "P2",
        dt.date(2025, 8, 12),
        Decimal("1.5"),
    )


@pytest.mark.ocr
def test_a_scan_read_by_tesseract_pairs_the_date_with_the_caption_under_it(
    tmp_path: Path,
) -> None:
    from cme_batch.extract.document import read_document
    from tests.conftest import render

    image = render(_two_caption_pdf(tmp_path / "two.pdf"), dpi=200)
    image.save(tmp_path / "two.png")
    document = read_document(tmp_path / "two.png", "image")
    (page,) = document.pages
    assert page.origin == "ocr" and page.words
    (record,) = _records(page)
    assert record.activity_date == dt.date(2025, 8, 12)
    assert record.credits == Decimal("1.5")


def _transcript_pdf(path: Path, drop: float) -> Path:
    """A transcript whose credits column is printed ``drop`` points below its rows."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)

    def put(x: float, top: float, text: str, size: int = 11) -> None:
        pdf.setFont("Helvetica", size)
        pdf.drawString(x, letter[1] - top, text)

    put(50, 70, "Bay State CME Tracker - Transcript", 14)
    put(50, 100, "Physician: Jane Quinn Doe, MD")
    put(330, 100, "License: 123456")
    for x, text in [(50, "Date"), (130, "Activity"), (340, "Provider"), (500, "Credits")]:
        put(x, 140, text)
    for k, (date, title, provider, amount) in enumerate(ROWS):
        top = 165 + 24 * k
        put(50, top, date)
        put(130, top, title)
        put(340, top, provider)
        put(505, top + drop, amount)
    put(50, 267, "Total credits")
    put(505, 267, "7.50")
    put(50, 300, "All credits are AMA PRA Category 1 Credits.")
    pdf.save()
    return path


def _expected_rows() -> list[tuple[dt.date, Decimal]]:
    return [
        (dt.datetime.strptime(d, "%m/%d/%Y").date(), Decimal(a).normalize())
        for d, _t, _p, a in ROWS
    ]


def test_a_real_pdf_whose_credit_column_is_printed_low_pairs_each_amount_with_its_row(
    tmp_path: Path,
) -> None:
    from cme_batch.extract.document import read_document

    document = read_document(_transcript_pdf(tmp_path / "low.pdf", 9.0), "pdf")
    (page,) = document.pages
    records = _records(page)
    assert [(r.activity_date, r.credits) for r in records] == _expected_rows()
    assert not any(r.needs_review for r in records)


@pytest.mark.ocr
def test_a_scan_whose_credit_column_is_printed_low_pairs_each_amount_with_its_row(
    tmp_path: Path,
) -> None:
    from cme_batch.extract.document import read_document
    from tests.conftest import render

    render(_transcript_pdf(tmp_path / "low.pdf", 9.0), dpi=200).save(tmp_path / "low.png")
    document = read_document(tmp_path / "low.png", "image")
    (page,) = document.pages
    assert page.origin == "ocr"
    records = _records(page)
    assert [(r.activity_date, r.credits) for r in records] == _expected_rows()
