"""A 200-physician group: both reports are written; time and size are printed (run with -s)."""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import pytest

from cme_batch.report.excel import HEADER_ROW, write_workbook
from cme_batch.report.html import write_html, write_physician_packet
from tests.report.factory import make_model

pytestmark = pytest.mark.slow


def test_two_hundred_physicians(out_dir: Path) -> None:
    model = make_model(200, seed=2024)
    assert len(model.physicians) == 200

    start = time.perf_counter()
    xlsx = write_workbook(model, out_dir / "compliance.xlsx")
    xlsx_s = time.perf_counter() - start

    start = time.perf_counter()
    html = write_html(model, out_dir / "report.html")
    html_s = time.perf_counter() - start

    pid = str(model.physicians["physician_id"].iloc[0])
    start = time.perf_counter()
    packet = write_physician_packet(model, pid, out_dir / "packet.html")
    packet_s = time.perf_counter() - start

    print(
        f"\n200 physicians, {len(model.activities)} activities, {len(model.documents)} files:"
        f"\n  workbook {xlsx_s:.2f} s, {xlsx.stat().st_size / 1024:.0f} KiB"
        f"\n  HTML     {html_s:.2f} s, {html.stat().st_size / 1024:.0f} KiB"
        f"\n  packet   {packet_s:.2f} s, {packet.stat().st_size / 1024:.0f} KiB"
    )
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb["Summary"].max_row - HEADER_ROW == 200
    assert wb["Activities"].max_row - HEADER_ROW == len(model.activities)
    text = html.read_text(encoding="utf-8")
    assert text.count('class="packet"') == 200
    # Generous bounds: a regression to quadratic work would blow through them.
    assert xlsx_s < 60 and html_s < 30 and packet_s < 10
    assert html.stat().st_size < 20 * 1024 * 1024
