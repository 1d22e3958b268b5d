"""Page text (as a text layer or OCR gives it) to records, across unrelated layouts."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from cme_batch.extract.model import PageText
from cme_batch.fields.parse import parse_pages
from cme_batch.matching import RosterIndex

ROSTER = RosterIndex(
    pd.DataFrame(
        [
            dict(
                physician_id="P1",
                first_name="Jane",
                middle_name="Quinn",
                last_name="Doe",
                license_number="123456",
            ),
            dict(
                physician_id="P2",
                first_name="John",
                middle_name="",
                last_name="Doe",
                license_number="223344",
            ),
            dict(
                physician_id="P3",
                first_name="Amara",
                middle_name="",
                last_name="Okafor-Reyes",
                license_number="445566",
            ),
        ]
    )
)


def parse(*texts: str):
    pages = tuple(PageText(i + 1, t, "text", 1.0) for i, t in enumerate(texts))
    return parse_pages(pages, ROSTER)


PORTAL = """Harborview Medical Education Institute
CERTIFICATE OF COMPLETION
This certifies that
Jane Q. Doe, MD
has successfully completed the online activity
"Safe Prescribing of Opioids and Pain Management"
Completed on March 3, 2026
and is awarded 1.50 AMA PRA Category 1 Credits™
Harborview Medical Education Institute is accredited by the Accreditation Council for Continuing Medical Education (ACCME) to provide continuing medical education for physicians.
Harborview Medical Education Institute designates this enduring material for a maximum of 2.0 AMA PRA Category 1 Credits™.
Issued: 03/05/2026"""

TABLE = """CME CREDIT VERIFICATION
Participant:   DOE, JOHN        License No: 223344
Activity Title:   Recognizing Unconscious Bias in Clinical Care
Provider:   Commonwealth Learning Collaborative
Date of Activity:   October 12-15, 2025       Credits Claimed:   12.25
Credit type:   AOA Category 1-A
Printed 11/02/2025"""

LETTER = """Northshore Osteopathic Society
1200 Harbor Road, Salem, MA
November 20, 2025
Dear Dr. Okafor-Reyes,
Thank you for attending Serious Illness Conversations: A Skills Workshop,
held on November 14, 2025. Our records show you have earned 3.0 AOA Category 1-A credits.
Sincerely,
Continuing Education Office"""

ATTENDANCE = """Certificate of Attendance
This certifies that Jane Doe attended the Spring Wellness Fair on April 2, 2026."""

NURSING = """Certificate of Completion
Jane Doe, RN
Wound Care Essentials
Completed June 1, 2026
1.5 ANCC nursing contact hours"""

TRANSCRIPT = """Bay State CME Tracker — Transcript
Physician: Jane Quinn Doe, MD      License: 123456
Date         Activity                                   Provider                     Credits
01/15/2026   Diagnostic Error Reduction                 Bayside Risk Society         2.00
02/03/2026   Opioid Stewardship in Primary Care         Harborview Institute         3.00
02/20/2026   Implicit Bias in Health Care               Commonwealth Learning        2.00
Total credits                                                                        7.00
All credits are AMA PRA Category 1 Credits™."""


def test_portal_certificate() -> None:
    (record,) = parse(PORTAL)[0].records
    assert record.physician_id == "P1"
    assert record.physician_name == "Jane Q. Doe, MD"
    assert record.activity_title == "Safe Prescribing of Opioids and Pain Management"
    assert record.provider == "Harborview Medical Education Institute"
    assert record.activity_date == dt.date(2026, 3, 3)
    assert record.credits == Decimal("1.5")
    assert (record.category, record.credit_type) == ("1", "AMA PRA Category 1 Credit")
    assert record.topics == ("opioid_pain",)
    assert not record.needs_review


def test_label_value_table_with_license_and_range() -> None:
    (record,) = parse(TABLE)[0].records
    assert record.physician_id == "P2"
    assert record.activity_title == "Recognizing Unconscious Bias in Clinical Care"
    assert record.provider == "Commonwealth Learning Collaborative"
    assert record.activity_date == dt.date(2025, 10, 15)
    assert record.credits == Decimal("12.25")
    assert record.credit_type == "AOA Category 1-A"
    assert record.topics == ("implicit_bias",)


def test_letter_style() -> None:
    (record,) = parse(LETTER)[0].records
    assert record.physician_id == "P3"
    assert record.activity_date == dt.date(2025, 11, 14)
    assert record.credits == Decimal("3")
    assert record.topics == ("end_of_life",)


def test_attendance_without_credit_is_no_record() -> None:
    outcome = parse(ATTENDANCE)[0]
    assert outcome.records == ()
    assert "no credit" in outcome.note


def test_nursing_credit_is_no_record() -> None:
    outcome = parse(NURSING)[0]
    assert outcome.records == ()
    assert "non-physician" in outcome.note


def test_transcript_rows_and_totals() -> None:
    records = parse(TRANSCRIPT)[0].records
    assert [r.credits for r in records] == [Decimal(2), Decimal(3), Decimal(2)]
    assert {r.physician_id for r in records} == {"P1"}
    assert records[1].activity_title == "Opioid Stewardship in Primary Care"
    assert records[1].provider == "Harborview Institute"
    assert records[1].topics == ("opioid_pain",)
    assert all(r.category == "1" for r in records)


def test_transcript_physician_carries_to_next_page() -> None:
    page2 = """Bay State CME Tracker — Transcript (continued)
