"""Read transcript pages: one activity per table row, header and totals rows left out."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal

from cme_batch.extract.model import Word
from cme_batch.fields import cues, geometry, lexicon, policy
from cme_batch.fields.certificate import (
    Found,
    PhysicianFind,
    date_role,
    find_physician,
    lines_of,
    only_cue_words,
    reviewed_record,
)
from cme_batch.fields.credits import CreditSystem, normalize_credit, systems_in, to_decimal
from cme_batch.fields.dates import find_dates
from cme_batch.fields.geometry import Box, Cell, Layout, Line
from cme_batch.fields.record import ActivityRecord, PageOutcome
from cme_batch.fields.topics import infer_topics
from cme_batch.matching import RosterIndex

# Shapes filled with the lexicon's words (``lexicon.toml``, ``[transcripts]``) and the credit
# systems' amount names.
_NUMBER_CELL = lexicon.pattern(
    "transcript._NUMBER_CELL",
    lambda w: (
        r"^\(?(?P<num>\d{1,3}(?:[.,]\d{1,2})?|[.,]\d{1,2})\)?"
        r"(?:\s*(?:" + w("transcripts.amount_unit") + r"))?$"
    ),
    re.I,
)
_CAT_CELL = re.compile(r"^(?:cat(?:egory|\.)?\s*)?(?P<cat>1|2|I|II|1-?[AB]|2-?[AB])$", re.I)
_HEADER = lexicon.pattern(
    "transcript._HEADER", lambda w: r"\b(?:" + w("transcripts.header") + r")\b", re.I
)
_CREDIT_HEADER = lexicon.pattern(
    "transcript._CREDIT_HEADER", lambda w: w("transcripts.credit_header"), re.I
)
_TITLE_COL = lexicon.pattern("transcript._TITLE_COL", lambda w: w("transcripts.title_column"), re.I)
_PROVIDER_COL = lexicon.pattern(
    "transcript._PROVIDER_COL", lambda w: w("transcripts.provider_column"), re.I
)
_NOT_TEXT_COL = lexicon.pattern(
    "transcript._NOT_TEXT_COL", lambda w: w("transcripts.not_text_column"), re.I
)
# OCR may collapse the gap before the credits column: a trailing number is the amount.
_TRAILING_AMOUNT = lexicon.pattern(
    "transcript._TRAILING_AMOUNT",
    lambda w: (
        r"\s(?P<num>\d{1,3}[.,]\d{1,2}|\d{1,2})\s*(?:"
        + "|".join(
            [*(f"{name}.*" for name in w.amount_name_list(True)), w("transcripts.amount_tail")]
        )
        + r")?$"
    ),
    re.I,
)
# "AMA PRA Cat 1" ends in a category number, not an amount.
_CATEGORY_BEFORE = lexicon.pattern(
    "transcript._CATEGORY_BEFORE",
    lambda w: r"(?:" + w("transcripts.category_before") + r")\s*$",
    re.I,
)
# Rows that make a table: one under a header that names a title column among its columns
# (a transcript's last page may hold one row), two when a transcript is named or a column
# header sits above them, three otherwise.
_MIN_ROWS_UNDER_TITLES = 1
_MIN_ROWS_WITH_HINT = 2
_MIN_ROWS = 3
# Page furniture that carries a date but is no activity: "Page 1 of 3", and lines whose date
# is captioned as the print, run or generation date ("Generated 10/10/2026 10:32 • NAME").
_PAGE_OF = re.compile(r"\bpage\s*\d+\s*(?:of|/)\s*\d+", re.I)
# The amount a totals line ends with, in the units a row's amount cell may carry.
_TOTAL_AMOUNT = lexicon.pattern(
    "transcript._TOTAL_AMOUNT",
    lambda w: r"(?P<num>\d{1,4}(?:[.,]\d{1,2})?)\s*(?:" + w("transcripts.amount_unit") + r")?\s*$",
    re.I,
)


# A subtotal: the total word right before the amount ("Category 1-A total: 33.00").
_SUBTOTAL = lexicon.pattern(
    "transcript._SUBTOTAL",
    lambda w: r"\b(?:" + w("transcripts.total_word") + r")\s*[:=]?\s*$",
    re.I,
)


#: Specks and rules OCR leaves around a table cell ("1.05 |", "2.75 .", "‘AAFP").
_SPECKS = " -–—_|~.,;:'\"‘’“”»«"


def _cells(line: Line) -> tuple[list[_Part], Decimal | None]:
    """A table row's text cells (dates and credit-type cells left out) and its amount cell."""
    amount: Decimal | None = None
    texts: list[_Part] = []
    for cell in line.cells:
        stripped = cell.text
        dated = [(h.start, h.end) for h in find_dates(cell.text)]
        for hit in find_dates(cell.text):
            stripped = stripped.replace(hit.raw, " ")
        # OCR leaves table rules and specks around cells: "1.05 |", "2.75 .", "‘AAFP".
        stripped = stripped.strip(_SPECKS)
        if not stripped:
            continue
        m = _NUMBER_CELL.match(stripped)
        if m:
            if amount is None:
                amount = to_decimal(m.group("num"))
            continue
        if _CAT_CELL.match(stripped):
            continue
        # Where the text is printed, without the date it shared a cell with.
        kept = [
            geometry.box_of(w) for off, w in cell.words if not any(s <= off < e for s, e in dated)
        ]
        texts.append(_Part(stripped, geometry.union(kept) if kept else cell.box))
    return texts, amount


