"""Who is on duty, through the real Application: paging tiers, unreachable staff, gaps,
heightened periods, /oncall, /cover, /swap, /schedule with .ics, shift reminders, hand-offs,
the start-up gap report and the team group.

The clock starts on Monday 2026-11-23 14:00 in Shanghai. The primary layer runs 12-hour
shifts from 2026-11-02 08:00 (eng1, eng2, eng3, eng1, ...): shift 42 (today 08:00–20:00) is
eng1's, tonight eng2's, tomorrow's day shift eng3's, tomorrow night eng1's again. The
secondary layer rotates weekly (eng3, eng4): this week (11-23 08:00 → 11-30 08:00) is eng4's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.services.notices import Notice
from bot.storage.db import from_ts
from bot.storage.uow import unit_of_work
from bot.telegram.handlers import TelegramId
from tests.dialog.harness import Chat, Harness
from tests.support.configs import STAFF, VILLAGE, hotline_config, project_toml

TZ = ZoneInfo("Asia/Shanghai")
ENG1, ENG2, ENG3, ENG4, CM, PM, LEAD = (p.telegram_id for p in STAFF)
CUSTOMER = 5001
GROUP, TOPIC = -100123, 7
EVERYONE = [p.telegram_id for p in STAFF]
PROJECT = VILLAGE

TEAM = """
[[teams]]
key = "county"
name = "County team"

[[teams.layers]]
name = "primary"
members = ["eng1", "eng2", "eng3"]
rotation = "shifts"
shifts = ["08:00-20:00", "20:00-08:00"]
start = 2026-11-02

[[teams.layers]]
name = "secondary"
members = ["eng3", "eng4"]
rotation = "weekly"
handoff = "08:00"
start = 2026-11-02
"""

DAY_ONLY_TEAM = """
[[teams]]
key = "county"

[[teams.layers]]
name = "primary"
members = ["eng1", "eng2"]
rotation = "shifts"
shifts = ["08:00-20:00"]
start = 2026-11-02
"""


def config(*, team: str = TEAM, project_extra: str = "", extra: str = "") -> str:
    village = project_toml(team="county", escalation=["cm", "pm", "lead"], extra=project_extra)
    return hotline_config(staff=STAFF, projects=[village], extra=team + extra)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


async def make(tmp: Path, cfg: str, now: datetime | None = None) -> Harness:
    h = Harness(tmp, config=cfg, clock=FakeClock((now or local(23, 14)).astimezone(UTC)))
    await h.start()
    return h


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await make(tmp_path, config())
    yield harness
    await harness.stop()
    assert all("Forbidden" in why for _, why in harness.request.refused), harness.request.refused


async def everyone(h: Harness, language: str = "zh") -> dict[int, Chat]:
    return {uid: await h.staff(uid, language) for uid in EVERYONE}


def page_sends(h: Harness, number: int) -> list[int]:
    """The chats a page of ticket `number` reached, in order (a page since turned into
    "taken by" still counts)."""
    heads = (
        f"新故障 #{number}",
        f"New fault #{number}",
        f"工单 #{number} 无人接单",  # the escalation chain's page
        f"Nobody has accepted ticket #{number}",
    )
    taken = (f"#{number} 已由", f"#{number} was taken by")
    return [
        m.chat_id
        for m in sorted(h.request.messages.values(), key=lambda m: m.message_id)
        if m.kind == "text" and (any(x in m.text for x in heads) or m.text.startswith(taken))
    ]


async def run(h: Harness, until: datetime) -> None:
    """Let time pass, waking at each pending timer's due time as the running bot does."""
    assert h.hb is not None
    while True:
        async with unit_of_work(h.hb.db) as uow:
            due = await uow.timers.earliest()
        if due is None or due > until:
            break
        h.clock.set(max(due, h.clock.now()))
        await h.hb.waker.fire_due()
        await h.drain()
    h.clock.set(until)
    await h.hb.waker.fire_due()
    await h.drain()


# --------------------------------------------------------------------------- paging