03/01/2026   Dementia Care Update                       Memory Institute             1.00
03/09/2026   Child Abuse Mandated Reporting              State Pediatrics            1.00"""
    outcomes = parse(TRANSCRIPT, page2)
    assert [r.physician_id for r in outcomes[1].records] == ["P1", "P1"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "This certifies that\nJane Q. Doe\ncompleted Heart Failure Update\n1.0 AMA PRA Category 1 Credit",
            "no completion date",
        ),
        (
            "This certifies that\nJane Q. Doe\ncompleted Heart Failure Update on May 2, 2026\nAMA PRA Category 1 Credit",
            "credit amount",
        ),
        (
            "This certifies that\nDr. Doe\ncompleted Heart Failure Update on May 2, 2026\n1.0 AMA PRA Category 1 Credit",
            "could be P1 or P2",
        ),
        (
            "This certifies that\nMary Smith, MD\ncompleted Heart Failure Update on May 2, 2026\n1.0 AMA PRA Category 1 Credit",
            "not on the roster",
        ),
    ],
)
def test_missing_or_ambiguous_fields_go_to_review_never_defaults(text: str, reason: str) -> None:
    (record,) = parse(text)[0].records
    assert record.needs_review
    assert reason in "; ".join(record.review_reasons)
    if "date" in reason:
        assert record.activity_date is None
    if "credit" in reason:
        assert record.credits is None
    if "roster" in reason or "could be" in reason:
        assert record.physician_id == ""


STATEMENT = """Lakeshore Medical Center — Office of Professional Development
Record of CME Participation
Physician    Doe, Jane Q.
Statement date    2026-08-07
Activity 1
Title    Sepsis Bundles in the Emergency Department
Date(s)    05/04/2026 - 05/06/2026
Credits earned    6.50
Max. designated    12.00
Credit type    AMA PRA Category 1 Credits™
Activity 2
Title    Medical Liability: Lessons from Closed Claims
Date(s)    17-Jun-2026
Credits earned    2.00
Credit type    AMA PRA Category 1 Credits™"""

BULLET_LETTER = """Granite Coast Family Medicine
June 23, 2026
Dear Dr. Okafor-Reyes:
Our records show that you completed the following activities:
• Palliative Care Essentials — 1 Mar 2026 — 1.00 AMA PRA Category 1 Credit™
• Update in the Management of Type 2 Diabetes — 05/14/2026 — 0.75 AMA PRA Category 1
Credits™
Sincerely,
Eleanor V. Prescott, MD"""

# Flat text without words is read on a fixed-pitch grid: its columns line up as printed
# (as a lenient reader's layout text keeps them), each value over its own caption.
CAPTIONS_BELOW = """Cape Ann Community Hospital
CME CERTIFICATE
DOE, JOHN
Participant name
Hypertension Guidelines: A Practical Review
Activity title
08/12/2025         4
Date of activity   Credits claimed
hours of AMA PRA Category 1 Credit™
Type of credit
09/21/2025
Date issued"""


def test_statement_with_several_activities() -> None:
    records = parse(STATEMENT)[0].records
    assert [(r.activity_date, r.credits) for r in records] == [
        (dt.date(2026, 5, 6), Decimal("6.5")),
        (dt.date(2026, 6, 17), Decimal("2")),
    ]
    assert {r.physician_id for r in records} == {"P1"}
    assert records[1].activity_title == "Medical Liability: Lessons from Closed Claims"
    assert records[1].topics == ("risk_management",)


def test_letter_with_bulleted_activities() -> None:
    records = parse(BULLET_LETTER)[0].records
    assert [(r.physician_id, r.activity_date, r.credits) for r in records] == [
        ("P3", dt.date(2026, 3, 1), Decimal("1")),
        ("P3", dt.date(2026, 5, 14), Decimal("0.75")),
    ]
    assert records[0].topics == ("end_of_life",)


def test_captions_printed_under_the_values() -> None:
    (record,) = parse(CAPTIONS_BELOW)[0].records
    assert (record.physician_id, record.activity_date, record.credits) == (
        "P2",
        dt.date(2025, 8, 12),
        Decimal("4"),
    )


def test_name_opening_the_sentence() -> None:
    text = (
        "Bayside Physicians Mutual Insurance Company\nOKAFOR-REYES, AMARA completed the live seminar "
        "“Informed Consent That Protects Patients” on 01-Nov-2026.\nCredit awarded: 1.5 AMA PRA Category 1 Credits™"
    )
    (record,) = parse(text)[0].records
    assert (record.physician_id, record.activity_date, record.credits) == (
        "P3",
        dt.date(2026, 11, 1),
        Decimal("1.5"),
    )


def test_two_amounts_with_one_date_stay_one_activity() -> None:
    text = (
        "This certifies that Jane Q. Doe completed Asthma Update on May 2, 2026.\n"
        "Credits: 1.5\nThis activity is approved for 1.5 AMA PRA Category 1 Credits™."
    )
    (record,) = parse(text)[0].records
    assert record.credits == Decimal("1.5")


def test_two_session_table_under_a_header() -> None:
    text = """Cape Ann Community Hospital — Grand Rounds
