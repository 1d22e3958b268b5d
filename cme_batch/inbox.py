"""Find the inbox's files, read-only: sniff each one's type from its bytes and hash it."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: Types cme-batch reads, and what it says about those it does not.
UNSUPPORTED_ADVICE: dict[str, str] = {
    "docx": "Word document: save or print it as PDF and put the PDF in the inbox",
    "doc": "Word document: save or print it as PDF and put the PDF in the inbox",
    "xlsx": "spreadsheet: list self-reported activities in a ledger file (--ledger) instead",
    "zip": "ZIP archive: unpack it into the inbox",
    "heic": "HEIC phone photo: export it as JPEG (most phones offer 'Most compatible')",
    "gif": "GIF image: save it as PNG or PDF",
    "bmp": "BMP image: save it as PNG or PDF",
    "webp": "WebP image: save it as PNG or JPEG",
    "text": "plain text is not a certificate: enter self-reported activities in a ledger file",
    "html": "web page: print it to PDF and put the PDF in the inbox",
    "empty": "empty file (0 bytes): the upload or download did not finish; get the file again",
    "unknown": "not a PDF or image cme-batch can read (PDF, PNG, JPEG, TIFF)",
}

READABLE_KINDS = frozenset({"pdf", "png", "jpeg", "tiff"})

_CHUNK = 1 << 20


@dataclass(frozen=True)
class InboxFile:
    """One file found in the inbox.

    Attributes:
        rel_path: Path relative to the inbox with forward slashes; bytes that are not valid
            UTF-8 are shown as ``\\xNN`` escapes so the name stays printable and unique.
        path: Absolute path used to read the file.
        size: Size in bytes when scanned.
        kind: Type sniffed from the bytes (``pdf``, ``png``, ``jpeg``, ``tiff`` or an
            unsupported type such as ``docx``, ``heic``, ``empty``, ``unknown``).
        sha256: Hex digest of the content ("" when the file could not be read).
        skip_reason: Why the file is not read at all (symlink out of the inbox, unreadable).
    """

    rel_path: str
    path: Path
    size: int
    kind: str
    sha256: str
    skip_reason: str = ""


def sniff(head: bytes, name: str = "") -> str:
    """Tell a file's type from its first bytes; the name is only a tie-breaker for ZIP kinds.

    Args:
        head: The first few KiB of the file.
        name: The file name, used only to tell a Word file from another ZIP container.

    Returns:
        A short type name (see :class:`InboxFile`).
    """
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"avif"):
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        lowered = name.lower()
        if lowered.endswith(".docx") or b"word/" in head:
            return "docx"
        if lowered.endswith(".xlsx") or b"xl/" in head:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown"
    return "text"


def display_path(rel: bytes) -> str:
    """Turn a raw relative path into printable text with forward slashes."""
    text = rel.decode("utf-8", errors="backslashreplace")
    return text.replace(os.sep, "/")


def hash_file(path: Path) -> tuple[str, bytes]:
    """Hash a file and return its SHA-256 with its first 8 KiB (for sniffing)."""
    digest = hashlib.sha256()
    head = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if not head:
                head = chunk[:8192]
            digest.update(chunk)
    return digest.hexdigest(), head


def _walk(root: bytes) -> Iterator[bytes]:
    """Yield every entry below ``root`` (bytes paths, so any file name survives), sorted."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        # A symlinked folder is listed as a dir but not descended into; report it like a file.
        for name in sorted(filenames) + sorted(d for d in dirnames if os.path.islink(os.path.join(dirpath, d))):
            yield os.path.join(dirpath, name)


def scan_inbox(inbox: Path, exclude: Iterable[Path] = ()) -> list[InboxFile]:
    """List the inbox's files in a stable order, never writing to the inbox.

    Args:
        inbox: The inbox folder.
        exclude: Files to leave out (the roster and ledgers when they live in the inbox).

    Returns:
        One :class:`InboxFile` per file, sorted by relative path.
    """
    root = os.fsencode(inbox.resolve())
    excluded = {os.fsencode(p.resolve()) for p in exclude}
    found: list[InboxFile] = []
    for raw in _walk(root):
        rel = display_path(os.path.relpath(raw, root))
        path = Path(os.fsdecode(raw))
        if raw in excluded:
            continue
        if os.path.islink(raw):
            target = os.path.realpath(raw)
            if not (target == root or target.startswith(root + b"/")):
                found.append(InboxFile(rel, path, 0, "symlink", "", "symbolic link pointing outside the inbox: not followed; copy the file itself into the inbox"))
                continue
            if not os.path.isfile(target):
                found.append(InboxFile(rel, path, 0, "symlink", "", "symbolic link to a folder or to nothing: not followed"))
                continue
        try:
            size = os.path.getsize(raw)
            sha, head = hash_file(path)
        except OSError as exc:
            log.warning("%s: cannot be read: %s", rel, exc.strerror)
            found.append(InboxFile(rel, path, 0, "unreadable", "", f"cannot be read ({exc.strerror}): check the file's permissions"))
            continue
        found.append(InboxFile(rel, path, size, sniff(head, rel), sha))
    found.sort(key=lambda f: f.rel_path)
    return found
