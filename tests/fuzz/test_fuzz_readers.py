"""Fuzz the file readers with random and mutated PDF and image bytes: never an exception.

OCR is swapped for a no-op here (the text of an image does not matter, only that decoding
garbage never escapes as an exception); the real tesseract runs in tests/hostile.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme_batch.extract import ocr
from cme_batch.extract.document import ReadOptions, read_document
from cme_batch.extract.model import DocumentText
from cme_batch.inbox import READABLE_KINDS, sniff
from tests.hostile.builders import cert_lines, certificate_pdf


def _seed_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (120, 60), 255)
    ImageDraw.Draw(image).text((5, 20), "CME 3.0", fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _seed(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(_seed_png())).save(out, format=fmt)
    return out.getvalue()


SEEDS = {
    "pdf": certificate_pdf(cert_lines("Jane Q. Doe, MD", "Ethics", "March 3, 2026", "3")),
    "png": _seed_png(),
    "jpeg": _seed("JPEG"),
    "tiff": _seed("TIFF"),
}


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed file with a few bytes flipped, a slice cut out or the tail truncated."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(1, 3))):
        action = rng.choice(["flip", "cut", "truncate", "insert"])
        at = rng.randrange(len(data))
        if action == "flip":
            for offset in range(rng.randint(1, 8)):
                if at + offset < len(data):
                    data[at + offset] = rng.randrange(256)
        elif action == "cut":
            del data[at : at + rng.randint(1, 64)]
        elif action == "truncate":
            del data[max(at, 8) :]
        else:
            data[at:at] = rng.randbytes(rng.randint(1, 64))
        if not data:
            break
    return bytes(data)


@pytest.fixture(autouse=True)
def no_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "ocr_image", lambda *a, **k: ocr.OcrResult("", 0.0))
    monkeypatch.setattr(ocr, "detect_rotation", lambda *a, **k: (0, 0.0))


FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _read(tmp_path: Path, data: bytes) -> DocumentText | None:
    kind = sniff(data[:8192], "fuzz")
    if kind not in READABLE_KINDS:
        return None
    path = tmp_path / "fuzz.bin"
    path.write_bytes(data)
    return read_document(path, kind, ReadOptions(max_pages=5))


@FUZZ
@pytest.mark.filterwarnings("ignore::UserWarning")
@given(data=mutated())
def test_mutated_files_never_raise(tmp_path: Path, data: bytes) -> None:
    document = _read(tmp_path, data)
    if document is not None:
        assert document.error or document.pages is not None


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.sampled_from([b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00"]).flatmap(
            lambda head: st.binary(max_size=2048).map(lambda tail: head + tail)
        ),
    )
)
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    document = _read(tmp_path, data)
    if document is not None and document.error:
        assert ":" in document.error  # what happened: what to do
