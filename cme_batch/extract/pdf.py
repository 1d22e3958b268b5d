"""PDF text layers, through pdfium: open, count pages, read a page's text in lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium

from cme_batch.extract import layout
from cme_batch.extract.model import Word

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

    The flat view of :func:`page_words`; see :mod:`cme_batch.extract.layout`.
    """
    words, text = page_words(page)
    return layout.render(words, layout.TEXT_LAYER) if words else text


def page_words(page: pdfium.PdfPage) -> tuple[tuple[Word, ...], str]:
    """Read a page's text layer as positioned words.

    pdfium returns characters in content order, with the spaces and line breaks it infers,
    and each character's glyph box. Words are the runs between spaces, split again at a gap of
    several type sizes (a table drawn without spaces between its cells); pdfium's lines become
    the words' engine lines. Boxes are turned to points from the top left.

    Returns:
        The words, and the plain text as pdfium gives it: the page's only reading when its
        characters cannot be matched to boxes (expanded ligatures shift the indices), in
        which case the words are empty.
    """
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return (), ""
        text: str = textpage.get_text_range(0, count)
        if len(text) != count:
            return (), text.replace("\r\n", "\n").replace("\r", "\n")
        lines: list[list[tuple[str, float, float, float, float]]] = [[]]
        for i, ch in enumerate(text):
            if ch in "\r\n":
                if lines[-1]:
                    lines.append([])
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            lines[-1].append((ch, left, height - top, right, height - bottom))
    finally:
        textpage.close()
    words: list[Word] = []
    for number, chars in enumerate(lines):
        words.extend(_line_words(chars, number))
    return tuple(words), text


def _line_words(chars: list[tuple[str, float, float, float, float]], line: int) -> list[Word]:
    """Cut one pdfium line into words (characters as text, left, top, right, bottom)."""
    inked = [c for c in chars if c[0].strip() and c[4] > c[2]]
    if not inked:
        return []
    # The line's type size: the median glyph height, robust to a few tall or flat glyphs.
    heights = sorted(c[4] - c[2] for c in inked)
    size = heights[len(heights) // 2]
    words: list[Word] = []
    run: list[tuple[str, float, float, float, float]] = []

    def close() -> None:
        if run:
            boxed = [c for c in run if c[4] > c[2]] or run
            words.append(
                Word(
                    text="".join(c[0] for c in run),
                    x0=min(c[1] for c in boxed),
                    top=min(c[2] for c in boxed),
                    x1=max(c[3] for c in boxed),
                    bottom=max(c[4] for c in boxed),
                    size=size,
                    line=line,
                )
            )
            run.clear()

    for ch in chars:
        if not ch[0].strip():
            close()
            continue
        if run and ch[1] - run[-1][3] > layout.TEXT_LAYER.column_gap * size:
            close()
        run.append(ch)
    close()
    return words


def is_usable_text(text: str) -> bool:
    """Tell whether a text layer is real text rather than empty, stray or garbage."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return False
    words = _WORDISH.findall(text)
    # Garbage layers (broken font encodings) are long runs of symbols with few real words.
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in text)
    return len(words) >= 5 and printable / max(len(text), 1) > 0.95
