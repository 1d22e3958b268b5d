"""Read one certificate page's fields: physician, title, provider, date, credits, topics."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from cme_batch.fields import cues, geometry, lexicon, policy
from cme_batch.fields.credits import CreditHit, CreditSystem, find_credits, systems_in
from cme_batch.fields.dates import DateHit, find_dates
from cme_batch.fields.geometry import Cell, Layout
from cme_batch.fields.record import ActivityRecord, PageOutcome
from cme_batch.fields.segment import split_activities
from cme_batch.fields.topics import infer_topics
from cme_batch.matching import RosterIndex

# Roles of a date's caption besides the activity's own date. A date captioned as the day
# credit was claimed, the certificate issued or printed, or a letter sent never starts or dates
# an activity, and an activity dated after it is a contradiction (see policy.check_against_issue);
# a release date bounds an enduring material's activity from below; a deadline or expiry only
# says until when credit may be claimed.
_DEADLINE_CAPTION = lexicon.pattern(
    "certificate._DEADLINE_CAPTION", lambda w: r"\b(?:" + w("dates.caption_deadline") + ")", re.I
)
_ISSUED_CAPTION = lexicon.pattern(
    "certificate._ISSUED_CAPTION", lambda w: r"\b(?:" + w("dates.caption_issued") + ")", re.I
)
_RELEASE_CAPTION = lexicon.pattern(
    "certificate._RELEASE_CAPTION", lambda w: "(?:" + w("dates.caption_release") + ")", re.I
)

# Shapes filled with the lexicon's words (``lexicon.toml``; the page-wide cues are in ``cues``).
# Where a name found by a phrase cue runs on into the sentence.
_NAME_RUN_ON = lexicon.pattern(
    "certificate._NAME_RUN_ON", lambda w: r"\s+(?:" + w("names.run_on") + r")\b", re.I
)
# A title line that runs on to the next one.
_TITLE_RUNS_ON = lexicon.pattern(
    "certificate._TITLE_RUNS_ON",
    lambda w: r"(?:\b(?:" + w("titles.open_end") + r")|[:\-–,&])$",
    re.I,
)
# What follows a title on its line: "on ...", "held ...", "and is awarded ...".
_TITLE_END = lexicon.pattern(
    "certificate._TITLE_END", lambda w: r"\s+(?:" + w("titles.ends_before") + r")\s+", re.I
)
# A header line that is not the provider's name.
_NOT_PROVIDER = lexicon.pattern(
    "certificate._NOT_PROVIDER", lambda w: w("providers.not_provider") + r"|\d{3}", re.I
)
# Words right after a date that say it is not the activity date.
_NOT_ACTIVITY_AFTER = lexicon.pattern(
    "certificate._NOT_ACTIVITY_AFTER",
    lambda w: r"\s*(?:\(|-)?\s*(?:" + w("dates.after_not_activity") + r")",
    re.I,
)


@dataclass(frozen=True)
class PhysicianFind:
    """The physician a page is for: printed name, roster id, confidence, problem."""

    printed: str | None
    physician_id: str
    confidence: float
    problem: str = ""


def lines_of(text: str) -> list[str]:
    """Non-empty, stripped lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _value_after(page: Layout, index: int, value: str, col: int | None = None) -> str:
    """A cue's value: the rest of its cell, else the cell right of it, else the cell under it.

    Args:
        page: The page's layout.
        index: The cue's line.
        value: What follows the cue in its cell.
        col: The cue's cell on its line; ``None`` for a cue read across the whole line.

    The cell under the cue is the one on the next two rows that overlaps the cue's cell
    horizontally (the value printed under its label), never merely the first cell there.
    """
    value = cues.clean_value(value)
    if value:
        return value
    line = page.lines[index]
    if col is not None and col + 1 < len(line.cells):
        following = [cues.clean_value(c.text) for c in line.cells[col + 1 :]]
        # A scrap of scanner noise may sit between a label and its value ("Title   Pia
        # Alzheimer's Disease ..."): skip one of three letters or fewer before a longer cell.
        if len(following) > 1 and len(following[0]) <= 3 and len(following[1]) > 9:
            return following[1]
        return following[0]
    label = line.cells[col].box if col is not None else line.box
    for nxt in page.lines[index + 1 : index + 3]:
        cell = geometry.column_cell(nxt, label)
        candidate = cues.clean_value(cell.text) if cell else ""
        if candidate:
            return candidate
    return ""


