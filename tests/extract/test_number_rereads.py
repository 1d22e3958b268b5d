"""Low-confidence numbers are read again as digits; readings that disagree stay in doubt."""

from __future__ import annotations

import pytest
from PIL import Image

from cme_batch.extract import engine, ocr
from cme_batch.extract.engine import RawWord, Settings


class _Strips:
    """An engine whose successive region readings of a digits strip return the given words."""

    def __init__(self, *readings: tuple[str, float]) -> None:
        self.readings = list(readings)
        self.calls = 0

    def read(
        self, image: Image.Image, settings: Settings, timeout: float, kind: str = "page"
    ) -> list[RawWord]:
        assert kind == "region"
        text, conf = self.readings[self.calls]
        self.calls += 1
        # The strip holds one crop, after the top gap; its word sits inside the first slot.
        return [RawWord(text, 30, ocr._STRIP_GAP + 10, 40, 30, conf)]


@pytest.fixture
def page() -> Image.Image:
    return Image.new("L", (400, 200), 255)


def _reread(
    monkeypatch: pytest.MonkeyPatch,
    page: Image.Image,
    *readings: tuple[str, float],
    first_conf: float = 60.0,
) -> tuple[dict[int, tuple[str, float]], int]:
    strips = _Strips(*readings)
    monkeypatch.setattr(engine, "current", lambda: strips)
    first = [RawWord("42", 100, 50, 30, 20, first_conf)]
    return ocr._reread_numbers(page, first, timeout=5), strips.calls


def test_an_agreeing_reading_makes_the_word_as_sure_as_the_surer_reading(
    monkeypatch: pytest.MonkeyPatch, page: Image.Image
) -> None:
    assert _reread(monkeypatch, page, ("42", 95.0)) == ({0: ("42", 95.0)}, 1)
    assert _reread(monkeypatch, page, ("42", 35.0)) == ({0: ("42", 60.0)}, 1)


def test_a_clear_reading_settles_a_first_reading_tesseract_doubted(
    monkeypatch: pytest.MonkeyPatch, page: Image.Image
) -> None:
    assert _reread(monkeypatch, page, ("4.2", 90.0), first_conf=20.0) == ({0: ("4.2", 90.0)}, 1)


def test_a_reading_with_no_confidence_is_no_evidence(
    monkeypatch: pytest.MonkeyPatch, page: Image.Image
) -> None:
    assert _reread(monkeypatch, page, ("12", 5.0)) == ({}, 1)
    assert _reread(monkeypatch, page, ("1 2x", 90.0)) == ({}, 1)


def test_a_third_reading_settles_a_dispute(
    monkeypatch: pytest.MonkeyPatch, page: Image.Image
) -> None:
    # The third reading agrees with the first: the first stands, as sure as the surer of them.
    assert _reread(monkeypatch, page, ("1.42", 90.0), ("42", 70.0)) == ({0: ("42", 70.0)}, 2)
    # ... or with a second reading surer than the first.
    assert _reread(monkeypatch, page, ("1.42", 90.0), ("1.42", 85.0)) == ({0: ("1.42", 90.0)}, 2)


def test_two_alike_digit_readings_do_not_outvote_a_surer_first_reading(
    monkeypatch: pytest.MonkeyPatch, page: Image.Image
) -> None:
    found, _ = _reread(monkeypatch, page, ("12", 50.0), ("12", 55.0))
    assert found == {0: ("42", ocr.DISAGREED)}


def test_three_readings_that_all_differ_leave_the_number_in_doubt(
    monkeypatch: pytest.MonkeyPatch, page: Image.Image
) -> None:
    found, calls = _reread(monkeypatch, page, ("1.42", 90.0), ("7.42", 80.0))
    assert found == {0: ("1.42", ocr.DISAGREED)}
    assert calls == 2
    # An unreadable third reading settles nothing either.
    found, _ = _reread(monkeypatch, page, ("12", 50.0), ("", 0.0))
    assert found == {0: ("42", ocr.DISAGREED)}
