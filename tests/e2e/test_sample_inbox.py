"""The shipped sample inbox, end to end with the real tesseract: every physician's status is
the one the sample was designed to show (``sample_inbox/expected_status.csv``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cme_batch.cli import main
from tests.conftest import requires_tesseract

pytestmark = [pytest.mark.ocr, pytest.mark.slow, requires_tesseract]

SAMPLE = Path(__file__).resolve().parents[2] / "sample_inbox"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_sample_inbox_shows_every_designed_status(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "run", "--inbox", str(SAMPLE), "--roster", str(SAMPLE / "roster.csv"),
            "--ledger", str(SAMPLE / "ledger.csv"), "--out", str(out),
            "--as-of", "2026-11-27", "--quiet", "--no-notices",
        ]
    )  # fmt: skip
    assert code == 0
    expected = {
        r["physician_id"]: r["expected_status"] for r in _rows(SAMPLE / "expected_status.csv")
    }
    got = {r["physician_id"]: r["status"] for r in _rows(out / "physicians.csv")}
    assert got == expected
    documents = {r["source_file"]: r["status"] for r in _rows(out / "documents.csv")}
    designed = {
        r["source_file"]: r["expected_status"] for r in _rows(SAMPLE / "documents_truth.csv")
    }
    # The sample's own notes and truth tables sit in the inbox too: reported, not read.
    extra = {name: documents.pop(name) for name in set(documents) - set(designed)}
    assert set(extra.values()) <= {"unsupported"}
    assert documents == designed
