"""The monthly summary's parts: the month's bounds and dates (domain), every number against
plain SQL over a random history (storage), the chart (PNG) and the workbook (XLSX)."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from PIL import Image

from bot.documents.monthly_book import Sheet, workbook_xlsx
from bot.documents.monthly_chart import ChartData, chart_png
from bot.domain.monthly import median, month_period, next_sending, parse_month, percent, rate
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from tests.support.monthly_data import fill
from tests.support.monthly_sql import as_recomputed, recompute

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
HOSTILE = (
    "=HYPERLINK(\"http://x.invalid\",\"y\") <b>bold</b> *_[x](y)_* `code` "
    "\u202eRTL\u202c zero\u200bwidth 😀 \x07bell " + "长" * 5000
)


# ---------------------------------------------------------------------------- the domain
def test_a_month_is_its_local_midnights() -> None:
    p = month_period("village", 2026, 11, SHANGHAI)
    assert (p.start, p.end) == (datetime(2026, 10, 31, 16, tzinfo=UTC),
                                datetime(2026, 11, 30, 16, tzinfo=UTC))
    assert p.month == "2026-11" and len(p.days(SHANGHAI)) == 30
    december = month_period("village", 2026, 12, SHANGHAI)
    assert december.end == datetime(2026, 12, 31, 16, tzinfo=UTC)
    # A month with a daylight-saving change: 31 days, one of them 25 hours long.
    october = month_period("x", 2026, 10, BERLIN)
    days = october.days(BERLIN)
    assert len(days) == 31 and days[-1][0] == date(2026, 10, 31)
    assert sorted({(b - a).total_seconds() / 3600 for _, a, b in days}) == [24.0, 25.0]


def test_the_next_sending_is_the_first_at_its_time_and_sums_up_the_month_before() -> None:
    nine = time(9, 0)
    at = datetime(2026, 11, 30, 20, tzinfo=UTC)  # Dec 1st 04:00 in Shanghai
    assert next_sending(at, SHANGHAI, nine) == (datetime(2026, 12, 1, 1, tzinfo=UTC), (2026, 11))
    at = datetime(2026, 12, 1, 1, tzinfo=UTC)  # exactly then: the next one is January's
    assert next_sending(at, SHANGHAI, nine) == (datetime(2027, 1, 1, 1, tzinfo=UTC), (2026, 12))
    at = datetime(2026, 12, 15, tzinfo=UTC)
    assert next_sending(at, SHANGHAI, time(23, 30))[1] == (2026, 12)


def test_months_rates_medians() -> None:
    assert parse_month("2026-11") == (2026, 11)
    assert parse_month("2026-13") is None and parse_month("11-2026") is None
    assert rate(3, 5) == 0.6 and rate(1, 0) is None
    assert (percent(0.6), percent(None), percent(1 / 3)) == ("60.0%", "—", "33.3%")
    assert median([]) is None and median([5.0]) == 5.0 and median([1.0, 2.0, 4.0, 9.0]) == 3.0


# ---------------------------------------------------------------------------- the numbers
async def test_every_number_matches_plain_sql_over_a_random_history(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    db = Database(path)
    await db.open()
    await db.close()
    conn = sqlite3.connect(path)
    nxt = 1
    for project, seed in (("village", 1), ("other", 2)):
        for month in (10, 11, 12):
            p = month_period(project, 2026, month, SHANGHAI)
            nxt = fill(conn, project, p.start, p.end, 1500, seed=seed * 100 + month,
                       first_id=nxt)
    conn.commit()
    conn.close()
    await db.open()
    try:
        period = month_period("village", 2026, 11, SHANGHAI)
        now = datetime(2027, 1, 5, tzinfo=UTC)
        async with unit_of_work(db) as uow:
            s = await uow.monthly.summary(period, period.days(SHANGHAI), now)
            d = await uow.monthly.details(period)
            plain = await recompute(uow.conn, period, now, SHANGHAI)
    finally:
        await db.close()
    got = as_recomputed(s)
    assert _close(got, plain)
    # The history is varied enough for each number to mean something.
    assert s.reported == 1500 and min(s.reported_by_level.values()) > 100
    assert 0 < s.resolution_rate < 1 and s.unresolved > 100  # older months' too
    assert len(s.unresolved_by_reason) >= 5 and s.paused_tickets > 10 and s.reopened > 10
    assert all(r.met and r.missed for r in s.clocks) and s.complaints_overdue > 0
    assert len(d.tickets) == 1500 and len(d.unresolved) == s.unresolved
    assert len(d.surveys) == s.survey_count and len(d.complaints) == s.complaints_received


def _close(a: object, b: object) -> bool:
    """Equal, floats to within 10 ms (julianday arithmetic against Python's datetimes)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and abs(a - b) < 0.01
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


# ---------------------------------------------------------------------------- the files
def _chart(**changes: object) -> bytes:
    data = {
        "title": "每月维护报告汇总 · 县公安 · 2026-11",
        "days": [str(i) for i in range(1, 31)],
        "per_level": {"A": [i % 2 for i in range(30)], "B": [2] * 30, "C": [i % 5 for i in
                                                                            range(30)]},
        "level_names": {"A": "A 特大故障", "B": "B 重大故障", "C": "C 一般故障"},
        "reasons": [("电源", 4), ("传输", 2), ("未说明原因", 1)],
        "clocks": [("响应", 50, 3, 1), ("到场", 40, 10, 2), ("修复", 30, 5, 20)],
        "panel_titles": ("每日报修", "月末未解决", "时限达标"),
        "legend": ("达标", "超时", "进行中"),
        "nothing": "无",
    }
    data.update(changes)
    return chart_png(ChartData(**data))  # type: ignore[arg-type]


def test_the_chart_is_a_large_coloured_png_with_a_cjk_font() -> None:
    from matplotlib import font_manager

    png = Image.open(io.BytesIO(_chart()))
    assert png.format == "PNG" and png.size == (1320, 1080)
    rgb = png.convert("RGB")
    colours = rgb.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # bars, text, legend: not blank
    # The level colours are there (A red, B orange, C blue) in the first panel.
    present = {c for _, c in colours}
    assert {(0xC6, 0x28, 0x28), (0xEF, 0x6C, 0x00), (0x15, 0x65, 0xC0)} <= present
    assert "NotoSansCJK" in font_manager.findfont("Noto Sans CJK SC")


def test_an_empty_month_still_draws() -> None:
    png = Image.open(io.BytesIO(_chart(per_level={"A": [0] * 30, "B": [0] * 30,
                                                  "C": [0] * 30}, reasons=[], clocks=[])))
    assert png.size == (1320, 1080)


def test_the_workbook_keeps_hostile_text_as_text_in_long_and_short_sheets() -> None:
    rows = [[1, HOSTILE, "+1", "-x", "@SUM(A1)", 3.5, None, " padded "]] * 3
    data = workbook_xlsx([
        Sheet("Summary", ["item", "value"], [["=1+1", HOSTILE]], (20, 20)),
        Sheet("Tickets", ["n", "text", "plus", "minus", "at", "x", "none", "pad"], rows,
              bulk=True),
    ])
    book = load_workbook(io.BytesIO(data))
    expected = HOSTILE.replace("\x07", "\ufffd")
    summary = book["Summary"]
    assert [c.value for c in summary[2]] == ["=1+1", expected]
    assert summary["A2"].data_type == "s" and summary["A2"].quotePrefix
    tickets = book["Tickets"]
    assert tickets.max_row == 4
    assert [c.value for c in tickets[1]][:2] == ["n", "text"] and tickets["A1"].font.b
    for r in (2, 3, 4):
        values = [c.value for c in tickets[r]]
        assert values == [1, expected, "+1", "-x", "@SUM(A1)", 3.5, None, " padded "]
        assert all(tickets.cell(r, col).quotePrefix for col in (3, 4, 5))
        assert tickets.cell(r, 2).data_type == "s" and not tickets.cell(r, 6).quotePrefix
