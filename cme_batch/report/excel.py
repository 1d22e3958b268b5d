"""The Excel compliance workbook (openpyxl).

Every sheet has a one-line note on row 1, its header on row :data:`HEADER_ROW`, data below,
a frozen header, an autofilter and typed cells (dates are dates, credits are numbers). Untrusted
text is always stored as a string cell, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import logging
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cme_batch.report.model import ReportModel
from cme_batch.report.safe import EXCEL_LINK_LIMIT, excel_text, file_href, looks_like_formula
from cme_batch.report.views import (
    ActivityView,
    DocumentView,
    PhysicianView,
    ReportView,
    build_view,
    requirement_label,
)

logger = logging.getLogger(__name__)

#: The row holding each sheet's column headers (row 1 holds the sheet's note).
HEADER_ROW: Final[int] = 2
#: Sheet names, in workbook order.
SHEETS: Final[tuple[str, ...]] = (
    "Summary",
    "Requirements",
    "Activities",
    "Needs review",
    "Documents",
    "Run",
)
#: Values the office may put in the Needs review sheet's ``decision`` column.
DECISIONS: Final[tuple[str, ...]] = ("confirm", "fix", "not_cme")
#: The Needs review sheet's columns that a person fills in (read back as corrections).
DECISION_COLUMNS: Final[tuple[str, ...]] = (
    "decision",
    "physician_id",
    "activity_date",
    "credits",
    "note",
)

DATE_FORMAT: Final[str] = "yyyy-mm-dd"
DATETIME_FORMAT: Final[str] = "yyyy-mm-dd hh:mm:ss"
#: Credits: Excel's General shows 3, 1.5 and 12.25 as they are ("0.##" showed "3.").
CREDIT_FORMAT: Final[str] = "General"

#: Fill colour per status (physician and requirement statuses, document outcomes).
STATUS_FILLS: Final[dict[str, str]] = {
    "met": "C6EFCE",
    "compliant": "C6EFCE",
    "ok": "C6EFCE",
    "short": "FFC7CE",
    "deficient": "FFC7CE",
    "urgent": "FF8080",
    "lapsed": "D9A0A0",
    "failed": "FFC7CE",
    "needs_review": "FFEB9C",
    "no_certificate": "FFEB9C",
    "unsupported": "FFEB9C",
    "not_applicable": "E7E6E6",
    "duplicate": "E7E6E6",
    "skipped": "E7E6E6",
}

Kind = Literal["text", "date", "datetime", "number", "int", "float", "status", "link", "wrap"]
Value = str | int | float | Decimal | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Column:
    """One sheet column: its header, width in characters and cell kind."""

    header: str
    width: int
    kind: Kind = "text"


@dataclass(frozen=True)
class Linked:
    """A cell value shown as text that links to ``href``."""

    label: str
    href: str


_HEADER_FONT = Font(bold=True)
_NOTE_FONT = Font(italic=True, color="555555")
_LINK_FONT = Font(color="0563C1", underline="single")
_DECISION_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
_HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")


_FILLS: Final[dict[str, PatternFill]] = {
    status: PatternFill("solid", start_color=color, end_color=color)
    for status, color in STATUS_FILLS.items()
}
_WRAP = Alignment(wrap_text=True, vertical="top")


def _fill(status: str) -> PatternFill | None:
    return _FILLS.get(status)


def put(cell: Cell, value: Value | Linked, kind: Kind = "text") -> None:
    """Write one value into a cell with its type, format and text safety.

    Strings are cleaned, cut at Excel's cell limit and stored with ``data_type='s'`` so that no
    string is ever a formula; one that a spreadsheet would read as a formula when edited also
    gets the quote-prefix style.

    Args:
        cell: The target cell.
        value: The value; ``None`` leaves the cell empty.
        kind: How to format it.
    """
    if isinstance(value, Linked):
        put(cell, value.label, "text")
        if value.href and len(value.href) <= EXCEL_LINK_LIMIT:
            cell.hyperlink = value.href
            cell.font = _LINK_FONT
        return
    if value is None:
        return
    if isinstance(value, str):
        safe = excel_text(value)
        cell.value = safe
        cell.data_type = "s"
        if looks_like_formula(safe):
            cell.quotePrefix = True
        if kind == "status":
            fill = _fill(safe)
            if fill is not None:
                cell.fill = fill
        elif kind == "wrap":
            cell.alignment = _WRAP
        return
    if isinstance(value, Decimal):
        cell.value = float(value) if not value == value.to_integral_value() else int(value)
        cell.number_format = CREDIT_FORMAT
        return
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif kind == "float":
        cell.number_format = "0.00"


#: Points per line of wrapped header text (11 pt Calibri), and the padding of a header row.
_LINE_HEIGHT: Final[float] = 15.0


def _header_lines(header: str, width: int) -> int:
    """Lines a wrapped header takes in a column ``width`` characters wide (words never split)."""
    return len(textwrap.wrap(header, max(width - 1, 1), break_long_words=False)) or 1


def _fit_header(col: Column) -> int:
    """The column's width, widened so that no word of its header is cut."""
    longest = max((len(w) for w in col.header.split()), default=0)
    return max(col.width, longest + 2)


