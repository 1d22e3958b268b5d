"""Write the output CSVs atomically, in the documented column order and formats."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import pandas as pd

from cme_batch.errors import OutputError

# Spreadsheet programs run a cell that starts with one of these as a formula; a leading
# apostrophe (OWASP's advice for CSV injection) makes it text when the CSV is opened there.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Encoding of the CSVs written for Excel: UTF-8 with a byte-order mark.
EXCEL_CSV_ENCODING = "utf-8-sig"


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` only on success.

    A crash or kill mid-write leaves the previous file in place, never a half-written one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); outputs get the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write a text file atomically (UTF-8 unless told otherwise)."""
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding=encoding)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from exc


def format_cell(value: object, text_column: bool = True) -> str:
    """Format one value for a CSV cell: ISO dates, plain decimals, lower-case booleans."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f")
            if value == value.to_integral_value()
            else format(value, "f")
        )
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    # A lone CR is not quoted by Python's csv writer when lines end in LF, and every reader
    # then splits the row there; line breaks inside cells are stored as LF, as in Excel.
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if text_column and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(
    path: Path,
    frame: pd.DataFrame,
    columns: Sequence[str],
    text_columns: Sequence[str] = (),
    *,
    for_excel: bool = False,
) -> None:
    """Write ``frame[columns]`` as CSV atomically; ``text_columns`` get formula protection.

    ``for_excel``: a file people open and save in Excel (the corrections form, a packet's
    activities) is written with a UTF-8 byte-order mark; without it, Excel reads the file in the
    machine's code page and shows "HÃ©lÃ¨ne" for "Hélène", and saves it back that way. The
    report CSVs are for scripts and stay plain UTF-8 (see README, "Outputs").
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    protect = set(text_columns)
    for row in frame.reindex(columns=list(columns)).itertuples(index=False, name=None):
        writer.writerow([format_cell(v, c in protect) for c, v in zip(columns, row, strict=True)])
    write_text_atomic(
        path, buffer.getvalue(), encoding=EXCEL_CSV_ENCODING if for_excel else "utf-8"
    )
