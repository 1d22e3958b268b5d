"""Build hostile inboxes at test time: every bad input the readers must survive, plus good ones.

Nothing here is committed as a binary: each file is generated from code (fixed seeds), so a
reader regression is reproduced by rerunning the test, and the fixture explains itself.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROSTER_CSV = (
    "physician_id,last_name,first_name,middle_name,degree,license_number,license_expires,"
    "prescribes_controlled_substances,first_licensed,email\n"
    "P1,Doe,Jane,Quinn,MD,123456,2027-03-14,yes,2001-07-01,jane.doe@example.org\n"
    "P2,Okafor-Reyes,Amara,,DO,445566,2027-08-02,yes,2012-07-01,amara@example.org\n"
)


def cert_lines(name: str, title: str, date: str, credits: str) -> list[tuple[int, str]]:
    """The lines of a plain certificate the field parser reads reliably."""
    return [
        (20, "Massachusetts Medical Society"),
        (16, "Certificate of Completion"),
        (12, "This certifies that"),
        (18, name),
        (12, "has completed the activity"),
        (14, title),
        (12, f"Completed on {date}"),
        (12, f"and is awarded {credits} AMA PRA Category 1 Credits(TM)"),
    ]


def certificate_pdf(
    lines: Sequence[tuple[int, str]], size: tuple[float, float] | None = None
) -> bytes:
    """A one-page certificate with a real text layer (reportlab's built-in fonts)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    page = size or letter
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=page, invariant=1)
    y = page[1] - 110
    for font_size, text in lines:
        pdf.setFont("Helvetica", font_size)
        pdf.drawCentredString(page[0] / 2, y, text)
        y -= font_size * 2.3
    pdf.save()
    return buffer.getvalue()


def blank_pdf(pages: int, size: tuple[float, float] = (612.0, 792.0)) -> bytes:
    """A PDF of ``pages`` empty pages (a scanner fed a stack of blank sheets)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1)
    for _ in range(pages):
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_png(lines: Sequence[tuple[int, str]], dpi: int = 150) -> bytes:
    """A certificate rendered to a PNG: an image with no text layer, so OCR must read it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(certificate_pdf(lines))
    try:
        bitmap = doc[0].render(scale=dpi / 72)
        image = bitmap.to_pil().convert("L")
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def encrypted_pdf(plain: bytes, user_password: str, owner_password: str = "owner") -> bytes:
    """``plain`` encrypted with pypdf (RC4-128 needs no crypto library)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A grayscale PNG of ``width`` x ``height`` zero pixels: a few KiB on disk, huge decoded.

    Written by hand, row by row through one compressor, so building it never needs the
    decoded size in memory.
    """
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    """A minimal Word file (a ZIP holding word/document.xml)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def heic_bytes() -> bytes:
    """The start of an HEIC photo: an ISO-BMFF ``ftyp`` box naming the heic brand."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + bytes(64)


@dataclass(frozen=True)
class Expect:
    """What one hostile file must yield in documents.csv."""

    status: str
    reason: str  # a lower-case fragment the reason must contain


GOOD_NAMES = ("good-doe.pdf", "good-okafor.pdf")


