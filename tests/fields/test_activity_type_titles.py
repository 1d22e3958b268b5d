"""Activity-type wordings are never titles: "the enduring material activity titled" then the title.

The ACCME's and the AMA's activity types ("enduring material", "journal-based CME", "internet
point-of-care", ...) are lexicon data (``titles.activity_type``); a title candidate made of
title cue words only is never taken.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from cme_batch.fields import lexicon
from cme_batch.fields.certificate import find_title, only_cue_words, parse_certificate
from cme_batch.fields.geometry import Layout
from cme_batch.matching import RosterIndex

#: The activity types as the ACCME and AMA name them, in the wordings certificates print.
ACTIVITY_TYPES = (
    "enduring material",
    "internet enduring material",
    "live activity",
    "internet live course",
    "journal-based CME",
    "internet point-of-care",
    "internet point-of-care learning",
    "performance improvement",
    "performance improvement CME",
    "test-item writing",
    "manuscript review",
    "learning from teaching",
    "committee learning",
    "regularly scheduled series",
    "internet searching and learning",
    "medical education research",
)


@pytest.fixture(autouse=True)
def built_in_afterwards() -> Iterator[None]:
    yield
    lexicon.use(())


@pytest.mark.parametrize("kind", ACTIVITY_TYPES)
def test_each_activity_type_is_cue_words_only(kind: str) -> None:
    assert only_cue_words(kind)
    assert only_cue_words(f"the {kind.title()} activity titled")
    assert only_cue_words(f"{kind}:")


@pytest.mark.parametrize(
    "title",
    [
        "Performance Improvement in Sepsis Care",
        "Closed Claims: Lessons for Safer Practice",
        "Learning from Teaching Residents About Opioids",
        "Live Kidney Donation",
    ],
)
def test_a_real_title_is_not_cue_words(title: str) -> None:
    assert not only_cue_words(title)


@pytest.mark.parametrize("kind", ACTIVITY_TYPES)
@pytest.mark.parametrize("naming", ["activity titled", "activity entitled", "titled", ""])
def test_title_on_the_line_after_the_activity_type(kind: str, naming: str) -> None:
    text = (
        "This certifies that\nJane Doe, MD\n"
        f"has participated in the {kind} {naming}\n"
        "“Closed Claims: Lessons for Safer Practice”\n"
        "Completed on March 5, 2026\n"
    )
    assert find_title(Layout.from_text(text), ["Jane Doe, MD"]) == (
        "Closed Claims: Lessons for Safer Practice",
        0.85,
    )


@pytest.mark.parametrize("kind", ["enduring material", "journal-based CME", "manuscript review"])
def test_unquoted_title_after_the_activity_type(kind: str) -> None:
    text = f"has completed the {kind} activity titled\nSafe Opioid Prescribing in Primary Care\n"
    assert find_title(Layout.from_text(text), [])[0] == "Safe Opioid Prescribing in Primary Care"


def test_a_title_opening_with_type_words_keeps_them() -> None:
    text = "has completed Performance Improvement in Sepsis Care\non May 1, 2026\n"
    assert find_title(Layout.from_text(text), [])[0] == "Performance Improvement in Sepsis Care"
    text = "has completed the internet point-of-care activity Heart Failure Basics\n"
    assert find_title(Layout.from_text(text), [])[0] == "Heart Failure Basics"


@pytest.mark.parametrize(
    "text",
    [
        "has participated in the enduring material activity titled\nCompleted on March 5, 2026",
        "Activity: Enduring material\nCompleted on March 5, 2026",
        "has completed the\n“Journal-based CME activity”\non March 5, 2026",
        "Internet Point-of-Care Learning\nCompleted on March 5, 2026",
    ],
)
def test_cue_words_alone_are_never_the_title(text: str) -> None:
    assert find_title(Layout.from_text(text), []) == (None, 0.0)


def _roster() -> RosterIndex:
    jane = dict(
        physician_id="P1", first_name="Jane", middle_name="", last_name="Doe",
        license_number="123456",
    )  # fmt: skip
    return RosterIndex(pd.DataFrame([jane]))


def test_certificate_without_a_title_goes_to_review_with_a_reason() -> None:
    text = (
        "Harbor Risk Education Institute\nThis certifies that\nJane Doe, MD\n"
        "has participated in the enduring material activity titled\n"
        "Completed on March 5, 2026\nand is awarded 2.5 AMA PRA Category 1 Credits\n"
    )
    (record,) = parse_certificate(text, 1, _roster()).records
    assert record.activity_title is None
    assert "activity title not found" in record.review_reasons


def test_an_office_adds_an_activity_type() -> None:
    text = "has participated in the blended learning activity titled\nSepsis Bundles Today\n"
    assert not only_cue_words("blended learning")
    lexicon.use((("office.toml", "[titles]\nactivity_type = ['blended\\s+learning']\n"),))
    assert only_cue_words("blended learning")
    assert find_title(Layout.from_text(text), [])[0] == "Sepsis Bundles Today"


def test_an_activity_type_entry_is_validated() -> None:
    with pytest.raises(lexicon.LexiconError) as caught:
        lexicon.load([("office.toml", "[titles]\nactivity_type = ['blended(']\n")])
    assert caught.value.entry == "titles.activity_type[0]"


def test_a_transcript_cell_naming_only_the_activity_type_is_no_title() -> None:
    from cme_batch.fields.transcript import parse_transcript

    text = (
        "CME TRANSCRIPT\nName: Jane Doe\n"
        "Date          Description                Format                            Credits\n"
        "01/05/2026    Sepsis Care                Internet Point-of-Care Learning   1.00\n"
        "03/05/2026    Enduring Material          Live Activity                     2.00\n"
    )
    outcome, _who, _system = parse_transcript(text, 1, _roster())
    first, second = outcome.records
    assert first.activity_title == "Sepsis Care"
    assert second.activity_title is None
    assert "activity title not found" in second.review_reasons
    text = (
        "CME TRANSCRIPT\nName: Jane Doe\n"
        "01/05/2026    Sepsis Care        Internet Point-of-Care Learning    1.00 credits\n"
        "02/05/2026    Opioid Safety      Enduring Material                  2.00 credits\n"
    )
    records = parse_transcript(text, 1, _roster())[0].records
    assert [(r.activity_title, r.provider) for r in records] == [
        ("Sepsis Care", None),
        ("Opioid Safety", None),
    ]


def test_a_quoted_word_inside_the_next_lines_title_is_not_the_title() -> None:
    text = 'has completed the activity\nBeyond "Noncompliance": Shared Decisions in Diabetes\n'
    assert (
        find_title(Layout.from_text(text), [])[0]
        == 'Beyond "Noncompliance": Shared Decisions in Diabetes'
    )
