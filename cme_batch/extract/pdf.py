"""PDF text layers, through pdfium: open, count pages, read a page's text in lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium

#: A text layer with fewer letters than this is treated as missing (a scan with a stray label).
MIN_LETTERS = 25

_WORDISH = re.compile(r"[A-Za-z]{3,}")


class PdfError(Exception):
    """A PDF that cannot be opened, with a reason a person can act on.

    Attributes:
        encrypted: True when a password (not damage) is what stops it.
    """

    def __init__(self, message: str, encrypted: bool = False) -> None:
        super().__init__(message)
        self.encrypted = encrypted


@contextmanager
def open_pdf(path: Path, password: str | None = None) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF, turning pdfium's errors into :class:`PdfError` with advice.

    The file is opened by Python and handed to pdfium as a stream, so a missing file raises
    :class:`FileNotFoundError` (not pdfium's generic "file access error") and a file replaced
    while it is read is still read from the one handle opened first.

    Args:
        path: The file.
        password: Tried as the user password. With ``None`` a PDF whose user password is
            empty (the common "printing restricted" case) is opened too: pdfium tries the
            empty password itself, and ``""`` is tried explicitly if it does not.

    Yields:
        The open document, closed on exit.

    Raises:
        PdfError: Encrypted with a real password, or corrupt.
        FileNotFoundError: The file disappeared.
    """
    with path.open("rb") as handle:
        doc = _load(handle, password)
        try:
            yield doc
        finally:
            doc.close()


def _load(handle: BinaryIO, password: str | None) -> pdfium.PdfDocument:
    attempts = [password] if password is not None else [None, ""]
    error: pdfium.PdfiumError | None = None
    for attempt in attempts:
        handle.seek(0)
        try:
            return pdfium.PdfDocument(handle, password=attempt)
        except pdfium.PdfiumError as exc:
            error = exc
            if "password" not in str(exc).lower():
                break
    assert error is not None
    if "password" in str(error).lower():
        raise PdfError(
            "encrypted PDF: save it without a password (open it, then print to PDF) and rerun",
            encrypted=True,
        ) from error
    raise PdfError("corrupt or truncated PDF: download or scan it again and rerun") from error


def page_text(page: pdfium.PdfPage) -> str:
    """Read a page's text layer as lines, keeping wide gaps as column breaks.

    pdfium returns characters in content order, with the spaces and line breaks it infers.
    Its lines are kept; lines that sit at the same height (table cells drawn one by one) are
    joined left to right, and wide gaps inside a line become three spaces, so tables read row
    by row and columns stay apart, as in OCR output.
    """
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return ""
        text: str = textpage.get_text_range(0, count)
        if len(text) != count:
            # Expanded ligatures shift indices; the plain text is still right.
            return text.replace("\r\n", "\n").replace("\r", "\n")
        segments: list[_Segment] = []
        current: list[tuple[str, float, float, float, float]] = []
        for i, ch in enumerate(text):
            if ch in "\r\n":
                if current:
                    segments.append(_segment(current))
                    current = []
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            current.append((ch, left, bottom, right, top))
        if current:
            segments.append(_segment(current))
    finally:
        textpage.close()
    return _rows_text([s for s in segments if s.text.strip()])


class _Segment:
    """A run of characters pdfium put on one line, with its position."""

    def __init__(self, text: str, left: float, centre: float, height: float) -> None:
        self.text = text
        self.left = left
        self.centre = centre
        self.height = height


def _segment(chars: list[tuple[str, float, float, float, float]]) -> _Segment:
    inked = [c for c in chars if c[0].strip() and c[4] > c[2]]
    if not inked:
        return _Segment("", 0.0, 0.0, 0.0)
    heights = sorted(c[4] - c[2] for c in inked)
    size = heights[len(heights) // 2]
    centres = sorted((c[2] + c[4]) / 2 for c in inked)
    out: list[str] = []
    prev_right: float | None = None
    for ch, left, _bottom, right, _top in chars:
        if ch.strip() and prev_right is not None and left - prev_right > 2.5 * size:
            out.append("   ")
        out.append(ch)
        if ch.strip():
            prev_right = right
    return _Segment("".join(out).strip(), inked[0][1], centres[len(centres) // 2], size)


def _rows_text(segments: list[_Segment]) -> str:
    """Join segments at the same height into rows, top to bottom, left to right."""
    rows: list[list[_Segment]] = []
    for seg in sorted(segments, key=lambda s: -s.centre):
        if rows:
            ref = rows[-1][0]
            if abs(seg.centre - ref.centre) < 0.5 * max(seg.height, ref.height, 1.0):
                rows[-1].append(seg)
                continue
        rows.append([seg])
    lines = []
    for row in rows:
        row.sort(key=lambda s: s.left)
        lines.append("   ".join(s.text for s in row))
    return "\n".join(lines)


def is_usable_text(text: str) -> bool:
    """Tell whether a text layer is real text rather than empty, stray or garbage."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return False
    words = _WORDISH.findall(text)
    # Garbage layers (broken font encodings) are long runs of symbols with few real words.
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in text)
    return len(words) >= 5 and printable / max(len(text), 1) > 0.95
