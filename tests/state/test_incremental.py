"""Reruns read only what changed; renames and removals are recognised by content."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from cme_batch.state import open_state
from tests.state.certs import cert, write_pdf
from tests.state.conftest import Run, csv_texts, last_run


def _documents(out: Path) -> dict[str, str]:
    with (out / "documents.csv").open(encoding="utf-8") as fh:
        return {row["source_file"]: row["sha256"] for row in csv.DictReader(fh)}


def test_rerun_without_changes_reads_nothing_and_writes_the_same(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    assert last_run(out)["files_read"] == 4
    first = csv_texts(out)
    assert run(inbox, out) == 0
    record = last_run(out)
    assert (record["files_read"], record["files_reused"], record["status"]) == (0, 4, "finished")
    assert csv_texts(out) == first
    assert (out / "run.log").read_text(encoding="utf-8").count("read (") == 0


def test_unchanged_rerun_leaves_reports_and_a_new_date_rewrites_them(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    stamp = (out / "report.xlsx").stat().st_mtime_ns, (out / "report.html").stat().st_ino
    assert run(inbox, out) == 0
    assert ((out / "report.xlsx").stat().st_mtime_ns, (out / "report.html").stat().st_ino) == stamp
    (out / "report.html").write_text("damaged", encoding="utf-8")
    assert run(inbox, out) == 0
    assert (out / "report.html").read_text(encoding="utf-8") != "damaged"
    stamp = (out / "report.xlsx").stat().st_mtime_ns
    assert run(inbox, out, "--as-of", "2026-11-28") == 0
    assert (out / "report.xlsx").stat().st_mtime_ns != stamp


def test_renamed_file_is_recognised_and_removed_file_drops_out(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    before = _documents(out)
    (inbox / "moved").mkdir()
    shutil.move(inbox / "cert-0001.pdf", inbox / "moved" / "renamed.pdf")
    (inbox / "cert-0002.pdf").unlink()
    assert run(inbox, out) == 0
    record = last_run(out)
    assert record["files_read"] == 0
    assert record["files_removed"] == 1
    after = _documents(out)
    assert "cert-0001.pdf" not in after and after["moved/renamed.pdf"] == before["cert-0001.pdf"]
    assert "cert-0002.pdf" not in after
    assert "cert-0002.pdf" not in (out / "certificates.csv").read_text(encoding="utf-8")
    with open_state(out / "state.sqlite") as state:
        # The removed file's content stays in the history.
        assert state.lookup(before["cert-0002.pdf"]) is not None


def test_changed_and_new_files_are_read(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    write_pdf(inbox / "cert-0000.pdf", [cert(40)])
    write_pdf(inbox / "new.pdf", [cert(41)])
    assert run(inbox, out) == 0
    record = last_run(out)
    assert (record["files_read"], record["files_reused"]) == (2, 3)
    assert "(session 40)" in (out / "certificates.csv").read_text(encoding="utf-8")


def test_records_round_trip_through_the_state(run: Run, inbox: Path, tmp_path: Path) -> None:
    """A rerun built from stored records gives the same table as reading the files."""
    fresh, stored = tmp_path / "fresh", tmp_path / "stored"
    assert run(inbox, fresh) == 0
    assert run(inbox, stored) == 0
    (stored / "certificates.csv").unlink()
    assert run(inbox, stored) == 0
    assert last_run(stored)["files_read"] == 0
    assert csv_texts(stored) == csv_texts(fresh)
