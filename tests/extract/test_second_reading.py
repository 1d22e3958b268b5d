"""Which second reading of a short page is kept: one that adds records, never one that
overrules what the first reading read."""

import datetime as dt
from decimal import Decimal

from cme_batch.fields.record import ActivityRecord, PageOutcome
from cme_batch.process import _adds_to


def _outcome(*rows: tuple[int, str | None]) -> PageOutcome:
    return PageOutcome(
        records=tuple(
            ActivityRecord(
                page=1,
                item=n,
                physician_name="Jane Doe",
                physician_id="P1",
                activity_title="Title",
                provider=None,
                activity_date=dt.date(2026, 1, day),
                credits=Decimal(amount) if amount else None,
                category="1",
                credit_type="AMA PRA Category 1 Credit",
                topics=(),
                confidence=0.9,
                review_reasons=(),
            )
            for n, (day, amount) in enumerate(rows, start=1)
        )
    )


def test_a_reading_that_adds_amounts_is_kept() -> None:
    first = _outcome((1, "1.5"), (2, None), (3, None))
    assert _adds_to(_outcome((1, "1.5"), (2, "2.25"), (3, "0.75")), first)


def test_a_reading_that_changes_an_amount_already_read_is_not_kept() -> None:
    first = _outcome((1, "1.34"), (2, "2.47"), (3, None))
    # Sparse reading split "1.34" into "1" and "34": more complete rows, wrong amounts.
    assert not _adds_to(_outcome((1, "34"), (2, "47"), (3, "22")), first)


def test_a_reading_that_adds_nothing_is_not_kept() -> None:
    first = _outcome((1, "1.5"), (2, None))
    assert not _adds_to(_outcome((1, "1.5"), (2, None)), first)


def test_a_more_confident_reading_may_correct_a_poor_first_one() -> None:
    first = _outcome((1, "1"), (2, None))
    assert _adds_to(_outcome((1, "1.25"), (2, "2")), first, overrule=True)
    assert not _adds_to(_outcome((1, "1.25"), (2, "2")), first, overrule=False)
