"""Text read from documents is untrusted: it must never break the CSVs or run as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cme_batch.output import write_csv
from tests.hostile.builders import ROSTER_CSV, cert_lines, certificate_pdf
from tests.hostile.conftest import run_cli

HOSTILE = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\ttab first",
    "\rcarriage",
    'quote " and, comma',
    "line\nbreak\r\nand CRLF",
    "nul\x00and\x1bescape",
    "right\u202eto-left \u2066isolate\u2069",
    "x" * 100_000,
    "",
]

COLUMNS = ("source_file", "activity_title", "provider", "credits")


def _round_trip(tmp_path: Path, values: list[str]) -> None:
    frame = pd.DataFrame(
        {"source_file": values, "activity_title": values, "provider": values[::-1],
         "credits": ["1"] * len(values)}
    )  # fmt: skip
    path = tmp_path / "out.csv"
    write_csv(path, frame, COLUMNS, text_columns=COLUMNS[:3])
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(values)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(back) == len(values) and list(back.columns) == list(COLUMNS)
    for row, value in zip(rows, values, strict=True):
        cell = row["activity_title"]
        # A cell a spreadsheet would run gets one leading apostrophe; nothing else changes.
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        expected = value.replace("\r\n", "\n").replace("\r", "\n")
        assert cell.removeprefix("'") == expected or cell == expected


def test_hostile_strings_round_trip(tmp_path: Path) -> None:
    _round_trip(tmp_path, HOSTILE)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=200), min_size=1, max_size=8))
def test_any_text_round_trips(tmp_path_factory, values: list[str]) -> None:  # type: ignore[no-untyped-def]
    # Surrogates cannot be written as UTF-8 at all; the readers never produce them.
    values = [v.encode("utf-8", "replace").decode("utf-8") for v in values]
    _round_trip(tmp_path_factory.mktemp("csv"), values)


def test_hostile_certificate_text_end_to_end(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    title = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> "a, b"'
    (inbox / "=cmd,evil.pdf").write_bytes(
        certificate_pdf(cert_lines("Jane Q. Doe, MD", title, "March 3, 2026", "3.0"))
    )
    (inbox / "long.pdf").write_bytes(
        certificate_pdf(cert_lines("Jane Q. Doe, MD", "Risk " + "W" * 400, "March 4, 2026", "1"))
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV)
    run = run_cli(inbox, roster, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    for name in ("documents.csv", "certificates.csv", "compliance.csv", "physicians.csv"):
        text = (run.out / name).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        assert len({len(r) for r in rows}) == 1, f"{name}: ragged rows"
        assert len(pd.read_csv(run.out / name, dtype=str, keep_default_na=False)) == len(rows) - 1
    documents = run.documents()
    assert "'=cmd,evil.pdf" in documents
    titles = [r["activity_title"] for r in run.certificates()]
    assert not any(t.startswith("=") for t in titles)
    assert any("<script>" in t for t in titles)
