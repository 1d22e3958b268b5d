"""Email addresses and header text from untrusted sources (the roster, certificate text).

A roster cell is checked, never repaired: an address that is not exactly one plain
``local@domain`` is reported, because a guessed address sends someone's compliance record to a
stranger. Header text loses every control character and line break, so a name such as
``Doe<CR><LF>Bcc: x@evil`` stays one harmless line inside its header.
"""

from __future__ import annotations

import re
from typing import Final

# The dot-atom form of RFC 5322 (no quoted local parts, no comments, no IP literals) with an
# internet host name: what a medical group's roster holds, and nothing a header could smuggle.
_LOCAL: Final = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS: Final[re.Pattern[str]] = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")
# C0 and C1 controls (line breaks among them), and Unicode line and paragraph separators.
_CONTROLS: Final[re.Pattern[str]] = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
#: Longest header text kept (a name or a subject): long enough for any real one.
HEADER_TEXT_LIMIT: Final[int] = 200


def valid_address(text: str) -> bool:
    """Whether ``text`` is exactly one plain email address (``local@host.domain``)."""
    return len(text) <= 254 and _ADDRESS.fullmatch(text) is not None


def address_problem(text: str) -> str:
    """Why a roster ``email`` cell cannot be used; ``""`` when it can."""
    if not text.strip():
        return "no email address on the roster"
    if not valid_address(text.strip()):
        shown = header_text(text, 80)
        return f"email address {shown!r} on the roster is not one valid address"
    return ""


def header_text(text: str, limit: int = HEADER_TEXT_LIMIT) -> str:
    """Untrusted text made safe for one header line: controls become spaces, length is capped."""
    flat = " ".join(_CONTROLS.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def split_mailbox(text: str) -> tuple[str, str]:
    """``"Office <a@b.org>"`` -> ``("Office", "a@b.org")``; a bare address has no name."""
    text = text.strip()
    if text.endswith(">") and "<" in text:
        cut = text.rindex("<")
        return header_text(text[:cut].strip().strip('"')), text[cut + 1 : -1].strip()
    return "", text
