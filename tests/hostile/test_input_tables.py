"""Bad rosters and ledgers: one error listing every bad row by line, exit 4, no reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from cme_batch.errors import InputTableError
from cme_batch.ledger import load_ledger
from cme_batch.matching import RosterIndex
from cme_batch.roster import load_roster
from tests.hostile.builders import GOOD_NAMES, ROSTER_CSV, build_hostile_inbox
from tests.hostile.conftest import run_cli

HEADER = ROSTER_CSV.splitlines()[0]

BAD_ROSTER = "\n".join([
    HEADER + ",license_type",
    "P1,Doe,Jane,,MD,1,2027-03-14,yes,2001-07-01,a@example.org,full",         # line 2: fine
    "P1,Roe,Rick,,MD,2,2027-03-14,no,2001-07-01,b@example.org,full",          # 3: duplicate id
    "P3,Poe,Pat,,MD,3,03/04/2027,no,2001-07-01,c@example.org,full",           # 4: ambiguous
    "P4,Loe,Lou,,MD,4,2027-03-14,maybe,2001-07-01,d@example.org,full",        # 5: bad yes/no
    "P5,Moe,Max,,MD,5,2027-03-14,no,2001-07-01,e@example.org,retired",        # 6: license type
    "P6,,Ned,,MD,6,2027-03-14,no,someday,f@example.org,full",                 # 7: two problems
    ",Zoe,Zia,,MD,7,2027-03-14,no,2001-07-01,g@example.org,full",             # 8: empty id
]) + "\n"  # fmt: skip


def test_roster_reports_every_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(BAD_ROSTER)
    with pytest.raises(InputTableError) as caught:
        load_roster(path)
    problems = caught.value.problems
    text = "\n".join(problems)
    for fragment in (
        "line 3: duplicate physician_id 'P1' (also on line 2)",
        "line 4: license_expires '03/04/2027' is ambiguous",
        "line 5: prescribes_controlled_substances 'maybe' is not yes/no",
        "line 6: license_type 'retired' is not one of",
        "line 7: first_name and last_name are required",
        "line 7: first_licensed 'someday' is not a date",
        "line 8: physician_id is empty",
    ):
        assert fragment in text
    assert not any(p.startswith("line 2:") for p in problems)


def test_roster_missing_columns_named_together(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("physician_id,last_name\nP1,Doe\n")
    with pytest.raises(InputTableError) as caught:
        load_roster(path)
    assert "first_name" in str(caught.value) and "license_expires" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00garbage\x00", b"physician_id\n"],
    ids=["empty", "binary", "header-only"],
)
def test_roster_unreadable_is_a_table_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    with pytest.raises(InputTableError):
        load_roster(path)


def _roster(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV)
    roster = load_roster(path)
    return roster, RosterIndex(roster)


def test_ledger_reports_every_bad_row(tmp_path: Path) -> None:
    roster, index = _roster(tmp_path)
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "physician_id,activity_title,activity_date,credits,category,topics\n"
        "P1,Reading,2026-01-05,2,2,\n"
        "P1,Reading,05/01/2026,2,2,\n"
        "P1,Reading,2026-01-05,two,2,\n"
        "P1,Reading,2026-01-05,2,3,\n"
        "P1,Reading,2026-01-05,2,2,astrology\n"
        ",,2026-01-05,2,2,\n"
    )
    with pytest.raises(InputTableError) as caught:
        load_ledger(ledger, roster, index)
    text = str(caught.value)
    for fragment in ("line 3: activity_date", "line 4: credits 'two'", "line 5: category '3'",
                     "line 6: unknown topic(s) astrology", "line 7: physician_id and",
                     "line 7: activity_title is empty"):  # fmt: skip
        assert fragment in text
    assert "line 2" not in text


def test_ledger_unknown_physician_is_a_warning(tmp_path: Path) -> None:
    roster, index = _roster(tmp_path)
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "physician_id,activity_title,activity_date,credits\n"
        "P1,Reading,2026-01-05,2\n"
        "P99,Reading,2026-01-05,2\n"
    )
    rows, warnings = load_ledger(ledger, roster, index)
    assert len(rows) == 2
    assert [w.text for w in warnings] == [
        "ledger.csv line 3: physician_id 'P99' is not on the roster; row kept, not counted"
    ]
    assert warnings[0].record_id == rows.iloc[1]["record_id"]  # a decision on it settles it
    assert rows.iloc[1]["needs_review"] and rows.iloc[1]["physician_id"] == ""


def test_cli_bad_roster_exits_4_without_reports(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    build_hostile_inbox(inbox, tmp_path / "outside", with_ocr=False)
    roster = tmp_path / "roster.csv"
    roster.write_text(BAD_ROSTER)
    out = tmp_path / "out"
    run = run_cli(inbox, roster, out)
    assert run.returncode == 4
    assert "line 3: duplicate physician_id" in run.stderr
    assert "line 8: physician_id is empty" in run.stderr
    assert not out.exists() or not any(out.iterdir())


def test_cli_bad_ledger_exits_4_unknown_physician_does_not(tmp_path: Path, roster: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / GOOD_NAMES[0]).write_bytes(b"")  # content irrelevant here
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "physician_id,activity_title,activity_date,credits\nP1,X,never,1\nP1,,2026-01-01,x\n"
    )
    run = run_cli(inbox, roster, tmp_path / "out1", "--ledger", str(bad))
    assert run.returncode == 4
    assert "line 2: activity_date 'never'" in run.stderr and "line 3: credits 'x'" in run.stderr
    assert not (tmp_path / "out1").exists()
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("physician_id,activity_title,activity_date,credits\nP99,X,2026-01-01,1\n")
    run = run_cli(inbox, roster, tmp_path / "out2", "--ledger", str(unknown), quiet=False)
    assert run.returncode == 5  # the empty file in the inbox failed; the ledger did not stop it
    assert "P99" in run.stderr and (tmp_path / "out2" / "documents.csv").is_file()
