"""The whole batch on real PDFs and real rendered scans, with the real tesseract."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from cme_batch.cli import main
from cme_batch.schema import (
    CERTIFICATE_COLUMNS,
    COMPLIANCE_COLUMNS,
    DOCUMENT_COLUMNS,
    PHYSICIAN_COLUMNS,
)
from tests.conftest import cert_lines, render, requires_tesseract, write_certificate_pdf

pytestmark = [pytest.mark.ocr, requires_tesseract]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "portal").mkdir(parents=True)
    (inbox / "scans").mkdir()
    work = tmp_path / "work"
    work.mkdir()
    write_certificate_pdf(
        inbox / "portal" / "opioids.pdf",
        cert_lines(
            "Jane Q. Doe, MD",
            "Safe Prescribing of Opioids and Pain Management",
            "March 3, 2026",
            "3.0",
            "Harborview Medical Education Institute",
        ),
    )
    # A copier scan turned upside down, saved as an image-only PDF.
    risk = write_certificate_pdf(
        work / "risk.pdf",
        cert_lines(
            "DOE, JOHN",
            "Reducing Diagnostic Error in Primary Care",
            "October 12-15, 2025",
            "12.25",
            "Bayside Risk Management Society",
        ),
    )
    render(risk, 200).rotate(180, expand=True).save(
        inbox / "scans" / "risk_scan.pdf", resolution=200
    )
    # A batch scan: two certificates in one multi-page TIFF, the second turned 90 degrees.
    bias = write_certificate_pdf(
        work / "bias.pdf",
        cert_lines(
            "Amara Okafor-Reyes, DO",
            "Recognizing Unconscious Bias",
            "05/04/2026",
            "2.00",
            "Commonwealth Learning Collaborative",
        ),
    )
    dementia = write_certificate_pdf(
        work / "dementia.pdf",
        cert_lines(
            "Jane Quinn Doe MD",
            "Alzheimer's Disease and Related Dementias",
            "2026-06-01",
            "1.0",
            "Memory Care Institute of New England",
        ),
    )
    first = render(bias, 200)
    second = render(dementia, 200).rotate(90, expand=True)
    first.save(
        inbox / "scans" / "batch.tif",
        save_all=True,
        append_images=[second],
        compression="tiff_deflate",
        dpi=(200, 200),
    )
    # Not a certificate: an agenda; and the portal PDF again in a later folder: a duplicate
    # (of two identical files, the first by path is the one read), and a browser's second
    # download beside it, which sorts before the original by path but is still the copy.
    write_certificate_pdf(
        inbox / "portal" / "agenda.pdf",
        [
            (16, "Grand Rounds Agenda"),
            (12, "Noon: Lunch and welcome remarks from the department chair"),
            (12, "12:30 Case presentations by the residents and fellows"),
        ],
    )
    (inbox / "resent").mkdir()
    (inbox / "resent" / "opioids-copy.pdf").write_bytes(
        (inbox / "portal" / "opioids.pdf").read_bytes()
    )
    (inbox / "portal" / "opioids (1).pdf").write_bytes(
        (inbox / "portal" / "opioids.pdf").read_bytes()
    )
    return inbox


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_run_end_to_end(inbox: Path, roster_file: Path, tmp_path: Path) -> None:
    before = tree_hashes(inbox)
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "--inbox",
            str(inbox),
            "--roster",
            str(roster_file),
            "--out",
            str(out),
            "--as-of",
            "2026-11-27",
            "--jobs",
            "2",
        ]
    )
    assert code == 0
    assert tree_hashes(inbox) == before, "the inbox must never change"

    columns, certificates = read_csv(out / "certificates.csv")
    assert tuple(columns) == CERTIFICATE_COLUMNS
    got = {
        (r["source_file"], r["page"], r["physician_id"], r["activity_date"], r["credits"])
        for r in certificates
    }
    assert got == {
        ("portal/opioids.pdf", "1", "P1", "2026-03-03", "3"),
        ("scans/risk_scan.pdf", "1", "P2", "2025-10-15", "12.25"),
        ("scans/batch.tif", "1", "P3", "2026-05-04", "2"),
        ("scans/batch.tif", "2", "P1", "2026-06-01", "1"),
    }
    topics = {r["source_file"] + r["page"]: r["topics"] for r in certificates}
    assert topics["scans/risk_scan.pdf1"] == "risk_management"
    assert topics["scans/batch.tif2"] == "dementia"

    columns, documents = read_csv(out / "documents.csv")
    assert tuple(columns) == DOCUMENT_COLUMNS
    by_file = {d["source_file"]: d for d in documents}
    assert by_file["portal/opioids.pdf"]["kind"] == "pdf_text"
    assert by_file["scans/risk_scan.pdf"]["kind"] == "pdf_scanned"
    assert by_file["scans/batch.tif"]["pages"] == "2"
    assert by_file["portal/agenda.pdf"]["status"] == "no_certificate"
    assert by_file["resent/opioids-copy.pdf"]["status"] == "duplicate"
    assert "portal/opioids.pdf" in by_file["resent/opioids-copy.pdf"]["reason"]
    assert by_file["portal/opioids (1).pdf"]["status"] == "duplicate"
    assert "portal/opioids.pdf" in by_file["portal/opioids (1).pdf"]["reason"]

    columns, compliance = read_csv(out / "compliance.csv")
    assert tuple(columns) == COMPLIANCE_COLUMNS
    opioid = next(
        r for r in compliance if r["physician_id"] == "P1" and r["requirement"] == "opioid_pain"
    )
    assert opioid["status"] == "met"
    assert opioid["counted"] == "portal/opioids.pdf#p1"

    columns, physicians = read_csv(out / "physicians.csv")
    assert tuple(columns) == PHYSICIAN_COLUMNS
    assert {p["physician_id"] for p in physicians} == {"P1", "P2", "P3"}
    p2 = next(p for p in physicians if p["physician_id"] == "P2")
    assert p2["status"] == "urgent"  # short and renewing in 23 days
    assert "by 2026-12-20" in p2["missing"]

    workbook = load_workbook(out / "report.xlsx")
    assert {"Summary", "Activities", "Documents"} <= set(workbook.sheetnames)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Reducing Diagnostic Error in Primary Care" in html


def test_explain_traces_to_certificates(
    inbox: Path, roster_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "explain",
            "P1",
            "--inbox",
            str(inbox),
            "--roster",
            str(roster_file),
            "--out",
            str(tmp_path / "o"),
            "--as-of",
            "2026-11-27",
            "--jobs",
            "1",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "portal/opioids.pdf" in text
    assert "scans/batch.tif" in text


def test_missing_roster_column_is_exit_4(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "bad.csv"
    roster.write_text("physician_id,last_name\nP1,Doe\n")
    code = main(
        ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(tmp_path / "o")]
    )
    assert code == 4
    assert "missing column" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    assert main(["run", "--inbox", str(tmp_path / "nope"), "--roster", "r.csv", "--out", "o"]) == 2
    assert main(["run", "--bogus"]) == 2


def test_image_only_pages_are_really_ocrd(tmp_path: Path) -> None:
    from cme_batch.extract.document import read_document

    pdf = write_certificate_pdf(
        tmp_path / "c.pdf",
        cert_lines("Jane Doe", "Heart Failure Update", "May 2, 2026", "1.0", "Lakeside Hospital"),
    )
    img_path = tmp_path / "photo.jpg"
    render(pdf, 150).save(img_path, quality=70)
    document = read_document(img_path, "jpeg")
    assert document.kind == "image"
    (page,) = document.pages
    assert page.origin == "ocr"
    assert "Heart Failure Update" in page.text
    assert 0.5 < page.confidence <= 1.0
    assert isinstance(Image.open(img_path), Image.Image)
