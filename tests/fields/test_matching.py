import pandas as pd
import pytest

from cme_batch.matching import RosterIndex


@pytest.fixture(scope="module")
def index() -> RosterIndex:
    rows = [
        ("P1", "Jane", "Quinn", "Doe", "123456"),
        ("P2", "John", "", "Doe", "223344"),
        ("P3", "José", "", "García-López", "998877"),
        ("P4", "Pieter", "", "van der Berg", "111222"),
        ("P5", "Siobhan", "", "O'Brien", "222333"),
        ("P6", "Zoë", "", "Müller", "333444"),
        ("P7", "Priya", "", "Iyer", "444555"),
        ("P8", "Carlos", "Andrés", "Peña", "555666"),
    ]
    return RosterIndex(
        pd.DataFrame(
            [
                dict(physician_id=a, first_name=b, middle_name=c, last_name=d, license_number=e)
                for a, b, c, d, e in rows
            ]
        )
    )


@pytest.mark.parametrize(
    ("printed", "pid"),
    [
        ("DOE, JANE", "P1"),
        ("Dr. Jane Q. Doe", "P1"),
        ("Jane Doe, M.D., FACP", "P1"),
        ("Jane Quinn Doe MD PhD", "P1"),
        ("Jame Doe", "P1"),
        ("Jose Garcia Lopez", "P3"),
        ("GARCIA-LOPEZ, JOSÉ", "P3"),
        ("Pieter Vanderberg", "P4"),
        ("Dr. Pieter van der Berg", "P4"),
        ("Siobhan OBrien", "P5"),
        ("Siobhán O’Brien MD", "P5"),
        ("Zoe Muller, DO", "P6"),
        ("Zoë Miiller, DO", "P6"),  # OCR reads "ü" as "ii"
        ("Priya lyer MD", "P7"),  # ... and a capital I as l
        ("Carlos A. Pefia, M.D.", "P8"),  # ... and "ñ" as "fi"
    ],
)
def test_name_forms(index: RosterIndex, printed: str, pid: str) -> None:
    assert index.match_name(printed).physician_id == pid


@pytest.mark.parametrize("printed", ["Dr. Doe", "J. Doe", "DOE"])
def test_same_surname_is_never_guessed(index: RosterIndex, printed: str) -> None:
    match = index.match_name(printed)
    assert match.physician_id == ""
    assert match.ambiguous


def test_not_on_roster(index: RosterIndex) -> None:
    match = index.match_name("Mary Smith, MD")
    assert match.physician_id == ""
    assert "not on the roster" in match.reason


def test_license_number(index: RosterIndex) -> None:
    assert index.by_license_in("Massachusetts License No: 223344") == ["P2"]
    assert index.by_license_in("Room 2233") == []


def test_find_in_text_is_strict(index: RosterIndex) -> None:
    text = "This certifies that\nDr. Pieter van der Berg\nhas completed Doe-ing Well in Practice"
    assert index.find_in_text(text) == [("P4", "Dr. Pieter van der Berg")]


def test_one_misread_letter_in_surname(index: RosterIndex) -> None:
    assert index.match_name("Zoe Miller, MD").physician_id == "P6"


def test_closer_surname_wins_over_misread_one() -> None:
    roster = RosterIndex(
        pd.DataFrame(
            [
                dict(
                    physician_id="M1",
                    first_name="Zoe",
                    middle_name="",
                    last_name="Miller",
                    license_number="",
                ),
                dict(
                    physician_id="M2",
                    first_name="Zoe",
                    middle_name="",
                    last_name="Müller",
                    license_number="",
                ),
            ]
        )
    )
    assert roster.match_name("Zoe Miller").physician_id == "M1"
    assert roster.match_name("Zoë Müller").physician_id == "M2"


def _roster(*rows: tuple[str, str, str, str]) -> RosterIndex:
    return RosterIndex(
        pd.DataFrame(
            [
                dict(physician_id=a, first_name=b, middle_name=c, last_name=d, license_number="")
                for a, b, c, d in rows
            ]
        )
    )


@pytest.mark.parametrize(
    ("printed", "pid"),
    [
        ("José García-Lópcz", "P3"),  # one misread letter in an accented, hyphenated surname
        ("Jose Garcia Lopcz, MD", "P3"),  # ... with the hyphen read as a space
        ("Jane Quinn Doe", "P1"),  # the full middle name between first and last
        ("Jane Quintessa Doe", "P1"),  # a full middle name the roster only gives in part
        ("Siobhan O Brien", "P5"),  # the apostrophe read as a space
        ("Siobhan O'Brien", "P5"),
        ("Siobhan OBrien", "P5"),
        ("Siobhan 0'Brien", "P5"),  # ... and the O read as a zero
        ("Signed in as Jane Doe", "P1"),  # the account header is not part of the name
    ],
)
def test_ocr_noise_and_name_forms(index: RosterIndex, printed: str, pid: str) -> None:
    assert index.match_name(printed).physician_id == pid


