"""A run killed mid-way leaves a consistent state; the next run resumes and ends the same."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.state.certs import cert, write_pdf, write_png
from tests.state.conftest import AS_OF, cli, csv_texts, last_run

DOCS = 20


@pytest.fixture()
def mixed_inbox(tmp_path: Path) -> Path:
    """20 certificates, two of them scans (OCR takes seconds): a run lasts long enough to kill."""
    folder = tmp_path / "inbox"
    for n in range(DOCS):
        if n % 10 == 0:
            write_png(folder / f"cert-{n:02d}.png", cert(n), dpi=200)
        else:
            write_pdf(folder / f"cert-{n:02d}.pdf", [cert(n)])
    return folder


def _stored(state: Path) -> int:
    if not state.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # tables not created yet
        return 0


@pytest.mark.ocr
def test_killed_run_resumes_to_the_same_outputs(
    mixed_inbox: Path, roster: Path, tmp_path: Path
) -> None:
    args = ["--inbox", str(mixed_inbox), "--roster", str(roster), "--as-of", AS_OF, "--jobs", "1"]
    out = tmp_path / "out"
    state = out / "state.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-m", "cme_batch", "run", *args, "--out", str(out), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _stored(state) < 6 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    stored = _stored(state)
    assert 0 < stored < DOCS, "the run was not killed mid-way"
    assert last_run(out)["status"] == "running"
    assert not (out / "certificates.csv").exists()

    resumed = cli("run", *args, "--out", str(out), "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    record = last_run(out)
    assert record["status"] == "finished"
    assert (
        record["files_read"] == DOCS - stored
    )  # documents stored before the kill are not read again
    assert record["files_reused"] == stored

    fresh = tmp_path / "fresh"
    assert cli("run", *args, "--out", str(fresh), "--quiet").returncode == 0
    assert csv_texts(out) == csv_texts(fresh)
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