async def test_paging_goes_primary_then_secondary_then_the_chain(h: Harness) -> None:
    await everyone(h)
    cust = await h.customer()
    n = await h.report(cust)
    assert page_sends(h, n) == [ENG1]  # the primary only
    # ack_timeout: half the 15-minute respond target = 7 min 30 s.
    await h.tick(minutes=7, seconds=29)
    assert page_sends(h, n) == [ENG1]
    await h.tick(seconds=1)
    assert page_sends(h, n) == [ENG1, ENG4]  # the secondary
    await h.tick(minutes=7, seconds=29)
    assert page_sends(h, n) == [ENG1, ENG4]
    await h.tick(seconds=1)
    assert page_sends(h, n) == [ENG1, ENG4, CM]  # escalation level 1
    await h.tick(minutes=7, seconds=30)
    assert page_sends(h, n) == [ENG1, ENG4, CM, PM]
    await h.tick(minutes=7, seconds=30)
    assert page_sends(h, n) == [ENG1, ENG4, CM, PM, LEAD]
    await h.tick(hours=1)
    assert page_sends(h, n) == [ENG1, ENG4, CM, PM, LEAD]  # the chain ends: no more pages
    # The chain is asked to get an engineer on it; engineers get the Accept button.
    assert h.chat(CM).find(f"工单 #{n} 无人接单").buttons() == []
    assert h.chat(ENG4).find(f"新故障 #{n}").buttons() == [("接单", f"tk:acc:{n}")]


async def test_acceptance_stops_paging(h: Harness) -> None:
    chats = await everyone(h)
    cust = await h.customer()
    n = await h.report(cust)
    await h.tick(minutes=7, seconds=30)
    assert page_sends(h, n) == [ENG1, ENG4]
    # The secondary accepts: nobody else is paged, however long we wait.
    await chats[ENG4].press("接单", message=chats[ENG4].find(f"新故障 #{n}"))
    assert "Engineer Four" in cust.last().text
    await h.tick(minutes=8)
    await h.tick(hours=2)
    assert page_sends(h, n) == [ENG1, ENG4]
    # Both pages now say who took it.
    assert chats[ENG1].find(f"#{n} 已由").text.startswith(f"#{n} 已由 Engineer Four 接单")
    assert chats[ENG1].find(f"#{n} 已由").buttons() == []


async def test_an_unreachable_primary_pages_the_secondary_at_once(h: Harness) -> None:
    chats = await everyone(h)
    h.request.blocked.add(ENG1)  # eng1 blocked the bot after starting it
    cust = await h.customer()
    start = h.clock.now()
    n = await h.report(cust)
    # The page to eng1 fails: eng4 is paged in the same moment, not 7.5 minutes later.
    assert h.clock.now() == start
    assert page_sends(h, n) == [ENG4]
    told = chats[PM].find("无法接收消息").text
    assert "Engineer One" in told and f"工单 #{n} 的派单未送达" in told
    # Now eng1 is known unreachable: the next fault goes to eng4 without trying eng1.
    n2 = await h.report(cust, symptom="Second fault")
    assert page_sends(h, n2) == [ENG4]
    tried = [p for api, p in h.request.calls if api == "sendMessage" and p["chat_id"] == ENG1]
    assert not [p for p in tried if f"#{n2}" in p["text"]]
    # The chain still follows eng4's timeout.
    await h.tick(minutes=7, seconds=30)
    assert page_sends(h, n2) == [ENG4, CM]


