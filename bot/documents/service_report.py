"""The service report as a PDF: a page already in the reader's words in, PDF bytes out.

WeasyPrint typesets an HTML page with Pango, so Chinese, right-to-left text and emoji are laid
out by the same engine as the desktop, and the fonts used are embedded (subset) in the file:
Noto Sans CJK (fonts-noto-cjk) for Chinese, so the PDF reads the same on any machine.
Every value is escaped here: what a user typed is text, never markup.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

# Noto Sans CJK SC: Chinese glyphs in their mainland forms, Latin from the same family; emoji
# and scripts it lacks fall back through fontconfig. Naming the colour-emoji font here would
# make Pango draw digits, '#' and '*' with it too: each a bitmap, 10x the time and size.
FONTS = "'Noto Sans CJK SC', sans-serif"

STYLE = f"""
@page {{ size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 8pt;
                          font-family: {FONTS}; }} }}
body {{ font-family: {FONTS}; font-size: 9.5pt; line-height: 1.45; color: #111; }}
h1 {{ font-size: 16pt; margin: 0 0 2mm 0; }}
h2 {{ font-size: 11pt; margin: 5mm 0 1.5mm 0; border-bottom: 0.6pt solid #444; }}
.sub {{ color: #444; margin-bottom: 3mm; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
td, th {{ border: 0.4pt solid #999; padding: 1mm 1.5mm; vertical-align: top; text-align: start;
         white-space: pre-wrap; overflow-wrap: anywhere; }}
th {{ background: #eee; font-weight: bold; }}
td.label {{ width: 28%; background: #f6f6f6; }}
.sign {{ border: 1pt solid #111; padding: 3mm; margin-top: 4mm; white-space: pre-wrap;
         overflow-wrap: anywhere; }}
.foot {{ margin-top: 4mm; font-size: 7.5pt; color: #555; overflow-wrap: anywhere; }}
.star {{ color: #222; }}
.star.off {{ color: #c4c4c4; }}
"""


@dataclass(frozen=True)
class Rating:
    """A score of 1–5 stars as printed: five of the same glyph (★), the given ones dark and
    the rest light, so that one font draws them all at one size (☆ is a thinner outline, or
    a fallback font's glyph, and looks smaller), then its words, e.g. " (4 / 5 stars)"."""

    stars: int
    words: str


@dataclass(frozen=True)
class Fields:
    """A titled block of label: value rows."""

    title: str
    rows: Sequence[tuple[str, str | Rating]]


@dataclass(frozen=True)
class Table:
    """A titled table: a header row and rows of cells."""

    title: str
    header: list[str]
    rows: list[list[str]]
    empty: str = "—"


@dataclass(frozen=True)
class ReportPage:
    """Everything printed, already in the reader's language; plain text throughout."""

    lang: str  # the HTML language tag ("zh-CN", "en")
    title: str
    subtitle: str
    blocks: list[Fields | Table] = field(default_factory=list)
    sign_off: str = ""
    footer: str = ""


def _value(value: str | Rating) -> str:
    if isinstance(value, str):
        return escape(value)
    on, off = "★" * value.stars, "★" * (5 - value.stars)
    return (f'<span class="star">{on}</span><span class="star off">{off}</span>'
            f"{escape(value.words)}")  # fmt: skip


def _fields(block: Fields) -> str:
    rows = "".join(
        f'<tr><td class="label">{escape(label)}</td><td>{_value(value)}</td></tr>'
        for label, value in block.rows
    )
    return f"<h2>{escape(block.title)}</h2><table>{rows}</table>"


def _table(block: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
    if block.rows:
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows
        )
    else:
        body = f'<tr><td colspan="{len(block.header)}">{escape(block.empty)}</td></tr>'
    return f"<h2>{escape(block.title)}</h2><table><tr>{head}</tr>{body}</table>"


def html_of(page: ReportPage) -> str:
    """The page as HTML (WeasyPrint's input; also handy to look at in a browser)."""
    blocks = "".join(_fields(b) if isinstance(b, Fields) else _table(b) for b in page.blocks)
    sign = f'<div class="sign">{escape(page.sign_off)}</div>' if page.sign_off else ""
    return (
        f'<!DOCTYPE html><html lang="{escape(page.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(page.title)}</title><style>{STYLE}</style></head><body>"
        f'<h1>{escape(page.title)}</h1><div class="sub">{escape(page.subtitle)}</div>'
        f'{blocks}{sign}<div class="foot">{escape(page.footer)}</div></body></html>'
    )


def pdf(page: ReportPage) -> bytes:
    """The PDF of the page (fonts embedded)."""
    return pdf_of_html(html_of(page))


def pdf_of_html(html: str) -> bytes:
    """The PDF of a page laid out by `html_of` (the slow part: typesetting)."""
    # Imported here: WeasyPrint loads Pango and fonts, which only this document needs.
    import weasyprint

    data = weasyprint.HTML(string=html).write_pdf()
    assert data is not None
    # WeasyPrint's layout holds the fonts' tables in reference cycles: collected now, a
    # report costs ~100 MiB once; left to the collector's own pace, each one adds ~25 MiB.
    gc.collect()
    return bytes(data)