def _looks_like_name(value: str) -> bool:
    words = value.replace(",", " ").split()
    if not 2 <= len(words) <= 8 or len(value) > 70:
        return False
    if cues.NOT_A_NAME.search(value):
        return False
    letters = sum(ch.isalpha() for ch in value)
    return letters >= 0.7 * len(value.replace(" ", ""))


def name_candidates(page: Layout) -> list[str]:
    """Printed physician names found by cues, best first."""
    found: list[str] = []
    for i, line in enumerate(page.lines):
        for j, cell in enumerate(line.cells):
            for pattern in (cues.NAME_LABEL, cues.DEAR, cues.NAME_PHRASE, cues.NAME_BEFORE_VERB):
                m = pattern.search(cell.text)
                if not m:
                    continue
                value = _value_after(page, i, (m.group("value") or ""), j)
                # A phrase cue may run on: "certifies that Jane Doe has completed ...".
                value = _NAME_RUN_ON.split(value)[0]
                value = cues.clean_value(value)
                if _looks_like_name(value) and value not in found:
                    found.append(value)
    return found


def find_physician(text: str, page: Layout, roster: RosterIndex) -> PhysicianFind:
    """Find who a page is for: license number first, then cued names, then roster names.

    A license number and a name that point to different physicians are a problem for review,
    as is any ambiguous name.
    """
    by_license = roster.by_license_in(text)
    candidates = name_candidates(page)
    ambiguous = ""
    could_be: set[str] = set()

    # Roster names printed anywhere on the page: a scan of the whole roster, made once and
    # only when a cue alone does not settle who the page is for.
    @functools.cache
    def in_text() -> list[tuple[str, str]]:
        return roster.find_in_text(text)

    for printed in candidates:
        match = roster.match_name(printed)
        if match.physician_id:
            if by_license and match.physician_id not in by_license:
                return PhysicianFind(
                    printed,
                    "",
                    0.3,
                    f"license number on the page is {by_license[0]}'s "
                    f"but the name is {match.physician_id}'s",
                )
            if by_license:
                return PhysicianFind(printed, match.physician_id, max(match.confidence, 0.95))
            if match.reason:
                # A surname-only cue ("Dear Dr. Bianchi") confirmed by the full name printed
                # elsewhere on the page (the address block) needs no review.
                full = in_text()
                if [pid for pid, _ in full] == [match.physician_id]:
                    return PhysicianFind(full[0][1], match.physician_id, 0.85)
            return PhysicianFind(printed, match.physician_id, match.confidence, match.reason)
        if match.ambiguous:
            ambiguous = ambiguous or match.reason
            could_be.update(match.candidates)
    if len(by_license) == 1:
        return PhysicianFind(candidates[0] if candidates else None, by_license[0], 0.95)
    found = in_text()
    # An ambiguous cued name ("Dear Dr. Kealoha", two Kealohas on the roster) is settled by
    # a full name elsewhere on the page (the letter's address block) only when that name is
    # one of the physicians it could be.
    if len(found) == 1 and (not ambiguous or found[0][0] in could_be):
        pid, printed = found[0]
        return PhysicianFind(printed, pid, 0.85)
    if len(found) > 1:
        ids = " or ".join(pid for pid, _ in found[:3])
        return PhysicianFind(
            candidates[0] if candidates else None,
            "",
            0.3,
            f"several roster physicians are named on the page ({ids})",
        )
    if ambiguous:
        return PhysicianFind(candidates[0], "", 0.3, ambiguous)
    if candidates:
        return PhysicianFind(
            candidates[0], "", 0.7, f"physician {candidates[0]!r} is not on the roster"
        )
    return PhysicianFind(None, "", 0.0, "no physician name found")


