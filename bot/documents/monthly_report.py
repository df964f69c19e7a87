"""The monthly summary as a printable PDF: the numbers' tables and the chart, for customers.

The same typesetting as the service report (bot/documents/service_report.py: WeasyPrint, Noto
Sans CJK embedded, every value escaped); the chart PNG is embedded as a data URI.
"""

from __future__ import annotations

import base64
import gc
from dataclasses import dataclass, field
from html import escape

from bot.documents.service_report import STYLE, Fields, Table, _fields, _table

_CHART_STYLE = "img.chart { width: 100%; margin: 3mm 0; }"


@dataclass(frozen=True)
class SummaryPage:
    """Everything printed, already in the reader's language; plain text throughout."""

    lang: str  # the HTML language tag ("zh-CN", "en")
    title: str
    subtitle: str
    chart_png: bytes
    blocks: list[Fields | Table] = field(default_factory=list)
    footer: str = ""


def html_of(page: SummaryPage) -> str:
    chart = base64.b64encode(page.chart_png).decode("ascii")
    blocks = "".join(_fields(b) if isinstance(b, Fields) else _table(b) for b in page.blocks)
    return (
        f'<!DOCTYPE html><html lang="{escape(page.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(page.title)}</title><style>{STYLE}{_CHART_STYLE}</style></head><body>"
        f'<h1>{escape(page.title)}</h1><div class="sub">{escape(page.subtitle)}</div>'
        f'<img class="chart" src="data:image/png;base64,{chart}" alt="">'
        f'{blocks}<div class="foot">{escape(page.footer)}</div></body></html>'
    )


def pdf(page: SummaryPage) -> bytes:
    """The PDF of the page (fonts embedded)."""
    import weasyprint

    data = weasyprint.HTML(string=html_of(page)).write_pdf()
    assert data is not None
    gc.collect()  # see service_report.pdf: WeasyPrint's font tables sit in reference cycles
    return bytes(data)