async def test_a_refused_page_tells_the_timer_waker_about_the_next_step(h: Harness) -> None:
    """The sender's hooks run through the one dispatch path: the paging step a refused page
    schedules reaches the timer waker like any other timer."""
    chats = await everyone(h)
    h.request.blocked.add(ENG4)  # the secondary blocked the bot after starting it
    cust = await h.customer()
    n = await h.report(cust)
    assert h.hb is not None
    # Nobody accepts: the secondary's page is queued when the timer fires...
    h.clock.advance(timedelta(minutes=7, seconds=30))
    await h.hb.waker.fire_due()
    # ...and refused a little later, when the sender gets to it.
    h.clock.advance(timedelta(seconds=2))
    told: list[datetime | None] = []
    consider = h.hb.dispatcher.consider_timer  # the waker's consider
    h.hb.dispatcher.consider_timer = lambda due_at: (told.append(due_at), consider(due_at))[1]
    await h.drain()
    # The chain's first level is paged at once, and its timeout reaches the waker.
    assert page_sends(h, n) == [ENG1, CM]
    assert "Engineer Four" in chats[PM].find("无法接收消息").text
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT due_at FROM timers WHERE key = ? AND state = 'pending'", (f"page:{n}",)
        ) as cur:
            row = await cur.fetchone()
    assert row is not None
    step = from_ts(row[0])
    assert step == h.clock.now() + timedelta(minutes=7, seconds=30)
    assert step in told
    await h.tick(minutes=7, seconds=30)
    assert page_sends(h, n) == [ENG1, CM, PM]


async def test_nobody_on_duty_pages_the_chain_directly(tmp_path: Path) -> None:
    h = await make(tmp_path, config(team=DAY_ONLY_TEAM), now=local(23, 22))
    try:
        chats = await everyone(h)
        await chats[ENG1].send("/oncall")
        shown = chats[ENG1].last().text
        assert "primary：（无人）" in shown
        assert "⚠️ 当前无人值班：新故障将直接通知升级链。" in shown
        # 11-24 is day 22 since 11-02: eng1's day shift.
        assert "下次交接 11-24 08:00 → primary: Engineer One" in shown
        await chats[ENG1].send("/schedule")
        gaps = [x for x in chats[ENG1].last().text.split("\n") if x.startswith("⚠️")]
        assert gaps[:2] == [
            "⚠️ 无人值班：22:00 – 11-24 08:00",
            "⚠️ 无人值班：11-24 20:00 – 11-25 08:00",
        ]
        assert gaps[-1] == "⚠️ 无人值班：11-30 20:00 – 11-30 22:00"  # to 7 days from now
        assert len(gaps) == 8
        cust = await h.customer()
        n = await h.report(cust)
        assert page_sends(h, n) == [CM]
        await h.tick(minutes=7, seconds=30)
        assert page_sends(h, n) == [CM, PM]
        await h.tick(minutes=7, seconds=30)
        assert page_sends(h, n) == [CM, PM, LEAD]
    finally:
        await h.stop()


async def test_heightened_period_pages_two_at_once_with_half_the_timeout(tmp_path: Path) -> None:
    extra = '\n[[heightened]]\nname = "County fair"\nstart = 2026-11-23\nend = 2026-11-23\n'
    h = await make(tmp_path, config(extra=extra))
    try:
        await everyone(h)
        cust = await h.customer()
        n = await h.report(cust)
        assert sorted(page_sends(h, n)) == [ENG1, ENG4]
        # ack_timeout halved: 3 min 45 s.
        await h.tick(minutes=3, seconds=44)
        assert sorted(page_sends(h, n)) == [ENG1, ENG4]
        await h.tick(seconds=1)
        assert page_sends(h, n)[-1] == CM and len(page_sends(h, n)) == 3
        await h.tick(minutes=3, seconds=45)
        assert page_sends(h, n)[-1] == PM
    finally:
        await h.stop()


# --------------------------------------------------------------------------- /oncall, /cover


async def test_oncall_shows_now_and_next(h: Harness) -> None:
    chats = await everyone(h)
    await chats[ENG3].send("/oncall")
    assert chats[ENG3].last().text == (
        "当前值班\n\n"
        f"{PROJECT}\n"
        "primary：Engineer One\n"
        "secondary：Engineer Four\n"
        "下次交接 20:00 → primary: Engineer Two; secondary: Engineer Four"
    )
    cust = await h.customer()
    await cust.send("/oncall")
    assert cust.last().text == "此操作仅限值班人员。"


async def test_oncall_in_english(h: Harness) -> None:
    eng2 = await h.staff(ENG2, language="en")
    await eng2.send("/oncall")
    assert eng2.last().text == (
        "On call now\n\n"
        f"{PROJECT}\n"
        "primary: Engineer One\n"
        "secondary: Engineer Four\n"
        "next hand-off 20:00 → primary: Engineer Two; secondary: Engineer Four"
    )


