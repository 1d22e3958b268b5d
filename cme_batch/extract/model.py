"""Small immutable results passed from the readers to the field parser."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageText:
    """The text of one page and where it came from.

    Attributes:
        number: 1-based page number in the file.
        text: Lines of text; wide gaps between words on a line are kept as three or more
            spaces so that columns (label / value, table cells) stay apart.
        origin: ``text`` (PDF text layer), ``ocr`` or ``blank`` (no ink, not OCR'd).
        confidence: 0..1: 1.0 for a text layer, tesseract's mean word confidence for OCR.
        rotation: Degrees the page was turned before OCR (0, 90, 180, 270).
        warnings: Things a person may need to know (OCR timed out, orientation unsure, ...).
        timed_out: OCR gave up on this page, so its text is missing, not absent: the
            document cannot be called complete (see ``process``).
    """

    number: int
    text: str
    origin: str
    confidence: float
    rotation: int = 0
    warnings: tuple[str, ...] = ()
    timed_out: bool = False


@dataclass(frozen=True)
class DocumentText:
    """All pages of one inbox file, or why it could not be read.

    Attributes:
        kind: ``pdf_text``, ``pdf_scanned``, ``pdf_mixed``, ``pdf_blank`` or ``image``
            (``pdf`` or ``image`` alone when the file could not be read).
        pages: The pages, in order.
        error: Empty when read; otherwise a reason a person can act on.
        warnings: Parts of the file that were not read (pages past a limit, pages given up
            after repeated OCR timeouts), each with what to do.
    """

    kind: str
    pages: tuple[PageText, ...] = ()
    error: str = ""
    warnings: tuple[str, ...] = field(default=())