def _join_title(page: Layout, index: int, first: str) -> str:
    """Continue a title onto the next line when it clearly runs on (the cell under it)."""
    title = first
    if index + 1 < len(page.lines):
        nxt = page.lines[index + 1].text
        runs_on = _TITLE_RUNS_ON.search(title)
        if runs_on and len(nxt) < 90 and not find_dates(nxt) and not find_credits(nxt):
            under = geometry.column_cell(page.lines[index + 1], page.lines[index].box)
            if under is not None:
                title = f"{title} {under.text}"
    return title


_ITEM_NUMBER = lexicon.pattern(
    "certificate._ITEM_NUMBER",
    lambda w: r"^\W*(?:" + w("items.word") + r")\s*#?\s*\d{1,2}\b",
    re.I,
)


def find_title(page: Layout, names: list[str]) -> tuple[str | None, float]:
    """The activity title and a confidence for it."""
    lines = [line.text for line in page.lines]
    for i, line in enumerate(lines):
        row = [c.text for c in page.lines[i].cells]
        for j, cell in enumerate(row):
            m = cues.TITLE_LABEL.search(cell)
            if m and j == 0 and _ITEM_NUMBER.match(line):
                # "Activity 2" numbers an item; it does not label a title, but in a list
                # ("Session 1    Headache Red Flags ...   1.77") the title is the next cell.
                nxt = row[1] if len(row) > 1 and re.search(r"\d", cell) else ""
                if len(nxt.split()) >= 3 and not find_credits(nxt) and not find_dates(nxt):
                    return _trim_title(nxt), 0.9
                continue
            if m:
                value = _value_after(page, i, (m.group("value") or ""), j)
                # A section heading ("Activity") above a "Title  ..." row: the value found
                # is the next label, whose own value comes on its own turn.
                label = cues.TITLE_LABEL.search(value)
                if label and not label.group("value"):
                    continue
                if value and only_cue_words(value):
                    continue  # "Activity: Enduring material" says what kind, not which
                if value and (not find_dates(value) or len(value) > 25):
                    return _trim_title(_join_title(page, i, value)), 0.95
    for i, line in enumerate(lines):
        m = cues.TITLE_PHRASE.search(line)
        if m:
            rest = m.group("value") or ""
            if only_cue_words(rest):
                # "has participated in the internet point-of-care activity" with the title
                # on the next line: what is left of the sentence is no title.
                rest = ""
            value = _value_after(page, i, rest)
            # The title on the next line in quotation marks (“Closed Claims ...”): only when
            # the quotation opens that line, not a quoted word inside an unquoted title.
            below = lines[i + 1] if not rest and i + 1 < len(lines) else ""
            opens = below[:1] in ('"', "“", "‘", "'")
            quoted = _quoted(lines, i) or (_quoted(lines, i + 1) if opens else "")
            if quoted:
                # "completed the live seminar “Safe Prescribing ... Pain\nManagement” on":
                # the quotation marks bound the title, across a line break too.
                return quoted, 0.85
            value = _trim_title(value)
            # "Completed on March 9, 2026": a date, with at most "on" or "held" before it.
            dated = any(
                h.start <= 2 or _TITLE_END.fullmatch(f" {value[: h.start]}")
                for h in find_dates(value)
            )
            # "attended the Grand Rounds presentation" then the title on the next line: a
            # lone word is the kind of activity, not its title.
            generic = len(value.split()) < 2 or only_cue_words(value)
            if (
                len(value) >= 6
                and not dated
                and not generic
                and value not in names
                and not find_credits(value)
            ):
                return _trim_title(_join_title(page, i, value)), 0.85
    for i in range(len(lines)):
        quoted = _quoted(lines, i)
        if quoted:
            return quoted, 0.8
    return None, 0.0


