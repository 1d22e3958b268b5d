"""Generate certificate PDFs, scanned-looking PNGs and a roster for state and speed tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

ROSTER_COLUMNS = (
    "physician_id", "last_name", "first_name", "middle_name", "degree", "license_number",
    "license_expires", "prescribes_controlled_substances", "first_licensed", "email",
)  # fmt: skip

PHYSICIANS = (
    ("P001", "Doe", "Jane", "Q", "MD", "123456"),
    ("P002", "Okafor", "Samuel", "", "MD", "234567"),
    ("P003", "Lindqvist", "Maria", "T", "DO", "345678"),
    ("P004", "Chen", "Wei", "", "MD", "456789"),
)

TITLES = (
    "Risk Management in Outpatient Practice",
    "Safe Opioid Prescribing and Pain Management",
    "Advances in Heart Failure Care",
    "Implicit Bias in Health Care",
    "Updates in Diabetes Management",
    "End-of-Life Care Conversations",
    "Electronic Health Records Proficiency",
    "Board of Registration in Medicine Regulations",
)


@dataclass(frozen=True)
class Cert:
    """One certificate's content."""

    physician: int
    title: str
    date: dt.date
    credits: str

    def lines(self) -> list[str]:
        pid, last, first, middle, degree, _ = PHYSICIANS[self.physician]
        name = " ".join(p for p in (first, f"{middle}." if middle else "", last) if p)
        return [
            "This certifies that",
            f"{name}, {degree}",
            "has completed",
            self.title,
            f"Completed on {self.date.strftime('%B')} {self.date.day}, {self.date.year}",
            f"and is awarded {self.credits} AMA PRA Category 1 Credits",
        ]


def cert(n: int) -> Cert:
    """The n-th certificate of a deterministic series."""
    return Cert(
        physician=n % len(PHYSICIANS),
        title=f"{TITLES[n % len(TITLES)]} (session {n})",
        # 1019 is prime: no two certificates of a series below 20,380 share physician, date
        # and credits, so none is taken for a duplicate of another.
        date=dt.date(2024, 1, 1) + dt.timedelta(days=n % 1019),
        credits=("1.0", "2.0", "3.0", "1.5", "4.0")[n % 5],
    )


def pdf_bytes(certs: list[Cert]) -> bytes:
    """A text PDF with one certificate per page."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter, invariant=True)
    width, height = letter
    for c in certs:
        y = height - 200
        for i, line in enumerate(c.lines()):
            page.setFont(
                "Helvetica-Bold" if i in (1, 3) else "Helvetica", 20 if i in (1, 3) else 14
            )
            page.drawCentredString(width / 2, y, line)
            y -= 40
        page.showPage()
    page.save()
    return buffer.getvalue()


def write_lines_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page text PDF of centred lines (for pages that are not a :class:`Cert`)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=letter, invariant=True)
    y = letter[1] - 200
    for line in lines:
        page.setFont("Helvetica", 16)
        page.drawCentredString(letter[0] / 2, y, line)
        y -= 40
    page.showPage()
    page.save()
    return path


def write_pdf(path: Path, certs: list[Cert]) -> Path:
    """Write a text PDF of ``certs``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(certs))
    return path


def write_png(path: Path, c: Cert, dpi: int = 300) -> Path:
    """Render a certificate page to a PNG, as a scan of a printout would be (no text layer)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes([c]))
    try:
        image = document[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, dpi=(dpi, dpi))
    return path


def write_roster(path: Path) -> Path:
    """A roster of :data:`PHYSICIANS`, licenses renewing in 2027."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(ROSTER_COLUMNS)
        for i, (pid, last, first, middle, degree, lic) in enumerate(PHYSICIANS):
            writer.writerow(
                [pid, last, first, middle, degree, lic, f"2027-0{i + 1}-15", "yes", "2010-07-01",
                 f"{first.lower()}@example.org"]
            )  # fmt: skip
    return path


def write_inbox(inbox: Path, count: int, start: int = 0) -> list[Path]:
    """``count`` single-page text PDFs named ``cert-0000.pdf`` ..."""
    return [write_pdf(inbox / f"cert-{n:04d}.pdf", [cert(n)]) for n in range(start, start + count)]
