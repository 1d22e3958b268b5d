"""PDF text layers, through pdfium: open, count pages, read a page's text in lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

#: A text layer with fewer letters than this is treated as missing (a scan with a stray label).
MIN_LETTERS = 25

_WORDISH = re.compile(r"[A-Za-z]{3,}")


class PdfError(Exception):
    """A PDF that cannot be opened, with a reason a person can act on."""


@contextmanager
def open_pdf(path: Path, password: str | None = None) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF, turning pdfium's errors into :class:`PdfError` with advice.

    Args:
        path: The file.
        password: Tried as the user password; ``None`` opens PDFs without one (pdfium also
            opens PDFs whose user password is empty).

    Yields:
        The open document, closed on exit.
    """
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise PdfError(
                "encrypted PDF: save it without a password (print to PDF) and rerun"
            ) from exc
        raise PdfError(
            "corrupt or truncated PDF: download or scan it again and rerun"
        ) from exc
    try:
        yield doc
    finally:
        doc.close()


def page_text(page: pdfium.PdfPage) -> str:
    """Read a page's text layer as lines, keeping wide gaps as column breaks.

    pdfium returns characters in content order with their boxes; the characters are regrouped
    into lines by their vertical position so tables read row by row, as OCR output does.
    """
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return ""
        chars: list[tuple[float, float, float, float, str]] = []
        text = textpage.get_text_range(0, count)
        # get_text_range may expand ligatures; fall back to the plain text if lengths disagree.
        if len(text) != count:
            return text.replace("\r\n", "\n").replace("\r", "\n")
        for i, ch in enumerate(text):
            # Spaces are rebuilt from the gaps between glyphs, which is what OCR does too.
            if not ch.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            chars.append((left, bottom, right, top, ch))
    finally:
        textpage.close()
    return _lines_from_boxes(chars)


def _lines_from_boxes(chars: list[tuple[float, float, float, float, str]]) -> str:
    """Group character boxes into lines and lines into text with gap-aware spacing."""
    if not chars:
        return ""
    # Sort top to bottom by the box centre, then cluster rows whose centres are close.
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for box in sorted(chars, key=lambda b: (-(b[1] + b[3]) / 2, b[0])):
        centre = (box[1] + box[3]) / 2
        height = max(box[3] - box[1], 1.0)
        if rows:
            last = rows[-1]
            last_centre = sum((b[1] + b[3]) / 2 for b in last) / len(last)
            last_height = max(max(b[3] - b[1] for b in last), 1.0)
            if abs(centre - last_centre) < 0.5 * max(height, last_height):
                last.append(box)
                continue
        rows.append([box])
    lines: list[str] = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        heights = sorted(b[3] - b[1] for b in row if b[4].strip())
        size = heights[len(heights) // 2] if heights else 10.0
        out: list[str] = []
        prev_right: float | None = None
        for left, _bottom, right, _top, ch in row:
            if prev_right is not None:
                gap = left - prev_right
                if gap > 2.5 * size:
                    out.append("   ")
                elif gap > 0.2 * size:
                    out.append(" ")
            out.append(ch)
            prev_right = right
        lines.append("".join(out).strip())
    return "\n".join(line for line in lines if line)


def is_usable_text(text: str) -> bool:
    """Tell whether a text layer is real text rather than empty, stray or garbage."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return False
    words = _WORDISH.findall(text)
    # Garbage layers (broken font encodings) are long runs of symbols with few real words.
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in text)
    return len(words) >= 5 and printable / max(len(text), 1) > 0.95
