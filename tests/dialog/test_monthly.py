"""The monthly summary (每月维护报告汇总), through the PTB Application.

A month of tickets is made through the services as people make it (report, accept, arrive,
resolve, confirm, pause, reopen, survey, complaint), with the fake clock moving and every
timer firing on time; the numbers are counted by hand below and checked in the summary, in
the workbook read back, and against the same numbers recomputed with plain SQL. Then who may
ask for it (/monthly in Chinese and English, refusals), and the automatic sending on the 1st.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from bot.clock import FakeClock
from bot.domain.monthly import month_period
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_sla import run
from tests.support.configs import Person, hotline_config, people, project_toml
from tests.support.monthly_sql import as_recomputed, recompute

TZ = ZoneInfo("Asia/Shanghai")
ENG1, ENG2, CM, PM, LEAD, PM2 = 1001, 1002, 1011, 1012, 1013, 1014
CUSTOMER, STRANGER = 5001, 5002
MONTH = "2026-11"

CONFIG = hotline_config(
    staff=[*people("eng1", "eng2", "cm", "pm", "lead"),
           Person("pm2", "Other Manager", PM2, "project_manager")],
    projects=[
        project_toml(on_duty=["eng1", "eng2"], escalation=["cm", "pm", "lead"],
                     extra=f'report_to = [{CUSTOMER}, {STRANGER}]\n'),
        project_toml("other", name="Other Project", invite="OTHER2026", on_duty=["eng2"],
                     escalation=["pm2"]),
    ],
)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
async def m(tmp_path: Path) -> Any:
    h = Harness(tmp_path, CONFIG, FakeClock(at(10, 31, 21).astimezone(UTC)))
    await h.start()
    yield h
    await h.stop()


async def until(h: Harness, when: datetime) -> None:
    await run(h, until=when.astimezone(UTC))


def documents(chat: Chat) -> list[tuple[str, bytes]]:
    return [m.file for m in chat.messages() if m.kind == "document" and m.file is not None]


def photos(h: Harness, chat_id: int) -> list[bytes]:
    """The PNGs sent to a chat (the recording request keeps each upload)."""
    out = []
    for api, params in h.request.calls:
        if api == "sendPhoto" and int(params["chat_id"]) == chat_id:
            upload = params["_files"]["photo"]
            out.append(upload[1] if isinstance(upload[1], bytes) else upload[1].read())
    return out


def sheet(book: Any, name: str) -> list[list[Any]]:
    return [list(r) for r in book[name].iter_rows(values_only=True)]


async def a_month(h: Harness) -> dict[int, Chat]:
    """November 2026 in Shanghai, made the way people make it (times are local)."""
    chats = {uid: await h.staff(uid) for uid in (ENG1, ENG2, CM, PM, LEAD, PM2)}
    eng1, eng2, cm, pm = chats[ENG1], chats[ENG2], chats[CM], chats[PM]
    cust = await h.customer(CUSTOMER)
    chats[CUSTOMER] = cust
    # #1 (B) is October's: reported 22:00 on the 31st, resolved and confirmed in November.
    await until(h, at(10, 31, 22))
    assert await h.report(cust, level="B") == 1
    await until(h, at(10, 31, 22, 5))
    await eng1.send("/take 1")
    # #2 (A) at 00:30 on the 1st: November locally, still October 31st in UTC.
    await until(h, at(11, 1, 0, 30))
    assert await h.report(cust, level="A") == 2
    await until(h, at(11, 1, 0, 35))
    await eng1.send("/take 2")  # respond 5m: met
    await until(h, at(11, 1, 1))
    await eng1.send("/arrive 2")  # arrive 30m: met
    await until(h, at(11, 1, 2))
    await eng1.send("/resolve 2 Replaced the switch")
    await eng1.press("硬件")  # repair 1h: met
    await until(h, at(11, 1, 2, 10))
    await cust.press("确认已恢复")
    await cust.press("⭐⭐⭐⭐⭐")
    await until(h, at(11, 1, 8))
    await eng1.send("/resolve 1 Power restored")
    await eng1.press("电源")
    await until(h, at(11, 1, 8, 10))
    await cust.press("确认已恢复")
    await cust.press("⭐⭐⭐⭐")
    # #3 (C): nobody takes it for 40 minutes; on site late; "not fixed" once.
    await until(h, at(11, 3, 10))
    assert await h.report(cust, level="C") == 3
    await until(h, at(11, 3, 10, 40))
    await eng2.send("/take 3")  # respond 40m of 15m: missed
    await until(h, at(11, 3, 13))
    await eng2.send("/arrive 3")  # arrive 3h of 2h: missed
    await until(h, at(11, 3, 14))
    await eng2.send("/resolve 3 Reinstalled the client")
    await eng2.press("软件")
    await until(h, at(11, 3, 14, 10))
    await cust.press("未修复")  # the repair clock starts again
    await cust.send("Screen 2 still blank")
    await until(h, at(11, 3, 14, 40))
    await eng2.send("/resolve 3 Replaced the graphics driver")
    await eng2.press("软件")  # repair 30m since the reopening: met
    await until(h, at(11, 3, 14, 50))
    await cust.press("确认已恢复")  # the survey is asked, never answered
    # A complaint answered and closed the same morning.
    await until(h, at(11, 5, 10))
    await cust.send("/complain")
    await cust.press("其他")
    await cust.send("工程师迟到 =cmd|' /C calc'!A0")
    await until(h, at(11, 5, 10, 10))
    await cm.press("受理")
    await until(h, at(11, 5, 10, 20))
    await cm.send("/answer C-1 已致歉")
    await until(h, at(11, 5, 10, 30))
    await cm.send("/close C-1 已调整派工")
    # #4 (B): force majeure agreed by both sides pauses the repair clock 10:00–14:00.
    await until(h, at(11, 10, 9))
    assert await h.report(cust, level="B") == 4
    await until(h, at(11, 10, 9, 10))
    await eng1.send("/take 4")  # respond 10m: met
    await until(h, at(11, 10, 9, 40))
    await eng1.send("/arrive 4")  # arrive 40m: met
    await until(h, at(11, 10, 10))
    await eng1.send("/pause 4 Flood on the road")
    await pm.press("批准")
    await cust.press("同意")
    await until(h, at(11, 10, 14))
    await eng1.send("/resume 4")
    await until(h, at(11, 10, 14, 30))
    await eng1.send("/resolve 4 Dried and restarted the cabinet")
    await eng1.press("电源")  # repair 4h50m - 4h paused = 50m: met
    # Never confirmed: closes without the customer's confirmation 3 days later.
    # #5 (A): taken, waiting for the transmission line; never on site (arrive missed).
    await until(h, at(11, 20, 9))
    assert await h.report(cust, level="A") == 5
    await until(h, at(11, 20, 9, 5))
    await eng1.send("/take 5")  # respond 5m: met
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:  # /blocked comes with another part of issue 11
        t5 = await uow.tickets.get(5)
        assert t5 is not None
        await uow.tickets.save(t5.block("transmission"))
    # A complaint nobody answers: its respond deadline (1h) is missed.
    await until(h, at(11, 25, 10))
    await cust.send("/complain")
    await cust.press("其他")
    await cust.send("没有人回复")
    # #6 (C) in the month's last half hour; taken after midnight (respond missed).
    await until(h, at(11, 30, 23, 30))
    assert await h.report(cust, level="C") == 6
    await until(h, at(12, 1, 0, 10))
    await eng2.send("/take 6")
    # #7 (B) at 00:30 on December 1st: still November 30th in UTC, but not November's.
    await until(h, at(12, 1, 0, 30))
    assert await h.report(cust, level="B") == 7
    return chats


# The numbers of November, counted by hand from a_month.
EXPECTED = {
    "reported_by_level": {"A": 2, "B": 1, "C": 2},  # #2 #5 / #4 / #3 #6
    "reported_by_channel": {"chat": 5},
    "resolved": 4,  # #1 (October's) #2 #3 #4
    "resolved_of_reported": 3,  # #2 #3 #4
    "unresolved_by_reason": {"transmission": 1, "": 1},  # #5, #6 (#7 is December's)
    "paused_tickets": 1,
    "paused_seconds": 4 * 3600.0,
    "reopened": 1,
    "reopens": 1,
    "closed": 4,  # #1 #2 #3, and #4 unconfirmed on the 13th
    "closed_unconfirmed": 1,
    "survey_count": 2,
    "survey_average": 4.5,
    "complaints_received": 2,
    "complaints_closed": 1,
    "complaints_overdue": 1,
}
MIN = 60.0
# (clock, level): count, met, missed, median, worst, paused
EXPECTED_CLOCKS = {
    ("respond", "A"): (2, 2, 0, 5 * MIN, 5 * MIN, 0.0),
    ("respond", "B"): (1, 1, 0, 10 * MIN, 10 * MIN, 0.0),
    ("respond", "C"): (2, 0, 2, 40 * MIN, 40 * MIN, 0.0),
    ("arrive", "A"): (2, 1, 1, 30 * MIN, 30 * MIN, 0.0),  # #5 never arrived
    ("arrive", "B"): (1, 1, 0, 40 * MIN, 40 * MIN, 0.0),
    ("arrive", "C"): (2, 0, 2, 180 * MIN, 180 * MIN, 0.0),  # #6 still on its way
    ("repair", "A"): (1, 1, 0, 60 * MIN, 60 * MIN, 0.0),
    ("repair", "B"): (1, 1, 0, 50 * MIN, 50 * MIN, 4 * 3600.0),
    ("repair", "C"): (1, 1, 0, 30 * MIN, 30 * MIN, 0.0),
}


async def test_a_month_made_through_the_services_sums_up_as_counted_by_hand(m: Harness) -> None:
    chats = await a_month(m)
    await until(m, at(12, 1, 8))
    pm = chats[PM]
    await pm.send("/monthly village 2026-11")

    # The numbers, as the domain defines them.
    assert m.hb is not None
    period = month_period("village", 2026, 11, TZ)
    async with unit_of_work(m.hb.db) as uow:
        s = await uow.monthly.summary(period, period.days(TZ), m.clock.now())
        expected_sql = await recompute(uow.conn, period, m.clock.now(), TZ)
    for name, value in EXPECTED.items():
        assert getattr(s, name) == pytest.approx(value), name
    got = {(r.clock, r.level): (r.count, r.met, r.missed, r.median_seconds, r.worst_seconds,
                                r.paused_seconds) for r in s.clocks}
    assert _rounded(got) == EXPECTED_CLOCKS
    assert s.reported == 5 and s.resolution_rate == pytest.approx(0.6)
    per_day = {d.day: c for d, c in s.per_day if c}
    assert per_day == {1: {"A": 1}, 3: {"C": 1}, 10: {"B": 1}, 20: {"A": 1}, 30: {"C": 1}}
    assert len(s.per_day) == 30
    # ...and the same numbers from plain SQL, written apart.
    assert _rounded(expected_sql) == _rounded(as_recomputed(s))

    # The headline message, then the chart, the workbook and the PDF.
    headline = pm.find("每月维护报告汇总 · County Police Village Query Service · 2026-11")
    assert "报修数量：5（A 2 · B 1 · C 2）" in headline.text
    assert "已维护完毕：4　故障解决率：60.0%" in headline.text
    assert "月末未解决：2（传输 1，未说明原因 1）" in headline.text
    assert "时限达标：响应 60.0% · 到场 40.0% · 修复 100.0%" in headline.text
    assert "满意度：4.50（2 份）" in headline.text
    assert "投诉：收到 2，办结 1，超时 1" in headline.text
    png = photos(m, PM)[-1]
    assert Image.open(io.BytesIO(png)).size == (1320, 1080)
    (book_name, book_data), (pdf_name, pdf_data) = documents(pm)[-2:]
    assert (book_name, pdf_name) == ("monthly-village-2026-11.xlsx", "monthly-village-2026-11.pdf")
    book = load_workbook(io.BytesIO(book_data))
    assert book.sheetnames == ["汇总", "工单", "时限", "未解决", "投诉", "满意度"]
    summary = dict((r[0], r[1]) for r in sheet(book, "汇总")[1:])
    assert summary["报修数量"] == "5"
    assert summary["故障解决率"] == "60.0%"
    assert summary["月末未解决数量（按原因）"] == "2"
    assert summary["其中未经客户确认关闭"] == "1"
    assert summary["满意度平均分（满分 5）"] == "4.50"
    assert summary["超时投诉"] == "1"
    tickets = sheet(book, "工单")
    assert [r[0] for r in tickets[1:]] == [2, 3, 4, 5, 6]
    assert tickets[1][1] == "2026-11-01 00:30"  # local time
    t3 = tickets[2]
    assert t3[2] == "C 一般故障" and t3[14] == 1 and t3[12] == "软件"
    assert t3[16] == "响应 超时; 到场 超时; 修复 达标"
    assert tickets[3][15] == "是"  # #4 closed without confirmation
    deadlines = sheet(book, "时限")
    assert deadlines[1][:7] == ["响应", "A 特大故障", 2, 2, 0, 0, "100.0%"]
    assert ["修复", "B 重大故障", 1, 1, 0, 0, "100.0%", "50分钟", "50分钟", "4小时"] in deadlines
    unresolved = sheet(book, "未解决")
    assert [(r[0], r[1]) for r in unresolved[1:]] == [("传输", 5), ("未说明原因", 6)]
    complaints = sheet(book, "投诉")
    assert complaints[1][0] == "C-1" and complaints[1][4] == "工程师迟到 =cmd|' /C calc'!A0"
    assert [r[9] for r in complaints[1:]] == ["否", "是"]
    assert sorted(r[2] for r in sheet(book, "满意度")[1:]) == [4, 5]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_data)).pages)
    assert "每月维护报告汇总 2026-11" in text and "故障解决率" in text and "60.0%" in text


def _rounded(value: Any) -> Any:
    """Floats to the millisecond (julianday arithmetic is not exact), in any nesting."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return type(value)(_rounded(v) for v in value)
    return value


