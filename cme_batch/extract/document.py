"""Read one inbox file into page texts: the text layer where it is usable, OCR otherwise."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from cme_batch.extract import ocr, pdf, preprocess, raster
from cme_batch.extract.model import DocumentText, PageText

log = logging.getLogger(__name__)

#: Below this mean word confidence an upright-looking OCR result is retried after asking
#: tesseract's orientation detector whether the page is turned.
_RETRY_ORIENTATION_BELOW = 0.75
#: DPI used for the cheap blank-page check before a full render.
_BLANK_CHECK_DPI = 30


@dataclass(frozen=True)
class ReadOptions:
    """How pages are read.

    Attributes:
        page_timeout: Seconds one page's OCR may take.
        max_pages: Pages read from one file; later ones are reported, not read.
        deskew: Straighten scans before OCR.
    """

    page_timeout: float = ocr.DEFAULT_PAGE_TIMEOUT
    max_pages: int = 2000
    deskew: bool = True


def read_document(path: Path, kind: str, options: ReadOptions | None = None) -> DocumentText:
    """Read a PDF or image file into :class:`DocumentText`; never raises for a bad file.

    Args:
        path: The file.
        kind: The sniffed type (``pdf``, ``png``, ``jpeg``, ``tiff``).
        options: Reading options.

    Returns:
        The pages, or ``error`` set to a reason a person can act on.
    """
    options = options or ReadOptions()
    try:
        if kind == "pdf":
            return _read_pdf(path, options)
        return _read_images(raster.image_frames(path), options, kind="image")
    except (pdf.PdfError, raster.RasterError) as exc:
        return DocumentText(kind="pdf" if kind == "pdf" else "image", error=str(exc))
    except FileNotFoundError:
        return DocumentText(kind=kind, error="file disappeared while being read: rerun when it is back")
    except MemoryError:
        return DocumentText(kind=kind, error="file too large to read in memory: split or rescan it")


def _read_pdf(path: Path, options: ReadOptions) -> DocumentText:
    pages: list[PageText] = []
    warnings: list[str] = []
    with pdf.open_pdf(path) as doc:
        total = len(doc)
        if total == 0:
            return DocumentText(kind="pdf", error="PDF has no pages: download or scan it again")
        if total > options.max_pages:
            warnings.append(f"only the first {options.max_pages} of {total} pages were read")
        for index in range(min(total, options.max_pages)):
            page = doc[index]
            try:
                text = pdf.page_text(page)
                if pdf.is_usable_text(text):
                    pages.append(PageText(index + 1, text, "text", 1.0))
                    continue
                dpi = raster.page_dpi(page)
                if preprocess.is_blank(raster.render_page(page, _BLANK_CHECK_DPI)):
                    pages.append(PageText(index + 1, "", "blank", 1.0))
                    continue
                image = raster.render_page(page, dpi)
            finally:
                page.close()
            pages.append(_ocr_page(index + 1, image, options))
    origins = {p.origin for p in pages if p.origin != "blank"}
    if origins == {"text"}:
        kind = "pdf_text"
    elif origins <= {"ocr"}:
        kind = "pdf_scanned"
    else:
        kind = "pdf_mixed"
    return DocumentText(kind=kind, pages=tuple(pages), warnings=tuple(warnings))


def _read_images(frames: Iterable[Image.Image], options: ReadOptions, kind: str) -> DocumentText:
    pages: list[PageText] = []
    for index, frame in enumerate(frames):
        if index >= options.max_pages:
            break
        if preprocess.is_blank(frame):
            pages.append(PageText(index + 1, "", "blank", 1.0))
            continue
        pages.append(_ocr_page(index + 1, frame, options))
    if not pages:
        return DocumentText(kind=kind, error="image has no frames: scan it again")
    return DocumentText(kind=kind, pages=tuple(pages))


def _ocr_page(number: int, image: Image.Image, options: ReadOptions) -> PageText:
    """OCR one page, correcting orientation and skew; a timeout becomes a warning, not a crash."""
    try:
        return _ocr_upright(number, image, options)
    except ocr.OcrTimeoutError:
        log.warning("page %d: OCR timed out after %.0f s", number, options.page_timeout)
        return PageText(
            number,
            "",
            "ocr",
            0.0,
            warnings=(f"OCR timed out after {options.page_timeout:.0f} s: rescan the page more cleanly",),
        )


def _ocr_upright(number: int, image: Image.Image, options: ReadOptions) -> PageText:
    prepared = preprocess.normalize(image)
    straight = preprocess.deskew(prepared)[0] if options.deskew else prepared
    first = ocr.ocr_image(straight, timeout=options.page_timeout)
    if first.confidence >= _RETRY_ORIENTATION_BELOW and first.words >= 15:
        return PageText(number, first.text, "ocr", first.confidence)
    # Low confidence: the page may be turned. Ask the orientation detector, then re-read.
    degrees, osd_conf = ocr.detect_rotation(prepared, timeout=options.page_timeout)
    if degrees == 0 or osd_conf < 1.0:
        return PageText(number, first.text, "ocr", first.confidence)
    # OSD reports the clockwise rotation needed; PIL rotates counter-clockwise.
    turned = prepared.rotate(-degrees, expand=True, fillcolor=255)
    if options.deskew:
        turned = preprocess.deskew(turned)[0]
    second = ocr.ocr_image(turned, timeout=options.page_timeout)
    if second.confidence * max(second.words, 1) > first.confidence * max(first.words, 1):
        return PageText(number, second.text, "ocr", second.confidence, rotation=degrees)
    return PageText(number, first.text, "ocr", first.confidence)