def _print_setup(ws: Worksheet, freeze_columns: int) -> None:
    """Landscape, every column on one page wide, header row (and frozen columns) repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if freeze_columns:
        ws.print_title_cols = f"A:{get_column_letter(freeze_columns)}"
    ws.print_options.gridLines = True


def _table(
    ws: Worksheet,
    note: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Value | Linked]],
    freeze_columns: int = 0,
) -> int:
    """Fill a sheet: note, header, rows, widths, frozen panes, autofilter and print setup.

    Args:
        ws: The sheet.
        note: The one-line note of row 1.
        columns: The columns.
        rows: The data rows.
        freeze_columns: Leading columns kept in view when scrolling right (the names).

    Returns:
        The number of the last row written.
    """
    put(ws.cell(row=1, column=1), note)
    ws.cell(row=1, column=1).font = _NOTE_FONT
    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=idx)
        put(cell, col.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(idx)].width = _fit_header(col)
    last = HEADER_ROW
    for last, row in enumerate(rows, start=HEADER_ROW + 1):  # noqa: B007 - last row is used
        for idx, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
            put(ws.cell(row=last, column=idx), value, col.kind)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=freeze_columns + 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(last, HEADER_ROW)}"
    # Tall enough for the longest wrapped header: a clipped one read "Total credits" twice.
    lines = max((_header_lines(c.header, _fit_header(c)) for c in columns), default=1)
    ws.row_dimensions[HEADER_ROW].height = max(2, lines) * _LINE_HEIGHT + 3
    _print_setup(ws, freeze_columns)
    return last


def _link(base: str, activity: ActivityView) -> Linked | str:
    if activity.is_ledger or not activity.source_file:
        return activity.source_file
    return Linked(activity.source_file, file_href(base, activity.source_file))


def _summary(ws: Worksheet, view: ReportView) -> None:
    reqs = view.requirement_ids
    columns = [
        Column("Physician", 28),
        Column("ID", 10),
        Column("License type", 14),
        Column("Rule set", 10),
        Column("Renewal date", 12, "date"),
        Column("Days left", 8, "int"),
        Column("Status", 14, "status"),
    ]
    for req in reqs:
        label = requirement_label(req)
        columns += [Column(f"{label} earned", 11, "number"), Column(f"{label} required", 11)]
    columns.append(Column("Missing", 70, "wrap"))

    def row(p: PhysicianView) -> list[Value | Linked]:
        out: list[Value | Linked] = [
            p.name,
            p.physician_id,
            p.license_type,
            p.rule_set,
            p.renewal_date,
            p.days_to_renewal,
            p.status,
        ]
        for req in reqs:
            r = p.requirement(req)
            if r is None or r.status == "not_applicable":
                out += [None, None]
            else:
                out += [r.earned, r.required]
        out.append(p.missing)
        return out

    _table(
        ws,
        "One row per roster physician, most urgent first: overall status, earned and required "
        "credits per requirement (blank where it does not apply) and what is missing.",
        columns,
        (row(p) for p in view.physicians),
        freeze_columns=1,
    )


def _requirements(ws: Worksheet, view: ReportView) -> None:
    reqs = view.requirement_ids
    columns = [Column("Physician", 28), Column("ID", 10), Column("Overall status", 14, "status")]
    columns += [Column(requirement_label(r), 13) for r in reqs]

    def row(p: PhysicianView) -> list[Value | Linked]:
        cells: list[Value | Linked] = [p.name, p.physician_id, p.status]
        for req in reqs:
            r = p.requirement(req)
            cells.append(r.status if r is not None else None)
        return cells

    last = _table(
        ws,
        "Physician x requirement: met, short, needs_review or not_applicable (colours are "
        "conditional formatting, so they follow edits and filters).",
        columns,
        (row(p) for p in view.physicians),
        freeze_columns=1,
    )
    if reqs and last > HEADER_ROW:
        first_col = get_column_letter(4)
        last_col = get_column_letter(3 + len(reqs))
        area = f"{first_col}{HEADER_ROW + 1}:{last_col}{last}"
        for status in ("met", "short", "needs_review", "not_applicable"):
            ws.conditional_formatting.add(
                area,
                CellIsRule(operator="equal", formula=[f'"{status}"'], fill=_fill(status)),
            )


def _activities(ws: Worksheet, view: ReportView, base: str) -> None:
    columns = [
        Column("Record ID", 30),
        Column("Physician ID", 10),
        Column("Name on certificate", 24),
        Column("Title", 40),
        Column("Provider", 24),
        Column("Date", 12, "date"),
        Column("Credits", 8, "number"),
        Column("Category", 9),
        Column("Credit type", 18),
        Column("Topics", 22),
        Column("Counted toward", 26),
        Column("Excluded because", 26),
        Column("Needs review", 8),
        Column("Review reason", 26),
        Column("Corrected by a person", 10),
        Column("Corrected fields", 18),
        Column("Source file", 36, "link"),
        Column("Page", 6, "int"),
        Column("Confidence", 10, "float"),
    ]

    def row(a: ActivityView) -> list[Value | Linked]:
        return [
            a.record_id,
            a.physician_id,
            a.physician_name,
            a.title,
            a.provider,
            a.activity_date,
            a.credits,
            a.category,
            a.credit_type,
            "; ".join(a.topics),
            "; ".join(a.counted_toward),
            a.why_excluded,
            "yes" if a.needs_review else "no",
            a.review_reason,
            "yes" if a.corrected_fields else "no",
            "; ".join(a.corrected_fields),
            _link(base, a),
            a.page,
            a.confidence,
        ]

    _table(
        ws,
        "Every credit row (certificates and ledgers), by physician then date. Source file links "
        "are relative to this workbook, so keep the output and inbox folders side by side when "
        "moving them.",
        columns,
        (row(a) for a in sorted(view.activities, key=_by_physician_then_date)),
    )


def _by_physician_then_date(a: ActivityView) -> tuple[bool, str, bool, dt.date, str]:
    """Physician id (unmatched rows last, by printed name), then date (undated last)."""
    return (
        not a.physician_id,
        a.physician_id or a.physician_name.casefold(),
        a.activity_date is None,
        a.activity_date or dt.date.max,
        a.record_id,
    )


def _needs_review(ws: Worksheet, view: ReportView, base: str) -> None:
    found = [
        Column("record_id", 30),
        Column("source_file", 36, "link"),
        Column("page", 6, "int"),
        Column("why", 30, "wrap"),
        Column("name_on_certificate", 24),
        Column("found_physician_id", 10),
        Column("found_title", 36),
        Column("found_provider", 22),
        Column("found_date", 12, "date"),
        Column("found_credits", 8, "number"),
        Column("confidence", 10, "float"),
    ]
    decisions = [
        Column("decision", 11),
        Column("physician_id", 12),
        Column("activity_date", 12),
        Column("credits", 9),
        Column("note", 36),
    ]
    last = _table(
        ws,
        "What a person must check. Doubles as the corrections form: fill decision (confirm / "
        "fix / not_cme) and, for fix, the corrected physician_id, activity_date and credits; "
        "keep record_id unchanged.",
        found + decisions,
        (
            [
                a.record_id,
                _link(base, a),
                a.page,
                a.review_reason,
                a.physician_name,
                a.physician_id,
                a.title,
                a.provider,
                a.activity_date,
                a.credits,
                a.confidence,
                None,
                None,
                None,
                None,
                None,
            ]
            for a in view.review
        ),
    )
    first_decision = len(found) + 1
    for offset in range(len(decisions)):
        ws.cell(row=HEADER_ROW, column=first_decision + offset).fill = _DECISION_FILL
    letter = get_column_letter(first_decision)
    rows_end = max(last, HEADER_ROW + 1)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(DECISIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="decision",
        error="Choose confirm, fix or not_cme.",
    )
    validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{rows_end}")
    ws.add_data_validation(validation)
    for r in range(HEADER_ROW + 1, last + 1):
        ws.cell(row=r, column=first_decision + 2).number_format = DATE_FORMAT
        ws.cell(row=r, column=first_decision + 3).number_format = CREDIT_FORMAT


def _documents(ws: Worksheet, view: ReportView) -> None:
    def link(d: DocumentView) -> Linked | str:
        return Linked(d.source_file, d.href) if d.href else d.source_file

    _table(
        ws,
        "Every inbox file and its outcome; files that gave no activity come first.",
        [
            Column("Source file", 40, "link"),
            Column("Kind", 10),
            Column("Pages", 7, "int"),
            Column("Status", 14, "status"),
            Column("Reason", 40, "wrap"),
            Column("SHA-256", 20),
        ],
        ([link(d), d.kind, d.pages, d.status, d.reason, d.sha256] for d in view.documents),
    )


def _run(ws: Worksheet, model: ReportModel) -> None:
    run = model.run
    rows: list[tuple[str, Value]] = [("As of", run.as_of)]
    rows += [(f"Rule set {r.name}", r.version) for r in run.rule_sets]
    rows += [("Inbox", run.inbox), ("Roster", run.roster)]
    rows += [("Ledger", ledger) for ledger in run.ledgers]
    rows += [("Started", run.started_at), ("Finished", run.finished_at)]
    if run.started_at is not None and run.finished_at is not None:
        rows.append(("Run time (s)", (run.finished_at - run.started_at).total_seconds()))
    rows.append(("Exit status", run.exit_status))
    rows += [(f"Count: {k}", v) for k, v in run.counts.items()]
    rows += [(f"Version: {k}", v) for k, v in run.versions.items()]
    _table(
        ws,
        "How this workbook was made: the as-of date, rule sets, inputs, counts and versions.",
        [Column("Item", 24), Column("Value", 50)],
        ([k, v] for k, v in rows),
    )


def write_workbook(model: ReportModel, path: Path | str) -> Path:
    """Write the compliance workbook.

    Args:
        model: The report model.
        path: Where to write the ``.xlsx`` (its folder must exist; links are relative to it).

    Returns:
        The path written.
    """
    target = Path(path)
    view = build_view(model)
    base = model.inbox_href_base
    wb = Workbook()
    builders: list[Callable[[Worksheet], None]] = [
        lambda ws: _summary(ws, view),
        lambda ws: _requirements(ws, view),
        lambda ws: _activities(ws, view, base),
        lambda ws: _needs_review(ws, view, base),
        lambda ws: _documents(ws, view),
        lambda ws: _run(ws, model),
    ]
    first = wb.active
    if first is not None:
        wb.remove(first)
    for name, build in zip(SHEETS, builders, strict=True):
        build(wb.create_sheet(title=name))
    wb.properties.title = "CME compliance"
    wb.properties.creator = "cme-batch"
    wb.save(target)
    # Debug only: ``target`` is usually the temporary name the caller renames into place.
    logger.debug("wrote workbook %s", target)
    return target
