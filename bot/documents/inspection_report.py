"""The inspection report (巡检报告) as a PDF: a page in the reader's words in, PDF bytes out.

The same typesetting as the service report (WeasyPrint, Noto Sans CJK embedded, every value
escaped): the task's facts, the contract's checklist (hardware, software, risk analysis: each
OK or a problem, with its note), the findings and the recording engineer's block with the
result's SHA-256. The labels come from the catalog (bot/telegram/render/tasks.py).
"""

from __future__ import annotations

from bot.documents.service_report import Fields, ReportPage, Table, html_of
from bot.documents.service_report import pdf as _pdf

__all__ = ["Fields", "ReportPage", "Table", "html_of", "pdf"]


def pdf(page: ReportPage) -> bytes:
    """The PDF of a recorded inspection: fonts embedded."""
    return _pdf(page)
