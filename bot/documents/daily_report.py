"""The daily maintenance report (每日设备维护报告) as a PDF: a page in the reader's words in,
PDF bytes out.

The same typesetting as the service report (WeasyPrint, Noto Sans CJK embedded, every value
escaped): a summary block, the tickets table, the non-ticket work table and the engineer's
signature block. The labels come from the catalog (bot/telegram/render/daily.py).
"""

from __future__ import annotations

from bot.documents.service_report import Fields, ReportPage, Table, html_of
from bot.documents.service_report import pdf as _pdf

__all__ = ["Fields", "ReportPage", "Table", "html_of", "pdf"]


def pdf(page: ReportPage) -> bytes:
    """The PDF of a signed daily report (or an addendum): fonts embedded."""
    return _pdf(page)