John Doe, MD attended the following sessions:
Date   Topic   Credits
07/24/2025   Implicit Bias in Healthcare   1.00
07/29/2026   Intimate Partner Violence: Screening and Response   1.50
Credit type: AMA PRA Category 1 Credits™
The hospital designates this series for a maximum of 1.00 per session AMA PRA Category 1 Credits™."""
    records = parse(text)[0].records
    assert [(r.physician_id, r.activity_date, r.credits) for r in records] == [
        ("P2", dt.date(2025, 7, 24), Decimal("1")),
        ("P2", dt.date(2026, 7, 29), Decimal("1.5")),
    ]


def test_category_number_at_row_end_is_not_an_amount() -> None:
    from cme_batch.fields.transcript import row_amount

    assert (
        row_amount(
            "18-May-2023   Bowel Disease for the Generalist   Minuteman Trust   AMA PRA Cat 1"
        )
        is None
    )
    assert row_amount(
        "18-May-2023   Bowel Disease for the Generalist   Minuteman Trust   AMA PRA Cat 1   3.05"
    ) == Decimal("3.05")


def test_rows_missing_amounts_flags_a_lost_column() -> None:
    from cme_batch.fields.parse import rows_missing_amounts
    from cme_batch.fields.record import PageOutcome

    lost = "Date   Activity   Credits\n15-Feb-2023   Sepsis Update   AMA PRA Cat 1\n18-May-2023   Asthma Update   AMA PRA Cat 1\n"
    kept = "Date   Activity   Credits\n15-Feb-2023   Sepsis Update   AMA PRA Cat 1   1.50\n18-May-2023   Asthma Update   AMA PRA Cat 1   2.00\n"
    assert rows_missing_amounts(lost, PageOutcome())
    assert not rows_missing_amounts(kept, parse(kept)[0])


SALUTATION_LETTER = """Lakeshore Medical Center
March 28, 2025
John Doe, MD
301 Maple Avenue
Quincy, MA 02233
Dear Dr. Doe:
This letter confirms that you completed "Heart Failure Update" on 2025-03-12.
The activity is designated for 2.00 AMA PRA Category 1 Credits™, and you claimed 2.00 credits."""


def test_a_full_name_on_the_page_settles_an_ambiguous_salutation() -> None:
    (record,) = parse(SALUTATION_LETTER)[0].records
    assert record.physician_id == "P2"
    assert record.credits == Decimal("2.00")


def test_a_full_name_of_someone_else_does_not_settle_an_ambiguous_salutation() -> None:
    letter = SALUTATION_LETTER.replace("John Doe, MD", "Amara Okafor-Reyes, MD")
    (record,) = parse(letter)[0].records
    assert record.physician_id == ""
    assert "could be P1 or P2" in "; ".join(record.review_reasons)


def test_a_lost_decimal_point_in_a_column_of_decimals_is_put_back_for_review() -> None:
    rows = TRANSCRIPT.splitlines()
    rows[3] = rows[3].replace("2.00", "075")  # 0.75, point and all lost
    rows[4] = rows[4].replace("3.00", "125")  # 1.25
    rows[5] = rows[5].replace("2.00", "2.25")
    rows[6] = rows[6].replace("7.00", "4.25")
    records = parse("\n".join(rows))[0].records
    assert [r.credits for r in records] == [Decimal("0.75"), Decimal("1.25"), Decimal("2.25")]
    assert not records[0].needs_review
    assert "decimal point lost" in "; ".join(records[1].review_reasons)


def test_an_implausible_amount_among_whole_numbers_is_left_for_review() -> None:
    big = TRANSCRIPT.replace("3.00", "120")
    records = parse(big)[0].records
    assert [r.credits for r in records] == [Decimal("2"), None, Decimal("2")]
    assert "not plausible" in "; ".join(records[1].review_reasons)


NOISY_STATEMENT = """Harborview Medical Education Institute
Continuing Medical Education - Credit Verification
Physician   Jane Q. Doe
Statement date   2025-10-12
Activity   1   T   bas   ‘   E   ;
Title :   Mandated Reporter Training: Recognizing and Reporting Child Abuse
Date(s)   03/01/2024
Credits earned   1.00
Credit type   AMA PRA Category 1 Credit™
“Activity 2
Title   _ Intimate Partner Violence: Screening and Response
Date(s)   03/02/2024
Credits earned   Pes,   2.00   .
Credit type   AMA PRA Category 1 Credits™
Activity   3   Ge   aaa   aaa
Title   Pia   Alzheimer's Disease and Related Dementias: Diagnosis and Care
Date(s) . Ps:   09/10/2025
Creditsearned   1.00
Credit type   AMA PRA Category 1 Credit™ ©"""


def test_scanner_noise_around_item_markers_labels_and_values() -> None:
    records = parse(NOISY_STATEMENT)[0].records
    assert [(r.activity_date, r.credits) for r in records] == [
        (dt.date(2024, 3, 1), Decimal("1")),
        (dt.date(2024, 3, 2), Decimal("2")),
        (dt.date(2025, 9, 10), Decimal("1")),
    ]
    assert [r.topics for r in records] == [("child_abuse",), ("domestic_violence",), ("dementia",)]
    assert records[2].activity_title.startswith("Alzheimer's Disease")


def test_letter_with_long_quoted_title_and_surname_salutation() -> None:
    letter = """Lakeshore Medical Center
