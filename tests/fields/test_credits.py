from decimal import Decimal

import pytest

from cme_batch.fields.certificate import choose_credits
from cme_batch.fields.credits import find_credits


def chosen(text: str) -> tuple[Decimal | None, str]:
    hit, _conf, note = choose_credits(find_credits(text))
    return (hit.value if hit else None), note


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("is awarded 1.50 AMA PRA Category 1 Credits™", Decimal("1.5")),
        ("0.25 AMA PRA Category 1 Credit(s)", Decimal("0.25")),
        ("12.0 AMA PRA Category 1 Credits", Decimal("12")),
        ("one and one-half (1.5) AMA PRA Category 1 Credits", Decimal("1.5")),
        ("3 hours of AMA PRA Category 1 Credit", Decimal("3")),
        ("Credits: 2.75", Decimal("2.75")),
        ("Credit hours: 4", Decimal("4")),
        ("two AMA PRA Category 1 Credits", Decimal("2")),
        ("awarded 3.0 AOA Category 1-A credits", Decimal("3")),
        # OCR lost the decimal point: an amount never has a leading zero before digits.
        ("Credits: 05", Decimal("0.5")),
        ("084 AMA PRA Category 1 Credits", Decimal("0.84")),
        ("awarded 1.25 Siege PRA Category 1 Credits", Decimal("1.25")),  # "AMA" garbled
    ],
)
def test_credit_forms(text: str, value: Decimal) -> None:
    assert chosen(text)[0] == value


def test_claimed_beats_designated_maximum() -> None:
    text = (
        "The Society designates this live activity for a maximum of 20 AMA PRA Category 1 "
        "Credits™. Dr. Doe claimed 12.25 credits."
    )
    assert chosen(text) == (Decimal("12.25"), "")


def test_maximum_alone_is_used_but_flagged() -> None:
    value, note = chosen("designates this activity for a maximum of 1.0 AMA PRA Category 1 Credit™")
    assert value == Decimal("1")
    assert "maximum" in note


def test_category_number_is_not_an_amount() -> None:
    assert [h.value for h in find_credits("AMA PRA Category 1 Credits™")] == []


def test_moc_points_are_not_credits() -> None:
    value, _ = chosen("25 ABMS MOC points and 2.0 AMA PRA Category 1 Credits")
    assert value == Decimal("2")


def test_nursing_credit_is_never_chosen() -> None:
    assert chosen("1.5 ANCC contact hours")[0] is None


@pytest.mark.parametrize(
    ("text", "system", "category"),
    [
        ("1.0 AMA PRA Category 1 Credit", "ama_pra_1", "1"),
        ("1.0 AMA PRA Category 2 Credit", "ama_pra_2", "2"),
        # OCR reads the "1" of "Category 1" as a bar or an exclamation mark.
        ("4.00 AMA PRA Category ! Credits", "ama_pra_1", "1"),
        ("4.00 AMA PRA Category | Credits", "ama_pra_1", "1"),
        ("2 AOA Category 1-A credits", "aoa_1a", "1"),
        ("2 AOA Category 2-B credits", "aoa_2b", "2"),
        ("1.5 AAFP Prescribed credits", "aafp_prescribed", "1"),
        ("1.5 Elective credits", "aafp_elective", "2"),
    ],
)
def test_credit_systems(text: str, system: str, category: str) -> None:
    hit = find_credits(text)[0]
    assert hit.system is not None
    assert (hit.system.id, hit.system.category) == (system, category)


def test_awarded_a_total_of_is_a_claim() -> None:
    text = (
        "and is awarded a total of two (2) AMA PRA Category 1 Credits(TM).\n"
        "The provider designates this activity for a maximum of 2.00 AMA PRA Category 1 Credits(TM)."
    )
    assert chosen(text) == (Decimal("2"), "")


def test_totals_row_is_a_total() -> None:
    assert [h.kind for h in find_credits("Total credits: 14.5")] == ["total"]


def test_the_cue_nearest_the_amount_decides_claimed_or_maximum() -> None:
    text = (
        "Harborview Medical Education Institute has designated this activity for 2.5 AMA PRA "
        "Category 1 Credits™, and our records show you claimed\n2.50 credits."
    )
    assert chosen(text) == (Decimal("2.5"), "")