async def test_a_managers_cover_changes_oncall_and_paging(h: Harness) -> None:
    chats = await everyone(h)
    mark = chats[ENG3].count()
    await chats[PM].send("/cover eng3 2h")
    assert chats[PM].last().text == "已安排 Engineer Three 于 14:00 – 16:00 值班（优先于轮值）。"
    assert chats[ENG3].since(mark) == [
        "Project Manager 安排您于 14:00 – 16:00 值班。",
        f"👋 交接班：您现在负责 {PROJECT} 的值班。未结工单 0 张：\n（无）",
    ]
    await chats[ENG1].send("/oncall")
    shown = chats[ENG1].last().text
    assert "primary：Engineer Three" in shown
    assert "下次交接 16:00 → primary: Engineer One; secondary: Engineer Four" in shown
    cust = await h.customer()
    n = await h.report(cust)
    assert page_sends(h, n) == [ENG3]


async def test_a_cover_from_now_takes_over_the_unaccepted_tickets(h: Harness) -> None:
    chats = await everyone(h)
    h.request.blocked.add(ENG1)
    h.request.blocked.add(ENG4)
    cust = await h.customer()
    n = await h.report(cust, site="Village 9 crossroads")
    assert page_sends(h, n) == [CM]  # neither engineer can be reached: the chain is paged
    # The customer manager puts eng3 on duty: eng3 is handed the open fault at once.
    mark = chats[ENG3].count()
    await chats[CM].send("/cover eng3 4h")
    got = chats[ENG3].messages()[mark:]
    assert [m.text for m in got[:2]] == [
        "Customer Manager 安排您于 14:00 – 18:00 值班。",
        f"👋 交接班：您现在负责 {PROJECT} 的值班。未结工单 1 张：\n"
        f"#{n} [B] 待接单 — Village 9 crossroads",
    ]
    assert f"新故障 #{n}" in got[2].text and got[2].buttons() == [("接单", f"tk:acc:{n}")]
    await chats[ENG3].press("接单", message=got[2])
    assert "Engineer Three" in cust.last().text


async def test_swapping_the_shift_under_way_hands_it_over_at_once(h: Harness) -> None:
    chats = await everyone(h)
    cust = await h.customer()
    n = await h.report(cust)
    assert page_sends(h, n) == [ENG1]
    await chats[ENG1].send("/swap")
    await chats[ENG1].press("08:00 – 20:00")
    await chats[ENG1].press("Engineer Two")
    mark = chats[ENG2].count()
    await chats[ENG2].press("接班")
    texts = chats[ENG2].since(mark)
    assert texts[0] == "已确认：08:00 – 20:00 由您值班（替 Engineer One）。"
    assert texts[1].startswith("👋 交接班") and "未结工单 1 张" in texts[1]
    assert f"新故障 #{n}" in texts[2]
    assert page_sends(h, n) == [ENG1, ENG2]


async def test_cover_is_refused_for_an_engineer_and_checks_its_input(h: Harness) -> None:
    chats = await everyone(h)
    await chats[ENG1].send("/cover eng3 2h")
    assert chats[ENG1].last().text == "只有经理可以安排代班。"
    await chats[PM].send("/cover engX 2h")
    assert chats[PM].last().text == "没有这个人员：engX"
    await chats[PM].send("/cover eng3")
    assert chats[PM].last().text.startswith("用法：/cover")
    assert chats[ENG3].since(1) == []  # eng3 was told nothing
    await chats[ENG1].send("/oncall")
    assert "primary：Engineer One" in chats[ENG1].last().text
    cust = await h.customer()
    n = await h.report(cust)
    assert page_sends(h, n) == [ENG1]


