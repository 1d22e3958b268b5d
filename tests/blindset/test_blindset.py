"""The blind set's generator: deterministic, varied, and its truth in the scorer's format."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import score
from blindset import build, write
from blindset.layouts import CREDIT_LAYOUTS, NON_CREDIT
from samplegen import truth

TOPICS = {
    "risk_management",
    "opioid_pain",
    "end_of_life",
    "ehr",
    "board_regulations",
    "implicit_bias",
    "child_abuse",
    "domestic_violence",
    "dementia",
    "wellness_burnout",
}


def _plan(seed: int) -> list[tuple[object, ...]]:
    _, docs = build.build(seed)
    return [
        (
            d.path,
            d.variant,
            d.effects,
            d.dpi,
            d.status,
            d.seed,
            tuple(
                (c.layout, c.physician.physician_id if c.physician else "", tuple(c.acts))
                for c in d.certs
            ),
        )
        for d in docs
    ]


def test_plan_is_deterministic_and_seeded() -> None:
    assert _plan(13) == _plan(13)
    assert _plan(13) != _plan(14)


def test_plan_covers_layouts_and_capture_mix() -> None:
    roster, docs = build.build(13)
    credit = {c.layout for d in docs for c in d.certs if c.layout not in NON_CREDIT}
    assert len(credit) >= 15
    for layout in CREDIT_LAYOUTS:
        kinds = {d.variant for d in docs for c in d.certs if c.layout == layout}
        assert {"digital", "scanned"} <= kinds, layout
    mix = Counter(d.variant for d in docs)
    n = sum(mix.values())
    assert 60 <= n <= 90
    assert 0.3 <= mix["digital"] / n <= 0.5 and 0.3 <= mix["scanned"] / n <= 0.5
    assert 0.15 <= mix["photo"] / n <= 0.3
    assert len({d.path for d in docs}) == n
    effects = {e for d in docs for e in d.effects}
    assert {"fax", "stain", "crop", "curl", "shadow", "screen"} <= effects
    # Accents, hyphens and apostrophes on the roster, and two physicians with one surname.
    last = [p.last_name for p in roster]
    assert any("-" in x for x in last) and any("'" in x for x in last)
    assert any(not x.isascii() for x in last)
    assert max(Counter(last).values()) == 2


def test_written_files_are_byte_identical_on_rerun(tmp_path: Path) -> None:
    _, docs = build.build(13)
    digital = next(d for d in docs if d.variant == "digital" and d.status == "ok")
    scanned = next(
        d
        for d in docs
        if d.variant == "scanned"
        and d.dpi <= 200
        and len(d.certs) == 1
        and d.certs[0].layout not in ("office_transcript",)
    )
    for d in (digital, scanned):
        a, b = tmp_path / "a", tmp_path / "b"
        write.write(d, a)
        write.write(d, b)
        da = hashlib.sha256((a / d.path).read_bytes()).hexdigest()
        assert da == hashlib.sha256((b / d.path).read_bytes()).hexdigest(), d.path


def test_truth_parses_and_describes_the_documents(tmp_path: Path) -> None:
    roster, docs = build.build(13)
    ids = {p.physician_id: p for p in roster}
    picked = [d for d in docs if d.variant == "digital" and d.status == "ok"][:12]
    rows = [r for d in picked for r in write.write(d, tmp_path)]
    assert rows
    truth.write_truth(tmp_path / "truth.csv", rows)
    back = score.read_csv(tmp_path / "truth.csv")
    assert list(back[0]) == list(truth.TRUTH_COLUMNS)
    assert len(back) == len(rows)
    for r in back:
        assert r["physician_id"] in ids
        assert dt.date.fromisoformat(r["activity_date"]) <= dt.date(2026, 11, 27)
        assert Decimal(r["credits"]) > 0
        assert r["category"] in ("1", "2")
        assert set(score.norm_topics(r["topics"])) <= TOPICS
        assert r["variant"] == "digital"
        # The physician named in the truth is printed on the page it points to.
        pdf = pdfium.PdfDocument(str(tmp_path / r["source_file"]))
        text = pdf[int(r["page"]) - 1].get_textpage().get_text_range()
        pdf.close()
        surname = score.fold(ids[r["physician_id"]].last_name)
        assert surname in score.fold(text), (r["source_file"], surname)
    sc = score.score_rows(back, back)
    assert sc.overall.prf()["f1"] == 1.0
