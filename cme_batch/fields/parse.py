"""Turn a document's page texts into activity records, page by page."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from cme_batch.extract.model import PageText
from cme_batch.fields import policy
from cme_batch.fields.certificate import PhysicianFind, parse_certificate
from cme_batch.fields.credits import CreditSystem
from cme_batch.fields.dates import find_dates
from cme_batch.fields.geometry import Layout
from cme_batch.fields.record import PageOutcome
from cme_batch.fields.transcript import (
    first_row,
    opens_with_date,
    parse_transcript,
    printed_total,
    realign_amounts,
    row_amount,
)
from cme_batch.matching import RosterIndex


def parse_pages(pages: tuple[PageText, ...], roster: RosterIndex) -> list[PageOutcome]:
    """Read every page: a transcript page yields one record per row, a certificate page one.

    Each page is read as its positioned cells (:class:`~cme_batch.fields.geometry.Layout`,
    from its words, or from its flat text when it has none). A transcript's physician and
    credit system, printed once in its header, carry over to its later pages.
    """
    outcomes: list[PageOutcome] = []
    carried: PhysicianFind | None = None
    carried_system: CreditSystem | None = None
    # Indices (into ``outcomes``) of the pages of the transcript being read, for its total.
    transcript: list[int] = []
    for page in pages:
        if page.origin == "blank" or not page.text.strip():
            outcomes.append(PageOutcome(note="blank page"))
            continue
        layout = Layout.from_page(page)
        table = realign_amounts(layout)
        if first_row(table) is not None:
            outcome, carried, carried_system = parse_transcript(
                table, page.number, roster, page.confidence, carried, carried_system
            )
            transcript.append(len(outcomes))
        else:
            outcome = _year_checked(
                parse_certificate(layout, page.number, roster, page.confidence), layout.text
            )
            carried, carried_system = None, None
            transcript = []
        if page.warnings:
            outcome = PageOutcome(
                records=tuple(
                    replace(r, review_reasons=r.review_reasons + page.warnings)
                    for r in outcome.records
                ),
                note="; ".join(filter(None, [outcome.note, *page.warnings])),
            )
        outcomes.append(outcome)
        total = (
            printed_total(layout.text)
            if transcript and transcript[-1] == len(outcomes) - 1
            else None
        )
        if total is not None:
            _check_total(outcomes, transcript, total)
            transcript = []
    return outcomes


def _year_checked(outcome: PageOutcome, text: str) -> PageOutcome:
    """A certificate page's records, each checked against the years of the page's other dates."""
    if not outcome.records:
        return outcome
    dates = [hit.value for hit in find_dates(text)]
    return PageOutcome(
        records=tuple(
            policy.with_reason(r, policy.check_year_against_page(r.activity_date, dates))
            for r in outcome.records
        ),
        note=outcome.note,
    )


def _check_total(outcomes: list[PageOutcome], pages: list[int], total: Decimal) -> None:
    """Flag a transcript's rows when they do not add up to the total it prints.

    The total may be the last page's own (a page subtotal) or the whole transcript's; when
    neither sum matches, every row of the transcript goes to review: which one is wrong the
    page cannot tell.
    """
    last = outcomes[pages[-1]].records
    every = [r for i in pages for r in outcomes[i].records]
    if not every or not policy.check_total(last, total) or not policy.check_total(every, total):
        return
    reason = policy.check_total(every, total)
    for i in pages:
        o = outcomes[i]
        outcomes[i] = PageOutcome(
            records=tuple(policy.with_reason(r, reason) for r in o.records), note=o.note
        )


def rows_missing_amounts(text: str, outcome: PageOutcome) -> bool:
    """Whether a page's reading looks like it lost its amounts (a table column dropped by OCR).

    True when a record has no credits, or when most lines that open with a date (table rows)
    carry no amount.
    """
    if any(r.credits is None for r in outcome.records):
        return True
    dated = [line for line in text.splitlines() if opens_with_date(line)]
    if len(dated) < 2:
        return False
    with_amount = sum(1 for line in dated if row_amount(line) is not None)
    return with_amount < len(dated) / 2
