"""Split a page that lists several activities into one text block per activity.

Statements, course series and letters with bullet points list several activities on a page.

Each activity on such a page has its own credit amount and its own date. The amounts are the
anchors; blocks are cut at explicit item markers ("Activity 2", "Session 3", bullets, "2.")
when there are any, and otherwise so that each block holds one amount and one date. Lines
before the first block (the physician, the provider's letterhead) are shared by all blocks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from cme_batch.fields import lexicon
from cme_batch.fields.credits import find_credits
from cme_batch.fields.dates import DateHit, find_dates
from cme_batch.fields.geometry import Layout

#: Scores a date as an activity date (passed in: the scorer lives with the certificate reader).
DateScore = Callable[[Layout, DateHit], float]

# Shapes filled with the lexicon's item markers and credit systems (``lexicon.toml``).
_MARKER = lexicon.pattern(
    "segment._MARKER",
    # OCR may read the item's number as "?" or "!" ("Session?").
    lambda w: (
        r"^[\s\"“”'‘’_~.]*(?:(?:" + w("items.word") + r")\s*#?\s*"
        r"(?:\d{1,2}\b|[?!](?=\s))"
        r"|(?:" + w("items.bullet") + r")\s*\S|[-–]\s+\S|\d{1,2}[.)]\s+[A-Za-z])"
    ),
    re.I,
)
# A line that only continues the credit above it: its system name or the word "credits".
_CONTINUATION = lexicon.pattern(
    "segment._CONTINUATION",
    lambda w: (
        r"^(?:\(?(?:" + w.amount_names(physician_only=True) + r")\b[^\d]*|credits?\b.*"
        r"|hours?\b.*|[A-Za-z ]*credits?(?:" + w("credits.trademark") + r")?\.?)$"
    ),
    re.I,
)


@dataclass(frozen=True)
class Blocks:
    """One part of the page per activity (the header lines before the first are shared).

    Attributes:
        blocks: One part of the page per activity, its lines with their positions.
        marked: The blocks were cut at item markers ("Activity 2", bullets), not only at
            amounts and dates.
    """

    blocks: tuple[Layout, ...]
    marked: bool = False


def split_activities(page: Layout, date_score: DateScore) -> Blocks | None:
    """Split a multi-activity page; ``None`` when the page holds a single activity.

    Args:
        page: The page's layout.
        date_score: How likely a date is an activity date.
    """
    lines = [line.text for line in page.lines]
    joined = page.text
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    hits = [
        h
        for h in find_credits(joined, page)
        if h.kind in ("claimed", "plain")
        and h.unit != "point"
        and (h.system is None or h.system.physician)
    ]
    anchors = sorted({line_of(h.start) for h in hits})
    if len(anchors) < 2:
        return None
    dated = [(line_of(h.start), h.value) for h in find_dates(joined) if date_score(page, h) > -1]
    markers = [i for i, line in enumerate(lines) if _MARKER.match(line)]
    if len({value for _, value in dated}) < len(anchors) and not markers:
        # Two amounts but one activity date: one certificate printing its credit twice.
        return None
    date_lines = sorted({line for line, _ in dated})
    cuts: list[int] = []
    for a, b in zip(anchors, anchors[1:], strict=False):
        between = [m for m in markers if a < m <= b]
        if between:
            cuts.append(between[-1])
            continue
        block_start = cuts[-1] if cuts else 0
        has_date = any(block_start <= d <= a for d in date_lines)
        later_dates = [d for d in date_lines if a < d < b]
        if not has_date and later_dates:
            cut = later_dates[0] + 1
        else:
            cut = a + 1
            while cut < b and _CONTINUATION.match(lines[cut]) and cut not in date_lines:
                cut += 1
        cuts.append(cut)
    leading = [m for m in markers if m <= anchors[0]]
    first = leading[-1] if leading else 0
    bounds = [first, *cuts, len(lines)]
    blocks = tuple(page.part(s, e) for s, e in zip(bounds, bounds[1:], strict=False))
    if any(not block.lines for block in blocks):
        return None
    return Blocks(blocks=blocks, marked=bool(markers))
