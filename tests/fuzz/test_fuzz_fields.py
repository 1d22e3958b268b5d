"""Fuzz the text-to-fields parsers: any text gives outcomes, never an exception."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme_batch.extract.model import PageText
from cme_batch.fields.credits import find_credits
from cme_batch.fields.dates import find_dates
from cme_batch.fields.parse import parse_pages
from cme_batch.matching import RosterIndex

ROSTER = RosterIndex(
    pd.DataFrame(
        [
            {"physician_id": "P1", "first_name": "Jane", "middle_name": "Quinn", "last_name": "Doe",
             "degree": "MD", "license_number": "123456", "physician_name": "Jane Q. Doe, MD"},
            {"physician_id": "P2", "first_name": "Amara", "middle_name": "",
             "last_name": "Okafor-Reyes", "degree": "DO", "license_number": "445566",
             "physician_name": "Amara Okafor-Reyes, DO"},
        ]
    )
)  # fmt: skip

# Fragments real certificates are made of, so examples reach deep into the parsers instead of
# stopping at "no cue found".
FRAGMENTS = [
    "This certifies that", "Jane Q. Doe, MD", "DOE, JANE", "Amara Okafor-Reyes", "has completed",
    "Completed on", "March 3, 2026", "03/04/2026", "2026-13-45", "31.02.2026", "Date:", "Credits:",
    "3.0", "1,5", "0.25", "99999999999999999999", "AMA PRA Category 1 Credit(s)™", "Category 2",
    "AAFP Prescribed", "ANCC contact hours", "Risk Management", "opioid", "end-of-life",
    "License No. 123456", "Provider:", "Activity Title:", "   ", "\n", "\t", "|", "Total",
    "Transcript", "Date   Activity   Credits", "\u202e", "\x00", "½", "١٢٣", "Ⅻ",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("\n".join),
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(texts)
def test_find_dates_never_raises(text: str) -> None:
    for hit in find_dates(text):
        assert hit is not None


@FUZZ
@given(texts)
def test_find_credits_never_raises(text: str) -> None:
    for hit in find_credits(text):
        assert hit is not None


pages = st.lists(
    st.builds(
        PageText,
        number=st.integers(1, 500),
        text=texts,
        origin=st.sampled_from(["text", "ocr", "blank"]),
        confidence=st.floats(0, 1),
        rotation=st.sampled_from([0, 90, 180, 270]),
        warnings=st.lists(st.text(max_size=30), max_size=2).map(tuple),
    ),
    max_size=5,
).map(tuple)


@FUZZ
@given(pages)
def test_parse_pages_gives_an_outcome_per_page(doc: tuple[PageText, ...]) -> None:
    outcomes = parse_pages(doc, ROSTER)
    assert len(outcomes) == len(doc)
    for outcome in outcomes:
        assert outcome.records or outcome.note, "each outcome is a record or a note"
        for record in outcome.records:
            assert record.physician_id in ("", "P1", "P2")
