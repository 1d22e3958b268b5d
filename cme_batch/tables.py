"""Read the office's CSV or XLSX tables (roster, ledgers, corrections) as text, cell by cell.

The tables come from Excel more often than from anything else, so they are read as Excel
writes them (see docs/inputs.md):

- Encoding: a byte-order mark decides (UTF-8, UTF-16, as "CSV UTF-8" and "Unicode text" write);
  otherwise valid UTF-8 is UTF-8; otherwise ``charset-normalizer`` chooses between Windows-1252
  (what Excel on Windows writes as "CSV") and Mac Roman (older Excel for Mac), preferring
  Windows-1252 when both read alike. Other code pages are not guessed at: short tables of
  names give no library enough text to tell them apart reliably.
- Delimiter: the one of comma, semicolon (Excel with European settings) or tab that the header
  line holds most; header names never contain any of them, so the header decides.
- Dates: ISO ``YYYY-MM-DD``, or ``M/D/YYYY`` as US Excel writes them when the date can only
  be read one way; a date such as ``5/6/2027`` (May 6 or 5 June) is refused with both readings.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import logging
import re
from pathlib import Path
from typing import Final

import pandas as pd

from cme_batch.errors import InputTableError
from cme_batch.inbox import sniff

log = logging.getLogger(__name__)

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}

#: Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark).
_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Code pages a CSV saved by Excel without "UTF-8" is in, most likely first.
EXCEL_CODE_PAGES: Final[tuple[str, ...]] = ("cp1252", "mac_roman")

_DELIMITERS: Final[tuple[str, ...]] = (",", ";", "\t")
_DELIMITER_NAMES: Final[dict[str, str]] = {",": "comma", ";": "semicolon", "\t": "tab"}

#: What a CSV reader is told about a type that is not a table at all.
_NOT_A_TABLE: Final[dict[str, str]] = {
    "pdf": "a PDF",
    "png": "an image",
    "jpeg": "an image",
    "tiff": "an image",
    "gif": "an image",
    "docx": "a Word document",
    "doc": "an old-format Excel (.xls) or Word file",
    "zip": "a ZIP archive",
    "xlsx": "an Excel workbook with another extension",
}

_SLASH_DATE = re.compile(
    r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
)

#: The problem text of a value that is no date in any accepted form.
NOT_A_DATE: Final[str] = "is not a date (YYYY-MM-DD, or M/D/YYYY as US Excel writes it)"


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or XLSX file with every cell as a stripped string ("" when blank).

    Column names are lower-cased and stripped so " Last Name" and "last_name" both work.

    Raises:
        InputTableError: The file is missing, empty or not a CSV/XLSX table.
    """
    problem = not_a_table(path)
    if problem:
        raise InputTableError(str(path), [problem])
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            text, encoding = decode_table(path.read_bytes(), str(path))
            delimiter = pick_delimiter(text)
            log.info(
                "%s: read as %s, %s-separated",
                path.name, encoding, _DELIMITER_NAMES[delimiter],
            )  # fmt: skip
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                sep=delimiter,
                skipinitialspace=True,
            )
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputTableError(str(path), [f"cannot be read as a table: {exc}"]) from exc
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    return frame.apply(lambda col: col.astype(str).str.strip())  # type: ignore[no-any-return]


def decode_table(data: bytes, where: str) -> tuple[str, str]:
    """Decode a CSV's bytes as Excel may have written them; returns the text and the encoding.

    Raises:
        InputTableError: The bytes are another kind of file (a PDF, an image, a Word file) or
            binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding.removesuffix("-sig")
    kind = sniff(data[:8192], where)
    if kind in _NOT_A_TABLE:
        raise InputTableError(
            where,
            [f"this is {_NOT_A_TABLE[kind]}, not a table: give a CSV or XLSX file"],
        )
    if b"\x00" in data:
        raise InputTableError(where, ["binary data, not a table: give a CSV or XLSX file"])
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # The first candidate wins a tie: most offices' Excel runs on Windows.
    best = from_bytes(data, cp_isolation=list(EXCEL_CODE_PAGES)).best()
    if best is None:
        raise InputTableError(
            where,
            [
                "the text is neither UTF-8 nor an encoding Excel writes (Windows-1252, Mac "
                "Roman): save it from Excel as 'CSV UTF-8'"
            ],
        )
    return str(best), best.encoding


def pick_delimiter(text: str) -> str:
    """The delimiter of a CSV: the one of comma, semicolon or tab its header line holds most."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    # Quoted parts are left out: a quoted header name may hold any character.
    unquoted = "".join(header.split('"')[0::2])
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


#: Leading bytes of files an office may pick by mistake instead of its CSV or XLSX export.
_NOT_TABLES = (
    (b"%PDF", "a PDF"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls or .doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def not_a_table(path: Path) -> str:
    """Why ``path`` cannot be a CSV or XLSX table ("" when it may be one), said plainly."""
    if path.is_dir():
        return "is a folder, not a file: give the CSV or XLSX file itself"
    if not path.exists():
        return "file not found"
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return f"cannot be opened ({exc.strerror})"
    for magic, what in _NOT_TABLES:
        if head.startswith(magic):
            return f"is {what}, not a table: export the sheet as CSV (UTF-8) or save it as .xlsx"
    if head.startswith(b"PK") and path.suffix.lower() not in (".xlsx", ".xlsm"):
        return "is a ZIP or Office file, not a CSV: name it .xlsx if it is an Excel workbook"
    return ""


def parse_bool(value: str) -> bool | None:
    """Parse yes/no/true/false/1/0/y/n (any case); ``None`` when it is none of them."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def parse_iso_date(value: str) -> dt.date | None:
    """Parse an ISO date (a datetime's date part is accepted, as Excel writes them)."""
    text = value.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def read_date(value: str) -> tuple[dt.date | None, str]:
    """Read a date cell: ISO, or a US ``M/D/YYYY`` date that can only be read one way.

    Returns:
        ``(date, "")``; ``(None, "")`` for a blank cell; or ``(None, problem)`` where the
        problem reads after the value ("'5/6/2027' is ambiguous: ...").
    """
    text = value.strip()
    if not text:
        return None, ""
    iso = parse_iso_date(text)
    if iso is not None:
        return iso, ""
    match = _SLASH_DATE.fullmatch(text)
    if match is None:
        return None, NOT_A_DATE
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    month_first = _date(year, first, second)
    day_first = _date(year, second, first)
    if month_first is not None and (day_first is None or day_first == month_first):
        return month_first, ""
    if month_first is None and day_first is not None:
        # 14/5/2027: only day/month makes a date, so no reading is assumed.
        return day_first, ""
    if month_first is None or day_first is None:
        return None, NOT_A_DATE
    return None, (
        f"is ambiguous: read as month/day (US Excel, assumed for dates that can only be read "
        f"one way) it is {month_first.isoformat()}, as day/month {day_first.isoformat()}; "
        "write it as YYYY-MM-DD"
    )


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
