"""The complaint ledger (投诉处理台账) as an XLSX workbook: rows of text in, bytes out.

Every cell is written as text, never as a formula: a complaint that starts with `=`, `+`, `-`
or `@` is what the customer wrote, and a spreadsheet must not run it. The cell is also marked
with Excel's quote prefix, so that editing it later keeps it text. Characters XML cannot hold
(control characters) become U+FFFD; everything else (HTML, RTL, zero-width, emoji) is kept.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font

MAX_CELL = 32_767  # Excel's limit of characters in one cell
_FORMULA_START = ("=", "+", "-", "@")
_WIDTHS = {"narrow": 12, "wide": 48}


def cell_text(value: str) -> str:
    """What a cell can hold of `value`: XML-safe and within Excel's limit."""
    safe = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return safe if len(safe) <= MAX_CELL else safe[: MAX_CELL - 1] + "…"


def ledger_xlsx(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], wide: Sequence[int] = ()
) -> bytes:
    """One sheet: `headers` in bold, then one row per complaint; columns `wide` wrap."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = cell_text(title)[:31] or "ledger"
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col)
        _put_text(cell, header)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = _WIDTHS["wide" if col - 1 in wide else "narrow"]
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col)
            _put_text(cell, value)
            if col - 1 in wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put_text(cell: Cell, value: str) -> None:
    text = cell_text(value)
    cell.value = text
    # openpyxl takes a string starting with "=" for a formula: say it is a string.
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
