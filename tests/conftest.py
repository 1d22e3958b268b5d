"""Shared test helpers: small generated certificates (real PDFs and real rendered scans)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

ROSTER_CSV = """physician_id,last_name,first_name,middle_name,degree,license_number,license_expires,prescribes_controlled_substances,first_licensed,email
P1,Doe,Jane,Quinn,MD,123456,2027-03-14,yes,2001-07-01,jane.doe@example.org
P2,Doe,John,,MD,223344,2026-12-20,no,2010-07-01,john.doe@example.org
P3,Okafor-Reyes,Amara,,DO,445566,2027-08-02,yes,2012-07-01,amara@example.org
"""


def write_certificate_pdf(
    path: Path, lines: Sequence[tuple[int, str]], landscape: bool = False
) -> Path:
    """Draw centred lines (font size, text) on a letter page with reportlab's built-in fonts."""
    from reportlab.lib.pagesizes import landscape as to_landscape
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    size = to_landscape(letter) if landscape else letter
    pdf = canvas.Canvas(str(path), pagesize=size, invariant=1)
    y = size[1] - 110
    for font_size, text in lines:
        pdf.setFont("Helvetica", font_size)
        pdf.drawCentredString(size[0] / 2, y, text)
        y -= font_size * 2.3
    pdf.save()
    return path


def render(path: Path, dpi: int = 200, page: int = 0):  # type: ignore[no-untyped-def]
    """Render a PDF page to a grayscale PIL image, as a scanner would produce."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()


def cert_lines(
    name: str, title: str, date: str, credits: str, provider: str
) -> list[tuple[int, str]]:
    return [
        (20, provider),
        (16, "Certificate of Completion"),
        (12, "This certifies that"),
        (18, name),
        (12, "has completed the activity"),
        (14, title),
        (12, f"Completed on {date}"),
        (12, f"and is awarded {credits} AMA PRA Category 1 Credits(TM)"),
    ]


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV)
    return path


requires_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract not installed"
)