async def test_a_cover_starting_later_reminds_and_hands_off_at_its_start(h: Harness) -> None:
    chats = await everyone(h)
    await chats[PM].send("/cover eng3 2026-11-23T16:00 2026-11-23T18:00")
    assert "16:00 – 18:00" in chats[PM].last().text
    mark = chats[ENG3].count()
    await run(h, local(23, 15, 30))
    assert chats[ENG3].since(mark) == ["⏰ 您的值班（primary）将于 16:00 开始，至 18:00。"]
    await run(h, local(23, 16))
    assert chats[ENG3].last().text.startswith(f"👋 交接班：您现在负责 {PROJECT} 的值班。")
    mark = chats[ENG1].count()
    await run(h, local(23, 18))
    assert [t for t in chats[ENG1].since(mark) if t.startswith("👋 交接班")]


# --------------------------------------------------------------------------- /swap


async def test_swap_accepted_puts_the_colleague_on_duty(h: Harness) -> None:
    chats = await everyone(h)
    eng1, eng2 = chats[ENG1], chats[ENG2]
    await eng1.send("/swap")
    assert eng1.last().text == "要换出哪个班次？"
    # eng1's shifts in the next 7 days: shifts 42, 45, 48, 51 and 54.
    assert [label for label, _ in eng1.last().buttons()] == [
        "08:00 – 20:00",
        "11-24 20:00 – 11-25 08:00",
        "11-26 08:00 – 11-26 20:00",
        "11-27 20:00 – 11-28 08:00",
        "11-29 08:00 – 11-29 20:00",
    ]
    await eng1.press("11-24 20:00")
    assert eng1.last().text == "11-24 20:00 – 11-25 08:00：请选择接班的同事。"
    assert [label for label, _ in eng1.last().buttons()] == [
        "Engineer Two", "Engineer Three", "Engineer Four"
    ]
    await eng1.press("Engineer Two")
    assert eng1.last().text == (
        "已请 Engineer Two 接替您 11-24 20:00 – 11-25 08:00 的班次，等待对方确认。"
    )
    offer = eng2.last()
    assert offer.text == "🔁 Engineer One 请您接替 11-24 20:00 – 11-25 08:00 的值班。"
    take = dict(offer.buttons())["接班"]
    await eng2.press("接班", message=offer)
    assert eng2.toast() == "好的"
    assert eng1.last().text == "Engineer Two 已接替您 11-24 20:00 – 11-25 08:00 的班次。"
    assert eng2.last().text == "已确认：11-24 20:00 – 11-25 08:00 由您值班（替 Engineer One）。"
    for manager in (CM, PM, LEAD):
        assert chats[manager].last().text == (
            "换班：11-24 20:00 – 11-25 08:00 由 Engineer Two 替 Engineer One 值班。"
        )
    # A second press of the same button changes nothing.
    mark = eng1.count()
    await eng2.press_data(offer.message_id, take)
    assert eng2.toast() == "这个按钮已失效，请使用最新的消息。"
    assert eng1.since(mark) == []
    # Tomorrow's day shift is eng3's, then eng2 takes eng1's night shift.
    await run(h, local(24, 12))
    await chats[ENG4].send("/oncall")
    assert "下次交接 20:00 → primary: Engineer Two" in chats[ENG4].last().text
    await run(h, local(24, 21))
    await chats[ENG4].send("/oncall")
    assert "primary：Engineer Two" in chats[ENG4].last().text
    cust = await h.customer()
    n = await h.report(cust)
    assert page_sends(h, n) == [ENG2]


async def test_swap_declined_changes_nothing(h: Harness) -> None:
    chats = await everyone(h)
    eng1, eng3 = chats[ENG1], chats[ENG3]
    await eng1.send("/swap")
    await eng1.press("08:00 – 20:00")
    await eng1.press("Engineer Three")
    offer = eng3.last()
    assert offer.text == "🔁 Engineer One 请您接替 08:00 – 20:00 的值班。"
    data = dict(offer.buttons())
    await eng3.press("拒绝", message=offer)
    assert eng1.last().text == "Engineer Three 没有接受 08:00 – 20:00 的换班。"
    assert offer.buttons() == []
    assert not [t for t in chats[PM].texts() if "换班" in t]
    # Accepting after declining is refused.
    await eng3.press_data(offer.message_id, data["接班"])
    assert eng3.toast() == "这个按钮已失效，请使用最新的消息。"
    await eng3.send("/oncall")
    assert "primary：Engineer One" in eng3.last().text


