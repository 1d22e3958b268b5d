"""Read the office's CSV or XLSX tables (roster, ledgers, corrections) as text, cell by cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from cme_batch.errors import InputTableError

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}


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
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True
            )
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputTableError(str(path), [f"cannot be read as a table: {exc}"]) from exc
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    return frame.apply(lambda col: col.astype(str).str.strip())  # type: ignore[no-any-return]


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
