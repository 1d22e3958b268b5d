"""The same answer from either executor: the sample inbox read by this machine's worker pool
and by a two-worker Dask ``LocalCluster`` gives byte-identical CSVs and the same reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cme_batch.cli import main
from tests.conftest import requires_tesseract

pytest.importorskip("distributed")
pytestmark = [pytest.mark.ocr, pytest.mark.slow, requires_tesseract]

SAMPLE = Path(__file__).resolve().parents[2] / "sample_inbox"
CSVS = ("certificates.csv", "documents.csv", "compliance.csv", "physicians.csv", "corrections.csv")
#: The run's own start and finish times (and its duration) are all that may differ.
RUN_TIMES = {"Started", "Finished", "Run time (s)"}
_CLOCK = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _run(out: Path, *extra: str) -> int:
    return main(
        [
            "run", "--inbox", str(SAMPLE), "--roster", str(SAMPLE / "roster.csv"),
            "--ledger", str(SAMPLE / "ledger.csv"), "--out", str(out),
            "--as-of", "2026-11-27", "--quiet", "--no-notices", "--jobs", "2", *extra,
        ]
    )  # fmt: skip


def _workbook(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            name: [
                row
                for row in book[name].iter_rows(values_only=True)
                if not (name == "Run" and row and row[0] in RUN_TIMES)
            ]
            for name in book.sheetnames
        }
    finally:
        book.close()


def test_local_and_dask_executors_write_the_same_outputs(tmp_path: Path) -> None:
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert _run(local) == 0
    assert _run(dask, "--executor", "dask") == 0
    for name in CSVS:
        assert (dask / name).read_bytes() == (local / name).read_bytes(), name
    books = _workbook(local / "report.xlsx"), _workbook(dask / "report.xlsx")
    assert books[0] == books[1]
    assert len(books[0]["Activities"]) > 100  # the comparison saw the real content
    pages = [
        _CLOCK.sub("<time>", (out / "report.html").read_text(encoding="utf-8"))
        for out in (local, dask)
    ]
    assert pages[0] == pages[1]
    # The Dask run says how it went in the run log: workers in use and pages per second.
    log = (dask / "run.log").read_text(encoding="utf-8")
    assert re.search(r"dask: 2 worker\(s\), 2 thread\(s\)", log)
    assert re.search(r"dask: 29 file\(s\), \d+ page\(s\) in [\d.]+ s \([\d.]+ pages/s\)", log)


def test_an_evaluation_set_reads_the_same_on_either_executor(tmp_path: Path) -> None:
    """Generated portal PDFs, scans, photos and archive bundles (evaluation seed 7, four of
    each kind) through both executors: the four CSVs are byte-identical."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    made = tmp_path / "made"
    subprocess.run(
        [sys.executable, str(root / "tools" / "make_eval_set.py"), "--out", str(made),
         "--seed", "7", "--jobs", "2"],
        check=True, capture_output=True,
    )  # fmt: skip
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    kinds = sorted(p for p in made.iterdir() if p.is_dir())
    for folder in kinds:
        for file in sorted(f for f in folder.iterdir() if f.is_file())[:4]:
            (inbox / folder.name).mkdir(exist_ok=True)
            shutil.copy2(file, inbox / folder.name / file.name)
    assert sum(1 for f in inbox.rglob("*") if f.is_file()) >= 12

    def run(out: Path, *extra: str) -> int:
        return main(
            [
                "run", "--inbox", str(inbox), "--roster", str(made / "roster.csv"),
                "--out", str(out), "--as-of", "2026-11-27", "--quiet", "--no-notices",
                "--jobs", "2", *extra,
            ]
        )  # fmt: skip

    local, dask = tmp_path / "local", tmp_path / "dask"
    assert run(local) in (0, 5)
    assert run(dask, "--executor", "dask") in (0, 5)
    for name in CSVS[:4]:
        assert (dask / name).read_bytes() == (local / name).read_bytes(), name
    rows = (local / "certificates.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) > 12  # the comparison saw real activities, not an empty table
