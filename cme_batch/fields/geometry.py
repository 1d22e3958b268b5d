"""Where things sit on a page: lines, cells and the tests the readers pair captions with.

The fields layer reads a page as a :class:`Layout`: its rows (:mod:`cme_batch.extract.layout`
builds them once, for both origins), each row's cells (words grouped at column gaps on one
baseline), every cell with its box. The flat text the cue patterns read is rendered from the
layout, so any offset in that text leads back to the words and boxes printed there.

Every caption/value and header/cell decision is made here, from positions: a caption's value
is right of it on the same baseline or below it with horizontal overlap; a table's columns
come from its header cells and the alignment of the cells under them
(:mod:`cme_batch.fields.transcript`); a table's amount belongs to the row whose vertical
extent it overlaps. The tolerances are named below, in type sizes, so they hold at any resolution.

A page stored before words were kept has only its flat text. It is read on a fixed-pitch grid
(:meth:`Layout.from_text`): each character one column, each line one row. Aligned text keeps
its columns on that grid; what the flat text never recorded (a column offset by a scan, a
value under the wrong caption's cell index) is lost with the positions, which is why such
pages are best read again (``--full``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cme_batch.extract import layout as rows_of
from cme_batch.extract.model import PageText, Word

#: A caption printed under or over its value is at most this many type sizes away from it,
#: edge to edge, vertically (further off it is the next field, not this one's caption).
CAPTION_GAP = 3.0
#: A cell's text wrapped onto the next line sits at most this many type sizes under it.
WRAP_GAP = 1.5
#: A table's amount belongs to a row when it overlaps the row's band by at least this share
#: of its own height, and by more than it overlaps any other row.
ROW_OVERLAP = 0.25
#: A table column may sit off its rows by at most this share of the row pitch and still be
#: read as theirs (a misregistered print or a scan's column block), when all of its cells sit
#: off alike: within this share of their height of the column's median offset.
COLUMN_DRIFT = 0.75
COLUMN_SPREAD = 0.25
#: A page's skew is measured on a row between cells at least this many type sizes apart.
SKEW_BASE = 10.0
#: A slope steeper than this (about 6 degrees) is no scanner's tilt: taken as none.
MAX_SKEW = 0.1
#: The fixed pitch of a page known only by its flat text: each character this many type
#: sizes wide, each line a row with this many type sizes of gap below it.
TEXT_CHAR_WIDTH = 0.5
TEXT_LINE_GAP = 0.5
#: Type size of a page known only by its flat text (any unit: only ratios are compared).
TEXT_SIZE = 10.0

# In flat text a cell is words one or two spaces apart; three or more part cells.
_CELL = re.compile(r"\S+(?:\s{1,2}\S+)*")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Box:
    """A rectangle in points from the page's top left."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        """Top to bottom."""
        return self.bottom - self.top

    def x_overlap(self, other: Box) -> float:
        """Horizontal extent the two boxes share (negative: the gap between them)."""
        return min(self.x1, other.x1) - max(self.x0, other.x0)

    def y_overlap(self, other: Box) -> float:
        """Vertical extent the two boxes share (negative: the gap between them)."""
        return min(self.bottom, other.bottom) - max(self.top, other.top)


def union(boxes: Iterable[Box]) -> Box:
    """The smallest box holding every box given (at least one)."""
    items = list(boxes)
    return Box(
        min(b.x0 for b in items),
        min(b.top for b in items),
        max(b.x1 for b in items),
        max(b.bottom for b in items),
    )


def box_of(word: Word) -> Box:
    """A word's box."""
    return Box(word.x0, word.top, word.x1, word.bottom)