def only_cue_words(value: str) -> bool:
    """Whether a title candidate is made of title cue words only ("activity titled").

    Such a value is the sentence around a title (its verb, the activity's format and type,
    "titled"), never a title: it is not accepted, and with nothing better found the record
    goes to review for want of a title.
    """
    return bool(cues.TITLE_CUES_ONLY.match(value))


def _quoted(lines: list[str], index: int) -> str:
    """A quoted title on line ``index``, closed on that line or the next one."""
    if index >= len(lines):
        return ""
    m = cues.QUOTED.search(lines[index])
    if m is None and index + 1 < len(lines) and re.search(r"[\"“]", lines[index]):
        m = cues.QUOTED.search(f"{lines[index]} {lines[index + 1]}")
    value = _trim_title(m.group("value") or "") if m else ""
    return "" if only_cue_words(value) else value


def _trim_title(value: str) -> str:
    """Cut what follows a title on its line: dates, credit sentences, "on ...", "held ..."."""
    value = _TITLE_END.split(value, maxsplit=1)[0]
    for hit in find_dates(value):
        if hit.start > 5:
            value = value[: hit.start]
            break
    return cues.clean_value(value)


def labelled_providers(page: Layout) -> list[str]:
    """Values of "Provider:"-style labels, in page order (never the accrediting body)."""
    found: list[str] = []
    for i, line in enumerate(page.lines):
        for j, cell in enumerate(line.cells):
            m = cues.PROVIDER_LABEL.search(cell.text)
            if m:
                value = _value_after(page, i, (m.group("value") or ""), j)
                if value and not cues.ACCREDITOR.search(value):
                    found.append(value)
    return found


def find_provider(page: Layout, skip: set[str]) -> tuple[str | None, float]:
    """The provider (the organization that offered the activity) and a confidence."""
    lines = [line.text for line in page.lines]
    labelled = labelled_providers(page)
    if labelled:
        return labelled[0], 0.95
    for line in lines:
        m = cues.PROVIDER_PHRASE.search(line)
        if m and not cues.ACCREDITOR.search(m.group("value") or ""):
            value = cues.clean_value(m.group("value") or "")
            if cues.ORG_WORDS.search(value):
                return value, 0.85
    for line in lines[:8] + lines[-6:]:
        for cell in cues.cells(line) or [line]:
            value = cues.clean_value(cell)
            if (
                value not in skip
                and 4 <= len(value) <= 90
                and cues.ORG_WORDS.search(value)
                and not cues.ACCREDITOR.search(value)
                and not _NOT_PROVIDER.search(value)
            ):
                return value, 0.6
    return None, 0.0


def _caption(cell: Cell | None) -> str:
    """A cell's text when it reads as a date's caption (short, no digits, a date cue), else ""."""
    if cell is None or len(cell.text) > 40 or re.search(r"\d", cell.text):
        return ""
    named = any(
        p.search(cell.text)
        for p in (
            cues.DATE_POSITIVE,
            cues.DATE_NEGATIVE,
            _ISSUED_CAPTION,
            _DEADLINE_CAPTION,
            _RELEASE_CAPTION,
        )
    )
    return cell.text if named else ""