async def test_only_the_colleague_asked_can_answer_a_swap(h: Harness) -> None:
    chats = await everyone(h)
    await chats[ENG1].send("/swap")
    await chats[ENG1].press("08:00 – 20:00")
    await chats[ENG1].press("Engineer Three")
    take = dict(chats[ENG3].last().buttons())["接班"]
    await chats[ENG2].press_data(chats[ENG3].last().message_id, take)
    assert chats[ENG2].toast() == "这个按钮已失效，请使用最新的消息。"
    await chats[ENG2].send("/oncall")
    assert "primary：Engineer One" in chats[ENG2].last().text


# --------------------------------------------------------------------------- /schedule, .ics


async def test_schedule_lists_seven_days_and_sends_an_ics_file(h: Harness) -> None:
    chats = await everyone(h)
    eng1 = chats[ENG1]
    await eng1.send("/schedule")
    shown = eng1.last()
    lines = shown.text.split("\n")
    assert lines[0] == "未来 7 天值班表"
    # 11-23 14:00 → 11-30 14:00: shifts 42 to 56 of the primary (15), two weeks of the secondary.
    primary = [line for line in lines if " primary: " in line]
    assert len(primary) == 15
    assert primary[0] == "08:00 – 20:00 primary: Engineer One"
    assert primary[1] == "20:00 – 11-24 08:00 primary: Engineer Two"
    assert primary[-1] == "11-30 08:00 – 11-30 20:00 primary: Engineer Three"  # shift 56
    assert [line for line in lines if " secondary: " in line] == [
        "08:00 – 11-30 08:00 secondary: Engineer Four",
        "11-30 08:00 – 12-07 08:00 secondary: Engineer Three",
    ]
    mine = lines[lines.index("我的班次") + 1 :]
    assert mine == [
        "08:00 – 20:00 (primary)",
        "11-24 20:00 – 11-25 08:00 (primary)",
        "11-26 08:00 – 11-26 20:00 (primary)",
        "11-27 20:00 – 11-28 08:00 (primary)",
        "11-29 08:00 – 11-29 20:00 (primary)",
    ]
    await eng1.press("导出日历", message=shown)
    assert eng1.toast() == "好的"
    docs = [m for m in eng1.messages() if m.kind == "document"]
    assert len(docs) == 1 and docs[0].file is not None
    name, content = docs[0].file
    assert name == "oncall.ics"
    assert docs[0].text == "我的值班日历（5 个班次），可导入手机日历。"
    assert content.startswith(b"BEGIN:VCALENDAR\r\n") and content.endswith(b"END:VCALENDAR\r\n")
    assert content.count(b"BEGIN:VEVENT") == 5
    assert b"DTSTART:20261123T000000Z" in content  # today 08:00 in Shanghai
    assert b"DTEND:20261125T000000Z" in content  # 11-25 08:00
    calls = [p for api, p in h.request.calls if api == "sendDocument"]
    assert len(calls) == 1 and calls[0]["_files"]["document"][0] == "oncall.ics"


async def test_schedule_without_own_shifts_has_no_ics_button(h: Harness) -> None:
    chats = await everyone(h)
    await chats[CM].send("/schedule")
    shown = chats[CM].last()
    assert shown.text.endswith("我的班次\n（无）")
    assert shown.buttons() == []


# --------------------------------------------------------------------------- reminders, hand-off


async def test_shift_reminder_30_minutes_before_the_shift(h: Harness) -> None:
    chats = await everyone(h)
    eng2 = chats[ENG2]
    mark = eng2.count()
    await run(h, local(23, 19, 29))
    assert [t for t in eng2.since(mark) if t.startswith("⏰")] == []
    await run(h, local(23, 19, 30))
    assert eng2.since(mark) == ["⏰ 您的值班（primary）将于 20:00 开始，至 11-24 08:00。"]
    # Tomorrow morning eng3 is reminded; eng4, whose weekly shift simply goes on, is not.
    marks = {uid: chats[uid].count() for uid in (ENG3, ENG4)}
    await run(h, local(24, 9))
    assert "⏰ 您的值班（primary）将于 08:00 开始，至 20:00。" in chats[ENG3].since(marks[ENG3])
    assert [t for t in chats[ENG4].since(marks[ENG4]) if t.startswith("⏰")] == []


