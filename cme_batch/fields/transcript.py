"""Read transcript pages: one activity per table row, header and totals rows left out."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from cme_batch.fields import cues, lexicon, policy
from cme_batch.fields.certificate import (
    PhysicianFind,
    date_role,
    find_physician,
    lines_of,
    only_cue_words,
)
from cme_batch.fields.credits import CreditSystem, normalize_credit, systems_in, to_decimal
from cme_batch.fields.dates import find_dates
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


def _cells(line: str) -> tuple[list[str], Decimal | None]:
    """A table line's text cells (dates and credit-type cells left out) and its amount cell."""
    amount: Decimal | None = None
    texts: list[str] = []
    for cell in cues.cells(line):
        stripped = cell
        for hit in find_dates(cell):
            stripped = stripped.replace(hit.raw, " ")
        # OCR leaves table rules and specks around cells: "1.05 |", "2.75 .", "‘AAFP".
        stripped = stripped.strip(" -–—_|~.,;:'\"‘’“”»«")
        if not stripped:
            continue
        m = _NUMBER_CELL.match(stripped)
        if m:
            if amount is None:
                amount = to_decimal(m.group("num"))
            continue
        if _CAT_CELL.match(stripped):
            continue
        texts.append(stripped)
    return texts, amount


def _row_parts(line: str) -> tuple[list[str], Decimal | None] | None:
    """Split a transcript line into its text cells and its credit amount, or None if not a row."""
    dates = find_dates(line)
    if not dates:
        return None
    texts, amount = _cells(line)
    if amount is None:
        # OCR may collapse the gap before the credits column: take a trailing number.
        tail = _TRAILING_AMOUNT.search(line)
        before = line[: tail.start("num")] if tail else ""
        # "AMA PRA Cat 1" ends in a category number, not an amount.
        is_category = _CATEGORY_BEFORE.search(before)
        if (
            tail
            and not is_category
            and not any(h.start <= tail.start("num") < h.end for h in dates)
        ):
            amount = to_decimal(tail.group("num"))
            texts = [t.replace(tail.group(0).strip(), "").strip() for t in texts]
    # Three-digit whole numbers stay for now: in a column of decimals they are amounts whose
    # decimal point OCR lost (see _mend_lost_points).
    if amount is None or amount <= 0 or amount >= 1000 or (amount > 100 and amount % 1):
        return None
    return [t for t in texts if t], normalize_credit(amount)


def row_amount(line: str) -> Decimal | None:
    """The credit amount of a transcript row, or ``None`` when the line has none."""
    parts = _row_parts(line)
    return parts[1] if parts else None


def is_furniture(line: str) -> bool:
    """Whether a dated line is page furniture (page numbers, print or run dates), not a row."""
    if _PAGE_OF.search(line):
        return True
    return any(date_role(line, hit) in ("issued", "deadline") for hit in find_dates(line)[:1])


def transcript_rows(text: str) -> list[int]:
    """Indices (into the page's non-empty lines) of lines that are activity rows."""
    lines = lines_of(text)
    rows = [
        i
        for i, line in enumerate(lines)
        if not cues.TOTAL_ROW.search(line) and not is_furniture(line) and _row_parts(line)
    ]
    # Two rows make a table when a transcript is named or a column header sits above them.
    hinted = cues.TRANSCRIPT_HINT.search(text) or (rows and _columns_header(lines, rows[0]))
    needed = _MIN_ROWS_WITH_HINT if hinted else _MIN_ROWS
    return rows if len(rows) >= needed else []


def _columns_header(lines: list[str], first_row: int) -> bool:
    """Whether a table header (date, title or topic, credits columns) is just above the rows."""
    return _header_index(lines, first_row) is not None


def _header_index(lines: list[str], first_row: int) -> int | None:
    """The index of the table header line just above the rows, if there is one."""
    for index in range(first_row - 1, max(0, first_row - 3) - 1, -1):
        line = lines[index]
        cells = cues.cells(line)
        if len(cells) >= 2 and len(_HEADER.findall(line)) >= 2 and _CREDIT_HEADER.search(line):
            return index
    return None


