from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from samplegen import evalset, inbox, truth, vocab
from samplegen.fmt import fmt_credits, fmt_date, plain
from samplegen.layouts import LAYOUTS, NON_CREDIT_LAYOUTS
from samplegen.model import Activity, DocSpec, PageSpec
from samplegen.render import render_pdf, write_document
from samplegen.rules import Earned, evaluate

ROOT = Path(__file__).resolve().parents[2]


def test_truth_columns_follow_schema() -> None:
    from cme_batch import schema

    assert truth.CERTIFICATE_COLUMNS == schema.CERTIFICATE_COLUMNS
    assert set(truth.ROSTER_COLUMNS) >= set(schema.ROSTER_REQUIRED_COLUMNS)
    topics = {t for group in vocab.TOPIC_TITLES.values() for _, ts in group for t in ts}
    assert topics <= set(schema.TOPICS)


def test_formats() -> None:
    d = dt.date(2026, 3, 3)
    assert fmt_date(d, "long") == "March 3, 2026"
    assert fmt_date(d, "us_slash") == "03/03/2026"
    assert fmt_date(d, "d_mon_y") == "3 Mar 2026"
    assert fmt_date(d, "ordinal") == "3rd March 2026"
    assert fmt_credits(Decimal("1.5"), "two_dp") == "1.50"
    assert fmt_credits(Decimal("0.25"), "one_dp") == "0.25"
    assert fmt_credits(Decimal("1.5"), "words") == "one and one-half (1.5)"
    assert plain(Decimal("12.00")) == "12"