# ---------------------------------------------------------------------------- who may ask
async def test_monthly_in_english_defaults_to_last_month(m: Harness) -> None:
    lead = await m.staff(LEAD, language="en")
    await until(m, at(11, 3, 10))
    cust = await m.customer(CUSTOMER)
    await m.report(cust, level="C")
    await until(m, at(12, 2, 9))
    pictures, files = len(photos(m, LEAD)), len(documents(lead))
    await lead.send("/monthly")  # one project: no need to name it
    head = lead.last()
    assert head.text.startswith(
        "Monthly summary · County Police Village Query Service · 2026-11\n")
    assert "Faults reported: 1 (A 0 · B 0 · C 1)" in head.text
    assert "Resolved: 0   resolution rate: 0.0%" in head.text
    assert "Unresolved at month end: 1 (no reason given 1)" in head.text
    assert "Complaints: 0 received, 0 closed, 0 overdue" in head.text
    assert len(photos(m, LEAD)) == pictures + 1
    assert len(documents(lead)) == files + 2
    (book_name, book_data), (pdf_name, _) = documents(lead)[-2:]
    assert (book_name, pdf_name) == ("monthly-village-2026-11.xlsx", "monthly-village-2026-11.pdf")
    book = load_workbook(io.BytesIO(book_data))
    assert book.sheetnames == ["Summary", "Tickets", "Deadlines", "Unresolved", "Complaints",
                               "Survey"]
    assert sheet(book, "Tickets")[1][:3] == [1, "2026-11-03 10:00", "C — ordinary"]
    assert sheet(book, "Unresolved")[1][:2] == ["no reason given", 1]
    # Another month by name; a month with nothing in it still sums up (zeros, "—").
    await lead.send("/monthly village 2026-09")
    head = lead.find("Monthly summary · County Police Village Query Service · 2026-09")
    assert "Faults reported: 0 (A 0 · B 0 · C 0)" in head.text
    assert "resolution rate: —" in head.text


