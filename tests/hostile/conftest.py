"""Fixtures of the hostile-input tests: a run of the real CLI in a child process."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.builders import ROSTER_CSV

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    """A finished ``cme-batch run``: exit code, output and the documents.csv rows by name."""

    returncode: int
    stdout: str
    stderr: str
    out: Path

    def documents(self) -> dict[str, dict[str, str]]:
        with (self.out / "documents.csv").open(newline="", encoding="utf-8") as fh:
            return {row["source_file"]: row for row in csv.DictReader(fh)}

    def certificates(self) -> list[dict[str, str]]:
        with (self.out / "certificates.csv").open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))


def run_cli(
    inbox: Path,
    roster: Path,
    out: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    timeout: float = 240,
    quiet: bool = True,
) -> Run:
    """Run ``python -m cme_batch run`` as a child; ``timeout`` is a hang guard, not a measure."""
    child_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "cme_batch", "run", "--inbox", str(inbox), "--roster", str(roster),
         "--out", str(out), "--as-of", "2026-11-27", *(["--quiet"] if quiet else []), *extra],
        capture_output=True, text=True, timeout=timeout, env=child_env, check=False,
    )  # fmt: skip
    return Run(proc.returncode, proc.stdout, proc.stderr, out)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    return path
