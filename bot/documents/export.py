"""The auditor's export as an XLSX workbook: sheets of cells in, bytes out.

Times arrive as naive local datetimes (the caller names the zone in the header) and are written
as real Excel datetimes, so that an auditor can sort, filter and subtract them; numbers stay
numbers. Text is always text, never a formula: a cell starting with `=`, `+`, `-` or `@` is what
someone typed, is stored as a string and carries Excel's quote prefix (see ledger.py). The
workbook is written in openpyxl's write-only mode: rows stream out, so tens of thousands of
tickets take seconds and little memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.documents.ledger import cell_text

Value = str | int | float | datetime | date | None
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
_FORMULA_START = ("=", "+", "-", "@")
_WIDTHS = {"narrow": 14, "time": 19, "wide": 48}


@dataclass(frozen=True)
class Sheet:
    """One sheet: a bold header row, then rows; `times` and `wide` are column indexes (0-based)
    of datetime columns and of long text that wraps."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Value]]
    times: Sequence[int] = ()
    wide: Sequence[int] = field(default_factory=tuple)


def export_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of these sheets, in their order."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write(book.create_sheet(cell_text(sheet.title)[:31] or "sheet"), sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    times, wide = set(sheet.times), set(sheet.wide)
    for col in range(len(sheet.headers)):
        kind = "wide" if col in wide else "time" if col in times else "narrow"
        ws.column_dimensions[get_column_letter(col + 1)].width = _WIDTHS[kind]
    ws.freeze_panes = "B2"
    bold = Font(bold=True)
    header = []
    for label in sheet.headers:
        cell = _text(ws, label)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.rows:
        out: list[object] = []
        for col, value in enumerate(row):
            if isinstance(value, str):
                if col in wide or value.startswith(_FORMULA_START):
                    cell = _text(ws, value)
                    if col in wide:
                        cell.alignment = wrap
                    out.append(cell)
                else:
                    out.append(cell_text(value))
            else:  # numbers, None, and times (openpyxl gives them a date-time format)

                out.append(value)
        ws.append(out)


def _text(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A string cell that stays a string (never a formula), quote-prefixed when it looks like
    one."""
    text = cell_text(value)
    cell = WriteOnlyCell(ws, None)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell
