"""Consistency checks: doubts a page reveals about itself go to review, never count silently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cme_batch.fields import policy
from tests.fields.test_certificate_text import parse

MEETING = """North Atlantic Society of Hospital Medicine
2025 Annual Meeting, October 12-15, 2025
CME Certificate
This certifies that Jane Q. Doe, MD
participated in the live activity 2025 Annual Meeting
Credits claimed: 12.00 AMA PRA Category 1 Credits™
Date claimed: 11/20/2025
The Society designates this live activity for a maximum of 24.00 AMA PRA Category 1 Credits™."""


def test_a_claim_date_never_starts_a_second_activity() -> None:
    (record,) = parse(MEETING)[0].records
    assert record.activity_date == dt.date(2025, 10, 15)
    assert record.credits == Decimal("12.00")
    assert not record.needs_review, record.review_reasons


def test_credits_above_the_designated_maximum_go_to_review() -> None:
    (record,) = parse(MEETING.replace("claimed: 12.00", "claimed: 42.00"))[0].records
    assert record.credits == Decimal("42.00")
    assert "designates at most 24" in "; ".join(record.review_reasons)


def test_an_activity_dated_after_its_certificate_was_issued_goes_to_review() -> None:
    # One OCR digit in a year: the completion date reads 2027 on a certificate issued in 2026.
    text = """Harborview Medical Education Institute
CERTIFICATE OF COMPLETION
This certifies that Jane Q. Doe, MD
has successfully completed the online activity
"Safe Prescribing of Opioids and Pain Management"
Completed on March 3, 2027
and is awarded 1.50 AMA PRA Category 1 Credits™
Issued: 03/05/2026"""
    (record,) = parse(text)[0].records
    assert record.activity_date == dt.date(2027, 3, 3)
    assert "after the certificate's issue" in "; ".join(record.review_reasons)


def test_an_activity_dated_on_its_issue_day_is_consistent() -> None:
    text = """Harborview Medical Education Institute
CERTIFICATE OF COMPLETION
This certifies that Jane Q. Doe, MD
has successfully completed the online activity
"Safe Prescribing of Opioids and Pain Management"
Completed on March 3, 2026
and is awarded 1.50 AMA PRA Category 1 Credits™
Date issued: March 3, 2026"""
    (record,) = parse(text)[0].records
    assert not record.needs_review, record.review_reasons


def test_a_release_date_after_the_activity_is_a_contradiction() -> None:
    assert "release date" in policy.check_against_issue(
        dt.date(2006, 5, 1), issued=(), released=(dt.date(2025, 1, 1),)
    )
    assert policy.check_against_issue(dt.date(2026, 5, 1), (), (dt.date(2025, 1, 1),)) == ""


def test_one_confidence_formula_for_every_page() -> None:
    fields = {
        "physician": 1.0,
        "activity_date": 0.95,
        "credits": 0.95,
        "activity_title": 0.9,
        "provider": 0.0,
    }
    # The weakest key field bounds it; a missing provider counts as MISSING_PROVIDER.
    assert policy.confidence(fields, 1.0) == round(0.95 * (0.9 + 0.1 * 0.5), 3)
    # A poor reading bounds it too.
    assert policy.confidence(fields, 0.2) == round(0.6 * (0.9 + 0.1 * 0.5), 3)
    assert policy.low_confidence_reason(0.59) and not policy.low_confidence_reason(0.6)


def test_after_as_of_reason() -> None:
    assert "after the as-of date" in policy.check_after_as_of(
        dt.date(2027, 1, 2), dt.date(2026, 11, 27)
    )
    assert policy.check_after_as_of(dt.date(2026, 11, 27), dt.date(2026, 11, 27)) == ""


def test_records_dated_after_the_as_of_date_go_to_review_each_run() -> None:
    (record,) = parse(MEETING)[0].records
    as_of_before = dt.date(2025, 10, 1)
    (late,) = policy.checked_for_run([record], as_of_before)
    assert late.needs_review
    assert "after the as-of date 2025-10-01" in "; ".join(late.review_reasons)
    # The stored reading is not changed: a later run judges it again with its own date.
    assert not record.needs_review
    (fine,) = policy.checked_for_run([record], dt.date(2026, 11, 27))
    assert fine == record


def test_year_one_digit_from_the_other_dates_goes_to_review() -> None:
    others = [dt.date(2026, 3, 9), dt.date(2027, 3, 31)]
    reason = policy.check_year_against_page(dt.date(2006, 3, 6), others)
    assert "2006" in reason and "2026" in reason and "misread" in reason


def test_year_agreeing_with_the_page_is_consistent() -> None:
    # An enduring material: released 2024, taken 2025, expiring 2027.
    others = [dt.date(2024, 1, 1), dt.date(2027, 1, 1)]
    assert policy.check_year_against_page(dt.date(2025, 5, 5), others) == ""
    assert policy.check_year_against_page(dt.date(2006, 5, 5), []) == ""
    assert policy.check_year_against_page(None, others) == ""
    # Far apart, but no single digit explains it: not taken for a misread year.
    assert policy.check_year_against_page(dt.date(1998, 5, 5), [dt.date(2026, 1, 1)]) == ""


def test_certificate_whose_year_contradicts_its_other_dates_goes_to_review() -> None:
    page = MEETING.replace("October 12-15, 2025", "October 12-15, 2005").replace(
        "Date claimed: 11/20/2025", "Date claimed: 11/20/2025\nCertificate expires: 12/31/2027"
    )
    (record,) = parse(page)[0].records
    assert record.activity_date == dt.date(2005, 10, 15)
    assert record.needs_review
    assert any("may be misread" in r for r in record.review_reasons)
    (fine,) = parse(MEETING)[0].records
    assert not any("misread" in r for r in fine.review_reasons)


OCR_COURSE = """Commonwealth Medical Society
Online Continuing Medical Education
Jane Q. Doe, MD
has completed the course
Cognitive Impairment in Older Adults: Recognition and Next Steps
Completed 11/05/2025
1.5 AMA PRA Category 1 Credits(TM)"""


def test_an_ocr_digit_read_as_a_bracket_sends_the_value_to_review() -> None:
    (clean,) = parse(OCR_COURSE)[0].records
    assert not clean.needs_review, clean.review_reasons
    # "1" read as "[" at the start of the date and of the amount: 01/05 and 0.5 parse silently.
    text = OCR_COURSE.replace("11/05/2025", "[1/05/2025").replace("\n1.5 ", "\n[.5 ")
    (record,) = parse(text)[0].records
    reasons = "; ".join(record.review_reasons)
    assert "the amount '[.5' starts with a mark" in reasons
    assert "the date '[1/05/2025' starts with a mark" in reasons


def test_a_closed_bracket_around_a_value_is_no_misread() -> None:
    (record,) = parse(OCR_COURSE.replace("11/05/2025", "[11/05/2025]"))[0].records
    assert record.activity_date == dt.date(2025, 11, 5)
    assert not record.needs_review, record.review_reasons


def test_a_claim_after_the_amount_beats_a_garbled_maximum() -> None:
    # OCR garbled "maximum" on the next line; "claimed" after 18.25 is 18.25's own cue.
    text = """Northeast Gastroenterology Society