def build_hostile_inbox(root: Path, outside: Path, with_ocr: bool = True) -> dict[str, Expect]:
    """Fill ``root`` with good and hostile files; return the expected row per file name.

    Args:
        root: The inbox folder (created).
        outside: A folder beside the inbox, for symlink targets that must never be followed.
        with_ocr: Include the scanned (image-only) good certificate, which needs tesseract.

    Returns:
        File name (as documents.csv shows it) to the expected status and reason fragment.
    """
    rng = random.Random(20261127)
    root.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    doe = certificate_pdf(
        cert_lines("Jane Q. Doe, MD", "Safe Opioid Prescribing", "March 3, 2026", "3.0")
    )
    okafor = certificate_pdf(
        cert_lines(
            "Amara Okafor-Reyes, DO", "Risk Management in Primary Care", "May 12, 2026", "2.5"
        )
    )
    expect: dict[str, Expect] = {}

    def put(name: str, data: bytes, status: str, reason: str) -> None:
        (root / name).write_bytes(data)
        expect[name] = Expect(status, reason)

    put(GOOD_NAMES[0], doe, "ok", "")
    put(GOOD_NAMES[1], okafor, "ok", "")
    put("zero-bytes.pdf", b"", "failed", "empty file")
    put("truncated.pdf", doe[: len(doe) // 2], "failed", "truncated")
    put("corrupt.pdf", b"%PDF-1.7\n" + rng.randbytes(4000), "failed", "corrupt")
    put("random-bytes.pdf", b"\x00\x9c" + rng.randbytes(3000), "failed", "not a pdf or image")
    put("random-bytes.jpg", b"\x01\xfe" + rng.randbytes(3000), "failed", "not a pdf or image")
    put("fake-jpeg.jpg", b"\xff\xd8\xff\xe0" + rng.randbytes(3000), "failed", "image")
    put("encrypted.pdf", encrypted_pdf(doe, "s3cret"), "failed", "encrypted pdf")
    # An empty user password is the common "restrict printing" case: it must simply be read.
    okafor_copy = certificate_pdf(
        cert_lines("Amara Okafor-Reyes, DO", "Implicit Bias in Health Care", "June 2, 2026", "2.0")
    )
    put("empty-password.pdf", encrypted_pdf(okafor_copy, ""), "ok", "")
    put("blank-400.pdf", blank_pdf(400), "no_certificate", "every page is blank")
    # 200 x 200 inches has no text layer and cannot be rendered within the pixel budget.
    put("huge-page.pdf", blank_pdf(1, (14400.0, 14400.0)), "failed", "absurd size")
    # Between PIL's warning and error limits, where only cme-batch's own check stops it.
    put("bomb.png", bomb_png(12_000, 12_000), "failed", "too large")
    put("image-bomb.pdf", image_bomb_pdf(), "failed", "too large")
    put("letter.docx", docx_bytes(), "unsupported", "save or print it as pdf")
    put("photo.heic", heic_bytes(), "unsupported", "export it as jpeg")
    # A file name that is not UTF-8 (Latin-1 from an old scanner): shown escaped, still read.
    raw_name = os.fsencode(root) + b"/cert-\xe9t\xe9.pdf"
    with open(raw_name, "wb") as fh:
        fh.write(
            certificate_pdf(
                cert_lines("Jane Q. Doe, MD", "End of Life Care", "April 9, 2026", "1.5")
            )
        )
    expect["cert-\\xe9t\\xe9.pdf"] = Expect("ok", "")
    # Symlinks: out of the inbox (file, folder), dangling, and one inside the inbox.
    (outside / "secret.pdf").write_bytes(okafor)
    (outside / "folder").mkdir(exist_ok=True)
    os.symlink(outside / "secret.pdf", root / "link-outside.pdf")
    expect["link-outside.pdf"] = Expect("skipped", "outside the inbox")
    os.symlink(outside / "folder", root / "link-folder")
    expect["link-folder"] = Expect("skipped", "not followed")
    os.symlink(root / "missing.pdf", root / "link-dangling.pdf")
    expect["link-dangling.pdf"] = Expect("skipped", "not followed")
    os.symlink(root / GOOD_NAMES[0], root / "link-inside.pdf")
    expect["link-inside.pdf"] = Expect("duplicate", "same file as")
    sub = root / "sub" / "deeper"
    sub.mkdir(parents=True)
    (sub / "nested-copy.pdf").write_bytes(doe)
    expect["sub/deeper/nested-copy.pdf"] = Expect("duplicate", "same file as")
    if with_ocr:
        put(
            "scan-okafor.png",
            scanned_png(
                cert_lines(
                    "Amara Okafor-Reyes, DO", "Domestic Violence Awareness", "July 7, 2026", "1.0"
                )
            ),
            "ok",
            "",
        )
    return expect


def snapshot(root: Path) -> dict[bytes, tuple[str, int, int, bytes]]:
    """Every entry below ``root`` (bytes paths): type, size, mtime in ns and content or target.

    Used before and after a run to prove the inbox was not modified, renamed or added to.
    """
    found: dict[bytes, tuple[str, int, int, bytes]] = {}
    base = os.fsencode(root)
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            info = os.lstat(full)
            rel = os.path.relpath(full, base)
            if os.path.islink(full):
                found[rel] = ("link", 0, info.st_mtime_ns, os.readlink(full))
            elif os.path.isdir(full):
                found[rel] = ("dir", 0, info.st_mtime_ns, b"")
            else:
                with open(full, "rb") as fh:
                    import hashlib

                    digest = hashlib.sha256(fh.read()).hexdigest().encode()
                found[rel] = ("file", info.st_size, info.st_mtime_ns, digest)
    found[b"."] = ("dir", 0, os.lstat(base).st_mtime_ns, b"")
    return found


def _repeated_deflate(chunk: bytes, times: int) -> bytes:
    """A zlib stream of ``chunk`` repeated: compressed once, the block reused ``times`` times.

    After a full flush deflate restarts from an empty window, so the block for the same input
    is the same bytes and can be repeated; only the checksum has to see every byte.
    """
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    header = first[: len(first) - len(block)]
    assert first[len(header) :] == block
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(chunk, checksum)
    return header + block * times + b"\x03\x00" + struct.pack(">I", checksum)


def image_bomb_pdf(side: int = 40_000) -> bytes:
    """A letter page showing one ``side`` x ``side`` gray image: 1.5 MB on disk, 1.6 GB decoded."""
    rows_per_chunk = 100
    assert side % rows_per_chunk == 0
    data = _repeated_deflate(b"\xff" * side * rows_per_chunk, side // rows_per_chunk)
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (side, side, len(data), data),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