def test_apostrophe_surname_in_the_roster_written_without_it() -> None:
    roster = _roster(("A1", "Siobhan", "", "O Brien"), ("A2", "Sean", "", "OBrien"))
    assert roster.match_name("Siobhan O'Brien, MD").physician_id == "A1"
    assert roster.match_name("SEAN O’BRIEN").physician_id == "A2"


@pytest.mark.parametrize("printed", ["Signed in as", "Logged in as:", "Welcome back"])
def test_an_account_header_is_never_a_name(index: RosterIndex, printed: str) -> None:
    match = index.match_name(printed)
    assert match.physician_id == ""
    assert match.reason == "no physician name found"


def test_a_corrected_match_that_is_not_clear_goes_to_review_with_the_candidates() -> None:
    # "Garcia-Lopes" is one letter from both roster surnames: no guess.
    roster = _roster(("G1", "Jose", "", "García-López"), ("G2", "Jose", "", "Garcia-Lopes"))
    match = roster.match_name("Jose Garcia-Lopcs")
    assert match.physician_id == ""
    assert match.ambiguous
    assert set(match.candidates) == {"G1", "G2"}
    assert "G1" in match.reason and "G2" in match.reason
    assert "misread" in match.reason


def test_a_corrected_match_is_accepted_when_unique_and_clear() -> None:
    roster = _roster(("G1", "Jose", "", "García-López"), ("G2", "Maria", "", "Garcia-Lopes"))
    match = roster.match_name("Jose Garcia-Lopcz")
    assert match.physician_id == "G1"
    assert match.confidence >= 0.8


def test_an_exact_surname_beats_a_corrected_one() -> None:
    roster = _roster(("N1", "Ana", "", "Nowak"), ("N2", "Ana", "", "Novak"))
    assert roster.match_name("Ana Nowak").physician_id == "N1"
    assert roster.match_name("Ana Novak").physician_id == "N2"


def test_surname_on_the_next_line_is_found(index: RosterIndex) -> None:
    text = "Certificate of Completion\nPresented to Dr. Siobhan\nO'Brien, MD\nfor completing"
    assert index.find_in_text(text) == [("P5", "Presented to Dr. Siobhan O'Brien, MD")]


def test_a_name_on_one_line_is_not_joined_to_the_next() -> None:
    # "Jane Doe" names P1 alone; "John" on the next line must not make it "several".
    index = _roster(("P1", "Jane", "", "Doe"), ("P2", "John", "", "Doe"))
    assert index.find_in_text("Jane Doe\nJohn\nHeart Failure Update") == [("P1", "Jane Doe")]


def test_find_in_text_drops_the_account_header(index: RosterIndex) -> None:
    assert index.find_in_text("Signed in as: Jane Doe   |   Log out") == [("P1", "Jane Doe")]


def test_a_full_name_whose_first_name_fits_nobody_is_not_called_a_surname_alone() -> None:
    index = _roster(("S1", "William", "", "Smith"))
    match = index.match_name("Bill Smith")
    assert match.physician_id == ""
    assert "first name is not" in match.reason and "S1" in match.reason
    assert "only the surname" not in match.reason


CERTIFICATE = """Harborview Medical Education Institute
CERTIFICATE OF COMPLETION
This certifies that
{name}
has completed Heart Failure Update on May 2, 2026
and is awarded 1.0 AMA PRA Category 1 Credit"""


def _record(roster: RosterIndex, name: str):  # type: ignore[no-untyped-def]
    from cme_batch.extract.model import PageText
    from cme_batch.fields.parse import parse_pages

    (outcome,) = parse_pages((PageText(1, CERTIFICATE.format(name=name), "text", 1.0),), roster)
    (record,) = outcome.records
    return record


def test_an_unclear_corrected_name_sends_the_certificate_to_review_naming_the_candidates() -> None:
    roster = _roster(("G1", "Jose", "", "García-López"), ("G2", "Jose", "", "Garcia-Lopes"))
    record = _record(roster, "Jose Garcia-Lopcs, MD")
    assert record.physician_id == ""
    assert record.needs_review
    reasons = "; ".join(record.review_reasons)
    assert "G1" in reasons and "G2" in reasons


def test_a_clear_corrected_name_and_a_surname_on_the_next_line_count_without_review() -> None:
    roster = _roster(("G1", "Jose", "", "García-López"), ("S1", "Siobhan", "", "O'Brien"))
    record = _record(roster, "Jose Garcia-Lopcz, MD")
    assert record.physician_id == "G1"
    assert not record.needs_review, record.review_reasons
    split = _record(roster, "Dr. Siobhan\nO Brien, MD")
    assert split.physician_id == "S1"
