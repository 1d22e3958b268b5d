"""Pages built from positioned words, as a text layer or OCR hands them to the fields layer."""

from __future__ import annotations

from collections.abc import Sequence

from cme_batch.extract import layout
from cme_batch.extract.model import PageText, Word

#: Type size of the built words, and the width of one character at it (a proportional font's
#: average, near enough for boxes).
SIZE = 10.0
CHAR = 5.0


def cell_words(x: float, top: float, text: str, line: int, conf: float = 1.0) -> list[Word]:
    """The words of one printed cell starting at ``x``, its top at ``top``, on engine ``line``."""
    words = []
    cursor = x
    for token in text.split():
        width = len(token) * CHAR
        words.append(Word(token, cursor, top, cursor + width, top + SIZE, SIZE, conf, line))
        cursor += width + CHAR
    return words


def page_of(
    cells: Sequence[tuple[float, float, str]], origin: str = "text", number: int = 1
) -> PageText:
    """A page from ``(x, top, text)`` cells, each its own engine line (as a text layer draws them).

    The page's flat text is rendered from the words by the readers' own row builder.
    """
    conf = 1.0 if origin == "text" else 0.9
    words = [w for n, (x, top, text) in enumerate(cells) for w in cell_words(x, top, text, n, conf)]
    return page_of_words(words, origin, number)


def page_of_words(words: Sequence[Word], origin: str = "text", number: int = 1) -> PageText:
    """A page from its words, its flat text rendered as the readers render it."""
    tol = layout.TEXT_LAYER if origin == "text" else layout.OCR
    conf = 1.0 if origin == "text" else 0.9
    return PageText(
        number,
        layout.render(words, tol),
        origin,
        conf,
        words=tuple(words),
        width=612.0,
        height=792.0,
    )