def date_caption(page: Layout | str, hit: DateHit) -> str:
    """The caption a date is printed with: the text before it in its cell, or a caption cell.

    A value that opens its cell is captioned, from positions, by the cell just left of it on
    its baseline, else by the cell under or over it that overlaps it horizontally (the nearer
    one; under first at equal distance): never by a cell that merely has the same index on
    another row. A cell counts as a caption when it is short, has no digits and names a date.
    """
    page = geometry.as_layout(page)
    text = page.text
    line_start = text.rfind("\n", 0, hit.start) + 1
    prev_line_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    before_line = text[line_start : hit.start]
    if before_line.count("”") > before_line.count("“"):
        # The quotation that closes here opened on the line above, with the verb before it.
        before_line = text[prev_line_start : hit.start].replace("\n", " ")
    # A quoted title between the verb and the date ("completed “...” on August 18, 2025") is
    # not part of the label: shorten it so the verb stays in reach.
    label = re.sub(r"[“\"][^“”\"\n]{1,200}[”\"]", "“…”", before_line)[-60:]
    cell_label = cues.CELL_SPLIT.split(label)[-1] if label.strip() else ""
    found = page.box_at(hit.start, hit.end)
    if cell_label.strip() or found is None:
        # "Title — 05/14/2025": what precedes a dash or bar is another field, not a label.
        return re.split(r"\s[—–|]\s|\s-\s", cell_label)[-1]
    where, box = found
    left = _caption(page.left_of(where))
    if left:
        return left
    near = [
        (page.gap_to(where.line + step, box), order, caption)
        for order, (step, cell) in enumerate(
            ((1, page.caption_below(where, box)), (-1, page.caption_above(where, box)))
        )
        if (caption := _caption(cell))
    ]
    return min(near)[2] if near else ""


