"""The export workbook: hostile text comes back intact and is never a formula; times are real
Excel datetimes; numbers stay numbers; the range of days is whole local days."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.documents.export import Sheet, export_xlsx
from bot.domain.export import day_range, parse_day

HOSTILE = [
    "=SUM(A1:A9)",
    "+86 138",
    "-2+3",
    "@admin",
    "<b>x</b> & *_[x](y)_* `c`",
    "\u202eRTL\u202c zero\u200bwidth 😀 emoji",
    "长" * 5000,
    "bell\x07control",
]


def test_hostile_text_is_kept_as_text_and_times_as_datetimes() -> None:
    at = datetime(2026, 11, 23, 14, 5, 9)
    rows = [[i, text, at, 1.5, None] for i, text in enumerate(HOSTILE)]
    data = export_xlsx([Sheet("工单", ["#", "text", "at", "n", "empty"], rows, times=[2],
                              wide=[1])])  # fmt: skip
    sheet = load_workbook(io.BytesIO(data))["工单"]
    assert [c.value for c in sheet[1]] == ["#", "text", "at", "n", "empty"]
    for r, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=r, column=2)
        assert cell.data_type == "s"
        expected = text.replace("\x07", "\ufffd")  # XML cannot hold control characters
        assert cell.value == expected
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@"))
        stamp = sheet.cell(row=r, column=3)
        assert stamp.is_date and stamp.value == at
        assert sheet.cell(row=r, column=4).value == 1.5
        assert sheet.cell(row=r, column=5).value is None


def test_a_range_is_whole_local_days_both_included() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    start, end = day_range(parse_day("2026-11-01"), parse_day("2026-11-30"), tz)
    assert start.astimezone(UTC) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    one = day_range(date(2026, 11, 5), date(2026, 11, 5), tz)
    assert one[1] - one[0] == timedelta(days=1)
    for bad in ("2026-11-1", "2026/11/01", "20261101", "2026-02-30", " ", "2026-11-01x"):
        with pytest.raises(ValueError):
            parse_day(bad)
    with pytest.raises(ValueError):
        day_range(date(2026, 11, 2), date(2026, 11, 1), tz)
