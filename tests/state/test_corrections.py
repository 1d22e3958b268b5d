"""People's decisions survive reruns, renames and re-extraction."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

import cme_batch.state
from cme_batch.cli import main
from cme_batch.state import open_state
from tests.state.certs import Cert, cert, write_lines_pdf
from tests.state.conftest import Run, last_run


@pytest.fixture()
def review_inbox(inbox: Path) -> Path:
    """The inbox plus a certificate of someone not on the roster: it needs a person's review."""
    lines = Cert(0, "Grand Rounds in Cardiology", cert(0).date, "2.0").lines()
    lines[1] = "Robert X. Nobody, MD"
    write_lines_pdf(inbox / "stranger.pdf", lines)
    return inbox


def _certificates(out: Path) -> dict[str, dict[str, str]]:
    with (out / "certificates.csv").open(encoding="utf-8") as fh:
        return {f"{r['source_file']}#p{r['page']}": r for r in csv.DictReader(fh)}


def _corrected_fields(out: Path) -> dict[str, str]:
    sheet = load_workbook(out / "report.xlsx", read_only=True)["Activities"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c) for c in rows[1]]
    fields = header.index("Corrected fields")
    return {str(r[0]): str(r[fields] or "") for r in rows[2:] if r[0]}


def test_review_commands_survive_reruns_and_renames(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    assert _certificates(out)["cert-0003.pdf#p1"]["credits"] == "1.5"
    state = str(out / "state.sqlite")
    assert (
        main(
            [
                "review",
                "fix",
                "cert-0003.pdf#p1",
                "--state",
                state,
                "--credits",
                "2.25",
                "--note",
                "x",
            ]
        )
        == 0
    )
    assert main(["review", "not-cme", "cert-0001.pdf#p1", "--state", state]) == 0
    assert main(["review", "confirm", "missing.pdf#p1", "--state", state]) == 2
    for _ in range(2):
        assert run(inbox, out) == 0
        rows = _certificates(out)
        assert rows["cert-0003.pdf#p1"]["credits"] == "2.25"
        assert "cert-0001.pdf#p1" not in rows  # not CME: left out of certificates.csv
    assert "credits" in _corrected_fields(out)["cert-0003.pdf#p1"]
    shutil.move(inbox / "cert-0003.pdf", inbox / "renamed.pdf")
    assert run(inbox, out) == 0
    assert last_run(out)["files_read"] == 0
    assert _certificates(out)["renamed.pdf#p1"]["credits"] == "2.25"


def test_corrections_still_apply_after_re_extraction(
    run: Run, inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    form = tmp_path / "decisions.csv"
    form.write_text(
        "record_id,decision,physician_id,activity_date,credits,category,topics,activity_title,note\n"
        "cert-0002.pdf#p1,fix,,2025-02-01,,,ehr,,date was misread\n",
        encoding="utf-8",
    )
    assert run(inbox, out, "--corrections", str(form)) == 0
    monkeypatch.setattr(cme_batch.state, "EXTRACTION_VERSION", "test-bumped")
    assert run(inbox, out) == 0
    record = last_run(out)
    assert (record["files_read"], record["files_reparsed"], record["files_reused"]) == (0, 4, 0)
    row = _certificates(out)["cert-0002.pdf#p1"]
    assert (row["activity_date"], row["topics"], row["needs_review"]) == (
        "2025-02-01",
        "ehr",
        "false",
    )
    with open_state(out / "state.sqlite") as state:
        assert {d.extraction_version for d in state.stored_documents().values()} == {"test-bumped"}


def test_needs_review_sheet_is_read_back(run: Run, review_inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(review_inbox, out)
    before = _certificates(out)["stranger.pdf#p1"]
    assert before["needs_review"] == "true"
    book = load_workbook(out / "report.xlsx")
    sheet = book["Needs review"]
    header = [c.value for c in sheet[2]]
    target = next(
        r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "stranger.pdf#p1"
    )
    sheet.cell(target, header.index("decision") + 1).value = "fix"
    sheet.cell(target, header.index("physician_id") + 1).value = "P003"
    sheet.cell(target, header.index("credits") + 1).value = 1.75
    sheet.cell(
        target, header.index("note") + 1
    ).value = "resident's certificate, confirmed by phone"
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    assert run(review_inbox, out, "--corrections", str(filled)) in (0, 5)
    after = _certificates(out)["stranger.pdf#p1"]
    assert (after["physician_id"], after["credits"], after["needs_review"]) == (
        "P003",
        "1.75",
        "false",
    )
    assert after["review_reason"] == ""
    # The decision is stored: the next run applies it without the workbook.
    run(review_inbox, out)
    assert _certificates(out)["stranger.pdf#p1"]["physician_id"] == "P003"
    with (out / "corrections.csv").open(encoding="utf-8-sig") as fh:
        form = {r["record_id"]: r for r in csv.DictReader(fh)}
    assert form["stranger.pdf#p1"]["decision"] == "fix"


def test_bad_corrections_stop_the_run_with_every_problem(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    form = tmp_path / "bad.csv"
    form.write_text(
        "record_id,decision,physician_id,activity_date,credits,note\n"
        "cert-0000.pdf#p1,approve,,,,\n"
        "cert-0001.pdf#p1,fix,P999,2025-13-01,-1,\n"
        "cert-0002.pdf#p1,fix,,,,\n",
        encoding="utf-8",
    )
    assert run(inbox, out, "--corrections", str(form)) == 4
    err = capsys.readouterr().err
    for text in (
        "line 2: decision 'approve'",
        "P999",
        "2025-13-01",
        "credits '-1'",
        "line 4: decision fix",
    ):
        assert text in err


def test_edited_form_is_not_overwritten(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    form = out / "corrections.csv"
    edited = form.read_text(encoding="utf-8") + "cert-0000.pdf#p1,confirm,,,,,,,,,,,,\n"
    form.write_text(edited, encoding="utf-8")
    assert run(inbox, out) == 0
    assert form.read_text(encoding="utf-8") == edited
    assert run(inbox, out, "--corrections", str(form)) == 0
    assert "cert-0000.pdf#p1,confirm" in form.read_text(encoding="utf-8")
