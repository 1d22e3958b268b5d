"""A hostile inbox end to end: every bad file gets a clear row, the rest is read, nothing lost.

The run is the real CLI in a child process, so the exit code, the memory of the whole process
tree and the untouched inbox are measured from outside, as the office would see them.
"""

from __future__ import annotations

import resource

import pytest

from tests.hostile.builders import GOOD_NAMES, build_hostile_inbox, snapshot
from tests.hostile.conftest import run_cli

pytestmark = pytest.mark.ocr

#: Peak resident memory any child of the test may reach (the bomb files would need far more).
MAX_CHILD_RSS_BYTES = 1_500_000_000


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("hostile")
    inbox = base / "inbox"
    expect = build_hostile_inbox(inbox, base / "outside")
    roster = base / "roster.csv"
    from tests.hostile.builders import ROSTER_CSV

    roster.write_text(ROSTER_CSV, encoding="utf-8")
    before = snapshot(inbox)
    run = run_cli(inbox, roster, base / "out", "--jobs", "2")
    return run, expect, before, inbox


def test_exit_code_is_documents_failed(hostile_run) -> None:  # type: ignore[no-untyped-def]
    run, *_ = hostile_run
    assert run.returncode == 5, run.stderr


def test_every_file_has_its_row_and_reason(hostile_run) -> None:  # type: ignore[no-untyped-def]
    run, expect, _, _ = hostile_run
    rows = run.documents()
    assert set(rows) == set(expect), "one documents.csv row per inbox entry, no more, no less"
    wrong = {
        name: (row["status"], row["reason"])
        for name, row in rows.items()
        if row["status"] != expect[name].status or expect[name].reason not in row["reason"].lower()
    }
    assert not wrong, wrong
    for name, row in rows.items():
        if row["status"] not in ("ok", "duplicate"):
            assert ":" in row["reason"], f"{name}: a reason says what happened and what to do"


def test_good_certificates_still_counted(hostile_run) -> None:  # type: ignore[no-untyped-def]
    run, *_ = hostile_run
    by_file: dict[str, list[dict[str, str]]] = {}
    for row in run.certificates():
        by_file.setdefault(row["source_file"], []).append(row)
    for name in (*GOOD_NAMES, "empty-password.pdf", "cert-\\xe9t\\xe9.pdf", "scan-okafor.png"):
        assert name in by_file, f"{name} yielded no activity"
    assert by_file["good-doe.pdf"][0]["physician_id"] == "P1"
    assert by_file["good-doe.pdf"][0]["credits"] == "3"
    assert by_file["empty-password.pdf"][0]["physician_id"] == "P2"
    # Symlinks out of the inbox are never read: their target's activity must not appear.
    assert not any("outside" in name for name in by_file)


def test_inbox_untouched(hostile_run) -> None:  # type: ignore[no-untyped-def]
    _, _, before, inbox = hostile_run
    assert snapshot(inbox) == before


def test_memory_bounded(hostile_run) -> None:  # type: ignore[no-untyped-def]
    # The peak RSS of the largest finished child (the CLI or one of its workers) so far.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert 0 < peak < MAX_CHILD_RSS_BYTES


def test_reports_written_despite_failures(hostile_run) -> None:  # type: ignore[no-untyped-def]
    run, *_ = hostile_run
    assert (run.out / "report.html").is_file()
    assert (run.out / "report.xlsx").is_file()