async def test_who_may_not_ask_for_the_monthly_summary(m: Harness) -> None:
    cust = await m.customer(CUSTOMER)
    await cust.send("/monthly")
    assert cust.last().text == "每月汇总只发给项目经理、项目负责人和管理员。"
    cm, eng = await m.staff(CM, language="en"), await m.staff(ENG1)
    await cm.send("/monthly village")
    assert cm.last().text == (
        "The monthly summary is for project managers, project leads and admins."
    )
    await eng.send("/monthly village")
    assert eng.last().text == "每月汇总只发给项目经理、项目负责人和管理员。"
    # The other project's manager gets nothing of the village, by any spelling.
    pm2 = await m.staff(PM2)
    for ask in ("/monthly village", "/monthly village 2026-11", "/monthly VILLAGE"):
        await pm2.send(ask)
        assert pm2.last().text == (
            "请指定您负责的项目：/monthly 项目 [YYYY-MM]。您的项目：other"
        )
    await pm2.send("/monthly village other 2026-11")
    assert pm2.last().text.startswith("用法：/monthly [项目] [YYYY-MM]")
    await pm2.send("/monthly other 2026-13")
    assert pm2.last().text.startswith("用法：/monthly [项目] [YYYY-MM]")
    for chat in (cust, cm, eng, pm2):
        assert documents(chat) == [] and photos(m, chat.user_id) == []


