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
    if not path.is_file():
        raise InputTableError(str(path), ["file not found"])
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
