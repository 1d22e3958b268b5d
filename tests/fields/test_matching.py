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
