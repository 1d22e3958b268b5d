"""``explain`` and ``packet`` judge with the last run's inputs and date unless told otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from cme_batch.cli import main
from tests.state.conftest import AS_OF, Run

LEDGER = """physician_id,activity_title,activity_date,credits,category,topics
P001,Reading the Board's regulations,2026-01-10,12,2,board_regulations
"""


def _explain(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["explain", "P001", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_explain_defaults_to_the_reports_inputs_and_date(
    run: Run, roster: Path, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    out = tmp_path / "out"
    assert run(inbox, out, "--ledger", str(ledger)) == 0
    capsys.readouterr()
    full = ["--inbox", str(inbox), "--roster", str(roster), "--ledger", str(ledger)]
    code, as_reported, err = _explain(capsys, *full, "--as-of", AS_OF, "--out", str(out))
    assert code == 0 and err == ""
    assert "Reading the Board's regulations" in as_reported

    # Nothing but the output folder: the same answer, and the console says where it came from.
    code, remembered, err = _explain(capsys, "--out", str(out), "--jobs", "1")
    assert code == 0
    assert remembered == as_reported
    assert f"as of {AS_OF} (the date of run 1's report)" in err
    assert f"--ledger {ledger.resolve()} (as in run 1, the last report)" in err
    assert "--inbox" in err and "--roster" in err

    # A given input that differs from the report's is used, and said to differ.
    code, other, err = _explain(capsys, "--out", str(out), "--as-of", "2027-06-01")
    assert code == 0 and other != as_reported
    assert f"--as-of 2027-06-01 differs from run 1's {AS_OF}" in err


def test_explain_without_a_run_needs_its_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _explain(capsys, "--out", str(tmp_path / "none"))
    assert code == 2
    assert "give --inbox and --roster" in err


def test_packet_defaults_to_the_reports_inputs_and_date(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    out = tmp_path / "out"
    assert run(inbox, out, "--ledger", str(ledger)) == 0
    capsys.readouterr()
    packets = tmp_path / "packets"
    state = str(out / "state.sqlite")
    code = main(["packet", "P001", "--out", str(packets), "--state", state, "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"as of {AS_OF} (the date of run 1's report)" in err
    assert f"--ledger {ledger.resolve()} (as in run 1, the last report)" in err
    # The packet counts the ledger row the report counted: the same inputs, the same answer.
    listed = (packets / "packet-P001" / "activities.csv").read_text(encoding="utf-8-sig")
    assert "Reading the Board's regulations" in listed
