import datetime as dt

import pytest

from cme_batch.fields.dates import find_dates, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 3, 2026", D(2026, 3, 3)),
        ("03/03/2026", D(2026, 3, 3)),
        ("3 Mar 2026", D(2026, 3, 3)),
        ("2026-03-03", D(2026, 3, 3)),
        ("3rd March 2026", D(2026, 3, 3)),
        ("March 3rd, 2026", D(2026, 3, 3)),
        ("Sept. 9th, 2025", D(2025, 9, 9)),
        ("October 12-15, 2025", D(2025, 10, 15)),
        ("October 12 – 15, 2025", D(2025, 10, 15)),
        ("Oct 30 - Nov 2, 2025", D(2025, 11, 2)),
        ("12-15 October 2025", D(2025, 10, 15)),
        ("03/01/2026 - 03/03/2026", D(2026, 3, 3)),
        ("3/3/26", D(2026, 3, 3)),
        ("2O26-O3-O3", D(2026, 3, 3)),
        ("2026- 03-03", D(2026, 3, 3)),  # OCR's space after a separator
        ("15-dul-2026", D(2026, 7, 15)),  # one letter of the month misread, only July fits
    ],
)
def test_date_forms(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["June 31, 2025", "02/30/2025", "13/13/2025", "Room 1203", "1.50 credits", "", "03-Mat-2026"],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_several_dates_in_order_and_range_flag() -> None:
    hits = find_dates("Held October 12-15, 2025. Issued 11/01/2025.")
    assert [h.value for h in hits] == [D(2025, 10, 15), D(2025, 11, 1)]
    assert [h.is_range for h in hits] == [True, False]


def test_range_with_reversed_days_is_not_a_range() -> None:
    assert all(not h.is_range for h in find_dates("October 15-12, 2025"))
