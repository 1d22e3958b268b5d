"""The positioned-word model: rows built from geometry, the flat view, and storage."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from cme_batch.extract import layout, pdf
from cme_batch.extract.model import PageText, Word
from cme_batch.process import DocResult
from cme_batch.state import open_state


def _word(text: str, x0: float, top: float, line: int, width: float = 30.0) -> Word:
    return Word(text, x0, top, x0 + width, top + 10.0, size=10.0, conf=0.9, line=line)


def test_ocr_lines_on_one_baseline_join_with_a_column_gap() -> None:
    # Two tesseract blocks side by side (a label column and a value column) are one row.
    words = [
        _word("Credits", 10, 100, line=0),
        _word("earned", 45, 100, line=0),
        _word("1.50", 300, 101, line=1),
        _word("Date", 10, 130, line=2),
    ]
    assert layout.render(words, layout.OCR) == "Credits earned   1.50\nDate"


def test_ocr_lines_that_overlap_horizontally_stay_apart() -> None:
    # A wrapped title's second line touches the first in height but sits under it.
    words = [_word("Opioid", 10, 100, line=0), _word("Prescribing", 12, 104, line=1)]
    assert layout.render(words, layout.OCR).splitlines() == ["Opioid", "Prescribing"]


def test_a_ruled_line_mark_is_a_cell_boundary() -> None:
    words = [
        _word("Credits", 10, 100, line=0),
        Word("", 42, 100, 44, 110, size=10.0, conf=0.5, line=0),
        _word("1.00", 46, 100, line=0),
    ]
    assert layout.render(words, layout.OCR) == "Credits   1.00"


def _pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Date of activity:")
    c.drawString(300, 700, "March 3, 2026")
    c.drawString(72, 680, "Credits")
    c.drawString(300, 680, "2.00 AMA PRA Category 1 Credits")
    c.save()
    return path


def test_text_layer_words_are_in_points_from_the_top_left(tmp_path: Path) -> None:
    with pdf.open_pdf(_pdf(tmp_path / "a.pdf")) as doc:
        page = doc[0]
        words, _plain = pdf.page_words(page)
        height = page.get_height()
        text = pdf.page_text(page)
    date = next(w for w in words if w.text == "Date")
    march = next(w for w in words if w.text == "March")
    assert abs(date.x0 - 72) < 2 and abs(march.x0 - 300) < 2
    # Drawn at y=700 from the bottom: its baseline is height - 700 from the top.
    assert abs(date.bottom - (height - 700)) < 3
    assert date.top < date.bottom
    assert text.splitlines() == [
        "Date of activity:   March 3, 2026",
        "Credits   2.00 AMA PRA Category 1 Credits",
    ]


def test_state_database_keeps_the_words(tmp_path: Path) -> None:
    words = (_word("Credits", 10, 100, line=0), _word("1.50", 300, 101, line=1))
    page = PageText(
        1, "Credits   1.50", "ocr", 0.9, words=words, width=612.0, height=792.0, settings="psm 3"
    )
    state = open_state(tmp_path / "state.sqlite")
    try:
        state.save_result("ab" * 32, DocResult("image", 1, "no_certificate", "none", (), (page,)))
        (back,) = state.load_pages("ab" * 32)
    finally:
        state.close()
    assert back.words == words
    assert (back.width, back.height, back.settings) == (612.0, 792.0, "psm 3")
    assert back.text == page.text