def _is_letter_date(page: Layout | str, hit: DateHit) -> bool:
    """Whether a date is a letter's own date: alone on its line, above the salutation.

    A letter confirming attendance prints the day it was written under its letterhead
    ("10-JAN-2025", then the address, then "Dear Dr. Doe:"); the activity's date is in the
    body. The letter's date never dates an activity.
    """
    page = geometry.as_layout(page)
    text = page.text
    line_start = text.rfind("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if line.strip(" .,;:") != hit.raw.strip(" .,;:"):
        return False
    # The salutation comes within the address block's dozen lines, not anywhere below.
    below = text[hit.end :].split("\n", 13)[1:13]
    return any(cues.DEAR.search(b) for b in below)


def date_role(page: Layout | str, hit: DateHit) -> str:
    """What a date on a page is, from its caption.

    Returns:
        ``deadline`` (expiry, claim-by), ``issued`` (issued, printed, claimed, generated, a
        letter's date), ``released`` (an enduring material's release), or ``""`` when the
        caption says nothing against it being the activity's date.
    """
    page = geometry.as_layout(page)
    caption = date_caption(page, hit)
    after = page.text[hit.end : hit.end + 25]
    if cues.DATE_POSITIVE.search(caption) and not _ISSUED_CAPTION.search(caption):
        return ""
    if _DEADLINE_CAPTION.search(caption):
        return "deadline"
    if _ISSUED_CAPTION.search(caption) or re.match(r"\s*(?:\(|-)?\s*(?:issue|print)", after, re.I):
        return "issued"
    if _is_letter_date(page, hit):
        return "issued"
    if _RELEASE_CAPTION.search(caption):
        return "released"
    return ""


def date_score(page: Layout | str, hit: DateHit) -> float:
    """Score a date as the activity's completion date from its label (higher is likelier)."""
    page = geometry.as_layout(page)
    cell_label = date_caption(page, hit)
    after = page.text[hit.end : hit.end + 25]
    score = 0.0
    if cues.DATE_POSITIVE.search(cell_label):
        score += 2.0
    if (
        cues.DATE_NEGATIVE.search(cell_label)
        or _ISSUED_CAPTION.search(cell_label)
        or _is_letter_date(page, hit)
    ):
        score -= 3.0
    if _NOT_ACTIVITY_AFTER.match(after):
        score -= 2.0
    if hit.is_range:
        score += 1.0
    return score


def choose_date(page: Layout | str, hits: list[DateHit]) -> tuple[dt.date | None, float, str]:
    """Pick the completion date among the dates on a page.

    Each date is scored by its label (:func:`date_score`): completion and activity cues raise
    it, issue/print/expiry cues lower it; a range's last day is a strong activity date. Returns
    the date, a confidence and a review note when the choice was not clear.
    """
    if not hits:
        return None, 0.0, ""
    page = geometry.as_layout(page)
    scored = [(date_score(page, hit), hit) for hit in hits]
    best_score = max(s for s, _ in scored)
    best = [h for s, h in scored if s == best_score]
    values = sorted({h.value for h in best})
    if best_score < -1:
        # Every date is labelled as something else (issued, expires): none is the activity date.
        return None, 0.0, "no completion date found (only issue, print or expiry dates)"
    if len(values) == 1:
        confidence = 0.95 if best_score > 0 or len({h.value for h in hits}) == 1 else 0.75
        return values[0], confidence, ""
    chosen = values[0]
    listed = ", ".join(v.isoformat() for v in values)
    return chosen, 0.5, f"several dates printed ({listed}); chose {chosen.isoformat()}"


def choose_credits(hits: list[CreditHit]) -> tuple[CreditHit | None, float, str]:
    """Pick the credits a physician earned among the amounts on a page.

    The claimed or awarded amount wins over a plain one, which wins over the maximum the
    provider designated; MOC points and non-physician credit are never chosen.
    """
    usable = [h for h in hits if h.unit != "point" and (h.system is None or h.system.physician)]
    if not usable:
        return None, 0.0, ""
    for kind, confidence in (("claimed", 0.95), ("plain", 0.9), ("max", 0.75), ("total", 0.6)):
        group = [h for h in usable if h.kind == kind]
        if not group:
            continue
        with_system = [h for h in group if h.system is not None] or group
        values = sorted({h.value for h in with_system})
        note = ""
        if len(values) > 1:
            note = f"several credit amounts printed ({', '.join(str(v) for v in values)})"
            confidence = 0.5
        elif kind == "max":
            note = (
                f"only the maximum designation ({values[0]}) is printed; "
                "confirm the credits claimed"
            )
        return with_system[0], confidence, note
    return None, 0.0, ""


_TITLE_NOISE = lexicon.pattern(
    "certificate._TITLE_NOISE", lambda w: w("titles.noise") + r"|^\W*$", re.I
)


_NONE_AWARDED = lexicon.pattern(
    "certificate._NONE_AWARDED", lambda w: w("credits.none_awarded"), re.I
)


def fallback_title(lines: list[str], skip: set[str]) -> str | None:
    """A title-like line when no cue names the title: capitalized words, no date or amount."""
    for line in lines:
        for cell in cues.cells(line) or [line]:
            # "• Title — 1 Mar 2026 — 1.00 credit": the title is the part before the dashes.
            first_part = re.split(r"\s[—–|]\s|\s-\s", _MARKER_PREFIX.sub("", cell))[0]
            value = cues.clean_value(first_part)
            words = value.split()
            if not 2 <= len(words) <= 18 or value in skip or _TITLE_NOISE.search(value):
                continue
            if (
                find_dates(value)
                or find_credits(value)
                or cues.ORG_WORDS.search(value)
                and len(words) <= 6
            ):
                continue
            if (
                cues.NAME_LABEL.search(value)
                or cues.TITLE_LABEL.search(value)
                or only_cue_words(value)
            ):
                continue
            if _PERSON.search(value):
                continue
            capitalized = sum(w[:1].isupper() for w in words)
            if capitalized >= 0.5 * len(words) and sum(ch.isalpha() for ch in value) > 0.6 * len(
                value
            ):
                return value
    return None


# A signer or addressee line: "Eleanor V. Prescott, MD", "Linnea Farrow, MEd".
_PERSON = lexicon.pattern(
    "certificate._PERSON", lambda w: r",?\s+(?:" + w("names.degree") + r")\.?\s*$"
)

_MARKER_PREFIX = lexicon.pattern(
    "certificate._MARKER_PREFIX",
    lambda w: (
        r"^\s*(?:(?:" + w("items.word") + r")\s*#?\s*\d{1,2}\b\s*[:.\-]?"
        r"|(?:" + w("items.bullet") + r")|\d{1,2}[.)])\s*"
    ),
    re.I,
)


@dataclass(frozen=True)
class _PageContext:
    page: int
    who: PhysicianFind
    provider: str | None
    provider_conf: float
    system: CreditSystem | None
    text_confidence: float
    issued: tuple[dt.date, ...] = ()
    released: tuple[dt.date, ...] = ()


def _activity(part: Layout, item: int, ctx: _PageContext) -> ActivityRecord:
    """Read one activity's fields from its part of the page (the whole page for a certificate)."""
    block = part.text
    lines = lines_of(block)
    credit_hits = find_credits(block, part)
    credit_hit, credit_conf, credit_note = choose_credits(credit_hits)
    system = credit_hit.system if credit_hit and credit_hit.system else None
    if system is None:
        block_systems = [s for s in systems_in(block) if s.physician]
        system = block_systems[0] if block_systems else ctx.system
    who = ctx.who
    skip = {v for v in (who.printed, ctx.provider) if v}
    title, title_conf = find_title(part, [who.printed] if who.printed else [])
    if not title:
        title = fallback_title(lines, skip)
        title_conf = 0.6 if title else 0.0
    provider, provider_conf = ctx.provider, ctx.provider_conf
    # One activity of several may name its own provider; the page's stands otherwise.
    block_providers = labelled_providers(part) if item > 0 else []
    if block_providers:
        provider, provider_conf = block_providers[-1], 0.95
    date_hits = find_dates(block)
    date, date_conf, date_note = choose_date(part, date_hits)
    reasons: list[str] = []
    if who.problem:
        reasons.append(who.problem)
    if date is None:
        reasons.append(date_note or "no completion date found")
    elif date_note:
        reasons.append(date_note)
    credits: Decimal | None = credit_hit.value if credit_hit else None
    if credits is None:
        reasons.append("credit amount could not be read")
    elif credit_note:
        reasons.append(credit_note)
    if credit_hit is not None and credit_hit.kind != "max":
        maximums = [
            h.value
            for h in credit_hits
            if h.kind == "max" and (h.system is None or system is None or h.system == system)
        ]
        reasons.append(policy.check_against_maximum(credits, maximums))
    reasons.append(policy.check_against_issue(date, ctx.issued, ctx.released))
    if credit_hit is not None:
        reasons.append(policy.check_digit_like_mark(block, credit_hit.start, "amount"))
        # The word the amount starts in is the one that prints it.
        conf = part.reading_confidence(credit_hit.start, credit_hit.start + 1)
        reasons.append(policy.check_word_doubt(conf, "amount", str(credit_hit.value)))
    date_hit = next((h for h in date_hits if h.value == date), None)
    if date_hit is not None:
        reasons.append(policy.check_digit_like_mark(block, date_hit.start, "date"))
        reasons.append(
            policy.check_word_doubt(
                part.reading_confidence(date_hit.start, date_hit.end), "date", date_hit.raw
            )
        )
    if _NONE_AWARDED.search(" ".join(block.split())):
        reasons.append(
            "the certificate says no credit is awarded for this activity: check whether it "
            "counts at all"
        )
    if not title:
        reasons.append("activity title not found")
    field_conf = {
        "physician": who.confidence,
        "activity_date": date_conf,
        "credits": credit_conf,
        "activity_title": title_conf,
        "provider": provider_conf,
    }
    return reviewed_record(
        Found(ctx.page, item, who, title, provider, date, credits, system),
        tuple(infer_topics(title or "", block)),
        field_conf,
        reasons,
        ctx.text_confidence,
    )


@dataclass(frozen=True)
class Found:
    """What was read of one activity, before its confidence and review are settled."""

    page: int
    item: int
    who: PhysicianFind
    title: str | None
    provider: str | None
    date: dt.date | None
    credits: Decimal | None
    system: CreditSystem | None


def reviewed_record(
    found: Found,
    topics: tuple[str, ...],
    field_conf: dict[str, float],
    reasons: list[str],
    text_confidence: float,
    what: str = "fields",
) -> ActivityRecord:
    """The record of an activity read, its confidence and review reasons from the policy."""
    confidence = policy.confidence(field_conf, text_confidence)
    return ActivityRecord(
        page=found.page,
        item=found.item,
        physician_name=found.who.printed,
        physician_id=found.who.physician_id,
        activity_title=found.title,
        provider=found.provider,
        activity_date=found.date,
        credits=found.credits,
        category=found.system.category if found.system else "",
        credit_type=found.system.credit_type if found.system else "",
        topics=topics,
        confidence=confidence,
        review_reasons=policy.final_reasons(reasons, confidence, what),
        field_confidence=field_conf,
    )


def _page_dates(page: Layout) -> dict[str, tuple[dt.date, ...]]:
    """The page's issue/print/claim dates and release dates, which bound its activities."""
    roles: dict[str, list[dt.date]] = {"issued": [], "released": []}
    for hit in find_dates(page.text):
        role = date_role(page, hit)
        if role in roles:
            roles[role].append(hit.value)
    return {name: tuple(values) for name, values in roles.items()}


def parse_certificate(
    layout: Layout | str, page: int, roster: RosterIndex, text_confidence: float = 1.0
) -> PageOutcome:
    """Read the activity (or, on a statement or letter, each activity) on a page.

    Args:
        layout: The page's layout (flat text is read on a fixed-pitch grid).
        page: The page number.
        roster: The roster index.
        text_confidence: Confidence of the page's text (1.0 for a text layer).

    Returns:
        The records, or no record and a note (not a certificate, non-physician credit).
    """
    layout = geometry.as_layout(layout)
    text = layout.text
    lines = lines_of(text)
    if not lines:
        return PageOutcome(note="blank page")
    hits = find_credits(text, layout)
    credit_hit, _conf, _note = choose_credits(hits)
    page_systems = systems_in(text)
    physician_systems = [s for s in page_systems if s.physician]
    if credit_hit is None and not physician_systems:
        others = [s for s in page_systems if not s.physician]
        if others:
            return PageOutcome(
                note=f"non-physician credit ({others[0].credit_type}): not physician CME"
            )
        if any(h.unit == "point" for h in hits):
            return PageOutcome(note="MOC points only, no CME credit")
        return PageOutcome(
            note="no credit designation found (attendance certificate, letter or agenda)"
        )
    who = find_physician(text, layout, roster)
    if (
        who.printed is None
        and not who.physician_id
        and credit_hit is not None
        and credit_hit.kind == "max"
    ):
        # A designation with nobody it was awarded to is a brochure or agenda, not a certificate.
        return PageOutcome(note="credit designation without a recipient (agenda or brochure)")
    provider, provider_conf = find_provider(layout, {v for v in (who.printed,) if v})
    ctx = _PageContext(
        page=page,
        who=who,
        provider=provider,
        provider_conf=provider_conf,
        system=physician_systems[0] if physician_systems else None,
        text_confidence=text_confidence,
        **_page_dates(layout),
    )
    split = split_activities(layout, date_score)
    if split is None:
        return PageOutcome(records=(_activity(layout, 0, ctx),))
    records = tuple(_activity(block, n + 1, ctx) for n, block in enumerate(split.blocks))
    return PageOutcome(records=_same_credits_checked(records, split.marked))


def _same_credits_checked(
    records: tuple[ActivityRecord, ...], marked: bool
) -> tuple[ActivityRecord, ...]:
    """Flag activities of one unmarked page that share their credits.

    A page cut into activities without item markers ("Activity 2", bullets) on the strength of
    its amounts and dates alone may be one certificate that prints its credit twice (once in
    a sentence, once in a box): never counted twice without a person's look.
    """
    if marked:
        return records
    amounts = [r.credits for r in records if r.credits is not None]
    if len(set(amounts)) == len(amounts):
        return records
    reason = (
        "this page was read as several activities with the same credits: check that it is not "
        "one activity counted twice"
    )
    return tuple(
        policy.with_reason(r, reason)
        if r.credits is not None and amounts.count(r.credits) > 1
        else r
        for r in records
    )
