"""Audit packets: exactly the counted certificates, copied and renamed, and nothing about
another physician (a combined scan is cut to this physician's pages)."""

from __future__ import annotations

import csv
import hashlib
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from pypdf import PdfReader

from cme_batch.errors import ExitCode
from cme_batch.packet import write_packets
from cme_batch.pipeline import Inputs, RunOptions, RunResult
from cme_batch.schema import ACTIVITY_COLUMNS, DOCUMENT_COLUMNS
from tests.conftest import write_certificate_pdf
from tests.notices.factory import RULESETS, act, complete, evaluate_group, physician

AS_OF = date(2026, 11, 27)
RENEWAL = date(2027, 3, 14)


def pdf_pages(path: Path, *pages: str) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    doc = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    for text in pages:
        doc.setFont("Helvetica", 14)
        doc.drawString(72, 700, text)
        doc.showPage()
    doc.save()
    return path


def build(tmp_path: Path) -> tuple[RunResult, RunOptions]:
    inbox = tmp_path / "inbox"
    (inbox / "scans").mkdir(parents=True)
    people = [
        physician("P1", RENEWAL),
        physician("P2", RENEWAL, first_name="Zed", last_name="Otherdoc"),
    ]
    acts: list[dict[str, Any]] = []
    for row in complete("P1", date(2026, 1, 5)):
        write_certificate_pdf(inbox / row["source_file"], [(14, f"Jane Doe {row['record_id']}")])
        acts.append(row)
    # An old P1 certificate outside the cycle that counts toward nothing: not in the packet.
    old = act("P1-old", "P1", date(2019, 1, 1), "5")
    write_certificate_pdf(inbox / old["source_file"], [(14, "Jane Doe old")])
    acts.append(old)
    # A combined scan: page 1 is P1's opioid course, page 2 Zed Otherdoc's.
    pdf_pages(inbox / "scans" / "combined.pdf", "Jane Doe opioid course", "Zed Otherdoc course")
    acts = [a for a in acts if a["record_id"] != "P1-op"]
    acts.append(
        act(
            "scans/combined.pdf#p1",
            "P1",
            date(2026, 2, 1),
            "3",
            "opioid_pain",
            source_file="scans/combined.pdf",
            page=1,
            activity_title="Opioid <script>Safety</script>",
        )
    )
    acts.append(
        act(
            "scans/combined.pdf#p2",
            "P2",
            date(2026, 2, 1),
            "3",
            "opioid_pain",
            source_file="scans/combined.pdf",
            page=2,
            physician_name="Zed Otherdoc",
            activity_title="Zed Otherdoc course",
        )
    )
    acts.append(
        act(
            "ledger:ledger.csv#row2",
            "P1",
            date(2026, 3, 1),
            "1",
            source_file="ledger:ledger.csv",
            page=None,
        )
    )
    for row in acts:
        if row["record_id"].startswith("P1-"):
            row["source_file"] = f"{row['record_id']}.pdf"
    files = sorted({a["source_file"] for a in acts if not a["source_file"].startswith("ledger:")})
    documents = pd.DataFrame(
        [
            {
                "source_file": f,
                "sha256": hashlib.sha256((inbox / f).read_bytes()).hexdigest(),
                "kind": "pdf_text",
                "pages": 1,
                "status": "ok",
                "reason": "",
            }
            for f in files
        ],
        columns=list(DOCUMENT_COLUMNS),
    )
    table = pd.DataFrame(acts, columns=list(ACTIVITY_COLUMNS))
    evaluation = evaluate_group(people, acts, AS_OF)
    roster = pd.DataFrame(people)
    inputs = Inputs(roster, pd.DataFrame(columns=list(ACTIVITY_COLUMNS)), (), RULESETS)
    now = datetime(2026, 11, 27, 2, 0)
    result = RunResult(ExitCode.OK, documents, table, evaluation, inputs, now, now)
    options = RunOptions(
        inbox=inbox, roster=tmp_path / "roster.csv", out=tmp_path / "packets", as_of=AS_OF
    )
    return result, options


def test_packet_holds_exactly_the_counted_certificates(tmp_path: Path) -> None:
    result, options = build(tmp_path)
    before = {p: p.read_bytes() for p in options.inbox.rglob("*") if p.is_file()}
    (packet,) = write_packets(result, options, ["P1"])
    folder = packet.folder
    assert folder.name == "packet-P1" and packet.zip_path.name == "packet-P1.zip"
    names = sorted(p.name for p in (folder / "certificates").iterdir())
    counted = set(
        r
        for cell in result.evaluation.compliance.query("physician_id == 'P1'")["counted"]
        for r in cell.split(";")
        if r
    )
    assert "P1-old" not in counted
    expected_files = {r for r in counted if not r.startswith("ledger:")}
    assert len(names) == len(expected_files) == 10
    assert names[0].startswith("01_") and all(n.endswith(".pdf") for n in names)
    assert not any("old" in n for n in names)
    # Copies, never moves: the inbox is as it was, and whole files are byte-identical copies.
    assert {p: p.read_bytes() for p in options.inbox.rglob("*") if p.is_file()} == before
    with (folder / "activities.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["record_id"] for r in rows} == counted
    for row in rows:
        if row["record_id"].startswith("ledger:"):
            assert row["certificate_file"] == "" and "ledger" in row["note"]
            continue
        copy = folder / row["certificate_file"]
        assert copy.is_file(), row
        if row["record_id"].startswith("P1-"):
            original = options.inbox / row["source_file"]
            assert copy.read_bytes() == original.read_bytes()
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == row["sha256"]
    # The combined scan is cut to P1's page.
    combined = next(r for r in rows if r["record_id"] == "scans/combined.pdf#p1")
    assert combined["certificate_file"].endswith("_opioid-script-safety-script_p1.pdf")
    reader = PdfReader(folder / combined["certificate_file"])
    assert len(reader.pages) == 1 and "Jane Doe opioid" in reader.pages[0].extract_text()
    # Nothing about P2 anywhere: files, CSV, summary, README, nor inside the zip.
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            text = PdfReader(path).pages[0].extract_text() if path.suffix == ".pdf" else ""
            for secret in ("Otherdoc", "P2", "p2@example.org"):
                assert secret.encode() not in data, path
                assert secret not in text, path
    summary = (folder / "summary.html").read_text(encoding="utf-8")
    assert "<script>Safety" not in summary and 'href="certificates/' in summary
    with zipfile.ZipFile(packet.zip_path) as archive:
        listed = sorted(archive.namelist())
        assert f"packet-P1/certificates/{names[0]}" in listed
        assert len([n for n in listed if "/certificates/" in n]) == 10


def test_shared_image_page_is_withheld_and_all_writes_every_packet(tmp_path: Path) -> None:
    result, options = build(tmp_path)
    acts = result.activities.copy()
    acts.loc[acts["source_file"] == "scans/combined.pdf", "page"] = 1  # both on one page
    result = RunResult(
        result.exit_code,
        result.documents,
        acts,
        result.evaluation,
        result.inputs,
        result.started_at,
        result.finished_at,
    )
    packets = write_packets(result, options, None)
    assert [p.physician_id for p in packets] == ["P1", "P2"]
    with (packets[0].folder / "activities.csv").open(encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle) if r["record_id"] == "scans/combined.pdf#p1")
    assert row["certificate_file"] == "" and "other physicians" in row["note"]
    assert not any(
        "combined" in p.name or "opioid" in p.name
        for p in (packets[0].folder / "certificates").iterdir()
    )
