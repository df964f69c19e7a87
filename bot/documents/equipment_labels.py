"""The equipment labels as a printable A4 PDF: eight labels a page (2 x 4, 97 x 68.5 mm each, cut
along the thin frame), each with the supplier, the device, the project's hotline and customer
manager, and the QR code of the device's deep link with the link printed under it.

The QR code is drawn by segno as SVG and embedded as an image: vectors, sharp at any printer's
resolution. Typeset by WeasyPrint with Noto Sans CJK embedded, as the service report.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.documents.service_report import FONTS, pdf_of_html

# Tables, not flex boxes: WeasyPrint lays a sheet of flex items out in time that grows with
# the square of their number (100 labels: over two minutes); a table per page is linear.
_CSS = f"""
@page {{ size: A4; margin: 10mm 8mm; }}
body {{ font-family: {FONTS}; font-size: 8.5pt; line-height: 1.3; color: #000; margin: 0; }}
table.sheet {{ border-collapse: collapse; table-layout: fixed; width: 194mm;
               break-after: page; }}
table.sheet:last-child {{ break-after: auto; }}
td.label {{ width: 97mm; height: 68.5mm; padding: 0; border: 0.3pt dashed #999;
            vertical-align: top; overflow: hidden; }}
table.face {{ border-collapse: collapse; table-layout: fixed; width: 97mm; }}
td.text {{ vertical-align: top; padding: 3mm 2mm 0 3.5mm; overflow-wrap: anywhere;
           height: 60mm; overflow: hidden; }}
td.qr {{ width: 36mm; vertical-align: top; text-align: center; padding: 3mm 3mm 0 0; }}
td.link {{ font-size: 6.5pt; white-space: nowrap; text-align: center; padding: 0 2mm 1.5mm 2mm;
           overflow: hidden; }}
.supplier {{ font-weight: bold; font-size: 9.5pt; border-bottom: 0.6pt solid #000;
             margin-bottom: 1.5mm; padding-bottom: 0.8mm; }}
.device {{ font-weight: bold; font-size: 10.5pt; margin-bottom: 1mm; }}
.row {{ margin: 0.4mm 0; }}
.k {{ color: #333; }}
.hotline {{ font-weight: bold; font-size: 11pt; margin-top: 1.5mm; }}
.qr img {{ width: 33mm; height: 33mm; }}
.scan {{ font-size: 7.5pt; font-weight: bold; margin-top: 0.5mm; }}
"""

PER_ROW, ROWS_PER_PAGE = 2, 4


@dataclass(frozen=True)
class LabelFace:
    """What one label shows: the lines as (caption, value), already in the reader's words."""

    title: str  # the device's name
    rows: Sequence[tuple[str, str]]  # code, model, serial, site, project, customer manager
    link: str  # the deep link the QR code opens


@dataclass(frozen=True)
class LabelPage:
    supplier: str
    hotline: str  # "热线 400-..." as printed, "" for none
    scan: str  # the words under the QR code ("scan to report a fault")
    labels: Sequence[LabelFace]
    title: str = "labels"


def qr_svg(link: str) -> bytes:
    """The QR code of `link` as SVG (error correction M: a label that gets a scratch still
    scans; a quiet zone of 2 modules inside the label's white space)."""
    import segno  # imported here: only the labels need it

    code = segno.make(link, error="m", micro=False)
    return code.svg_inline(scale=4, border=2, omitsize=False).encode("utf-8")


def _label(page: LabelPage, face: LabelFace) -> str:
    rows = "".join(
        f'<div class="row"><span class="k">{escape(k)}</span> {escape(v)}</div>'
        for k, v in face.rows
        if v
    )
    svg = base64.b64encode(qr_svg(face.link)).decode("ascii")
    supplier = f'<div class="supplier">{escape(page.supplier)}</div>' if page.supplier else ""
    hotline = f'<div class="hotline">{escape(page.hotline)}</div>' if page.hotline else ""
    # The link on one line of its own under both columns: read (and typed) as one piece.
    return (
        '<td class="label"><table class="face"><tr><td class="text">'
        f'{supplier}<div class="device">{escape(face.title)}</div>{rows}{hotline}</td>'
        f'<td class="qr"><img src="data:image/svg+xml;base64,{svg}" alt="QR">'
        f'<div class="scan">{escape(page.scan)}</div></td></tr>'
        f'<tr><td class="link" colspan="2">{escape(face.link)}</td></tr></table></td>'
    )


def html_of(page: LabelPage) -> str:
    cells = [_label(page, face) for face in page.labels]
    rows = [
        "<tr>" + "".join(cells[i : i + PER_ROW]) + "</tr>"
        for i in range(0, len(cells), PER_ROW)
    ]
    sheets = "".join(
        '<table class="sheet">' + "".join(rows[i : i + ROWS_PER_PAGE]) + "</table>"
        for i in range(0, len(rows), ROWS_PER_PAGE)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(page.title)}</title>'
        f"<style>{_CSS}</style></head><body>{sheets}</body></html>"
    )


def labels_pdf(page: LabelPage) -> bytes:
    return pdf_of_html(html_of(page))
