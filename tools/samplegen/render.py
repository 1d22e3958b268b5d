"""A document specification to a file on disk, plus the truth rows it carries.

Digital documents are written straight from reportlab (text layer, standard fonts,
``invariant=1`` so reruns give identical bytes). Scans and photos are the same PDF rasterized
with pdfium and degraded (see :mod:`degrade`), then saved as the format the file name asks
for: image-only PDF (JPEG pages), 1-bit PNG or Group 4 TIFF (copier black-and-white mode),
or grayscale/color JPEG.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from . import degrade
from .draw import Drawn
from .layouts import LAYOUTS, NON_CREDIT_LAYOUTS
from .model import DocSpec, PageSpec, TruthRow

PDF_CREATOR = "cme-batch samplegen (fictional sample data)"


def render_pdf(
    pages: list[PageSpec], title: str = "CME certificate"
) -> tuple[bytes, list[tuple[int, PageSpec, Drawn]]]:
    """Draw the certificates in order into one PDF.

    Returns:
        The PDF bytes and, per certificate, its first page number (1-based), spec and
        what the layout drew.
    """
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setCreator(PDF_CREATOR)
    c.setProducer(PDF_CREATOR)
    placed: list[tuple[int, PageSpec, Drawn]] = []
    page_no = 1
    for spec in pages:
        drawn = LAYOUTS[spec.layout](c, spec, random.Random(spec.seed))
        c.showPage()
        placed.append((page_no, spec, drawn))
        page_no += drawn.pages
    c.save()
    return buf.getvalue(), placed


def rasterize(pdf_bytes: bytes, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as an RGB image at ``dpi``."""
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        out = []
        for i in range(len(doc)):
            bitmap = doc[i].render(scale=dpi / 72)
            out.append(bitmap.to_pil().convert("RGB"))
        return out
    finally:
        doc.close()


def _binarize(img: Image.Image, threshold: int = 150) -> Image.Image:
    """1-bit image, as a copier's black-and-white scan mode produces."""
    arr = np.asarray(img.convert("L"))
    return Image.fromarray(np.where(arr > threshold, 255, 0).astype(np.uint8)).convert("1")


def _image_pdf(images: list[Image.Image], dpi: int, quality: int) -> bytes:
    """An image-only PDF: each page one JPEG at its scan resolution, no text layer."""
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    c.setCreator("Scan-to-PDF")
    c.setProducer("Scan-to-PDF")
    for img in images:
        jpg = io.BytesIO()
        img.save(jpg, "JPEG", quality=quality, optimize=False)
        jpg.seek(0)
        w, h = img.size[0] * 72 / dpi, img.size[1] * 72 / dpi
        c.setPageSize((w, h))
        c.drawImage(ImageReader(jpg), 0, 0, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()


def degraded_pages(
    doc: DocSpec, pdf_bytes: bytes, placed: list[tuple[int, PageSpec, Drawn]]
) -> list[Image.Image]:
    """Rasterize and degrade every page of ``doc`` according to its variant."""
    clean = rasterize(pdf_bytes, doc.dpi)
    rotation: dict[int, int] = {}
    for first, spec, drawn in placed:
        for k in range(drawn.pages):
            rotation[first + k] = spec.rotate
    out = []
    for i, img in enumerate(clean, 1):
        seed = doc.seed * 1000 + i
        if doc.variant == "photo":
            out.append(degrade.photo(img, seed))
        else:
            out.append(
                degrade.scan(img, seed, rotation.get(i, 0), color=bool(doc.extra.get("color")))
            )
    return out


def write_document(
    doc: DocSpec, root: Path, cache: dict[str, bytes] | None = None
) -> list[TruthRow]:
    """Write ``doc`` under ``root`` and return its truth rows (none unless status is ok).

    Args:
        doc: what to write.
        root: the set folder.
        cache: bytes of documents already written, by path; a byte-identical copy
            (``doc.copy_of`` with the same variant) reuses them.
    """
    target = root / doc.path
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf_bytes, placed = render_pdf(doc.pages)
    ext = target.suffix.lower()
    if doc.copy_of and doc.extra.get("same_bytes"):
        # The same file saved twice (e.g. downloaded again): the original must be written first.
        data = (
            cache[doc.copy_of]
            if cache and doc.copy_of in cache
            else (root / doc.copy_of).read_bytes()
        )
        target.write_bytes(data)
    elif doc.variant == "digital":
        data = pdf_bytes
        target.write_bytes(data)
    else:
        pages = degraded_pages(doc, pdf_bytes, placed)
        data = _save_images(pages, ext, doc)
        target.write_bytes(data)
    if cache is not None:
        cache[doc.path] = data
    return truth_rows(doc, placed)


def _save_images(pages: list[Image.Image], ext: str, doc: DocSpec) -> bytes:
    buf = io.BytesIO()
    quality = int(doc.extra.get("quality", 60 if doc.variant == "scanned" else 80))
    if ext == ".pdf":
        return _image_pdf(pages, doc.dpi, quality)
    if ext in (".jpg", ".jpeg"):
        assert len(pages) == 1, doc.path
        pages[0].save(buf, "JPEG", quality=quality, optimize=False, dpi=(doc.dpi, doc.dpi))
    elif ext == ".png":
        assert len(pages) == 1, doc.path
        _binarize(pages[0]).save(buf, "PNG", optimize=False, dpi=(doc.dpi, doc.dpi))
    elif ext in (".tif", ".tiff"):
        bw = [_binarize(p) for p in pages]
        bw[0].save(
            buf,
            "TIFF",
            compression="group4",
            save_all=True,
            append_images=bw[1:],
            dpi=(doc.dpi, doc.dpi),
        )
    else:
        raise ValueError(f"unsupported extension {ext} for {doc.path}")
    return buf.getvalue()


def truth_rows(doc: DocSpec, placed: list[tuple[int, PageSpec, Drawn]]) -> list[TruthRow]:
    """The expected ``certificates.csv`` rows of a written document."""
    if doc.expected_status != "ok":
        return []
    rows = []
    for first, spec, drawn in placed:
        if not spec.credit_bearing or spec.layout in NON_CREDIT_LAYOUTS or spec.physician is None:
            continue
        for off, act, ct in drawn.rows:
            if not act.category:
                continue
            rows.append(
                TruthRow(
                    source_file=doc.path,
                    page=first + off,
                    physician_name=drawn.name,
                    physician_id=spec.physician.physician_id,
                    activity_title=act.title,
                    provider=act.provider,
                    activity_date=act.date,
                    credits=act.credits,
                    category=act.category,
                    credit_type=ct,
                    topics=tuple(sorted(act.topics)),
                    variant=doc.variant,
                    layout=spec.layout,
                )
            )
    return rows