@dataclass(frozen=True)
class _Part:
    """A text cell of a table row (dates cut out) and where its words are printed."""

    text: str
    box: Box


def _row_parts(line: Line) -> tuple[list[_Part], Decimal | None] | None:
    """Split a table row into its text cells and its credit amount, or None if not a row."""
    text = line.text
    dates = find_dates(text)
    if not dates:
        return None
    texts, amount = _cells(line)
    if amount is None:
        # OCR may collapse the gap before the credits column: take a trailing number.
        tail = _TRAILING_AMOUNT.search(text)
        before = text[: tail.start("num")] if tail else ""
        # "AMA PRA Cat 1" ends in a category number, not an amount.
        is_category = _CATEGORY_BEFORE.search(before)
        if (
            tail
            and not is_category
            and not any(h.start <= tail.start("num") < h.end for h in dates)
        ):
            amount = to_decimal(tail.group("num"))
            texts = [
                replace(t, text=t.text.replace(tail.group(0).strip(), "").strip()) for t in texts
            ]
    # Three-digit whole numbers stay for now: in a column of decimals they are amounts whose
    # decimal point OCR lost (see _mend_lost_points).
    if amount is None or amount <= 0 or amount >= 1000 or (amount > 100 and amount % 1):
        return None
    return [t for t in texts if t.text], normalize_credit(amount)


def _one_line(text: str) -> Line | None:
    """A single line of flat text as a row of cells."""
    lines = Layout.from_text(text).lines
    return lines[0] if lines else None


def row_amount(line: str) -> Decimal | None:
    """The credit amount of a transcript row, or ``None`` when the line has none."""
    row = _one_line(line)
    parts = _row_parts(row) if row is not None else None
    return parts[1] if parts else None


def is_furniture(line: str) -> bool:
    """Whether a dated line is page furniture (page numbers, print or run dates), not a row."""
    if _PAGE_OF.search(line):
        return True
    return any(date_role(line, hit) in ("issued", "deadline") for hit in find_dates(line)[:1])


def transcript_rows(page: Layout | str) -> list[int]:
    """Indices (into the page's lines) of lines that are activity rows."""
    page = geometry.as_layout(page)
    text = page.text
    lines = [line.text for line in page.lines]
    rows = [
        i
        for i, line in enumerate(page.lines)
        if not cues.TOTAL_ROW.search(line.text) and not is_furniture(line.text) and _row_parts(line)
    ]
    header = _header_index(lines, rows[0]) if rows else None
    if header is not None and _names_titles(lines[header]):
        needed = _MIN_ROWS_UNDER_TITLES
    elif header is not None or cues.TRANSCRIPT_HINT.search(text):
        needed = _MIN_ROWS_WITH_HINT
    else:
        needed = _MIN_ROWS
    return rows if len(rows) >= needed else []


def _names_titles(header: str) -> bool:
    """Whether a header row names a title column beside three or more columns in all."""
    return len(_HEADER.findall(header)) >= 3 and any(
        _TITLE_COL.search(c) and not _NOT_TEXT_COL.search(c) for c in cues.cells(header)
    )


def first_row(page: Layout | str) -> int | None:
    """The line of a transcript's first activity row, or ``None`` when the page has no table.

    A table is rows with amounts (:func:`transcript_rows`), or, when no amount could be read
    or placed (a credits column scanned too far off its rows to say whose each amount is),
    dated lines under a transcript's column header (one naming a title column among three or
    more): those rows are kept for review, never read as a certificate.
    """
    page = geometry.as_layout(page)
    rows = transcript_rows(page)
    if rows:
        return rows[0]
    lines = [line.text for line in page.lines]
    dated = [
        i
        for i, line in enumerate(lines)
        if opens_with_date(line) and not is_furniture(line) and not cues.TOTAL_ROW.search(line)
    ]
    headed = [
        i for i in dated if (h := _header_index(lines, i)) is not None and _names_titles(lines[h])
    ]
    if headed and len([i for i in dated if i >= headed[0]]) >= _MIN_ROWS_WITH_HINT:
        return headed[0]
    return None