# ---------------------------------------------------------------------------- on the 1st
async def test_the_summary_goes_out_on_the_first_at_nine_once_also_after_a_restart(
    m: Harness,
) -> None:
    chats = {uid: await m.staff(uid) for uid in (ENG1, CM, PM, PM2)}
    chats[LEAD] = await m.staff(LEAD, language="en")
    cust = await m.customer(CUSTOMER)
    stranger = await m.customer(STRANGER, invite="OTHER2026")  # listed, but not a village
    await until(m, at(11, 3, 10))
    await m.report(cust, level="B")
    before = {uid: len(documents(c)) for uid, c in chats.items()}
    await until(m, at(12, 1, 8, 59))
    assert all(len(documents(c)) == before[uid] for uid, c in chats.items())
    await until(m, at(12, 1, 9))
    # The project manager and lead, and the listed customer of the village: message, chart,
    # workbook and PDF each, in their language.
    head = chats[PM].find("每月维护报告汇总 · County Police Village Query Service · 2026-11")
    assert "（每月 1 日自动发送）" in head.text and "报修数量：1（A 0 · B 1 · C 0）" in head.text
    assert chats[LEAD].find("(sent on the 1st of each month)")
    assert cust.find("每月维护报告汇总 · County Police Village Query Service · 2026-11")
    for chat in (chats[PM], chats[LEAD], cust):
        names = [name for name, _ in documents(chat)]
        assert names[-2:] == ["monthly-village-2026-11.xlsx", "monthly-village-2026-11.pdf"]
        assert len(photos(m, chat.user_id)) >= 1
    pdf = documents(cust)[-1][1]
    assert "每月维护报告汇总 2026-11" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    # Nobody else: not the engineers, not the customer manager, not the other project's
    # manager, not a listed customer of another project.
    for chat in (chats[ENG1], chats[CM], chats[PM2], stranger):
        assert not [t for t in chat.texts() if "Village" in t and "2026-11" in t]
        assert not [name for name, _ in documents(chat) if "village" in name]
    for chat in (chats[ENG1], chats[CM], stranger):
        assert photos(m, chat.user_id) == []
    # The other project's manager gets the other project's (an empty month).
    assert chats[PM2].find("每月维护报告汇总 · Other Project · 2026-11")
    # Once: a restart on the same day sends nothing again; the next one is January 1st.
    sent = len(documents(chats[PM]))
    await m.restart()
    await until(m, at(12, 1, 12))
    assert len(documents(chats[PM])) == sent
    assert m.hb is not None
    async with unit_of_work(m.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT key, due_at FROM timers WHERE kind = 'monthly_report' AND state = 'pending'"
        ) as cur:
            pending = [tuple(r) for r in await cur.fetchall()]
    assert sorted(pending) == [
        ("monthly:other:2026-12", "2027-01-01T01:00:00.000000Z"),  # 09:00 local
        ("monthly:village:2026-12", "2027-01-01T01:00:00.000000Z"),  # 09:00 local
    ]


