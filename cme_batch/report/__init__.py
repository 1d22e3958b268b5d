"""Report model and writers: Excel workbook, HTML report and per-physician audit packets."""

from cme_batch.report.excel import write_workbook
from cme_batch.report.html import write_html, write_physician_packet
from cme_batch.report.model import ReportModel, RuleSetRef, RunInfo

__all__ = [
    "ReportModel",
    "RuleSetRef",
    "RunInfo",
    "write_html",
    "write_physician_packet",
    "write_workbook",
]
