"""`cme-batch run --lexicon`: an office's file read by the workers, and a bad file stopping the run."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cme_batch.cli import main
from cme_batch.fields import lexicon
from tests.conftest import requires_tesseract, write_certificate_pdf
from tests.fields.test_lexicon import OFFICE

pytestmark = [requires_tesseract]


@pytest.fixture(autouse=True)
def built_in_afterwards() -> Iterator[None]:
    yield
    lexicon.use(())


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_certificate_pdf(
        inbox / "mainpro.pdf",
        [
            (20, "Prairie Family Medicine Academy"),
            (16, "Certificate of Participation"),
            (12, "This certifies that"),
            (18, "Jane Q. Doe, MD"),
            (12, "has completed the activity"),
            (14, "Managing Type 2 Diabetes in Rural Practice"),
            (12, "Recording posted: March 1, 2026"),
            (12, "Webcast viewed: April 1, 2026"),
            (12, "and has earned 3.5 Mainpro+ certified credits"),
        ],
    )
    return inbox


def _run(inbox: Path, roster: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out),
            "--as-of", "2026-11-27", "--jobs", "1", "--no-notices", "--quiet", *extra,
        ]
    )  # fmt: skip


def _certificates(out: Path) -> list[dict[str, str]]:
    with (out / "certificates.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_office_lexicon_reads_a_new_credit_system_and_date_caption(
    inbox: Path, roster_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # The built-in lexicon knows neither "Mainpro+" nor "viewed": no credit is found.
    assert _run(inbox, roster_file, out) == 0
    assert _certificates(out) == []

    office = tmp_path / "office-lexicon.toml"
    office.write_text(OFFICE, encoding="utf-8")
    # The same state: the stored page is parsed again with the office's words, not reused.
    assert _run(inbox, roster_file, out, "--lexicon", str(office)) == 0
    [row] = _certificates(out)
    assert row["physician_id"] == "P1"
    assert row["credits"] == "3.5"
    assert row["credit_type"] == "Mainpro+ certified credit"
    assert row["category"] == "1"
    assert row["activity_date"] == "2026-04-01"
    assert row["needs_review"] == "false", row["review_reason"]
    with sqlite3.connect(out / "state.sqlite") as db:
        reparsed, version = db.execute(
            "SELECT files_reparsed, (SELECT extraction_version FROM documents) FROM runs"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert reparsed == 1
    assert version.endswith(lexicon.current().version_tag) and "+lexicon." in version


def _fingerprint(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.iterdir())
        if p.is_file() and not p.name.startswith("state.sqlite") and p.name != "run.log"
    }


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[dates]\nactivity = ['viewed(']\n", "lexicon entry 'dates.activity[0]'"),
        ("[dates]\nactivty = ['viewed']\n", "lexicon entry 'dates.activty': unknown key"),
        (
            OFFICE.replace("amount_names = ['Mainpro']\n", ""),
            "lexicon entry 'credit_system mainpro_plus': missing key(s): amount_names",
        ),
    ],
)
def test_bad_lexicon_exits_7_before_any_document_is_read(
    inbox: Path,
    roster_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    named: str,
) -> None:
    out = tmp_path / "out"
    assert _run(inbox, roster_file, out) == 0
    with sqlite3.connect(out / "state.sqlite") as db:
        runs = db.execute("SELECT count(*) FROM runs").fetchone()[0]
    reports = _fingerprint(out)
    capsys.readouterr()

    bad = tmp_path / "bad-lexicon.toml"
    bad.write_text(text, encoding="utf-8")
    assert _run(inbox, roster_file, out, "--lexicon", str(bad)) == 7
    err = capsys.readouterr().err
    assert f"{bad}: {named}" in err
    with sqlite3.connect(out / "state.sqlite") as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == runs
    assert _fingerprint(out) == reports


def test_damaged_built_in_lexicon_exits_7(
    inbox: Path,
    roster_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = lexicon.built_in_files()
    damaged = [(files[0][0], files[0][1].replace("[items]\n", "[itemz]\n")), *files[1:]]
    monkeypatch.setattr(lexicon, "built_in_files", lambda: damaged)
    monkeypatch.setattr(lexicon, "_current", None)
    out = tmp_path / "out"
    assert _run(inbox, roster_file, out) == 7
    assert "lexicon.toml: lexicon entry 'itemz': unknown table" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
