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
