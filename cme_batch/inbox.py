"""Find the inbox's files, read-only: sniff each one's type from its bytes and hash it."""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cme_batch.hashing import hash_file

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
    "unknown": (
        "content is not a PDF or image cme-batch can read (PDF, PNG, JPEG, TIFF), whatever "
        "the file name says: get the original file again or save it as PDF"
    ),
}

#: Kinds that are a broken or unreadable file rather than a readable type cme-batch does not
#: take: they end the run with exit code 5 because a certificate may be lost in them.
FAILED_KINDS = frozenset({"empty", "unknown", "unreadable"})

READABLE_KINDS = frozenset({"pdf", "png", "jpeg", "tiff"})


@dataclass(frozen=True)
class InboxFile:
    r"""One file found in the inbox.

    Attributes:
        rel_path: Path relative to the inbox with forward slashes; bytes that are not valid
            UTF-8 are shown as ``\\xNN`` escapes so the name stays printable and unique.
        path: Absolute path used to read the file.
        size: Size in bytes when scanned.
        kind: Type sniffed from the bytes (``pdf``, ``png``, ``jpeg``, ``tiff`` or an
            unsupported type such as ``docx``, ``heic``, ``empty``, ``unknown``).
        sha256: Hex digest of the content ("" when the file could not be read).
        skip_reason: Why the file is not read at all (a system file such as ``.DS_Store``, a
            symlink out of the inbox, a pipe or device); or, with ``kind == "unreadable"``,
            why it could not be opened.
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
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"heim",
        b"avif",
    ):
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


#: Characters shown escaped in file names: controls (a newline would split a log line) and
#: bidirectional overrides, which can make "cert\u202efdp.exe" display as "certexe.pdf".
_UNPRINTABLE = {
    **{c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]},
    **{c: f"\\u{c:04x}" for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F)]},
    **{c: f"\\u{c:04x}" for c in range(0x2066, 0x206A)},
}


def display_path(rel: bytes) -> str:
    r"""Turn a raw relative path into printable text with forward slashes.

    Bytes that are not UTF-8 become ``\\xNN``; control and bidi-override characters are
    escaped the same way, so every name prints on one line and reads as it is stored.
    """
    text = rel.decode("utf-8", errors="backslashreplace").translate(_UNPRINTABLE)
    return text.replace(os.sep, "/")


def _walk(root: bytes, errors: list[tuple[bytes, OSError]]) -> Iterator[bytes]:
    """Yield every entry below ``root`` (bytes paths, so any file name survives), sorted.

    Folders that cannot be listed are collected in ``errors`` (os.walk drops them silently).
    """
    for dirpath, dirnames, filenames in os.walk(root, onerror=_collect(errors), followlinks=False):
        dirnames.sort()
        # A symlinked folder is listed as a dir but not descended into; report it like a file.
        links = sorted(d for d in dirnames if os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames) + links:
            yield os.path.join(dirpath, name)


def _collect(errors: list[tuple[bytes, OSError]]) -> Callable[[OSError], None]:
    def onerror(exc: OSError) -> None:
        errors.append((os.fsencode(exc.filename or b""), exc))

    return onerror


def scan_inbox(inbox: Path, exclude: Iterable[Path] = ()) -> list[InboxFile]:
    """List the inbox's files in a stable order, never writing to the inbox.

    Only regular files are opened, and only for reading: a symbolic link is followed only
    when its target is a file inside the inbox, and pipes, sockets and devices are listed but
    never opened (opening a pipe would block the run).

    Args:
        inbox: The inbox folder.
        exclude: Files to leave out (the roster and ledgers when they live in the inbox).

    Returns:
        One :class:`InboxFile` per file, sorted by relative path.
    """
    root = os.fsencode(inbox.resolve())
    excluded = {os.fsencode(p.resolve()) for p in exclude}
    found: list[InboxFile] = []
    walk_errors: list[tuple[bytes, OSError]] = []
    for raw in _walk(root, walk_errors):
        if raw in excluded:
            continue
        found.append(_examine(root, raw))
    for raw, exc in walk_errors:
        rel = display_path(os.path.relpath(raw, root)) if raw else "."
        log.warning("%s: folder cannot be read: %s", rel, exc.strerror)
        found.append(
            InboxFile(
                rel + "/",
                Path(os.fsdecode(raw)),
                0,
                "unreadable",
                "",
                f"folder cannot be read ({exc.strerror}): check its permissions and rerun",
            )
        )
    found.sort(key=lambda f: f.rel_path)
    return found


def scan_for_run(inbox: Path, roster: Path, ledgers: Iterable[Path] = ()) -> list[InboxFile]:
    """The inbox as a run sees it: :func:`scan_inbox` without the roster and ledgers.

    A run and the fast path of an unchanged rerun (``cme_batch.fastpath``) both list the inbox
    through here, so that they see the same files.
    """
    return scan_inbox(inbox, exclude=[p for p in (roster, *ledgers) if p.exists()])


#: Files that operating systems and Office leave in every shared folder, by lower-case name.
_SYSTEM_NAMES = {
    ".ds_store": "macOS Finder's folder settings",
    "thumbs.db": "Windows' thumbnail cache",
    "ehthumbs.db": "Windows' thumbnail cache",
    "desktop.ini": "Windows' folder settings",
    ".localized": "macOS folder-name settings",
}


def system_file_reason(rel_path: str) -> str:
    """Why a path is a system file and not a certificate; "" when it is an ordinary file.

    Finder and Explorer settings, Office's ``~$`` lock files (left while a document is open),
    and the ``__MACOSX/`` and ``._name`` resource forks that macOS adds to copies and archives.
    """
    parts = rel_path.split("/")
    name = parts[-1]
    what = _SYSTEM_NAMES.get(name.lower())
    if what is None and "__MACOSX" in parts[:-1]:
        what = "macOS resource data from an archive (__MACOSX folder)"
    if what is None and name.startswith("~$"):
        what = "Office's lock file, there while a document is open"
    if what is None and name.startswith("._"):
        what = "macOS resource data of a copied file"
    return f"system file ({what}), not a certificate: nothing to do" if what else ""


def _examine(root: bytes, raw: bytes) -> InboxFile:
    """Stat, sniff and hash one entry, or say why it is not read."""
    # The walk joins the resolved root with names, so every entry starts with root and a
    # separator: cutting that off is what relpath computes, at a fraction of its cost (an
    # unchanged rerun lists thousands of files before anything else).
    prefix = root.rstrip(b"/") + b"/"
    rel = display_path(raw[len(prefix) :] if raw.startswith(prefix) else os.path.relpath(raw, root))
    path = Path(os.fsdecode(raw))
    system = system_file_reason(rel)
    if system:
        # Never opened: a lock file may be held by Office, and none of them is a certificate.
        return InboxFile(rel, path, 0, "system", "", system)
    if os.path.islink(raw):
        target = os.path.realpath(raw)
        if not (target == root or target.startswith(root + b"/")):
            return InboxFile(rel, path, 0, "symlink", "", _LINK_OUTSIDE)
        if not os.path.exists(target):
            return InboxFile(rel, path, 0, "symlink", "", _LINK_DANGLING)
        if os.path.isdir(target):
            return InboxFile(rel, path, 0, "symlink", "", _LINK_FOLDER)
    try:
        info = os.stat(raw)
        if not stat.S_ISREG(info.st_mode):
            return InboxFile(rel, path, 0, "special", "", _SPECIAL)
        sha, head = hash_file(raw)
    except FileNotFoundError:
        log.warning("%s: disappeared while the inbox was scanned", rel)
        return InboxFile(rel, path, 0, "gone", "", _GONE)
    except OSError as exc:
        log.warning("%s: cannot be read: %s", rel, exc.strerror)
        return InboxFile(
            rel, path, 0, "unreadable", "",
            f"cannot be read ({exc.strerror}): check the file's permissions and rerun",
        )  # fmt: skip
    return InboxFile(rel, path, info.st_size, sniff(head, rel), sha)


_LINK_OUTSIDE = (
    "symbolic link pointing outside the inbox: not followed; copy the file itself into the inbox"
)
_LINK_DANGLING = "symbolic link to a file that does not exist: not followed; remove the link"
_LINK_FOLDER = "symbolic link to a folder: not followed; copy the files themselves into the inbox"
_SPECIAL = "not a regular file (pipe, socket or device): not read; remove it from the inbox"
_GONE = "file disappeared while the inbox was scanned: put it back and rerun if it is needed"


def triage(file: InboxFile) -> tuple[str, str]:
    """The documents.csv status and reason of a file that is not read at all.

    Returns:
        ``(status, reason)``, or ``("", "")`` when the file is to be read.
    """
    if file.kind == "unreadable":
        return "failed", file.skip_reason
    if file.skip_reason:
        return "skipped", file.skip_reason
    if file.kind in READABLE_KINDS:
        return "", ""
    advice = UNSUPPORTED_ADVICE.get(file.kind, UNSUPPORTED_ADVICE["unknown"])
    return ("failed" if file.kind in FAILED_KINDS else "unsupported"), advice


#: How browsers, file managers and cloud drives name a second copy of a file: "name (1).pdf",
#: "name - Copy.pdf", "name copy 2.pdf", "Copy of name.pdf", "name(2).pdf".
_COPY_NAME = re.compile(
    r"(?:\s*\(\d{1,3}\)|\s+-\s+copy(?:\s*\(\d{1,3}\))?|\s+copy(?:\s+\d{1,3})?)$|^copy of\s",
    re.IGNORECASE,
)


def original_first(file: InboxFile) -> tuple[bool, str]:
    """Sort key that puts, among byte-identical files, the original before its copies.

    The file read is the first in this order and the others are reported as its duplicates,
    so the office sees "certificate (1).pdf" as the copy of "certificate.pdf" and not the
    other way round (plain path order puts " (1)" before ".pdf"). Names that look like a
    copy go last, the rest keep path order.
    """
    stem = os.path.splitext(os.path.basename(file.rel_path))[0]
    return bool(_COPY_NAME.search(stem)), file.rel_path
