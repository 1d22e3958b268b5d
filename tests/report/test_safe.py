from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from cme_batch.report.safe import (
    EXCEL_CELL_LIMIT,
    clean_text,
    excel_text,
    file_href,
    json_for_script,
    looks_like_formula,
    truncate,
    utf16_len,
)

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def test_clean_text_strips_controls_and_bidi_overrides() -> None:
    assert clean_text("Bad\x00\x01\x1bName\ufffe") == "BadName"
    assert clean_text("Invoice\u202egpj.exe") == "Invoicegpj.exe"
    assert clean_text("line\tone\nline two") == "line\tone\nline two"
    assert clean_text(None) == ""
    assert clean_text(float("nan")) == ""
    assert clean_text("שלום عربي") == "שלום عربي"  # natural RTL text is kept


@given(st.text())
def test_clean_text_output_is_xml_safe(value: str) -> None:
    assert not XML_ILLEGAL.search(clean_text(value))


def test_truncate_counts_utf16_units() -> None:
    assert truncate("abc", 10) == "abc"
    cut = truncate("a" * 40_000)
    assert utf16_len(cut) == EXCEL_CELL_LIMIT and cut.endswith("\u2026")
    astral = truncate("\U0001f600" * 20_000)  # 2 units each
    assert utf16_len(astral) <= EXCEL_CELL_LIMIT
    assert utf16_len(excel_text("x" * 100_000)) == EXCEL_CELL_LIMIT
    assert excel_text("a\r\nb\rc") == "a\nb\nc"


@given(st.recursive(st.text() | st.integers() | st.none(), lambda c: st.lists(c, max_size=3)))
def test_json_for_script_round_trips_and_cannot_close_the_script(data: object) -> None:
    text = str(json_for_script(data))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_json_for_script_escapes_closing_tag() -> None:
    text = str(json_for_script({"name": "</script><script>alert(1)</script>"}))
    assert "</script" not in text.lower()
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_file_href_is_relative_and_encoded() -> None:
    assert file_href("../inbox", "scans/Jane Doe.pdf", 2) == "../inbox/scans/Jane%20Doe.pdf#page=2"
    assert file_href("", "a.pdf") == "a.pdf"
    assert file_href("..\\inbox\\", "sub\\b c.pdf") == "../inbox/sub/b%20c.pdf"
    hostile = file_href("", "javascript:alert(1)#x?y=1")
    assert hostile == "javascript%3Aalert%281%29%23x%3Fy%3D1"
    assert ":" not in hostile and "#" not in hostile
    assert file_href("../inbox", "") == ""


def test_looks_like_formula() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert looks_like_formula(text)
    assert not looks_like_formula("Safe title")
