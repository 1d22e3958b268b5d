from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cme_batch.cli import main
from tests.state.certs import write_inbox, write_roster

AS_OF = "2026-11-27"
OUTPUT_CSVS = (
    "certificates.csv",
    "documents.csv",
    "compliance.csv",
    "physicians.csv",
    "corrections.csv",
)


@pytest.fixture()
def roster(tmp_path: Path) -> Path:
    return write_roster(tmp_path / "roster.csv")


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    write_inbox(folder, 4)
    return folder


Run = Callable[..., int]


@pytest.fixture()
def run(roster: Path) -> Run:
    """Run ``cme-batch run`` in this process with one job; returns the exit code."""

    def go(inbox: Path, out: Path, *extra: str) -> int:
        args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
        return main([*args, "--as-of", AS_OF, "--jobs", "1", "--quiet", *extra])

    return go


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run cme-batch as its own process (as cron does)."""
    return subprocess.run(
        [sys.executable, "-m", "cme_batch", *args], capture_output=True, text=True, timeout=120
    )


def last_run(out: Path) -> dict[str, object]:
    with sqlite3.connect(out / "state.sqlite") as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return dict(row)


def csv_texts(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text(encoding="utf-8") for name in OUTPUT_CSVS}
