"""Inbox scanning and single-file reading under hostile conditions (no tesseract needed)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import cme_batch.process as process
from cme_batch.extract.document import ReadOptions, read_document
from cme_batch.inbox import display_path, original_first, scan_inbox, sniff, triage
from tests.hostile.builders import ROSTER_CSV, cert_lines, certificate_pdf

GOOD = certificate_pdf(
    cert_lines("Jane Q. Doe, MD", "Safe Opioid Prescribing", "March 3, 2026", "3")
)


@pytest.fixture
def worker(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV)
    from cme_batch.roster import load_roster

    process.init_worker(load_roster(roster), ReadOptions())


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_type_comes_from_bytes_not_name() -> None:
    assert sniff(GOOD, "x.jpg") == "pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....", "x.pdf") == "png"
    assert sniff(os.urandom(64) + b"\xff", "x.pdf") in ("unknown", "text")
    assert sniff(b"", "x.pdf") == "empty"


@pytest.mark.parametrize(
    "copy",
    [
        "cert (1).pdf",
        "cert(2).pdf",
        "cert - Copy.pdf",
        "cert - Copy (3).pdf",
        "cert copy.pdf",
        "cert copy 2.pdf",
        "Copy of cert.pdf",
    ],
)
def test_of_identical_files_the_copy_is_the_duplicate(tmp_path: Path, copy: str) -> None:
    (tmp_path / "cert.pdf").write_bytes(GOOD)
    (tmp_path / copy).write_bytes(GOOD)
    (tmp_path / "a-different-name.pdf").write_bytes(GOOD)
    order = [f.rel_path for f in sorted(scan_inbox(tmp_path), key=original_first)]
    # Names that are not copies keep path order; the copy goes after every one of them.
    assert order == ["a-different-name.pdf", "cert.pdf", copy]


def test_names_are_escaped_not_lost() -> None:
    assert display_path(b"caf\xe9.pdf") == "caf\\xe9.pdf"
    assert display_path("a\nb\u202efdp.exe".encode()) == "a\\x0ab\\u202efdp.exe"


def test_pipe_is_listed_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "ok.pdf").write_bytes(GOOD)
    found: list[object] = []
    # Opening a FIFO blocks until a writer comes: a thread keeps a regression from hanging.
    thread = threading.Thread(target=lambda: found.extend(scan_inbox(tmp_path)), daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "scan_inbox opened the pipe"
    by_name = {f.rel_path: f for f in found}  # type: ignore[attr-defined]
    assert triage(by_name["pipe.pdf"])[0] == "skipped"
    assert "not a regular file" in triage(by_name["pipe.pdf"])[1]
    assert triage(by_name["ok.pdf"]) == ("", "")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_fails_not_skips(tmp_path: Path) -> None:
    secret = tmp_path / "locked.pdf"
    secret.write_bytes(GOOD)
    secret.chmod(0)
    try:
        (entry,) = scan_inbox(tmp_path)
        assert triage(entry)[0] == "failed"
        assert "permissions" in triage(entry)[1]
    finally:
        secret.chmod(0o644)


def test_file_gone_before_reading(tmp_path: Path, worker: None) -> None:
    result = process.process_file(str(tmp_path / "gone.pdf"), "pdf", _sha(GOOD))
    assert result.status == "failed"
    assert result.reason.startswith("file disappeared while being read")
    image = read_document(tmp_path / "gone.png", "png")
    assert image.error.startswith("file disappeared while being read")


def test_file_changed_while_being_read(
    tmp_path: Path, worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.pdf"
    path.write_bytes(GOOD)
    real = process.read_document

    def read_then_append(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        document = real(*args, **kwargs)  # type: ignore[arg-type]
        with path.open("ab") as fh:  # a sync client still writing to the file
            fh.write(b"\n% more bytes\n")
        return document

    monkeypatch.setattr(process, "read_document", read_then_append)
    result = process.process_file(str(path), "pdf", _sha(GOOD))
    assert result.status == "failed"
    assert "changed while being read" in result.reason
    assert result.records == ()


def test_file_deleted_while_being_read(
    tmp_path: Path, worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "moved.pdf"
    path.write_bytes(GOOD)
    real = process.read_document

    def read_then_delete(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        document = real(*args, **kwargs)  # type: ignore[arg-type]
        path.unlink()
        return document

    monkeypatch.setattr(process, "read_document", read_then_delete)
    result = process.process_file(str(path), "pdf", _sha(GOOD))
    assert (result.status, result.reason.split(":")[0]) == (
        "failed",
        "file disappeared while being read",
    )


def test_unchanged_file_is_ok(tmp_path: Path, worker: None) -> None:
    path = tmp_path / "ok.pdf"
    path.write_bytes(GOOD)
    result = process.process_file(str(path), "pdf", _sha(GOOD))
    assert result.status == "ok" and result.records


def test_blank_pages_are_cheap(tmp_path: Path) -> None:
    from tests.hostile.builders import blank_pdf

    path = tmp_path / "blank.pdf"
    path.write_bytes(blank_pdf(400))
    document = read_document(path, "pdf")
    assert document.kind == "pdf_blank"
    assert [p.origin for p in document.pages] == ["blank"] * 400