def printed_total(text: str) -> Decimal | None:
    """The total credits a transcript page prints ("TOTAL CREDITS 57.00"), if any."""
    for line in reversed(lines_of(text)):
        if cues.TOTAL_ROW.search(line) and not find_dates(line):
            m = _TOTAL_AMOUNT.search(line)
            if m:
                return to_decimal(m.group("num"))
    return None


def _columns(lines: list[str], first_row: int) -> tuple[int | None, int | None]:
    """Which text cell is the title and which the provider, from the header line above rows."""
    for line in reversed(lines[max(0, first_row - 4) : first_row]):
        if len(_HEADER.findall(line)) >= 2:
            headers = [h for h in cues.cells(line) if not _NOT_TEXT_COL.search(h)]
            title = next((i for i, h in enumerate(headers) if _TITLE_COL.search(h)), None)
            provider = next((i for i, h in enumerate(headers) if _PROVIDER_COL.search(h)), None)
            return title, provider
    return None, None


def parse_transcript(
    text: str,
    page: int,
    roster: RosterIndex,
    text_confidence: float = 1.0,
    carried: PhysicianFind | None = None,
    carried_system: CreditSystem | None = None,
) -> tuple[PageOutcome, PhysicianFind, CreditSystem | None]:
    """Read every activity row of a transcript page.

    Args:
        text: The page's text.
        page: The page number.
        roster: The roster index.
        text_confidence: Confidence of the page's text (1.0 for a text layer).
        carried: The physician found on an earlier page of the same transcript.
        carried_system: The credit system stated on an earlier page.

    Returns:
        The page's records, the physician (to carry to the next page) and the page's credit
        system.
    """
    lines = lines_of(text)
    rows = transcript_rows(text)
    who = find_physician(text, lines[: rows[0]] if rows else lines, roster)
    if not who.physician_id and carried is not None and (carried.physician_id or not who.printed):
        who = carried
    page_systems = [s for s in systems_in(text) if s.physician]
    page_system = page_systems[0] if page_systems else carried_system
    title_col, provider_col = _columns(lines, rows[0]) if rows else (None, None)
    header_provider = None
    parsed = {index: _row_parts(lines[index]) for index in rows}
    widths = _cell_widths([p[0] for p in parsed.values() if p])
    records: list[ActivityRecord] = []
    # Lines of the table that open with a date but whose amount could not be read are
    # activities too: kept, for review, never dropped. The table runs from its header (or first
    # row) to its totals line (or the page's end), so a row lost before the first or after the
    # last readable one is kept as well.
    unread = [
        i
        for i in _table_span(lines, rows)
        if i not in rows
        and opens_with_date(lines[i])
        and not cues.TOTAL_ROW.search(lines[i])
        and not is_furniture(lines[i])
    ]
    # The page's print, run or statement date: no activity on it is later.
    issued = [
        h.value
        for line in lines[: rows[0] if rows else 0]
        for h in find_dates(line)
        if date_role(line, h) == "issued"
    ]
    entries = sorted([*rows, *unread])
    for n, index in enumerate(entries):
        line = lines[index]
        parts = parsed.get(index)
        if parts is None:
            if index not in unread:
                continue
            parts = (_text_cells(line), None)
        texts, amount = parts
        # A title wrapped onto the next line sits between this row and the next one.
        end = entries[n + 1] if n + 1 < len(entries) else index + 1
        for extra in lines[index + 1 : end]:
            if find_dates(extra):
                break  # a row that could not be read: what follows is its own
            if not cues.TOTAL_ROW.search(extra) and len(extra) < 80 and texts:
                _attach_wrapped(texts, cues.cells(extra), widths)
        row_systems = systems_in(line)
        if row_systems and not any(s.physician for s in row_systems):
            continue  # nursing or pharmacy credit listed on a physician's transcript
        system = next((s for s in row_systems if s.physician), page_system)
        title, provider = _pick_title_provider(texts, title_col, provider_col)
        date = find_dates(line)[-1].value
        reasons = []
        if who.problem:
            reasons.append(who.problem)
        if amount is None:
            reasons.append("credit amount could not be read")
        if not title:
            reasons.append("activity title not found")
        reasons.append(policy.check_against_issue(date, issued))
        field_conf = {
            "physician": who.confidence,
            "activity_date": policy.TABLE_CELL,
            "credits": policy.TABLE_CELL if amount is not None else 0.0,
            "activity_title": 0.9 if title else 0.0,
            "provider": 0.9 if provider or header_provider else 0.0,
        }
        confidence = policy.confidence(field_conf, text_confidence)
        final = policy.final_reasons(reasons, confidence, "row")
        records.append(
            ActivityRecord(
                page=page,
                item=n + 1,
                physician_name=who.printed,
                physician_id=who.physician_id,
                activity_title=title,
                provider=provider or header_provider,
                activity_date=date,
                credits=amount,
                category=system.category if system else "",
                credit_type=system.credit_type if system else "",
                topics=tuple(infer_topics(title or "")),
                confidence=confidence,
                review_reasons=final,
                field_confidence=field_conf,
            )
        )
    return PageOutcome(records=tuple(_mend_lost_points(records))), who, page_system


