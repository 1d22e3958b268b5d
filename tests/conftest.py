"""Shared test helpers: small generated certificates (real PDFs and real rendered scans)."""

from __future__ import annotations

import os
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


# OCR in tests: the real tesseract program when it is installed, otherwise the replay engine,
# which answers from recordings of real tesseract output (tests/extract/recordings), so every
# test that reads a scan runs on a machine without tesseract. ``--ocr-engine`` forces one: ``replay`` to run the fast tier beside tesseract,
# ``record`` to refresh the recordings after a change to what OCR is asked.
RECORDINGS = Path(__file__).resolve().parent / "extract" / "recordings"


def _has_real_tesseract() -> bool:
    return shutil.which(os.environ.get("CME_BATCH_TESSERACT") or "tesseract") is not None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--ocr-engine",
        choices=("auto", "real", "replay", "record"),
        default="auto",
        help="OCR engine for the tests (auto: real tesseract when installed, else replay)",
    )


def pytest_configure(config: pytest.Config) -> None:
    chosen = config.getoption("--ocr-engine")
    has_real = _has_real_tesseract()
    if chosen == "auto":
        chosen = "real" if has_real else "replay"
    if chosen in ("real", "record") and not has_real:
        raise pytest.UsageError(f"--ocr-engine {chosen} needs tesseract, which is not installed")
    # The full suite (make test, CI) must exercise the real-tesseract tier, not skip it.
    if os.environ.get("CME_BATCH_REQUIRE_TESSERACT") == "1" and chosen != "real":
        raise pytest.UsageError(
            "the real-tesseract tier is required (CME_BATCH_REQUIRE_TESSERACT=1) but "
            f"tests would use the {chosen} engine: install tesseract-ocr"
        )
    # Environment variables, so CLI subprocesses and worker processes read the same way.
    os.environ["CME_BATCH_OCR_ENGINE"] = "auto" if chosen == "real" else chosen
    os.environ["CME_BATCH_OCR_RECORDINGS"] = str(RECORDINGS)
    config.stash[_ENGINE] = chosen


_ENGINE = pytest.StashKey[str]()


def pytest_report_header(config: pytest.Config) -> str:
    return f"OCR engine: {config.stash.get(_ENGINE, '?')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.stash.get(_ENGINE, "") in ("real", "record"):
        return
    skip = pytest.mark.skip(reason="needs the real tesseract (replay engine in use)")
    for item in items:
        if item.get_closest_marker("tesseract") is not None:
            item.add_marker(skip)


#: For tests that read scans: with the replay engine they run without tesseract.
requires_tesseract = pytest.mark.ocr
#: For tests of the tesseract program itself (version facts, its timeout, recordings' drift).
requires_tesseract_program = pytest.mark.tesseract
