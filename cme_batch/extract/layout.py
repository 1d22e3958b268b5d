"""Positioned words into rows: the one place that decides which words share a line.

Both readers hand over :class:`~cme_batch.extract.model.Word` objects with their engine's own
line numbers. Rows are built here, once, geometrically: engine lines that sit on the same
baseline (table cells drawn one by one, a two-column layout that OCR split into blocks) are
joined left to right, and a gap of several type sizes between two words is kept as a column
gap. The flat text view that the cue patterns read renders each row with three spaces at a
column gap, so label/value pairs and table cells stay apart in it.

The tolerances are named per origin (:data:`TEXT_LAYER`, :data:`OCR`): a text layer's boxes
are exact glyph boxes, OCR's are word boxes with a few pixels of noise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cme_batch.extract.model import Word

#: What separates two columns in the flat text view.
COLUMN_BREAK = "   "


@dataclass(frozen=True)
class Tolerances:
    """How far apart words may be and still count as one row, and when a gap is a column.

    Attributes:
        same_row: Two engine lines are one row when their middles are closer than this
            fraction of the taller one's height.
        column_gap: A gap wider than this many type sizes between two words is a column gap.
        against_band: Compare a line with the whole row built so far (its top-to-bottom
            band) rather than with the row's first line. OCR lines wobble; a text layer's
            first line is exact.
        lines_are_cells: Words from different engine lines on one row are always a column
            apart (a text layer's lines on one baseline are separate text objects: cells).
        refuse_overlap: Do not join a line to a row whose words it overlaps horizontally
            (two OCR lines one above the other that merely touch in height).
    """

    same_row: float
    column_gap: float
    against_band: bool
    lines_are_cells: bool
    refuse_overlap: bool


#: A PDF text layer.
TEXT_LAYER = Tolerances(
    same_row=0.5, column_gap=2.5, against_band=False, lines_are_cells=True, refuse_overlap=False
)
#: Tesseract's words.
OCR = Tolerances(
    same_row=0.6, column_gap=2.0, against_band=True, lines_are_cells=False, refuse_overlap=True
)


@dataclass(frozen=True)
class Row:
    """Words that share a baseline, left to right.

    Attributes:
        words: The row's words (ruled-line marks included, as empty words).
        top: Top of the row's band.
        bottom: Bottom of the row's band.
    """

    words: tuple[Word, ...]
    top: float
    bottom: float

    @property
    def centre(self) -> float:
        """Vertical middle of the row's band."""
        return (self.top + self.bottom) / 2


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 1.0


def engine_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Group words by their engine line, keeping the engine's order of lines."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return list(lines.values())


def rows(words: Iterable[Word], tol: Tolerances) -> list[Row]:
    """Build the page's rows, top to bottom, each left to right."""
    boxes: list[tuple[float, float, float, list[Word]]] = []
    for line in engine_lines(words):
        # A line of ruled-line marks alone still joins a row: its marks are cell boundaries.
        inked = [w for w in line if w.text] or line
        top = min(w.top for w in inked)
        bottom = max(w.bottom for w in inked)
        centre = _median([w.centre for w in inked]) if not tol.against_band else (top + bottom) / 2
        boxes.append((centre, top, bottom, line))
    boxes.sort(key=lambda b: b[0])
    built: list[tuple[list[Word], float, float, float, float]] = []
    for centre, top, bottom, line in boxes:
        height = bottom - top
        if tol.lines_are_cells:
            # A text layer's line height is its type size, not its ink (descenders vary).
            height = _median([w.size for w in line if w.text] or [height])
        if built:
            words_so_far, r_top, r_bottom, r_centre, r_height = built[-1]
            if tol.against_band:
                ref_centre, ref_height = (r_top + r_bottom) / 2, r_bottom - r_top
            else:
                ref_centre, ref_height = r_centre, r_height
            close = abs(centre - ref_centre) < tol.same_row * max(height, ref_height, 1.0)
            clear = not tol.refuse_overlap or not any(
                w.overlaps_x(o) for w in line for o in words_so_far
            )
            if close and clear:
                words_so_far.extend(line)
                built[-1] = (
                    words_so_far,
                    min(r_top, top),
                    max(r_bottom, bottom),
                    r_centre,
                    r_height,
                )
                continue
        built.append((list(line), top, bottom, centre, height))
    return [Row(_left_to_right(ws, tol), top, bottom) for ws, top, bottom, _c, _h in built]


def _left_to_right(words: list[Word], tol: Tolerances) -> tuple[Word, ...]:
    """A row's words in reading order.

    A text layer's lines are cells: each stays whole and in the layer's own order, cells
    ordered by their left edge (text drawn over other text keeps both readable). OCR words
    are ordered one by one.
    """
    if not tol.lines_are_cells:
        return tuple(sorted(words, key=lambda w: w.x0))
    cells = sorted(engine_lines(words), key=lambda cell: min(w.x0 for w in cell))
    return tuple(w for cell in cells for w in cell)


def row_cells(row: Row, tol: Tolerances) -> list[tuple[Word, ...]]:
    """A row's inked words grouped into cells, left to right: a new cell at each column gap.

    A gap of :attr:`Tolerances.column_gap` type sizes, a ruled-line mark between two words,
    or (for a text layer) two separate text objects on one baseline start a new cell. This is
    the one decision of where a row's columns part; the flat text view and the fields layer's
    geometry both read it.
    """
    inked = [w for w in row.words if w.text]
    if not inked:
        return []
    by_line: dict[int, float] = {}
    if tol.lines_are_cells:
        for line in engine_lines(inked):
            by_line[line[0].line] = _median([w.size for w in line])
    size = _median([w.size for w in inked])
    cells: list[list[Word]] = []
    previous: Word | None = None
    ruled = False
    for word in row.words:
        if not word.text:
            ruled = True
            continue
        if previous is not None:
            gap = word.x0 - previous.x1
            if tol.lines_are_cells:
                wide = word.line != previous.line or gap > tol.column_gap * by_line[word.line]
            else:
                wide = ruled or gap > tol.column_gap * size
            if wide:
                cells.append([])
        else:
            cells.append([])
        cells[-1].append(word)
        previous, ruled = word, False
    return [tuple(cell) for cell in cells]


def render_row(row: Row, tol: Tolerances) -> str:
    """One row as text: words joined by a space, cells by :data:`COLUMN_BREAK`."""
    return COLUMN_BREAK.join(" ".join(w.text for w in cell) for cell in row_cells(row, tol))


def render(words: Iterable[Word], tol: Tolerances) -> str:
    """The page's flat text view: one line per row, columns three spaces apart."""
    out = [render_row(row, tol) for row in rows(words, tol)]
    return "\n".join(line for line in out if line)
