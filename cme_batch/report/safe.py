"""Sanitising untrusted text (certificate text, file names, roster fields) for the reports.

HTML escaping itself is jinja2's autoescape; this module holds what autoescape does not cover:
characters XML cannot hold, bidirectional-override spoofing, Excel's limits and formula
injection, JSON inside ``<script>`` and links to inbox files.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final
from urllib.parse import quote

from markupsafe import Markup

#: Excel's limit on the characters of one cell (counted in UTF-16 code units).
EXCEL_CELL_LIMIT: Final[int] = 32_767
#: Excel refuses hyperlink addresses longer than this.
EXCEL_LINK_LIMIT: Final[int] = 2_079
#: What a cut string ends with.
ELLIPSIS: Final[str] = "\u2026"

# C0 controls except tab, newline and carriage return; DEL and C1 controls; surrogates and the
# two XML non-characters. None of these can be stored in XML 1.0 (or they render as garbage).
_XML_ILLEGAL: Final[re.Pattern[str]] = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
# Explicit bidirectional embeddings, overrides and isolates: used to make "cod.exe" read as
# "exe.doc". Natural right-to-left text needs none of them.
_BIDI_CONTROLS: Final[re.Pattern[str]] = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
#: A string cell starting with one of these would be taken as a formula by a spreadsheet.
FORMULA_TRIGGERS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: object) -> str:
    """Return untrusted text as a plain string safe to put in XML or HTML text.

    Args:
        value: Any value; ``None`` and missing values become ``""``.

    Returns:
        The text without XML-illegal characters and without bidirectional controls.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    text = _XML_ILLEGAL.sub("", text)
    return _BIDI_CONTROLS.sub("", text)


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units (how Excel counts)."""
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int = EXCEL_CELL_LIMIT) -> str:
    """Cut ``text`` to at most ``limit`` UTF-16 code units, marking the cut with an ellipsis.

    Args:
        text: The text.
        limit: The limit in UTF-16 code units.

    Returns:
        ``text`` itself when short enough, else a prefix ending in an ellipsis.
    """
    if utf16_len(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > limit - 1:
            break
        out.append(char)
        used += width
    return "".join(out) + ELLIPSIS


def excel_text(value: object) -> str:
    """Return untrusted text cleaned and cut for an Excel cell (the writer stores it as text).

    Carriage returns become newlines: XML readers turn a raw CR into a newline anyway, so this
    makes what is written equal to what is read back.
    """
    text = clean_text(value).replace("\r\n", "\n").replace("\r", "\n")
    return truncate(text)


def looks_like_formula(text: str) -> bool:
    """Return whether a spreadsheet would read ``text`` typed into a cell as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def json_for_script(data: Any) -> Markup:
    r"""Serialise ``data`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no ``</script>`` or ``<!--`` can
    appear; ``ensure_ascii`` escapes U+2028/U+2029 and every other non-ASCII character.

    Args:
        data: JSON-serialisable data.

    Returns:
        Markup to place between ``<script type="application/json">`` tags.
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - every markup-significant character is escaped above


def file_href(base: str, source_file: str, page: int | None = None) -> str:
    r"""Return a relative, percent-encoded link from the report folder to an inbox file.

    Every character outside the unreserved set and ``/`` is percent-encoded, so a file name can
    neither carry a scheme (``javascript:``), a query nor a fragment of its own.

    Args:
        base: Relative path from the output folder to the inbox (``""`` for the same folder).
        source_file: The file's path inside the inbox, ``/``- or ``\\``-separated.
        page: A 1-based page, added as ``#page=N`` (understood by PDF viewers).

    Returns:
        The link, e.g. ``../inbox/Jane%20Doe.pdf#page=2``; ``""`` when there is no file.
    """
    name = clean_text(source_file).replace("\\", "/").lstrip("/")
    if not name:
        return ""
    path = "/".join(
        part for part in (clean_text(base).replace("\\", "/").rstrip("/"), name) if part
    )
    href = quote(path, safe="/")
    if page is not None:
        href += f"#page={int(page)}"
    return href