def _activity(**kw: object) -> Activity:
    base: dict[str, object] = dict(
        title="Reducing Diagnostic Error in Ambulatory Care",
        provider="Harborview Medical Center",
        date=dt.date(2026, 3, 3),
        credits=Decimal("1.5"),
        system=vocab.AMA1_TM,
        topics=("risk_management",),
    )
    base.update(kw)
    return Activity(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_prints_its_truth(layout: str) -> None:
    """Digital text layer holds the printed name, date year and credits of each truth row."""
    import pypdfium2 as pdfium

    p = inbox.DE_LA_CRUZ
    n = {"transcript": 18, "cat2_log": 3, "series_summary": 2}.get(layout, 1)
    acts = [
        _activity(date=dt.date(2025, 1, 1) + dt.timedelta(days=20 * i), credits=Decimal("1.25") + i)
        for i in range(n)
    ]
    spec = PageSpec(layout, p, acts, seed=5, credit_bearing=layout not in NON_CREDIT_LAYOUTS)
    pdf, placed = render_pdf([spec])
    doc = pdfium.PdfDocument(pdf)
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    first, _, drawn = placed[0]
    if layout in NON_CREDIT_LAYOUTS:
        return  # no truth rows; see test_non_credit_documents_have_no_truth
    assert len(drawn.rows) == n
    assert drawn.name and drawn.name.split()[0] in texts[0]
    for off, act, ct in drawn.rows:
        page_text = texts[off].replace("\r", "").replace("\n", " ")
        assert str(act.date.year) in page_text
        assert ct.split()[0] in page_text


def test_non_credit_documents_have_no_truth(tmp_path: Path) -> None:
    spec = PageSpec(
        "ancc_nursing", inbox.NURSE, [_activity(system=vocab.ANCC)], 3, credit_bearing=False
    )
    rows = write_document(DocSpec("n.pdf", "digital", [spec], 1, "no_certificate"), tmp_path)
    assert rows == []


def test_scan_and_photo_outputs(tmp_path: Path) -> None:
    from PIL import Image

    spec = PageSpec("portal_plain", inbox.IYER, [_activity()], 9)
    for path, variant in (
        ("s.jpg", "scanned"),
        ("s.png", "scanned"),
        ("s.tif", "scanned"),
        ("s.pdf", "scanned"),
        ("p.jpg", "photo"),
    ):
        rows = write_document(DocSpec(path, variant, [spec], 4, dpi=100), tmp_path)  # type: ignore[arg-type]
        assert len(rows) == 1 and rows[0].variant == variant
        if not path.endswith(".pdf"):
            with Image.open(tmp_path / path) as im:
                assert im.size[0] > 600


def test_rotated_batch_page_numbers(tmp_path: Path) -> None:
    pages = [
        PageSpec("portal_plain", inbox.IYER, [_activity()], 1),
        PageSpec("two_column", inbox.LINDQVIST, [_activity()], 2, rotate=180),
        PageSpec(
            "transcript",
            inbox.OKAFOR_A,
            [_activity(date=dt.date(2025, 1, 1) + dt.timedelta(days=i)) for i in range(20)],
            3,
        ),
    ]
    rows = write_document(DocSpec("b.pdf", "scanned", pages, 4, dpi=72), tmp_path)
    assert [r.page for r in rows[:2]] == [1, 2]
    assert {r.page for r in rows[2:]} >= {3, 4}


def test_sample_inbox_statuses_hold() -> None:
    """The designed documents give every roster physician the status the README promises."""
    docs, ledger = inbox.documents()
    rows = []
    for d in docs:
        _, placed = render_pdf(d.pages)
        from samplegen.render import truth_rows

        rows += truth_rows(d, placed)
    got = inbox.check_statuses(rows, ledger)
    assert got == {k: v[0] for k, v in inbox.EXPECTED.items()}
    assert 20 <= len(docs) <= 30
    assert len({p.last_name for p in inbox.ROSTER}) < len(inbox.ROSTER)  # shared surname


def test_reference_rules() -> None:
    p = inbox.DE_LA_CRUZ
    acts = [Earned(dt.date(2026, 1, 1), Decimal(50), "1", ())]
    res = evaluate(p, acts, inbox.AS_OF)
    assert res.status == "deficient" and "risk_management" in res.short
    # Wellness counts toward risk management only up to 7.
    acts += [Earned(dt.date(2026, 2, 1), Decimal(10), "1", ("wellness_burnout",))]
    assert evaluate(p, acts, inbox.AS_OF).earned["risk_management"] == Decimal(7)


def test_committed_sample_inbox_matches_generator() -> None:
    """The committed truth files are the ones the generator makes."""
    folder = ROOT / "sample_inbox"
    if not (folder / "truth.csv").exists():
        pytest.skip("sample_inbox not generated")
    with (folder / "documents_truth.csv").open(encoding="utf-8") as fh:
        listed = {r["source_file"] for r in csv.DictReader(fh)}
    on_disk = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() not in (".csv", ".md")
    }
    assert listed == on_disk
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 6_000_000


def test_eval_set_shape() -> None:
    roster, docs = evalset.build(7)
    assert len(docs) >= 100 and 25 <= len(roster) <= 35
    layouts = {p.layout for d in docs for p in d.pages}
    assert len(layouts - NON_CREDIT_LAYOUTS) >= 14
    share = Counter(d.variant for d in docs)
    assert 0.38 <= share["digital"] / len(docs) <= 0.52
    assert 0.28 <= share["scanned"] / len(docs) <= 0.42
    assert 0.14 <= share["photo"] / len(docs) <= 0.26
    assert len({d.path for d in docs}) == len(docs)
    for d in docs:
        if d.expected_status == "duplicate":
            assert d.copy_of < d.path  # the original sorts first


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generation_is_deterministic(tmp_path: Path) -> None:
    docs, _ = inbox.documents()
    small = [
        d
        for d in docs
        if d.path
        in {
            "portal/certificate_opioid_prescribing_2026.pdf",
            "scans/castellanos_grand_rounds.png",
            "photos/iyer_risk_seminar.jpg",
            "scans/Iyer_transcript_scan.tif",
        }
    ]
    for d in small:
        d.dpi = 100
    for run in ("a", "b"):
        for d in small:
            write_document(d, tmp_path / run)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