async def test_shift_reminder_follows_a_swap(h: Harness) -> None:
    chats = await everyone(h)
    eng2, eng3 = chats[ENG2], chats[ENG3]
    # eng2 gives tonight's shift to eng3.
    await eng2.send("/swap")
    await eng2.press("20:00 – 11-24 08:00")
    await eng2.press("Engineer Three")
    await eng3.press("接班")
    marks = {uid: chats[uid].count() for uid in (ENG2, ENG3)}
    await run(h, local(23, 19, 45))
    assert [t for t in eng2.since(marks[ENG2]) if t.startswith("⏰")] == []
    assert [t for t in eng3.since(marks[ENG3]) if t.startswith("⏰")] == [
        "⏰ 您的值班（primary）将于 20:00 开始，至 11-24 08:00。"
    ]
    await run(h, local(23, 20))
    assert eng3.last().text.startswith("👋 交接班")
    assert not [t for t in eng2.since(marks[ENG2]) if t.startswith("👋")]


async def test_handoff_digest_and_unaccepted_ticket_paged_to_the_incoming(h: Harness) -> None:
    chats = await everyone(h)
    cust = await h.customer()
    n = await h.report(cust, site="Village 9 crossroads")
    await run(h, local(23, 19, 59))
    assert ENG2 not in page_sends(h, n)
    mark = chats[ENG2].count()
    await run(h, local(23, 20))
    got = chats[ENG2].messages()[mark:]
    assert got[0].text == (
        f"👋 交接班：您现在负责 {PROJECT} 的值班。未结工单 1 张：\n"
        f"#{n} [B] 待接单 — Village 9 crossroads"
    )
    assert f"新故障 #{n}" in got[1].text and got[1].buttons() == [("接单", f"tk:acc:{n}")]
    # Nobody else got a digest: eng4's weekly shift goes on.
    assert not [t for t in chats[ENG4].texts() if t.startswith("👋")]
    await chats[ENG2].press("接单", message=got[1])
    assert "Engineer Two" in cust.last().text
    ticket = await h.ticket(n)
    assert ticket is not None and ticket.owner_key == "eng2"


async def test_handoff_pages_again_someone_paged_before(h: Harness) -> None:
    chats = await everyone(h)
    cust = await h.customer()
    n = await h.report(cust)
    assert page_sends(h, n) == [ENG1]
    # Nobody accepts for a day and a half; eng1 comes back on duty tomorrow at 20:00.
    await run(h, local(24, 19, 59))
    before = page_sends(h, n).count(ENG1)
    await run(h, local(24, 20))
    assert chats[ENG1].texts()[-2].startswith("👋 交接班")
    assert page_sends(h, n).count(ENG1) == before + 1
    assert f"新故障 #{n}" in chats[ENG1].last().text


# --------------------------------------------------------------------------- gaps


async def test_gaps_are_reported_to_the_project_manager_at_start_up(tmp_path: Path) -> None:
    h = await make(tmp_path, config(team=DAY_ONLY_TEAM))
    try:
        pm = await h.staff(PM)
        await h.staff(ENG1)
        await h.restart()
        report = pm.find("无人值班的时段")
        nights = [f"11-{d} 20:00 – 11-{d + 1} 08:00" for d in range(24, 30)]
        assert report.text.split("\n") == [
            f"⚠️ {PROJECT} 未来 7 天有无人值班的时段：",
            "20:00 – 11-24 08:00",
            *nights,
            "请用 /cover 安排人员。",
        ]
        # Only the project manager, and once a day however often the bot restarts.
        await h.restart()
        assert len([t for t in pm.texts() if "无人值班的时段" in t]) == 1
        assert not [t for t in h.chat(ENG1).texts() if "无人值班的时段" in t]
    finally:
        await h.stop()


