from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import textwrap
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from cme_batch.report.excel import DECISION_COLUMNS, HEADER_ROW, SHEETS, write_workbook
from cme_batch.report.model import ReportModel
from cme_batch.report.safe import EXCEL_CELL_LIMIT, utf16_len
from tests.report.factory import HOSTILE


def headers(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[HEADER_ROW] if c.value is not None]


def column(ws: Worksheet, header: str) -> list[object]:
    idx = headers(ws).index(header) + 1
    return [ws.cell(row=r, column=idx) for r in range(HEADER_ROW + 1, ws.max_row + 1)]


@pytest.fixture()
def workbook(model: ReportModel, out_dir: Path) -> openpyxl.Workbook:
    path = write_workbook(model, out_dir / "compliance.xlsx")
    return openpyxl.load_workbook(path)


def test_sheets_have_note_header_freeze_and_filter(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == list(SHEETS)
    for ws in workbook.worksheets:
        assert isinstance(ws["A1"].value, str) and len(ws["A1"].value) > 20, ws.title
        # The physician sheets keep the name in view when scrolling right to "Missing".
        first = "B" if ws.title in ("Summary", "Requirements") else "A"
        assert ws.freeze_panes == f"{first}{HEADER_ROW + 1}", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:"), ws.title
        assert ws.column_dimensions["A"].width > 8, ws.title


def test_summary_rows_types_and_order(model: ReportModel, workbook: openpyxl.Workbook) -> None:
    ws = workbook["Summary"]
    hdr = headers(ws)
    assert hdr[:7] == [
        "Physician",
        "ID",
        "License type",
        "Rule set",
        "Renewal date",
        "Days left",
        "Status",
    ]
    assert "Total credits earned" in hdr and "Total credits required" in hdr
    assert hdr[-1] == "Missing"
    assert ws.max_row - HEADER_ROW == len(model.physicians)
    ids = [c.value for c in column(ws, "ID")]
    assert sorted(ids) == sorted(model.physicians["physician_id"])
    for cell in column(ws, "Renewal date"):
        assert isinstance(cell.value, dt.datetime) and cell.is_date
    for cell in column(ws, "Days left"):
        assert isinstance(cell.value, int)
    order = ["lapsed", "urgent", "deficient", "needs_review", "compliant", "not_applicable"]
    statuses = [c.value for c in column(ws, "Status")]
    assert [order.index(s) for s in statuses] == sorted(order.index(s) for s in statuses)
    assert all(c.fill.fgColor.rgb not in (None, "00000000") for c in column(ws, "Status"))
    # Earned credits are numbers and match the compliance table.
    first = model.compliance[
        (model.compliance["physician_id"] == ids[0]) & (model.compliance["requirement"] == "total")
    ].iloc[0]
    earned = ws.cell(row=HEADER_ROW + 1, column=hdr.index("Total credits earned") + 1).value
    if first["status"] != "not_applicable":
        assert isinstance(earned, int | float) and earned == pytest.approx(float(first["earned"]))


def test_requirements_matrix_has_conditional_formatting(
    model: ReportModel, workbook: openpyxl.Workbook
) -> None:
    ws = workbook["Requirements"]
    assert "Risk management" in headers(ws)
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    formulas = {f for r in rules for f in r.formula}
    assert {'"met"', '"short"', '"needs_review"', '"not_applicable"'} <= formulas
    pid = model.physicians["physician_id"].iloc[0]
    row = next(c.row for c in column(ws, "ID") if c.value == pid)
    expected = model.compliance[
        (model.compliance["physician_id"] == pid)
        & (model.compliance["requirement"] == "risk_management")
    ]["status"].iloc[0]
    assert ws.cell(row=row, column=headers(ws).index("Risk management") + 1).value == expected


def test_activities_sheet_links_types_and_corrections(
    model: ReportModel, workbook: openpyxl.Workbook, out_dir: Path
) -> None:
    ws = workbook["Activities"]
    assert ws.max_row - HEADER_ROW == len(model.activities)
    links = [c.hyperlink.target for c in column(ws, "Source file") if c.hyperlink]
    assert links, "certificate rows link to their file"
    for target in links:
        assert target.startswith("../inbox/") and "://" not in target
        resolved = (out_dir / unquote(target)).resolve()
        assert resolved.is_relative_to((out_dir.parent / "inbox").resolve())
    ledger = [c for c in column(ws, "Record ID") if str(c.value).startswith("ledger:")]
    for cell in ledger:
        assert ws.cell(row=cell.row, column=headers(ws).index("Source file") + 1).hyperlink is None
    dates = [c for c in column(ws, "Date") if c.value is not None]
    assert dates and all(c.is_date for c in dates)
    credits = [c.value for c in column(ws, "Credits") if c.value is not None]
    assert credits and all(isinstance(v, int | float) for v in credits)
    pages = [c.value for c in column(ws, "Page") if c.value is not None]
    assert pages and all(isinstance(v, int) for v in pages)
    corrected = {c.value for c in column(ws, "Corrected by a person")}
    assert corrected == {"yes", "no"}
    n_corrected = int((model.activities["corrected_fields"] != "").sum())
    assert sum(1 for c in column(ws, "Corrected by a person") if c.value == "yes") == n_corrected


def test_needs_review_doubles_as_corrections_form(model: ReportModel, out_dir: Path) -> None:
    path = write_workbook(model, out_dir / "compliance.xlsx")
    # Read back the way the corrections reader will: by sheet name and column name.
    form = pd.read_excel(path, sheet_name="Needs review", header=HEADER_ROW - 1, dtype=object)
    assert list(form.columns[:1]) == ["record_id"]
    assert list(form.columns[-len(DECISION_COLUMNS) :]) == list(DECISION_COLUMNS)
    expected = set(model.activities.loc[model.activities["needs_review"], "record_id"])
    assert expected and set(form["record_id"]) == expected
    assert form[list(DECISION_COLUMNS)].isna().all().all()
    ws = openpyxl.load_workbook(path)["Needs review"]
    validations = ws.data_validations.dataValidation
    assert any(v.formula1 == '"confirm,fix,not_cme"' for v in validations)
    decision_col = headers(ws).index("decision") + 1
    letter = openpyxl.utils.get_column_letter(decision_col)
    assert any(f"{letter}{HEADER_ROW + 1}" in str(v.sqref) for v in validations)
    assert all(c.hyperlink for c in column(ws, "source_file"))


def test_documents_and_run_sheets(model: ReportModel, workbook: openpyxl.Workbook) -> None:
    ws = workbook["Documents"]
    assert ws.max_row - HEADER_ROW == len(model.documents)
    statuses = [c.value for c in column(ws, "Status")]
    assert statuses[0] != "ok"  # failures first
    assert {"failed", "unsupported", "no_certificate"} <= set(statuses)
    run = workbook["Run"]
    items = {
        run.cell(row=r, column=1).value: run.cell(row=r, column=2).value
        for r in range(HEADER_ROW + 1, run.max_row + 1)
    }
    assert items["As of"] == dt.datetime(2025, 6, 1)
    assert items["Rule set ma-2018"] == "2024-04-11"
    assert items["Inbox"] == "inbox" and items["Roster"] == "roster.xlsx"
    assert items["Count: physicians"] == len(model.physicians)
    assert items["Run time (s)"] == pytest.approx(271.0)
    assert items["Version: cme-batch"] == "0.1.0"


def all_cells(wb: openpyxl.Workbook) -> list[object]:
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def test_hostile_text_never_becomes_a_formula(hostile_model: ReportModel, out_dir: Path) -> None:
    path = write_workbook(hostile_model, out_dir / "hostile.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = all_cells(wb)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells if isinstance(c.value, str)]
    for key in ("formula", "plus", "minus", "at"):
        assert HOSTILE[key] in values, key
    formula_cells = [c for c in cells if c.value == HOSTILE["formula"]]
    assert formula_cells and all(c.quotePrefix for c in formula_cells)
    assert "\t=1+1" in values and "\n=1+1" in values  # CR is stored as a newline
    assert all(utf16_len(v) <= EXCEL_CELL_LIMIT for v in values)
    assert any(v.startswith("A" * 1000) and v.endswith("\u2026") for v in values)
    joined = "".join(values)
    assert "\x00" not in joined and "\x1b" not in joined and "\u202e" not in joined
    assert "Invoicegpj.exe" in joined
    # The raw XML holds no formula element at all.
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_hostile_links_stay_relative(hostile_model: ReportModel, out_dir: Path) -> None:
    wb = openpyxl.load_workbook(write_workbook(hostile_model, out_dir / "h.xlsx"))
    targets = [c.hyperlink.target for c in all_cells(wb) if c.hyperlink]
    assert targets
    for target in targets:
        assert "://" not in target and not target.lower().startswith("javascript:")
        assert "<" not in target and '"' not in target


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_workbook(hostile_model: ReportModel, out_dir: Path) -> None:
    src = write_workbook(hostile_model, out_dir / "lo.xlsx")
    conv = out_dir / "converted"
    profile = out_dir / "lo-profile"
    result = subprocess.run(
        [
            str(_soffice()),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(conv),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    converted = openpyxl.load_workbook(conv / "lo.xlsx")
    assert converted.sheetnames == list(SHEETS)
    summary = converted["Summary"]
    assert summary.cell(row=HEADER_ROW, column=1).value == "Physician"
    assert summary.max_row - HEADER_ROW == len(hostile_model.physicians)
    assert not [c.coordinate for c in all_cells(converted) if c.data_type == "f"]


def test_print_setup_headers_sorting_and_credit_format(
    model: ReportModel, workbook: openpyxl.Workbook
) -> None:
    for ws in workbook.worksheets:
        # Landscape, one page wide, as many down as needed, header row on every page.
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", ws.title
        # The header row is tall enough for every wrapped header, no word is wider than its
        # column: "Total credits earned" is never clipped to "Total credits".
        height = ws.row_dimensions[HEADER_ROW].height
        for cell in ws[HEADER_ROW]:
            if not cell.value:
                continue
            width = ws.column_dimensions[cell.column_letter].width
            words = str(cell.value).split()
            assert max(len(w) for w in words) + 1 <= width, (ws.title, cell.value)
            lines = len(textwrap.wrap(str(cell.value), int(width) - 1))
            assert lines * 15 <= height, (ws.title, cell.value, height)
    assert workbook["Summary"].print_title_cols == "$A:$A"
    ws = workbook["Activities"]
    hdr = headers(ws)
    rows = [
        (r[hdr.index("Physician ID")].value, r[hdr.index("Date")].value)
        for r in ws.iter_rows(min_row=HEADER_ROW + 1)
    ]
    matched = [(pid, day) for pid, day in rows if pid]
    assert matched == sorted(matched, key=lambda x: (x[0], x[1] is None, x[1] or dt.datetime.max))
    assert [pid for pid, _ in rows] == [pid for pid, _ in matched] + [
        pid for pid, _ in rows if not pid
    ]
    # Credits: General shows 3 and 1.5 as they are; "0.##" showed "3." in Excel.
    credits = [c for c in column(ws, "Credits") if c.value is not None]
    assert credits and all(c.number_format == "General" for c in credits)