def _table_span(lines: list[str], rows: list[int]) -> range:
    """Line indices of the table: below its header (or from its first row) to its totals."""
    if not rows:
        return range(0)
    header = _header_index(lines, rows[0])
    start = header + 1 if header is not None else rows[0]
    end = next(
        (i for i in range(rows[-1] + 1, len(lines)) if cues.TOTAL_ROW.search(lines[i])),
        len(lines),
    )
    return range(start, end)


def opens_with_date(line: str) -> bool:
    """Whether a line starts with a date, as a table row does (OCR specks before it allowed)."""
    stripped = line.strip(" |_-—~.:;'\"‘’“”»«*")
    hits = find_dates(stripped[:40])
    return bool(hits) and hits[0].start <= 2


def _text_cells(line: str) -> list[str]:
    """The text cells of a row whose amount could not be read, garbled numbers left out."""
    return [t for t in _cells(line)[0] if not re.fullmatch(r"[\d\s.,:;]+", t)]


_OPEN_END = lexicon.pattern(
    "transcript._OPEN_END",
    lambda w: r"(?:\b(?:" + w("transcripts.open_end") + r")|[:,/-])$",
    re.I,
)


def _cell_widths(rows: list[list[str]]) -> list[int]:
    """The longest text in each text column of a table's rows (their text cells), in characters."""
    widths: list[int] = []
    for texts in rows:
        for col, text in enumerate(texts):
            if col == len(widths):
                widths.append(0)
            widths[col] = max(widths[col], len(text))
    return widths


def _attach_wrapped(texts: list[str], cells: list[str], widths: list[int]) -> None:
    """Append the cells of a row's wrapped line to the cells they continue.

    Two cells continue the row's first two text cells (title and provider wrapped together).
    A single one continues, in this order: a cell left open ("... Board of", "Academy of");
    the provider, when the fragment names an organization ("Education Alliance"); the cell
    that must have wrapped, because the fragment's first word would not have fitted on its
    first line (about as long as the column's longest text); else the title.
    """
    if not cells:
        return
    if len(cells) >= 2 and len(texts) >= 2:
        texts[0] = f"{texts[0]} {cells[0]}".strip()
        texts[1] = f"{texts[1]} {cells[1]}".strip()
        return
    owner = 0
    if len(texts) >= 2:
        fragment = cells[0]
        word = len(fragment.split()[0])

        def too_long(col: int) -> bool:
            return col < len(widths) and len(texts[col]) + 1 + word > widths[col]

        if _OPEN_END.search(texts[0]):
            owner = 0
        elif _OPEN_END.search(texts[1]) or cues.ORG_WORDS.search(fragment):
            owner = 1
        elif too_long(1) and not too_long(0):
            owner = 1
    texts[owner] = f"{texts[owner]} {cells[0]}".strip()


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
    texts: list[str], title_col: int | None, provider_col: int | None
) -> tuple[str | None, str | None]:
    clean = [cues.clean_value(t) for t in texts if cues.clean_value(t)]
    if not clean:
        return None, None
    if title_col is not None and title_col < len(clean):
        title = clean[title_col]
        provider = (
            clean[provider_col]
            if provider_col is not None and provider_col < len(clean) and provider_col != title_col
            else None
        )
        # A title cell that only names the activity's type ("Enduring Material") is no title.
        return (None if only_cue_words(title) else title), provider
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
