"""A planned document to a file on disk, plus the truth rows it carries.

Digital files are reportlab PDFs (``invariant=1``: reruns give identical bytes). Scans,
faxes and photos are the same PDF rasterized with pdfium at the capture resolution, degraded
by :mod:`camera`, and saved as the file name asks: image-only PDF (JPEG pages), JPEG, 1-bit
PNG, or Group 4 TIFF.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from samplegen.model import TruthRow

from . import camera
from .layouts import LAYOUTS, NON_CREDIT, Drawn
from .model import Cert, Doc
from .pen import Pen

CREATOR = "cme-batch blind set (fictional sample data)"
Placed = list[tuple[int, Cert, Drawn]]


def _fax_hook(doc: Doc) -> object:
    """Draws the sending machine's header line on every page of a faxed document."""
    dates = [a.date for c in doc.certs for a in c.acts]
    sent = max(dates) + dt.timedelta(days=doc.seed % 40 + 3) if dates else dt.date(2026, 10, 1)
    sent = min(sent, dt.date(2026, 11, 20))
    stamp = sent.strftime("%b-%d-%Y").upper()

    def hook(pen: Pen, i: int) -> None:
        pen.text(
            20,
            pen.h - 14,
            f"{stamp} {9 + i % 3}:{14 + 7 * i:02d}  FROM: 978 555 0143  MEDICAL OFFICE",
            "Courier",
            8,
        )
        pen.text(pen.w - 20, pen.h - 14, f"P.{i + 1:02d}", "Courier", 8, "right")

    return hook


def render_pdf(doc: Doc) -> tuple[bytes, Placed]:
    """Draw every certificate of ``doc`` into one PDF; returns bytes and page placements."""
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    c.setTitle("Certificate")
    c.setCreator(CREATOR)
    c.setProducer(CREATOR)
    pen = Pen(c, hook=_fax_hook(doc) if "fax" in doc.effects else None)  # type: ignore[arg-type]
    placed: Placed = []
    for cert in doc.certs:
        first = pen.page
        drawn = LAYOUTS[cert.layout](pen, cert, random.Random(cert.seed))
        drawn.pages = pen.page - first
        placed.append((first, cert, drawn))
    c.save()
    return buf.getvalue(), placed


def rasterize(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page as an RGB image at ``dpi``."""
    pdoc = pdfium.PdfDocument(pdf)
    try:
        return [pdoc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(pdoc))]
    finally:
        pdoc.close()


def captured(doc: Doc, pdf: bytes, placed: Placed) -> list[Image.Image]:
    """The pages of ``doc`` as its scanner, fax machine or phone captured them."""
    turn: dict[int, int] = {}
    for first, cert, drawn in placed:
        for k in range(drawn.pages):
            turn[first + k] = cert.rotate
    out = []
    for i, img in enumerate(rasterize(pdf, doc.dpi)):
        seed = doc.seed * 100 + i
        if doc.variant == "photo":
            out.append(camera.photo(img, seed, doc.effects))
        elif "fax" in doc.effects:
            page = camera.fax(img, seed, doc.dpi)
            out.append(page.rotate(-turn.get(i, 0), expand=True) if turn.get(i) else page)
        else:
            out.append(camera.scan(img, seed, doc.effects, turn.get(i, 0)))
    return out


def _image_pdf(pages: list[Image.Image], dpi: int, quality: int) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    c.setCreator("Scan to PDF")
    c.setProducer("Scan to PDF")
    for img in pages:
        data = io.BytesIO()
        if img.mode == "1":
            img = img.convert("L")
        img.save(data, "JPEG", quality=quality, optimize=False)
        data.seek(0)
        w, h = img.size[0] * 72 / dpi, img.size[1] * 72 / dpi
        c.setPageSize((w, h))
        c.drawImage(ImageReader(data), 0, 0, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()


def encode(pages: list[Image.Image], ext: str, dpi: int, quality: int) -> bytes:
    """Captured pages in the file format ``ext`` names."""
    buf = io.BytesIO()
    if ext == ".pdf":
        return _image_pdf(pages, dpi, quality)
    if ext == ".jpg":
        assert len(pages) == 1
        pages[0].convert("RGB" if pages[0].mode == "RGB" else "L").save(
            buf, "JPEG", quality=quality, optimize=False, dpi=(dpi, dpi)
        )
    elif ext == ".png":
        assert len(pages) == 1
        pages[0].save(buf, "PNG", optimize=False, dpi=(dpi, dpi))
    elif ext in (".tif", ".tiff"):
        bw = [
            p
            if p.mode == "1"
            else p.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1")
            for p in pages
        ]
        bw[0].save(
            buf, "TIFF", compression="group4", save_all=True, append_images=bw[1:], dpi=(dpi, dpi)
        )
    else:
        raise ValueError(ext)
    return buf.getvalue()


def write(doc: Doc, root: Path) -> list[TruthRow]:
    """Write ``doc`` under ``root``; return its truth rows (none unless its status is ok)."""
    target = root / doc.path
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf, placed = render_pdf(doc)
    if doc.extra.get("same_bytes"):
        target.write_bytes((root / doc.copy_of).read_bytes())
    elif doc.variant == "digital":
        target.write_bytes(pdf)
    else:
        quality = 85 if doc.variant == "photo" else 40 + doc.seed % 35
        pages = captured(doc, pdf, placed)
        target.write_bytes(encode(pages, target.suffix.lower(), doc.dpi, quality))
    return truth_rows(doc, placed)


def truth_rows(doc: Doc, placed: Placed) -> list[TruthRow]:
    """The expected ``certificates.csv`` rows of a written document."""
    if doc.status != "ok":
        return []
    rows = []
    for first, cert, drawn in placed:
        if not cert.credit_bearing or cert.layout in NON_CREDIT or cert.physician is None:
            continue
        for off, a in drawn.rows:
            if not a.system.category:
                continue
            rows.append(
                TruthRow(
                    source_file=doc.path,
                    page=first + off + 1,
                    physician_name=drawn.name,
                    physician_id=cert.physician.physician_id,
                    activity_title=a.title,
                    provider=a.provider,
                    activity_date=a.date,
                    credits=a.credits,
                    category=a.system.category,
                    credit_type=a.system.truth,
                    topics=tuple(sorted(a.topics)),
                    variant=doc.variant,
                    layout=cert.layout,
                )
            )
    return rows