async def test_gap_report_once_a_day_even_when_restarted_inside_a_gap(tmp_path: Path) -> None:
    h = await make(tmp_path, config(team=DAY_ONLY_TEAM), now=local(23, 22))
    try:
        pm = await h.staff(PM)
        await h.restart()
        report = pm.find("无人值班的时段").text
        assert report.split("\n")[1] == "22:00 – 11-24 08:00"  # the gap under way, from now
        await h.tick(minutes=1)
        await h.restart()
        await h.tick(hours=1)
        await h.restart()
        assert len([t for t in pm.texts() if "无人值班的时段" in t]) == 1
    finally:
        await h.stop()


async def test_no_gap_report_when_the_roster_is_complete(h: Harness) -> None:
    pm = await h.staff(PM)
    await h.restart()
    assert not [t for t in pm.texts() if "无人值班" in t]


# --------------------------------------------------------------------------- the team group


async def test_team_group_mirrors_pages_and_changes(tmp_path: Path) -> None:
    extra = f"group_chat_id = {GROUP}\ngroup_topic_id = {TOPIC}\n"
    h = await make(tmp_path, config(project_extra=extra))
    try:
        h.request.started.add(GROUP)  # the bot was added to the team group
        chats = await everyone(h)
        cust = await h.customer()
        n = await h.report(cust)
        group = h.request.chat(GROUP)
        assert len(group) == 1
        page = group[0]
        assert f"新故障 #{n}" in page.text and page.thread_id == TOPIC
        assert page.buttons() == [("接单", f"tk:acc:{n}")]
        # A customer pressing the group's button is refused.
        await cust.press_data(page.message_id, f"tk:acc:{n}")
        assert cust.toast() == "此操作仅限值班人员。"
        # eng2 (not paged: not on duty) accepts in the group.
        eng2 = chats[ENG2]
        await eng2.press_data(page.message_id, f"tk:acc:{n}")
        assert eng2.toast() == "接单成功"
        assert page.text.startswith(f"#{n} 已由 Engineer Two 接单") and page.buttons() == []
        assert chats[ENG1].find(f"#{n} 已由").text.startswith(f"#{n} 已由 Engineer Two 接单")
        card = eng2.last()
        assert f"#{n}" in card.text
        await eng2.press("已出发", message=card)
        await eng2.press("已到场", message=card)
        statuses = [m for m in h.request.chat(GROUP) if m is not page]
        assert [m.text for m in statuses] == [
            f"#{n} 已接单（Engineer Two）· 已接单",
            f"#{n} 工程师出发（Engineer Two）· 工程师在路上",
            f"#{n} 工程师到场（Engineer Two）· 工程师已到场",
        ]
        assert all(m.thread_id == TOPIC for m in statuses)
        # Paging stopped with the acceptance in the group.
        await h.tick(hours=1)
        assert page_sends(h, n) == [ENG1, GROUP]
    finally:
        await h.stop()


async def test_group_messages_are_paced_to_20_a_minute(tmp_path: Path) -> None:
    h = await make(tmp_path, config(project_extra=f"group_chat_id = {GROUP}\n"))
    try:
        h.request.started.add(GROUP)
        eng1 = await h.staff(ENG1)
        assert h.hb is not None
        async with unit_of_work(h.hb.db) as uow:
            await h.hb.postman.post(
                uow, [Notice(GROUP, "whoami", params=TelegramId(i)) for i in range(25)]
            )
        await h.drain()
        assert len(h.request.chat(GROUP)) == 20
        # The rest wait in the outbox; private chats are not held up meanwhile.
        async with unit_of_work(h.hb.db) as uow:
            async with uow.conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND status = 'pending'", (GROUP,)
            ) as cur:
                row = await cur.fetchone()
        assert row is not None and row[0] == 5
        await eng1.send("/whoami")
        assert "1001" in eng1.last().text
    finally:
        await h.stop()