async def test_a_summary_that_failed_does_not_lose_the_next_month(m: Harness) -> None:
    """A failing monthly timer rolls back its own re-arming; the next morning's check arms the
    next month again (once), so one failure never silences the following months."""
    assert m.hb is not None

    async def broken(uow: Any, timer: Any) -> Any:
        raise RuntimeError("the chart broke")

    working = m.hb.waker.handlers["monthly_report"]
    m.hb.waker.handlers["monthly_report"] = broken
    await until(m, at(12, 1, 9, 30))
    m.hb.waker.handlers["monthly_report"] = working

    async def monthly_timers() -> list[tuple[str, str]]:
        assert m.hb is not None
        async with unit_of_work(m.hb.db) as uow:
            async with uow.conn.execute(
                "SELECT key, state FROM timers WHERE kind = 'monthly_report' ORDER BY key"
            ) as cur:
                return [tuple(r) for r in await cur.fetchall()]

    assert ("monthly:village:2026-11", "failed") in await monthly_timers()
    assert ("monthly:village:2026-12", "pending") not in await monthly_timers()
    await until(m, at(12, 2, 8, 30))  # the daily check runs at 08:00
    timers = await monthly_timers()
    assert ("monthly:village:2026-11", "failed") in timers  # not retried: it stays evidence
    assert ("monthly:village:2026-12", "pending") in timers
