"""Messages that say what is wrong and what to do, every problem at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cme_batch.cli import main
from tests.state.conftest import AS_OF, Run


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["run", *args, "--as-of", AS_OF, "--jobs", "1", "--quiet", "--no-notices"])
    return code, capsys.readouterr().err


def test_roster_that_is_a_folder_or_a_pdf(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    code, err = _run(capsys, "--inbox", str(inbox), "--roster", str(inbox), "--out", out)
    assert code == 4 and "is a folder, not a file" in err and "file not found" not in err
    pdf = next(inbox.glob("*.pdf"))
    code, err = _run(capsys, "--inbox", str(inbox), "--roster", str(pdf), "--out", out)
    assert code == 4 and "is a PDF, not a table: export the sheet as CSV" in err
    assert "codec" not in err


def test_negative_ledger_credits_are_called_negative(
    inbox: Path, roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "physician_id,activity_title,activity_date,credits\nP001,Reading,2026-01-10,-2\n",
        encoding="utf-8",
    )
    base = ["--inbox", str(inbox), "--roster", str(roster), "--out", str(tmp_path / "out")]
    code, err = _run(capsys, *base, "--ledger", str(ledger))
    assert code == 4 and "credits '-2' is negative" in err and "not a number" not in err


def test_page_timeout_zero_is_refused(
    inbox: Path, roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--inbox", str(inbox), "--roster", str(roster), "--out", str(tmp_path / "out")]
    code, err = _run(capsys, *base, "--page-timeout", "0")
    assert code == 2 and "above 0" in err


def test_corrections_report_a_bad_record_id_with_the_other_problems(
    run: Run, inbox: Path, roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    form = tmp_path / "form.csv"
    form.write_text(
        "record_id,decision,credits\ncert-0001.pdf#p1,fix,lots\ncert-0009.pdf#p1,confirm,\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    base = ["--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
    code, err = _run(capsys, *base, "--corrections", str(form))
    assert code == 4
    assert "credits 'lots' is not a number" in err
    assert "no file 'cert-0009.pdf' is in the inbox" in err


def test_review_list_shows_ledger_decisions(
    run: Run, inbox: Path, roster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "physician_id,activity_title,activity_date,credits\nP001,Reading,2026-01-10,2\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run(inbox, out, "--ledger", str(ledger)) == 0
    capsys.readouterr()
    # The ledger row's record id, named after its content (compliance.csv counts it).
    counted = (out / "compliance.csv").read_text(encoding="utf-8")
    found = re.search(rf"ledger:{re.escape(ledger.name)}#r[0-9a-f]+", counted)
    assert found, counted
    record = found.group(0)
    assert main(["review", "not-cme", record, "--out", str(out), "--note", "typo"]) == 0
    capsys.readouterr()
    assert main(["review", "list", "--out", str(out)]) == 0
    listing = capsys.readouterr().out
    assert any(line.startswith(f"{record}\tnot_cme") for line in listing.splitlines()), listing


def test_dry_run_previews_the_messages_apart_from_the_real_digest(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    # 2026-11-27 is within 120 days of the sample roster's renewal dates: notices are due.
    assert run(inbox, out, "--dry-run") == 0
    folder = out / "notices" / "dry-run"
    previews = sorted(folder.glob("preview_*.txt"))
    assert previews, list(folder.iterdir())
    text = previews[0].read_text(encoding="utf-8")
    assert text.startswith("From: ") and "\nSubject: " in text and "Dear Dr. " in text
    assert (folder / "digest.txt").is_file() and not (out / "notices" / "digest.txt").exists()
    assert not list(out.glob("notices/*.eml"))
    digest = (folder / "digest.txt").read_text(encoding="utf-8")
    # No notices settings were given: the placeholder sender is called out.
    assert "WARNING: notices carry the placeholder sender" in digest