def _header_index(lines: list[str], first_row: int) -> int | None:
    """The index of the table header line just above the rows, if there is one."""
    for index in range(first_row - 1, max(0, first_row - 3) - 1, -1):
        line = lines[index]
        cells = cues.cells(line)
        if len(cells) >= 2 and len(_HEADER.findall(line)) >= 2 and _CREDIT_HEADER.search(line):
            return index
    return None


def printed_total(text: str) -> Decimal | None:
    """The total credits a transcript page prints ("TOTAL CREDITS 57.00"), if any.

    Without a grand total, the subtotals it prints per category ("Category 1-A total: 33.00",
    "Category 2-A total: 9.25") add up to it.
    """
    subtotals: list[Decimal] = []
    for line in reversed(lines_of(text)):
        if find_dates(line):
            continue
        m = _TOTAL_AMOUNT.search(line)
        value = to_decimal(m.group("num")) if m else None
        if value is None:
            continue
        if cues.TOTAL_ROW.search(line):
            return value
        if _SUBTOTAL.search(line[: m.start()] if m else ""):
            subtotals.append(value)
    return sum(subtotals, Decimal(0)) if subtotals else None


@dataclass(frozen=True)
class _Columns:
    """A table's columns: where each starts, and which hold the title and the provider.

    A column starts at its header's left edge, or further left where the cells under it line
    up further left (a centred or right-aligned header over left-aligned cells); it ends where
    the next one starts. Each word of a row belongs to the column it overlaps the most, so two
    cells that OCR read as one (no gap left between a title and its provider) part at the
    column's edge.
    """

    starts: tuple[float, ...]
    title: int | None
    provider: int | None

    @classmethod
    def of_table(cls, header: Line, rows: list[Line]) -> _Columns | None:
        """The columns a header row names, aligned with the rows under it.

        Returns:
            The columns, or ``None`` when the header is not split into columns.
        """
        # A cell without a word of three letters (a speck, a rule read as a glyph, OCR's
        # scraps of a garbled header) names no column.
        cells = [c for c in header.cells if re.search(r"[^\W\d_]{3}", c.text)]
        if len(cells) < 2:
            return None
        boxes = [c.box for c in cells]
        # A row cell lines up under the header whose stretch (halfway to the neighbouring
        # headers) it starts in; a cell OCR ran on from the previous column starts there.
        bounds = [(boxes[i].x1 + boxes[i + 1].x0) / 2 for i in range(len(boxes) - 1)]
        lefts: list[list[float]] = [[] for _ in boxes]
        for row in rows:
            for cell in row.cells:
                lefts[bisect_right(bounds, cell.box.x0)].append(cell.box.x0)
        starts = tuple(
            min(box.x0, sorted(xs)[len(xs) // 2]) if xs else box.x0
            for box, xs in zip(boxes, lefts, strict=True)
        )
        texts = [None if _NOT_TEXT_COL.search(c.text) else c.text for c in cells]
        title = next((i for i, h in enumerate(texts) if h and _TITLE_COL.search(h)), None)
        provider = next((i for i, h in enumerate(texts) if h and _PROVIDER_COL.search(h)), None)
        return cls(starts, title, provider if provider != title else None)

    def of(self, box: Box) -> int:
        """The column a box overlaps the most (the nearest one when it overlaps none)."""
        edges = [*self.starts[1:], math.inf]
        lows = [-math.inf, *self.starts[1:]]
        shares = [min(box.x1, hi) - max(box.x0, lo) for lo, hi in zip(lows, edges, strict=True)]
        return max(range(len(shares)), key=lambda i: shares[i])

    def split(self, line: Line) -> Line:
        """A row with its cells parted at the column edges their words straddle."""
        cells: list[Cell] = []
        for cell in line.cells:
            group: list[Word] = []
            column = -1
            for _offset, word in cell.words:
                col = self.of(geometry.box_of(word))
                if group and col != column:
                    cells.append(Cell.of_words(group))
                    group = []
                group.append(word)
                column = col
            if group:
                cells.append(Cell.of_words(group))
        return Line(tuple(cells))


def _columns(page: Layout, first_row: int, rows: list[int]) -> _Columns | None:
    """The table's columns, from the header row above its first row, if there is one."""
    header = _header_line(page, first_row)
    return _Columns.of_table(header, [page.lines[i] for i in rows]) if header else None


def _word_amount(word: Word) -> tuple[str, Decimal] | None:
    """A word that is a lone number ("1.50", "(2)", "0.75 |"): as printed, and its value."""
    m = _NUMBER_CELL.match(word.text.strip(_SPECKS))
    value = to_decimal(m.group("num")) if m else None
    return (m.group("num"), value) if m and value is not None else None


def _numbers(line: Line) -> list[tuple[Decimal, Box]]:
    """Every lone number on a row (a word of its own, outside its dates) and where it is.

    A number right after a category word ("Cat 1", "AOA 1") is a category, not an amount.
    """
    found: list[tuple[Decimal, Box]] = []
    for cell in line.cells:
        dated = [(h.start, h.end) for h in find_dates(cell.text)]
        for offset, word in cell.words:
            if any(s <= offset < e for s, e in dated):
                continue
            amount = _word_amount(word)
            if amount is not None and not _CATEGORY_BEFORE.search(cell.text[:offset]):
                found.append((amount[1], geometry.box_of(word)))
    return found


def _credits_column(numbers: list[list[Box]], header: Line | None) -> Box | None:
    """Where a table prints its amounts: the stretch of the page its credits column takes.

    The rows' lone numbers are grouped into columns by horizontal overlap. The column under
    a header that names credits or hours is the credits column; without one, the column
    holding a number on the most rows (the rightmost of equals). ``None`` when the rows
    print numbers in one column only (there is nothing to choose between) or when no column
    lines up the numbers of two rows and half the rows (amounts printed after each title, not
    in a column of their own).
    """
    columns: list[Box] = []
    for box in sorted((b for row in numbers for b in row), key=lambda b: b.x0):
        if columns and columns[-1].x_overlap(box) > 0:
            columns[-1] = geometry.union([columns[-1], box])
        else:
            columns.append(box)
    if len(columns) < 2:
        return None

    def rows_in(column: Box) -> int:
        return sum(1 for row in numbers if any(column.x_overlap(b) > 0 for b in row))

    columns = [c for c in columns if rows_in(c) >= max(2, len(numbers) / 2)]
    if not columns:
        return None
    named = [
        c.span_box(m.start(), m.end())
        for c in (header.cells if header else ())
        for m in [_CREDIT_HEADER.search(c.text)]
        if m
    ]
    if named:
        target = named[-1]
        middle = (target.x0 + target.x1) / 2
        return min(columns, key=lambda c: abs((c.x0 + c.x1) / 2 - middle))
    return max(columns, key=lambda c: (rows_in(c), c.x0))


def _header_line(page: Layout, first_row: int) -> Line | None:
    """The table's header row above its first row, if there is one."""
    for line in reversed(page.lines[max(0, first_row - 4) : first_row]):
        if len(_HEADER.findall(line.text)) >= 2:
            return line
    return None


def _doubts(line: Line, amount: Decimal | None) -> list[str]:
    """Review reasons for a row's date and amount read by OCR with low confidence.

    The amount's word is the row's last lone number of that value (the credits cell).
    """
    printed = Layout((line,))
    reasons = [
        policy.check_word_doubt(printed.reading_confidence(h.start, h.end), "date", h.raw)
        for h in find_dates(printed.text)[-1:]
    ]
    if amount is not None:
        own = [
            w.conf
            for c in line.cells
            for _, w in c.words
            if (found := _word_amount(w)) and found[1] == amount
        ]
        if own:
            reasons.append(policy.check_word_doubt(own[-1], "amount", str(amount)))
    return reasons


def _amount_in_column(
    line: Line, column: Box, amount: Decimal | None
) -> tuple[Decimal | None, str]:
    """The row's amount as printed in the credits column, and a review reason when it is not.

    The row's words in the credits column must read as one amount ("7.75", "1.5 hrs"); a
    cell that reads as more ("5 Yas", two numbers) is left unread, for review. A number
    elsewhere on the row (a category read as "18", a stray mark read as a digit) is never
    the row's credits: with no amount in the credits column the amount is left unread.
    """
    words = [w for c in line.cells for _, w in c.words if column.x_overlap(geometry.box_of(w)) > 0]
    printed = " ".join(w.text for w in words).strip(_SPECKS)
    m = _NUMBER_CELL.match(printed)
    value = to_decimal(m.group("num")) if m else None
    if value is not None and value > 0:
        return normalize_credit(value), ""
    if re.search(r"\d", printed):
        return None, f"the credits cell reads '{printed}': check the amount against the page"
    if amount is None:
        return None, ""
    return None, (
        f"the number read as this row's credits ({amount}) is not in the table's credits "
        "column: check the row against the page"
    )


def realign_amounts(page: Layout) -> Layout:
    """Give each table amount to the row whose vertical extent it overlaps.

    A scan's credit column may sit a few points off its rows (a skewed page, tesseract reading
    the column as a block of its own): the row builder then leaves an amount on a line of its
    own, or beside a neighbouring row. Here every lone amount on a dated row or on a line of
    amounts only is measured against each dated row's band (its first cell, followed along
    the page's tilt to the amount's column: :func:`geometry.skew`), less the offset the whole
    column shares (:func:`geometry.column_offset`), and moved to the row it overlaps clearly
    more than any other (:func:`geometry.owning_row`). An amount that overlaps none clearly
    stays where it was: its row is read without it and goes to review. A row never receives a
    second amount in one column.
    """
    lines = list(page.lines)
    anchors = [i for i, line in enumerate(lines) if opens_with_date(line.text)]
    if len(anchors) < 2:
        return page
    amount_cells = {i: [c for c in line.cells if _is_amount(c)] for i, line in enumerate(lines)}
    # Each dated row's other cells (its date first): where its baseline runs.
    texts = [[c.box for c in lines[i].cells if c not in amount_cells[i]] for i in anchors]
    slope = geometry.skew(texts)
    refs = [boxes[0] if boxes else lines[i].box for i, boxes in zip(anchors, texts, strict=True)]

    def bands_at(cell: Cell) -> list[Box]:
        middle = (cell.box.x0 + cell.box.x1) / 2
        return [geometry.follow(r, slope, middle) for r in refs]

    candidates = [
        (i, cell)
        for i, cells in amount_cells.items()
        if i in anchors or (cells and len(cells) == len(lines[i].cells))
        for cell in cells
    ]
    # The credits column as a whole may sit off its rows (printed or scanned out of register).
    drift = geometry.column_offset(
        [c.box for _, c in candidates], [bands_at(c) for _, c in candidates]
    )

    def owner(cell: Cell) -> int | None:
        if drift is None:
            return None  # the column fits two rows' worth of offsets alike: whose is whose?
        box = cell.box
        back = Box(box.x0, box.top - drift, box.x1, box.bottom - drift)
        return geometry.owning_row(back, bands_at(cell))

    # (from line, to line, cell) for every amount another row's band holds more clearly.
    # An amount on a dated row that no row clearly holds, its own included, leaves it for a
    # line of its own (_ALONE): never a neighbour's amount kept as this row's.
    moves: list[tuple[int, int, Cell]] = []
    for i, cell in candidates:
        row = owner(cell)
        if row is not None and anchors[row] != i:
            moves.append((i, anchors[row], cell))
        elif row is None and i in anchors:
            moves.append((i, _ALONE, cell))
    # A row that would hold two amounts in one column keeps what it had: which one is its
    # own, positions cannot say. Dropping a move may leave another row crowded: repeat.
    while True:
        leaving = {id(cell) for _, _, cell in moves}
        crowded = set()
        for target in {t for _, t, _ in moves} - {_ALONE}:
            held = [c for c in amount_cells[target] if id(c) not in leaving]
            held += [cell for _, t, cell in moves if t == target]
            if any(a.box.x_overlap(b.box) > 0 for n, a in enumerate(held) for b in held[n + 1 :]):
                crowded.add(target)
        if not crowded:
            break
        moves = [m for m in moves if m[1] not in crowded]
    if not moves:
        return page
    leaving = {id(cell) for _, _, cell in moves}
    out: list[Line] = []
    for i, line in enumerate(lines):
        cells = [c for c in line.cells if id(c) not in leaving]
        cells += [cell for _, target, cell in moves if target == i]
        if cells:
            out.append(Line(tuple(sorted(cells, key=lambda c: c.box.x0))))
        out += [Line((cell,)) for source, target, cell in moves if (source, target) == (i, _ALONE)]
    return Layout(tuple(out))


#: Where :func:`realign_amounts` puts an amount no row clearly holds: on a line of its own.
_ALONE = -1


def _is_amount(cell: Cell) -> bool:
    """Whether a cell is a lone amount ("1.50", "(2)", "0.75 cr")."""
    return bool(_NUMBER_CELL.match(cell.text.strip(_SPECKS)))


def parse_transcript(
    page_layout: Layout | str,
    page: int,
    roster: RosterIndex,
    text_confidence: float = 1.0,
    carried: PhysicianFind | None = None,
    carried_system: CreditSystem | None = None,
) -> tuple[PageOutcome, PhysicianFind, CreditSystem | None]:
    """Read every activity row of a transcript page.

    Args:
        page_layout: The page's layout, its amounts realigned (:func:`realign_amounts`).
        page: The page number.
        roster: The roster index.
        text_confidence: Confidence of the page's text (1.0 for a text layer).
        carried: The physician found on an earlier page of the same transcript.
        carried_system: The credit system stated on an earlier page.

    Returns:
        The page's records, the physician (to carry to the next page) and the page's credit
        system.
    """
    layout = geometry.as_layout(page_layout)
    text = layout.text
    lines = [line.text for line in layout.lines]
    rows = transcript_rows(layout)
    first = first_row(layout)
    who = find_physician(text, layout.part(0, first) if first is not None else layout, roster)
    if not who.physician_id and carried is not None and (carried.physician_id or not who.printed):
        who = carried
    page_systems = [s for s in systems_in(text) if s.physician]
    page_system = page_systems[0] if page_systems else carried_system
    records: list[ActivityRecord] = []
    printed_amounts: list[str] = []
    # Lines of the table that open with a date but whose amount could not be read are
    # activities too: kept, for review, never dropped. The table runs from its header (or first
    # row) to its totals line (or the page's end), so a row lost before the first or after the
    # last readable one is kept as well.
    table = _table_span(lines, first, rows)
    # Rows that print their date after other cells (sponsor, title) are found by their date
    # in the rows' date column.
    date_column = _date_column([layout.lines[i] for i in rows])
    unread = [
        i
        for i in table
        if i not in rows
        and (opens_with_date(lines[i]) or _dated_in(layout.lines[i], date_column))
        and not cues.TOTAL_ROW.search(lines[i])
        and not is_furniture(lines[i])
    ]
    # The page's print, run or statement date: no activity on it is later.
    issued = [
        h.value
        for line in lines[: first or 0]
        for h in find_dates(line)
        if date_role(line, h) == "issued"
    ]
    entries = sorted([*rows, *unread])
    columns = _columns(layout, first, entries) if first is not None else None

    split: dict[int, Line] = {}

    def row(index: int) -> Line:
        # Each line is parted at the column edges once: every check of the row reads it.
        if index not in split:
            line = layout.lines[index]
            split[index] = columns.split(line) if columns is not None else line
        return split[index]

    parsed = {index: _row_parts(row(index)) for index in rows}
    # An osteopathic activity report prints each row's AOA category alone ("1A", "2-B").
    osteopathic = bool(_OSTEOPATHIC.search(text))
    header = _header_line(layout, first) if first is not None else None
    credits_column = _credits_column([[b for _, b in _numbers(row(i))] for i in rows], header)
    for n, index in enumerate(entries):
        line = lines[index]
        parts = parsed.get(index)
        if parts is None:
            if index not in unread:
                continue
            parts = (_text_cells(row(index)), None)
        texts, amount = list(parts[0]), parts[1]
        column_note = ""
        if credits_column is not None:
            amount, column_note = _amount_in_column(row(index), credits_column, amount)
        # A title wrapped onto the next line sits between this row and the next one (under
        # the last row: up to the table's end), each such line right under the one above it.
        end = entries[n + 1] if n + 1 < len(entries) else table.stop
        text_left = min((t.box.x0 for t in texts), default=0.0)
        for below in range(index + 1, end):
            extra = row(below)
            if find_dates(extra.text):
                break  # a row that could not be read: what follows is its own
            if layout.gap_to(below - 1, extra.box) > geometry.WRAP_GAP:
                break  # further down than a wrapped line: the table's footing
            inked = [c.box.x0 for c in extra.cells if re.search(r"\w", c.text)]
            if inked and inked[0] < text_left - extra.size:
                break  # a line from under the dates: a note after the table, not a wrap
            # A line of amounts only is an amount no row could be given: no title's words.
            wrapped = not cues.TOTAL_ROW.search(extra.text) and len(extra.text) < 80
            if wrapped and texts and not all(_is_amount(c) for c in extra.cells):
                _attach_wrapped(texts, extra, columns)
        row_systems = systems_in(line)
        if row_systems and not any(s.physician for s in row_systems):
            continue  # nursing or pharmacy credit listed on a physician's transcript
        system = next((s for s in row_systems if s.physician), None)
        system = system or (_osteopathic_category(row(index)) if osteopathic else None)
        system = system or page_system
        title, provider = _pick_title_provider(texts, columns)
        date = find_dates(line)[-1].value
        reasons = [*_doubts(row(index), amount)]
        if who.problem:
            reasons.append(who.problem)
        if column_note:
            reasons.append(column_note)
        elif amount is None:
            reasons.append("credit amount could not be read")
        if not title:
            reasons.append("activity title not found")
        reasons.append(policy.check_against_issue(date, issued))
        field_conf = {
            "physician": who.confidence,
            "activity_date": policy.TABLE_CELL,
            "credits": policy.TABLE_CELL if amount is not None else 0.0,
            "activity_title": 0.9 if title else 0.0,
            "provider": 0.9 if provider else 0.0,
        }
        found = Found(page, n + 1, who, title, provider, date, amount, system)
        topics = tuple(infer_topics(title or ""))
        records.append(reviewed_record(found, topics, field_conf, reasons, text_confidence, "row"))
        printed_amounts.append(_printed_amount(row(index), amount))
    if text_confidence < 1.0:
        records = _lost_points_flagged(records, printed_amounts)
    return PageOutcome(records=tuple(_mend_lost_points(records))), who, page_system


def _printed_amount(line: Line, amount: Decimal | None) -> str:
    """How a row prints its amount ("1.50"), or "" when it has none."""
    if amount is None:
        return ""
    printed = [
        found[0]
        for c in line.cells
        for _, w in c.words
        if (found := _word_amount(w)) and found[1] == amount
    ]
    return printed[-1] if printed else ""


#: Share of a scanned table's amounts printed with decimals ("1.50", "2.0") above which one
#: printed without ("10") may be one whose decimal point OCR lost ("1.0").
_DECIMALS_PRINTED = 0.75


def _lost_points_flagged(records: list[ActivityRecord], printed: list[str]) -> list[ActivityRecord]:
    """Send to review a whole amount in a scanned column whose other amounts print decimals."""
    forms = [p for p in printed if p]
    with_point = [p for p in forms if re.search(r"[.,]", p)]
    if len(with_point) < 2 or len(with_point) < _DECIMALS_PRINTED * len(forms):
        return records
    return [
        policy.with_reason(
            record,
            f"credits printed as '{form}' where the other rows print decimals "
            f"('{with_point[0]}'): a decimal point may be lost in scanning; check the amount",
        )
        if form and not re.search(r"[.,]", form)
        else record
        for record, form in zip(records, printed, strict=True)
    ]


_OSTEOPATHIC = re.compile(r"\bAOA\b|\bosteopathic\b", re.I)
_AOA_CELL = re.compile(r"^(?:cat(?:egory|\.)?\s*)?[12]\s*-?\s*[AB]$", re.I)


def _osteopathic_category(line: Line) -> CreditSystem | None:
    """The AOA category a row of an osteopathic report prints in a cell of its own ("1-A")."""
    for cell in line.cells:
        m = _AOA_CELL.match(cell.text.strip(_SPECKS)) or next(
            (hit for _, word in cell.words if (hit := _AOA_CELL.match(word.text.strip(_SPECKS)))),
            None,
        )
        if m:
            # The credit systems' own patterns name it, as if the row printed "AOA 1-A".
            return next((s for s in systems_in(f"AOA {m.group(0)}") if s.physician), None)
    return None


def _date_boxes(line: Line) -> list[Box]:
    """Where each date on a row is printed."""
    return [cell.span_box(h.start, h.end) for cell in line.cells for h in find_dates(cell.text)]


def _date_column(rows: list[Line]) -> Box | None:
    """The stretch of the page the rows print their dates in, when they line up in a column."""
    firsts = [boxes[0] for boxes in map(_date_boxes, rows) if boxes]
    if len(firsts) < 2:
        return None
    column = geometry.union(firsts)
    widest = max(b.x1 - b.x0 for b in firsts)
    # Dates that wander across the page (printed after titles of any length) make no column.
    return column if column.x1 - column.x0 <= 2 * widest else None


def _dated_in(line: Line, column: Box | None) -> bool:
    """Whether a line prints a date in the table's date column."""
    return column is not None and any(column.x_overlap(b) > 0 for b in _date_boxes(line))


def _table_span(lines: list[str], first: int | None, rows: list[int]) -> range:
    """Line indices of the table: below its header (or from its first row) to its totals."""
    if first is None:
        return range(0)
    header = _header_index(lines, first)
    start = header + 1 if header is not None else first
    end = next(
        (
            i
            for i in range((rows or [first])[-1] + 1, len(lines))
            if cues.TOTAL_ROW.search(lines[i])
        ),
        len(lines),
    )
    return range(start, end)


def opens_with_date(line: str) -> bool:
    """Whether a line starts with a date, as a table row does (OCR specks before it allowed)."""
    stripped = line.strip(" |_-—~.:;'\"‘’“”»«*")
    hits = find_dates(stripped[:40])
    return bool(hits) and hits[0].start <= 2


def _text_cells(line: Line) -> list[_Part]:
    """The text cells of a row whose amount could not be read, garbled numbers left out."""
    return [t for t in _cells(line)[0] if not re.fullmatch(r"[\d\s.,:;]+", t.text)]


def _attach_wrapped(texts: list[_Part], line: Line, columns: _Columns | None) -> None:
    """Append the cells of a row's wrapped line to the cells they continue, by position.

    Each fragment continues the cell of its column: under a header, the header column it
    overlaps (a fragment in a column the row left empty starts that column's cell); without
    one, the row's cell it overlaps horizontally the most, else the nearest one.
    """
    for cell in line.cells:
        if not re.search(r"\w", cell.text):
            continue  # a speck or a table rule, not part of any cell's text
        box = cell.box
        owner: int | None = None
        if columns is not None:
            col = columns.of(box)
            owner = next((i for i, t in enumerate(texts) if columns.of(t.box) == col), None)
            if owner is None and col in (columns.title, columns.provider):
                texts.append(_Part(cell.text, box))
                continue
        if owner is None:
            # The cell it overlaps the most; overlapping none, the nearest (least far apart).
            owner = max(range(len(texts)), key=lambda i: texts[i].box.x_overlap(box))
        part = texts[owner]
        texts[owner] = _Part(f"{part.text} {cell.text}".strip(), geometry.union([part.box, box]))


#: Share of a table's amounts with decimals above which a whole number of three digits in
#: it is taken as one whose decimal point OCR lost ("101" for "1.01").
_DECIMAL_TABLE = 0.6


def _mend_lost_points(records: list[ActivityRecord]) -> list[ActivityRecord]:
    """Put back a decimal point OCR dropped from an amount in a column of decimal amounts.

    A single activity of more than 100 credits is not plausible. In a table whose other
    amounts are fractions like 1.25 or 0.75, "101" is "1.01" with its point lost, and the
    record says so for review; elsewhere the amount is left unread, for review, never kept.
    """
    amounts = [r.credits for r in records if r.credits is not None and r.credits <= 100]
    fractional = sum(1 for a in amounts if a != a.to_integral_value())
    decimal_table = fractional >= 2 and fractional >= _DECIMAL_TABLE * len(amounts)
    mended: list[ActivityRecord] = []
    for record in records:
        credits = record.credits
        if credits is not None and credits > 100:
            if decimal_table:
                value = (credits / 100).quantize(Decimal("0.01"))
                reason = (
                    f"credits read as {credits}, taken as {value} (a decimal point lost in "
                    "scanning): check against the page"
                )
            else:
                value = None
                reason = f"credits read as {credits}, not plausible for one activity"
            record = replace(record, credits=value, review_reasons=(*record.review_reasons, reason))
        mended.append(record)
    return mended


def _pick_title_provider(
    texts: list[_Part], columns: _Columns | None
) -> tuple[str | None, str | None]:
    """The row's title and provider: the cells under those headers, else by their wording."""
    if columns is not None and columns.title is not None:

        def under(col: int | None) -> str | None:
            found = [cues.clean_value(t.text) for t in texts if columns.of(t.box) == col]
            return " ".join(f for f in found if f) or None

        title = under(columns.title)
        if title:
            provider = under(columns.provider) if columns.provider is not None else None
            # A title cell that only names the activity's type ("Enduring Material") is no title.
            return (None if only_cue_words(title) else title), provider
    clean = [cues.clean_value(t.text) for t in texts if cues.clean_value(t.text)]
    if not clean:
        return None, None
    # Without a title column, the longest text that is more than an activity type's name.
    by_length = sorted(clean, key=lambda t: (not only_cue_words(t), len(t)), reverse=True)
    if only_cue_words(by_length[0]):
        return None, None
    title = by_length[0]
    others = [t for t in by_length[1:] if not only_cue_words(t)]
    provider = next((t for t in clean if t in others and cues.ORG_WORDS.search(t)), None)
    if provider is None and others:
        provider = others[0]
    return title, provider
