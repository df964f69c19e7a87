"""The equipment register as a spreadsheet: a sent file (XLSX or CSV) read into a `Table`, and
the register (or its empty template) written as XLSX. Bytes in, bytes out.

Reading: the first sheet of an XLSX (openpyxl, read-only: a large file is streamed), or a CSV
in UTF-8 (with or without BOM) or GB18030 (what Excel saves in a Chinese Windows), separated
by commas, semicolons or tabs. A formula cell is reported as such, never evaluated. Writing:
every text cell as text (ledger.py's rule: a value starting with = + - @ is not a formula).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from bot.documents.ledger import _put_text
from bot.domain.equipment import MAX_ROWS, FileError, Table

# Rows read at most (blank ones included): enough to count a file far over the limit and say
# how far, without reading a million rows of a wrong file.
_READ_AT_MOST = 4 * MAX_ROWS
_WIDTH = 18


def read_table(data: bytes, file_name: str) -> Table | FileError:
    """The sent file as a table; FileError("not_spreadsheet") for anything else."""
    name = file_name.lower()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")) and b"\x00" not in data[:4096]:
        return _read_csv(data)
    return FileError("not_spreadsheet", file_name[-60:])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a serial number typed as a number
    return str(value)


def _read_xlsx(data: bytes) -> Table | FileError:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        return FileError("not_spreadsheet", type(e).__name__)
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return FileError("empty")
        rows: list[tuple[str, ...]] = []
        formulas: set[tuple[int, int]] = set()
        for r, row in enumerate(sheet.iter_rows()):
            if r > _READ_AT_MOST:
                break
            cells: list[str] = []
            for c, cell in enumerate(row):
                if getattr(cell, "data_type", "") == "f":
                    formulas.add((r - 1, c))
                cells.append(_cell_text(getattr(cell, "value", None)))
            rows.append(tuple(cells))
    finally:
        book.close()
    if not rows:
        return FileError("empty")
    return Table(rows[0], tuple(rows[1:]), frozenset(formulas))


def _read_csv(data: bytes) -> Table | FileError:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return FileError("not_spreadsheet", "encoding")
    lines = content.splitlines()
    if not lines:
        return FileError("empty")
    first = lines[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    rows: list[tuple[str, ...]] = []
    try:
        for r, row in enumerate(reader):
            if r > _READ_AT_MOST:
                break
            rows.append(tuple(row))
    except csv.Error as e:
        return FileError("not_spreadsheet", str(e)[:60])
    if not rows:
        return FileError("empty")
    formulas = frozenset(
        (r, c)
        for r, row in enumerate(rows[1:])
        for c, cell in enumerate(row)
        if cell.lstrip().startswith("=")
    )
    return Table(rows[0], tuple(rows[1:]), formulas)


def register_xlsx(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str | float | None]],
    help_rows: Sequence[Sequence[str]] = (),
) -> bytes:
    """The register (or, without rows, its template): `header` in bold on the first sheet,
    one row per device; `help_rows` on a second sheet (what each column means). Numbers
    (coordinates) stay numbers; every text is text."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31] or "devices"
    for col, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=col)
        _put_text(cell, name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = _WIDTH
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col)
            if isinstance(value, float):
                cell.value = value
            elif value:
                _put_text(cell, value)
    sheet.freeze_panes = "A2"
    if help_rows:
        notes = book.create_sheet("help")
        for r, row in enumerate(help_rows, start=1):
            for col, value in enumerate(row, start=1):
                _put_text(notes.cell(row=r, column=col), value)
        for letter, width in zip("ABCD", (16, 12, 60, 10), strict=False):
            notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
