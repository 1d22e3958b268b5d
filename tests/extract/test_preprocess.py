"""Preprocessing decisions that must hold for OCR to stay accurate."""

import numpy as np
from PIL import Image, ImageDraw

from cme_batch.extract import preprocess
from tests.conftest import cert_lines, render, write_certificate_pdf


def _page(tmp_path):  # type: ignore[no-untyped-def]
    pdf = write_certificate_pdf(
        tmp_path / "c.pdf",
        cert_lines("Jane Doe", "Asthma Update", "May 2, 2026", "1.5", "Lakeside Hospital"),
    )
    return render(pdf, 300)


def test_clean_page_is_not_despeckled(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _page(tmp_path)
    assert not preprocess.is_speckled(page)
    assert preprocess.despeckle(page) is page


def test_speckled_page_is_cleaned(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = np.asarray(_page(tmp_path)).copy()
    rng = np.random.default_rng(7)
    ys = rng.integers(0, page.shape[0], 20000)
    xs = rng.integers(0, page.shape[1], 20000)
    page[ys, xs] = 0
    noisy = Image.fromarray(page)
    assert preprocess.is_speckled(noisy)
    cleaned = preprocess.despeckle(noisy)
    assert preprocess.speckle_ratio(cleaned) < preprocess.speckle_ratio(noisy) / 4


def test_skew_is_measured_within_a_quarter_degree() -> None:
    img = Image.new("L", (1600, 2000), 255)
    draw = ImageDraw.Draw(img)
    for y in range(150, 1850, 50):
        draw.rectangle([150, y, 1450, y + 12], fill=0)
    for angle in (-2.5, 0.0, 1.5, 3.0):
        turned = img.rotate(angle, expand=True, fillcolor=255)
        assert abs(preprocess.estimate_skew(turned) + angle) <= 0.25


def test_blank_page_is_recognized(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert preprocess.is_blank(Image.new("L", (800, 1000), 250))
    assert not preprocess.is_blank(_page(tmp_path))


def test_grey_speckle_counts_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = np.asarray(_page(tmp_path)).copy()
    rng = np.random.default_rng(3)
    ys = rng.integers(0, page.shape[0], 40000)
    xs = rng.integers(0, page.shape[1], 40000)
    page[ys, xs] = 190  # light grey dots: invisible to a black-only count
    noisy = Image.fromarray(page)
    assert preprocess.speckle_ratio(noisy, 128) < 0.002
    assert preprocess.is_speckled(noisy)


def test_uneven_light_is_measured_and_flattened(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _page(tmp_path)
    assert preprocess.light_spread(page) < preprocess.UNEVEN_LIGHT
    shade = np.linspace(1.0, 0.45, page.width, dtype=np.float32)[None, :]
    shadowed = Image.fromarray((np.asarray(page, dtype=np.float32) * shade).astype(np.uint8))
    assert preprocess.light_spread(shadowed) > preprocess.UNEVEN_LIGHT
    flat = np.asarray(preprocess.flatten_light(shadowed), dtype=np.float32)
    # The paper on the dark side is brought back near white.
    assert np.percentile(flat[:, -200:], 50) > 230


def test_reverse_word_order_is_recognized() -> None:
    from cme_batch.extract.document import _reads_backwards

    forward = "accredited by the Accreditation Council to provide continuing education for the physicians of the state"
    backward = " ".join(reversed(forward.split()))
    assert not _reads_backwards(forward)
    assert _reads_backwards(backward)


def _ruled_table(tmp_path):  # type: ignore[no-untyped-def]
    """A label/value table with a ruled grid, as statements of credit print them, at 300 dpi."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    path = tmp_path / "table.pdf"
    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    rows = [
        ("Physician", "Dr. Jane Q. Doe"),
        ("Title", "Mandated Reporter Training"),
        ("Date(s)", "4th May 2025"),
        ("Credits earned", "0.75"),
        ("Credit type", "AMA PRA Category 1 Credits"),
    ]
    top, height, left, middle, right = 600, 24, 60, 220, 560
    for n, (label, value) in enumerate(rows):
        y = top - n * height
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(left + 8, y - 16, label)
        pdf.setFont("Helvetica", 11)
        pdf.drawString(middle + 8, y - 16, value)
        pdf.line(left, y, right, y)
    bottom = top - len(rows) * height
    pdf.line(left, bottom, right, bottom)
    for x in (left, middle, right):
        pdf.line(x, top, x, bottom)
    pdf.setFont("Helvetica-Bold", 72)
    pdf.drawString(left, 680, "IIII")  # thick stems, taller than a rule is long: not rules
    pdf.save()
    return render(path, 300)


def test_table_rules_are_removed_and_letters_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _ruled_table(tmp_path)
    cleaned = np.asarray(preprocess.remove_rules(page))
    before = np.asarray(page)
    # The grid's left rule (x = 60 pt) and top rule (y = 600 pt from the bottom) are gone.
    x, y = round(60 * 300 / 72), round((792 - 600) * 300 / 72)
    assert before[y + 40 : y + 400, x - 2 : x + 3].min() < 128
    assert cleaned[y + 40 : y + 400, x - 2 : x + 3].min() > 200
    assert before[y - 2 : y + 3, x + 40 : x + 900].min() < 128
    assert cleaned[y - 2 : y + 3, x + 40 : x + 900].min() > 200
    # The big letters' stems and the cells' text are still there.
    stems = slice(round((792 - 740) * 300 / 72), round((792 - 680) * 300 / 72))
    assert (before[stems] < 128).sum() == (cleaned[stems] < 128).sum()
    middle, right = round(220 * 300 / 72), round(560 * 300 / 72)
    cells = [
        (slice(y + n * 100 + 8, y + (n + 1) * 100 - 8), slice(a + 8, b - 8))
        for n in range(5)
        for a, b in ((x, middle), (middle, right))
    ]
    inked = sum(int((before[c] < 128).sum()) for c in cells)
    assert inked > 0
    assert sum(int((cleaned[c] < 128).sum()) for c in cells) >= 0.95 * inked