2026 Fall Postgraduate Course
September 25-29. 2026
Certificate of CME Credit awarded to Jane Q. Doe, MD
for attendance, 18.25 AMA PRA Category 1 Credits(TM) claimed
muatimmam of 23.0 AMA PRA Category 1
Credits(TM). Physicians should claim only the credit commensurate with the extent
Date daimed: 28-OCT-2026"""
    (record,) = parse(text)[0].records
    assert record.credits == Decimal("18.25")
    # The range with a full stop before its year, not the claim date (its "cl" read as "d").
    assert record.activity_date == dt.date(2026, 9, 29)
    assert not record.needs_review, record.review_reasons


def test_the_day_credits_were_submitted_never_dates_an_activity() -> None:
    text = """BedsideAnswer Clinical Reference
CME Certificate - Point-of-Care Learning
Awarded to Jane Q. Doe, MD
for researching clinical questions. Credits submitted on February 6, 2026; each search earns 0.5
AMA PRA Category 1 Credits(TM).
Date   Topic reviewed   Credit
03/24/2023   Heart Failure With Preserved Ejection Fraction   0.5
06/23/2023   Pediatric Asthma: Controller Therapy   0.5
09/27/2024   Osteoporosis Screening and Treatment   0.50"""
    records = parse(text)[0].records
    assert [r.activity_date for r in records] == [
        dt.date(2023, 3, 24),
        dt.date(2023, 6, 23),
        dt.date(2024, 9, 27),
    ]


LETTER = """Pioneer Valley School of Medicine
Office of Continuing Medical Education
10-JAN-2025
Jane Q. Doe, MD
646 Main Street
Quincy, MA 02169
Dear Dr. Doe:
Thank you for participating in Internal Medicine Board Review: Nephrology, held Nov. 20, 2024
(Providence, RI). Our records show that you attended and were awarded 1.5 AMA PRA Category 1
credits.
Sincerely,
CME Program Coordinator"""


def test_a_letters_own_date_never_dates_its_activity() -> None:
    (record,) = parse(LETTER)[0].records
    assert record.activity_date == dt.date(2024, 11, 20)
    assert record.activity_title == "Internal Medicine Board Review: Nephrology"
    assert record.credits == Decimal("1.5")
    assert not record.needs_review, record.review_reasons


def test_a_certificate_that_says_no_credit_is_awarded_goes_to_review() -> None:
    text = """Charles River Health
Certificate of Attendance
Jane Q. Doe, MD
attended Syncope Evaluation: Who Needs Admission on Feb. 26, 2024. The program was not
designated for AMA PRA Category 1 Credit; no CME credit is awarded for it"""
    # As OCR garbled it: "Category" misread, so "1 Credit" reads as an amount.
    garbled = text.replace("AMA PRA Category 1", "AMA PRA Cate wy 1")
    for page in (text, garbled):
        (record,) = parse(page)[0].records
        assert "says no credit is awarded" in "; ".join(record.review_reasons)


def test_ocr_word_confidence_below_the_doubt_level_sends_an_amount_to_review() -> None:
    assert policy.check_word_doubt(0.9, "amount", "1.5") == ""
    reason = policy.check_word_doubt(0.25, "amount", "1.5")
    assert "read as '1.5' with low OCR confidence (0.25)" in reason
