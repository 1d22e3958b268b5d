"""The one file hasher: SHA-256 of a file's content, read in fixed-size chunks.

Every place that names a file by its content (the inbox listing, the re-check after reading,
the fast path's input digests, the packet's manifest, the cluster's traineddata facts) uses
this module, so that one file always has one digest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

#: Read size: large enough for throughput, small enough that memory does not grow with the file.
CHUNK: Final = 1 << 20

#: How much of the file's start :func:`hash_file` returns for type sniffing.
HEAD: Final = 8192


def hash_file(path: Path | bytes) -> tuple[str, bytes]:
    """Hash a file in one pass and return its SHA-256 with its first 8 KiB (for sniffing).

    Args:
        path: The file, as a path or as raw bytes of a path (so any file name works).

    Returns:
        The hexadecimal SHA-256 of the content and the content's first :data:`HEAD` bytes.

    Raises:
        OSError: When the file cannot be opened or read.
    """
    digest = hashlib.sha256()
    head = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if not head:
                head = chunk[:HEAD]
            digest.update(chunk)
    return digest.hexdigest(), head


def file_sha256(path: Path | bytes) -> str:
    """The hexadecimal SHA-256 of a file's content.

    Raises:
        OSError: When the file cannot be opened or read.
    """
    return hash_file(path)[0]