September 22, 2025
Amara Okafor-Reyes, MD
132 Elm Avenue
Dear Dr. Okafor-Reyes:
This letter confirms that you completed “Heart Failure with Preserved Ejection Fraction in Older Adults” on August 18. 2025.
Lakeshore Medical Center designated this activity for 2.00 AMA PRA Category 1 Credits™ and you claimed 2.00 credits."""
    (record,) = parse(letter)[0].records
    assert record.physician_id == "P3"
    assert record.activity_date == dt.date(2025, 8, 18)
    assert not any("surname" in r for r in record.review_reasons)


def test_completion_date_after_a_quoted_title_wrapped_over_two_lines() -> None:
    letter = """Harborview Medical Education Institute
June 2, 2026
Dear Dr. Jane Q. Doe:
This letter confirms that you completed “Domestic and Sexual Violence Training for Health
Professionals (DPH approved)” on 25-May-2026. Harborview Medical Education Institute has
designated this activity for 2.5 AMA PRA Category 1 Credits™, and our records show you claimed
2.50 credits."""
    (record,) = parse(letter)[0].records
    assert record.activity_date == dt.date(2026, 5, 25)
    assert record.activity_title == (
        "Domestic and Sexual Violence Training for Health Professionals (DPH approved)"
    )
    assert not record.needs_review


def test_a_transcript_row_whose_amount_cannot_be_read_is_kept_for_review() -> None:
    rows = TRANSCRIPT.splitlines()
    rows[4] = rows[4].replace("3.00", "toes")  # OCR garbled the amount
    rows.insert(5, "(self-reported)")
    records = parse("\n".join(rows))[0].records
    assert [r.activity_date for r in records] == [
        dt.date(2026, 1, 15),
        dt.date(2026, 2, 3),
        dt.date(2026, 2, 20),
    ]
    unread = records[1]
    assert unread.credits is None
    assert "credit amount could not be read" in unread.review_reasons
    assert unread.activity_title.startswith("Opioid Stewardship in Primary Care")
    # The unread row's own wrapped line is not added to the row above it.
    assert records[0].activity_title == "Diagnostic Error Reduction"


def test_rows_that_do_not_add_up_to_the_printed_total_all_go_to_review() -> None:
    # One amount misread (3.00 as 8.00): the rows add up to 12, the page prints 7.
    records = parse(TRANSCRIPT.replace("3.00", "8.00"))[0].records
    assert [r.credits for r in records] == [Decimal("2"), Decimal("8"), Decimal("2")]
    assert all("prints a total of 7" in "; ".join(r.review_reasons) for r in records)


def test_rows_that_add_up_to_the_printed_total_stay_unflagged() -> None:
    records = parse(TRANSCRIPT)[0].records
    assert len(records) == 3 and not any(r.needs_review for r in records)


def test_a_row_whose_amount_is_lost_after_the_last_readable_row_is_kept() -> None:
    # OCR lost the last row's amount: it is kept for review, and the total flags the rest.
    rows = TRANSCRIPT.splitlines()
    rows[5] = rows[5].replace("2.00", "")
    records = parse("\n".join(rows))[0].records
    assert len(records) == 3
    assert (
        records[2].credits is None and records[2].activity_title == "Implicit Bias in Health Care"
    )
    assert "implicit_bias" in records[2].topics
    assert all(r.needs_review for r in records)


def test_a_generated_footer_is_not_an_activity() -> None:
    footer = TRANSCRIPT + "\nGenerated 02/21/2026 10:32   JANE DOE   Page 1 of 1"
    records = parse(footer)[0].records
    assert [r.activity_date for r in records] == [
        dt.date(2026, 1, 15),
        dt.date(2026, 2, 3),
        dt.date(2026, 2, 20),
    ]