@dataclass(frozen=True)
class Cell:
    """Words on one baseline with no column gap between them.

    Attributes:
        text: The words joined as the flat text shows them.
        words: The words, each with its offset in ``text``.
        size: The cell's type size (its words' median).
    """

    text: str
    words: tuple[tuple[int, Word], ...]
    size: float

    @property
    def box(self) -> Box:
        """The cell's box."""
        return union(box_of(w) for _, w in self.words)

    def span_box(self, start: int, end: int) -> Box:
        """The box of the words printing ``text[start:end]`` (the whole cell if none does)."""
        hit = [box_of(w) for off, w in self.words if off < end and off + len(w.text) > start]
        return union(hit) if hit else self.box

    @classmethod
    def of_words(cls, words: Sequence[Word]) -> Cell:
        """A cell from its words, joined by single spaces."""
        placed: list[tuple[int, Word]] = []
        offset = 0
        for word in words:
            placed.append((offset, word))
            offset += len(word.text) + 1
        sizes = sorted(w.size for w in words)
        return cls(" ".join(w.text for w in words), tuple(placed), sizes[len(sizes) // 2])


@dataclass(frozen=True)
class Line:
    """A row's cells, left to right, and the row's band."""

    cells: tuple[Cell, ...]

    @property
    def text(self) -> str:
        """The line as the flat text shows it: cells three spaces apart."""
        return rows_of.COLUMN_BREAK.join(c.text for c in self.cells)

    @property
    def box(self) -> Box:
        """The row's box."""
        return union(c.box for c in self.cells)

    @property
    def size(self) -> float:
        """The row's type size (its cells' largest)."""
        return max(c.size for c in self.cells)


@dataclass(frozen=True)
class Spot:
    """Where an offset of a layout's text is: its line, its cell and the cell's start offset."""

    line: int
    cell: int
    start: int


@dataclass(frozen=True)
class Layout:
    """A page (or a part of one) as lines of positioned cells, and its flat text view.

    Attributes:
        lines: The rows, top to bottom.
        text: The flat text: one line per row, cells three spaces apart.
    """

    lines: tuple[Line, ...]
    text: str = field(init=False)
    _starts: tuple[int, ...] = field(init=False, repr=False)
    _spots: tuple[Spot, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts: list[int] = []
        spots: list[Spot] = []
        offset = 0
        for i, line in enumerate(self.lines):
            for j, cell in enumerate(line.cells):
                starts.append(offset)
                spots.append(Spot(i, j, offset))
                offset += len(cell.text) + len(rows_of.COLUMN_BREAK)
            offset += 1 - (len(rows_of.COLUMN_BREAK) if line.cells else 0)
        object.__setattr__(self, "text", "\n".join(line.text for line in self.lines))
        object.__setattr__(self, "_starts", tuple(starts))
        object.__setattr__(self, "_spots", tuple(spots))

    @classmethod
    def from_page(cls, page: PageText) -> Layout:
        """A page's layout from its words, or from its flat text when it has none.

        The words are what the page says and where: the layout's text is rendered from them
        again (in points, as they were kept) rather than taken from the stored view.
        """
        if page.words:
            tol = rows_of.OCR if page.origin == "ocr" else rows_of.TEXT_LAYER
            return cls.from_words(page.words, tol)
        return cls.from_text(page.text)

    @classmethod
    def from_words(cls, words: Iterable[Word], tol: rows_of.Tolerances) -> Layout:
        """A layout from positioned words, rows and column gaps as the readers build them."""
        lines = []
        for row in rows_of.rows(words, tol):
            cells = [Cell.of_words(c) for c in rows_of.row_cells(row, tol)]
            if cells:
                lines.append(Line(tuple(cells)))
        return cls(tuple(lines))

    @classmethod
    def from_text(cls, text: str) -> Layout:
        """A layout of flat text on a fixed-pitch grid (see the module's note)."""
        lines = []
        for number, raw in enumerate(text.splitlines()):
            if not raw.strip():
                continue
            top = number * TEXT_SIZE * (1 + TEXT_LINE_GAP)
            indent = len(raw) - len(raw.lstrip())
            stripped = raw.strip()
            cells = []
            for m in _CELL.finditer(stripped):
                placed = []
                for w in _WORD.finditer(m.group(0)):
                    col = indent + m.start() + w.start()
                    x0 = col * TEXT_SIZE * TEXT_CHAR_WIDTH
                    x1 = x0 + len(w.group(0)) * TEXT_SIZE * TEXT_CHAR_WIDTH
                    placed.append(
                        (w.start(), Word(w.group(0), x0, top, x1, top + TEXT_SIZE, TEXT_SIZE))
                    )
                cells.append(Cell(m.group(0), tuple(placed), TEXT_SIZE))
            lines.append(Line(tuple(cells)))
        return cls(tuple(lines))

    def part(self, first: int, end: int) -> Layout:
        """The lines ``first`` to ``end`` (exclusive) as a layout of their own."""
        return Layout(self.lines[first:end])

    def spot(self, offset: int) -> Spot | None:
        """The cell printing ``text[offset]``, or ``None`` between cells."""
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return None
        where = self._spots[index]
        cell = self.lines[where.line].cells[where.cell]
        return where if offset < where.start + len(cell.text) else None

    def cell(self, where: Spot) -> Cell:
        """The cell at a spot."""
        return self.lines[where.line].cells[where.cell]

    def box_at(self, start: int, end: int) -> tuple[Spot, Box] | None:
        """Where ``text[start:end]`` is printed: its spot and the box of its words."""
        where = self.spot(start)
        if where is None:
            return None
        return where, self.cell(where).span_box(start - where.start, end - where.start)

    def reading_confidence(self, start: int, end: int) -> float:
        """How sure the reading was of the digits in ``text[start:end]``.

        The least confident of the words printing the span that hold a digit (a month's name
        or a unit is checked by the parser itself): 1.0 for a text layer, OCR's word
        confidence for a scan (lowered where two readings of a number disagreed, raised where
        they agreed). 1.0 when no such word prints the span.
        """
        where = self.spot(start)
        if where is None:
            return 1.0
        cell = self.cell(where)
        lo, hi = start - where.start, end - where.start
        confs = [
            w.conf
            for off, w in cell.words
            if off < hi and off + len(w.text) > lo and any(ch.isdigit() for ch in w.text)
        ]
        return min(confs, default=1.0)

    def spots(self) -> tuple[Spot, ...]:
        """Every cell's spot, in reading order."""
        return self._spots

    def left_of(self, where: Spot) -> Cell | None:
        """The cell just left of a cell on the same baseline, if any."""
        return self.lines[where.line].cells[where.cell - 1] if where.cell > 0 else None

    def caption_below(self, where: Spot, box: Box) -> Cell | None:
        """The cell printed under ``box`` on the next row: horizontally overlapping, close."""
        return self._near(where.line + 1, box)

    def caption_above(self, where: Spot, box: Box, rows: int = 1) -> Cell | None:
        """The cell printed over ``box`` ``rows`` rows up: horizontally overlapping, close."""
        return self._near(where.line - rows, box, rows)

    def gap_to(self, index: int, box: Box) -> float:
        """Vertical gap between row ``index`` and ``box``, in the larger one's type sizes."""
        line = self.lines[index]
        return -line.box.y_overlap(box) / max(line.size, box.height, 1e-6)

    def _near(self, index: int, box: Box, rows: int = 1) -> Cell | None:
        if not 0 <= index < len(self.lines) or self.gap_to(index, box) > CAPTION_GAP * rows:
            return None
        return column_cell(self.lines[index], box)


def column_cell(line: Line, box: Box) -> Cell | None:
    """The cell of ``line`` that overlaps ``box`` horizontally the most, if any does."""
    best: tuple[float, Cell] | None = None
    for cell in line.cells:
        shared = cell.box.x_overlap(box)
        if shared > 0 and (best is None or shared > best[0]):
            best = (shared, cell)
    return best[1] if best else None


def owning_row(box: Box, bands: Sequence[Box]) -> int | None:
    """The row (index into ``bands``) whose vertical extent ``box`` overlaps, if one clearly does.

    The box must overlap the row by :data:`ROW_OVERLAP` of its own height and more than any
    other row; otherwise it belongs to none (a person decides).
    """
    shares = [band.y_overlap(box) / max(box.height, 1e-6) for band in bands]
    if not shares:
        return None
    best = max(range(len(shares)), key=lambda i: shares[i])
    runner_up = max((s for i, s in enumerate(shares) if i != best), default=-1.0)
    if shares[best] < ROW_OVERLAP or shares[best] <= runner_up:
        return None
    return best


def skew(rows: Iterable[Sequence[Box]]) -> float:
    """The page's tilt: the median slope (points down per point right) along its rows.

    Each row with cells far enough apart (:data:`SKEW_BASE` type sizes) gives the slope from
    its first cell's middle to its last one's; a tilted scan tilts every row alike.
    """
    slopes = []
    for boxes in rows:
        if len(boxes) < 2:
            continue
        first, last = boxes[0], boxes[-1]
        dx = (last.x0 + last.x1) / 2 - (first.x0 + first.x1) / 2
        if dx > SKEW_BASE * max(first.height, last.height):
            slopes.append(((last.top + last.bottom) - (first.top + first.bottom)) / 2 / dx)
    if len(slopes) < 2:
        return 0.0
    slopes.sort()
    middle = slopes[len(slopes) // 2]
    return middle if abs(middle) <= MAX_SKEW else 0.0


def follow(box: Box, slope: float, x: float) -> Box:
    """Where ``box``'s baseline runs at ``x`` on a page tilted by ``slope``: the box moved there."""
    dy = slope * (x - (box.x0 + box.x1) / 2)
    return Box(box.x0, box.top + dy, box.x1, box.bottom + dy)


def column_offset(cells: Sequence[Box], bands: Sequence[Sequence[Box]]) -> float | None:
    """How far a column of cells sits below its rows (above: negative), when it sits off alike.

    Args:
        cells: The column's cells.
        bands: For each cell, every row's band at that cell (see :func:`follow`).

    Returns:
        The offset the cells share (:data:`COLUMN_SPREAD`), measured to their nearest rows:
        as measured, or a row pitch more or less, whichever gives the most rows a cell of
        their own (a column a little over half a row low reads as one a little under half a
        row high, but then its last cell has no row). 0.0 when the cells do not sit off
        alike; ``None`` when two offsets fit equally well (positions cannot say).
    """
    offsets: list[float] = []
    heights: list[float] = []
    pitches: list[float] = []
    for cell, rows in zip(cells, bands, strict=True):
        middles = sorted((b.top + b.bottom) / 2 for b in rows)
        if len(middles) < 2:
            continue
        middle = (cell.top + cell.bottom) / 2
        offsets.append(min((middle - m for m in middles), key=abs))
        heights.append(cell.height)
        pitches.extend(b - a for a, b in zip(middles, middles[1:], strict=False))
    if len(offsets) < 2:
        return 0.0
    offset = _middle(offsets)
    if _middle([abs(o - offset) for o in offsets]) > COLUMN_SPREAD * _middle(heights):
        return 0.0
    pitch = _middle(pitches)

    def rows_held(drift: float) -> int:
        owners = {
            owning_row(Box(c.x0, c.top - drift, c.x1, c.bottom - drift), rows)
            for c, rows in zip(cells, bands, strict=True)
        }
        return len(owners - {None})

    options = [
        d for d in (offset, offset - pitch, offset + pitch) if abs(d) <= COLUMN_DRIFT * pitch
    ]
    scored = sorted(((rows_held(d), -abs(d), d) for d in options), reverse=True)
    if not scored:
        return 0.0
    if len(scored) > 1 and scored[0][0] == scored[1][0] and abs(offset) > COLUMN_SPREAD * pitch:
        return None
    return scored[0][2]


def _middle(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def as_layout(page: Layout | str) -> Layout:
    """A layout as given, or flat text read on the fixed-pitch grid."""
    return page if isinstance(page, Layout) else Layout.from_text(page)
