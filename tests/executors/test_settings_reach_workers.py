"""Run settings reach the Dask workers explicitly, whatever started them.

The workers here are ``spawn``-started (a fresh interpreter, as ``dask worker`` on another
machine is): they inherit nothing from the coordinator, so an office's lexicon or a page timeout
that did not travel with the task would show as a different result.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cme_batch.cli import main
from cme_batch.executors import ExecutorSettings
from cme_batch.executors.cluster import DaskExecutor
from cme_batch.extract.document import ReadOptions
from cme_batch.fields import lexicon
from cme_batch.process import Task
from cme_batch.roster import load_roster
from tests.conftest import requires_tesseract, write_certificate_pdf
from tests.executors import readers
from tests.executors.conftest import Cluster
from tests.fields.test_lexicon import OFFICE

pytestmark = [pytest.mark.slow, pytest.mark.ocr, requires_tesseract]

CSVS = ("certificates.csv", "documents.csv", "compliance.csv", "physicians.csv")


@pytest.fixture(autouse=True)
def built_in_afterwards() -> Iterator[None]:
    yield
    lexicon.use(())


def _mainpro(title: str, month: int, credits: str) -> list[tuple[int, str]]:
    """A Mainpro+ certificate's lines: a credit system and a date caption not built in."""
    viewed = dt.date(2026, month, 1).strftime("%B 1, %Y")
    return [
        (20, "Prairie Family Medicine Academy"),
        (16, "Certificate of Participation"),
        (12, "This certifies that"),
        (18, "Jane Q. Doe, MD"),
        (12, "has completed the activity"),
        (14, title),
        (12, f"Webcast viewed: {viewed}"),
        (12, f"and has earned {credits} Mainpro+ certified credits"),
    ]


@pytest.fixture()
def office_inbox(tmp_path: Path) -> Path:
    """A Mainpro+ certificate (only the office's lexicon knows it) as text PDF and as a scan,
    beside an AMA PRA certificate the built-in lexicon reads."""
    import pypdfium2 as pdfium

    inbox = tmp_path / "office-inbox"
    inbox.mkdir()
    write_certificate_pdf(inbox / "mainpro.pdf", _mainpro("Managing Type 2 Diabetes", 1, "3.5"))
    # The scan is another activity (a second file of the same one would be a duplicate).
    drawn = write_certificate_pdf(tmp_path / "drawn.pdf", _mainpro("Asthma in Children", 6, "1.5"))
    document = pdfium.PdfDocument(str(drawn))
    try:
        scan = document[0].render(scale=300 / 72).to_pil().convert("L")
    finally:
        document.close()
    scan.save(inbox / "mainpro-scan.png", dpi=(300, 300))
    write_certificate_pdf(
        inbox / "ama.pdf",
        [
            (12, "This certifies that"),
            (18, "Jane Q. Doe, MD"),
            (12, "has completed"),
            (14, "Risk Management in Outpatient Practice"),
            (12, "Completed on May 4, 2026"),
            (12, "and is awarded 2.0 AMA PRA Category 1 Credits"),
        ],
    )
    return inbox


def _run(inbox: Path, roster: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out),
            "--as-of", "2026-11-27", "--jobs", "2", "--no-notices", "--quiet", *extra,
        ]
    )  # fmt: skip


def _credit_types(out: Path) -> list[str]:
    with (out / "certificates.csv").open(newline="", encoding="utf-8") as fh:
        return sorted(row["credit_type"] for row in csv.DictReader(fh))


def test_an_office_lexicon_changes_a_dask_run_as_it_changes_a_local_one(
    office_inbox: Path, roster_file: Path, tmp_path: Path, local_cluster: Cluster
) -> None:
    office = tmp_path / "office-lexicon.toml"
    office.write_text(OFFICE, encoding="utf-8")
    plain, local = tmp_path / "plain", tmp_path / "local"
    assert _run(office_inbox, roster_file, plain) == 0
    assert _run(office_inbox, roster_file, local, "--lexicon", str(office)) == 0
    # The lexicon changes the answer: both Mainpro+ certificates are found only with it.
    assert "Mainpro+ certified credit" not in _credit_types(plain)
    assert _credit_types(local).count("Mainpro+ certified credit") == 2

    cluster = local_cluster()  # spawn-started workers: they inherit no lexicon
    remote, started = tmp_path / "remote", tmp_path / "started"
    lexicon.use(())  # nor does this process keep the last run's
    assert (
        _run(office_inbox, roster_file, remote, "--lexicon", str(office), "--executor", "dask",
             "--scheduler", cluster.scheduler_address)
        == 0
    )  # fmt: skip
    assert (
        _run(office_inbox, roster_file, started, "--lexicon", str(office), "--executor", "dask")
        == 0
    )
    for out in (remote, started):
        for name in CSVS:
            assert (out / name).read_bytes() == (local / name).read_bytes(), (out.name, name)


def test_reading_options_arrive_on_the_workers_as_given(
    local_cluster: Cluster, inbox: Path, roster: Path, markers: Path
) -> None:
    cluster = local_cluster()
    options = ReadOptions(page_timeout=7.5, max_pages=40, deskew=False,
                          lexicon=(("office.toml", OFFICE),))  # fmt: skip
    settings = ExecutorSettings(kind="dask", scheduler=cluster.scheduler_address)
    executor = DaskExecutor(settings, inbox, readers.notes_options)
    files = sorted(inbox.iterdir())[:4]
    tasks = [Task(p.name, str(p), "pdf") for p in files]
    results = executor.run(tasks, load_roster(roster), options, 2)
    assert sorted(results) == [p.name for p in files]
    seen = [json.loads((markers / f"{p.name}.options").read_text()) for p in files]
    assert all(s == readers.described(options) for s in seen)
    # ...and the lexicon in force on the worker while it read was the office's.
    assert all(s["lexicon in force"] == ["office.toml"] for s in seen)
