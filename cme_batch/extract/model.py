"""Small immutable results passed from the readers to the field parser.

A page is read into positioned words (:class:`Word`), the same model for a PDF text layer and
for OCR; the flat text the cue patterns read is a view of those words, built once by
:mod:`cme_batch.extract.layout`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    """One word on a page, with its box.

    Boxes are in points (1/72 inch) from the page's top left corner, whatever the origin: a
    text layer's own coordinates, or OCR pixels scaled by the resolution they were read at.

    Attributes:
        text: The word; empty for a ruled table line that OCR read as a glyph ("|"): no text,
            but a cell boundary where it stood.
        x0: Left edge.
        top: Top edge.
        x1: Right edge.
        bottom: Bottom edge.
        size: Type size: the median glyph height of a text-layer word, the box height of an
            OCR word. Gaps are judged against it (a gap of several type sizes is a column gap).
        conf: 0..1: 1.0 for a text layer, tesseract's word confidence for OCR.
        line: The reading engine's own line the word belongs to (pdfium's text line,
            tesseract's block/paragraph/line), numbered per page; words of one engine line
            stay on one rendered line.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    conf: float = 1.0
    line: int = 0

    @property
    def centre(self) -> float:
        """Vertical middle of the box."""
        return (self.top + self.bottom) / 2

    def overlaps_x(self, other: Word) -> bool:
        """Whether the two boxes share some horizontal extent."""
        return not (self.x0 > other.x1 or self.x1 < other.x0)


@dataclass(frozen=True)
class PageText:
    """One page: its positioned words, their flat text view, and where they came from.

    Attributes:
        number: 1-based page number in the file.
        text: Lines of text rendered from ``words``; wide gaps between words on a line are
            kept as three or more spaces so that columns (label / value, table cells) stay
            apart.
        origin: ``text`` (PDF text layer), ``ocr`` or ``blank`` (no ink, not OCR'd).
        confidence: 0..1: 1.0 for a text layer, tesseract's mean word confidence for OCR.
        rotation: Degrees the page was turned before OCR (0, 90, 180, 270).
        warnings: Things a person may need to know (OCR timed out, orientation unsure, ...).
        timed_out: OCR gave up on this page, so its text is missing, not absent: the
            document cannot be called complete (see ``process``).
        words: The positioned words ``text`` was rendered from, in reading order; empty for
            a blank page, a page read before words were kept, or a text layer whose
            characters carry no usable boxes.
        width: Page width in points (0 when unknown).
        height: Page height in points (0 when unknown).
        settings: How the words were read: empty for a text layer, the OCR settings
            (segmentation mode, preprocessing) for OCR.
    """

    number: int
    text: str
    origin: str
    confidence: float
    rotation: int = 0
    warnings: tuple[str, ...] = ()
    timed_out: bool = False
    words: tuple[Word, ...] = ()
    width: float = 0.0
    height: float = 0.0
    settings: str = ""


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
