"""Recover the text layer of a PDF that pdfium refuses, with pypdf's lenient reader.

A truncated download or a PDF written by a careless generator often still holds its text: pypdf
(non-strict) rebuilds a broken cross-reference table and reads what it can. Text recovered this
way is marked so every record from it goes to review.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from cme_batch.extract import pdf
from cme_batch.extract.model import DocumentText, PageText

log = logging.getLogger(__name__)
# pypdf narrates every repair it makes; the one warning that matters is ours.
logging.getLogger("pypdf").setLevel(logging.ERROR)

RECOVERED_WARNING = (
    "damaged PDF: its text was recovered by a lenient reader; check the values against a "
    "fresh copy of the file"
)
#: A damaged file is not worth many pages of guessing.
_MAX_PAGES = 200


def recover_text(path: Path) -> DocumentText | None:
    """Return the recovered pages, or ``None`` when nothing usable can be read."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a declared dependency
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                return None
            pages: list[PageText] = []
            for index, page in enumerate(reader.pages[:_MAX_PAGES]):
                text = page.extract_text(extraction_mode="layout") or ""
                # Layout mode pads columns with runs of spaces; keep them as cell gaps.
                lines = [line.rstrip() for line in text.splitlines() if line.strip()]
                text = "\n".join(lines)
                if pdf.is_usable_text(text):
                    pages.append(
                        PageText(index + 1, text, "text", 0.8, warnings=(RECOVERED_WARNING,))
                    )
    except (
        PyPdfError,
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
    ) as exc:
        log.info("%s: lenient recovery failed: %s", path, exc)
        return None
    if not pages:
        return None
    return DocumentText(kind="pdf_text", pages=tuple(pages), warnings=(RECOVERED_WARNING,))
