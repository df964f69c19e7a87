"""Major events (重大活动) from chat, through the real Application: /event add, /events,
/event end, /standby (typed and with buttons), standby engineers paged before the roster,
customers told who stands by in their language, the hints for bad input, and refusals for
customers, engineers and another project's manager.

The clock starts on Monday 2026-11-23 14:00 in Shanghai (the roster tests' team: eng1 has the
day shift, eng4 the secondary layer; the chain is cm, pm, lead). The lead works for both
projects; pm2 manages only the other one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Harness
from tests.dialog.test_roster import TEAM, local, page_sends
from tests.support.configs import STAFF, Person, hotline_config, project_toml

ENG1, ENG2, ENG3, ENG4, CM, PM, LEAD = (p.telegram_id for p in STAFF)
PM2 = Person("pm2", "Second Manager", 1014, "project_manager", "13800000014")
OTHER_NAME = "Other Project"
VILLAGE_NAME = "County Police Village Query Service"
FESTIVAL = (
    '\n[[heightened]]\nname = "Spring Festival"\nstart = 2027-02-05\nend = 2027-02-13\n'
)


def config(extra: str = "") -> str:
    village = project_toml(team="county", escalation=["cm", "pm", "lead"])
    other = project_toml(
        "other", name=OTHER_NAME, invite="OTHER2026", on_duty=["eng3"], escalation=["pm2", "lead"]
    )
    return hotline_config(staff=[*STAFF, PM2], projects=[village, other], extra=TEAM + extra)


async def make(tmp: Path, extra: str = "") -> Harness:
    from datetime import UTC

    h = Harness(tmp, config=config(extra), clock=FakeClock(local(23, 14).astimezone(UTC)))
    await h.start()
    return h


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await make(tmp_path, FESTIVAL)
    yield harness
    await harness.stop()
    assert all("Forbidden" in why for _, why in harness.request.refused), harness.request.refused


def labels(buttons: list[tuple[str, str]]) -> list[str]:
    return [label for label, _ in buttons]


async def test_a_manager_adds_lists_names_standby_and_ends_an_event_in_chinese(
    h: Harness,
) -> None:
    pm, eng2 = await h.staff(PM), await h.staff(ENG2)
    await h.staff(ENG1)
    cust = await h.customer()
    cust_en = await h.customer(5002, language="en", name="Customer Two")
    stranger = await h.customer(5003, invite="OTHER2026", name="Other Customer")

    await pm.send("/event add 2026-11-23 2026-11-25 县城庙会<保障>")
    assert pm.last().text == (
        "✅ 已添加重大活动 #1「县城庙会<保障>」\n"
        f"2026-11-23 至 2026-11-25（含首尾两天）· {VILLAGE_NAME}\n"
        "期间新故障同时推送两名工程师，接单时限减半。发送 /standby 1 指定现场保障工程师。"
    )
    await pm.send("/events")
    assert pm.last().text == (
        "📅 重大活动与敏感时期（今天 2026-11-23）\n\n"
        "#1 县城庙会<保障>\n"
        f"2026-11-23 至 2026-11-25 · {VILLAGE_NAME} · 进行中\n"
        "添加：Project Manager，14:00\n\n"
        "#cfg1 Spring Festival\n"
        "2027-02-05 至 2027-02-13 · 所有项目 · 即将开始\n"
        "来自配置文件（不能在聊天中结束）"
    )

    # /standby without a name: the project's engineers as buttons; the press names one.
    await pm.send("/standby 1")
    ask = pm.last()
    assert ask.text == f"请选择重大活动 #1「县城庙会<保障>」（{VILLAGE_NAME}）的现场保障工程师："
    assert labels(ask.buttons()) == [
        "Engineer One", "Engineer Two", "Engineer Three", "Engineer Four"
    ]  # fmt: skip
    told, told_en, other_told = cust.count(), cust_en.count(), stranger.count()
    await pm.press("Engineer Two", message=ask)
    assert pm.toast() == "好的"
    assert pm.last().text == (
        "已指定 Engineer Two 为重大活动 #1「县城庙会<保障>」的现场保障工程师：期间 "
        f"{VILLAGE_NAME} 的新故障先推送给 Engineer Two，项目的客户会收到通知。"
    )
    assert eng2.last().text == (
        "📣 您被指定为重大活动「县城庙会<保障>」（2026-11-23 至 2026-11-25，"
        f"{VILLAGE_NAME}）的现场保障工程师：期间该项目的新故障会先推送给您。"
    )
    assert cust.since(told) == [
        "📣 重大活动「县城庙会<保障>」期间（2026-11-23 至 2026-11-25），我们的现场保障工程师是 "
        "Engineer Two，电话 13800000002。如有故障，请照常发送 /report 报障。"
    ]
    assert cust_en.since(told_en) == [
        "📣 During the major event “县城庙会<保障>” (2026-11-23 to 2026-11-25), our on-site "
        "standby engineer is Engineer Two, phone 13800000002. To report a fault, send /report "
        "as usual."
    ]
    assert stranger.count() == other_told  # another project's customer hears nothing
    # The same button again (or the same name typed) changes nothing and tells nobody.
    await pm.press_data(ask.message_id, "sby:1:eng2")
    await pm.send("/standby 1 eng2")
    assert pm.last().text == "Engineer Two 已是重大活动 #1「县城庙会<保障>」的现场保障工程师。"
    assert cust.count() == told + 1
    await pm.send("/events")
    assert "现场保障：Engineer Two（13800000002），由 Project Manager 指定，14:00" in (
        pm.last().text
    )

    # Ended: normal paging from now; the list keeps who ended it and when.
    await h.tick(minutes=30)
    await pm.send("/event end 1")
    assert pm.last().text == (
        f"已结束重大活动 #1「县城庙会<保障>」（{VILLAGE_NAME}），从现在起恢复正常值班。"
    )
    await pm.send("/events")
    shown = pm.last().text
    assert "—— 最近结束 ——\n\n#1 县城庙会<保障>\n" in shown
    assert f"2026-11-23 至 2026-11-25 · {VILLAGE_NAME} · 已结束" in shown
    assert "结束：Project Manager，14:30" in shown
    await pm.send("/event end 1")
    assert pm.last().text == "重大活动 #1「县城庙会<保障>」已经结束。"
    await pm.send("/standby 1 eng1")
    assert pm.last().text == "重大活动 #1「县城庙会<保障>」已经结束。"
    n = await h.report(cust, level="A")
    assert page_sends(h, n) == [ENG1]  # the roster's primary alone, as on any day


async def test_a_new_a_fault_during_an_event_pages_the_standby_engineer_first(
    h: Harness,
) -> None:
    for uid in (ENG1, ENG2, ENG3, ENG4, CM, PM, LEAD):
        await h.staff(uid)
    cust = await h.customer()
    pm = h.chat(PM)
    await pm.send("/event add 2026-11-23 2026-11-23 Audit day")
    await pm.send("/standby 1 eng3")
    eng1, eng3 = h.chat(ENG1), h.chat(ENG3)
    before = eng1.count()
    n = await h.report(cust, level="A")
    assert page_sends(h, n)[0] == ENG3  # the standby engineer, before the roster
    assert eng3.find(f"🚨 新故障 #{n}")
    # An A fault opens at the site; its details reach who works on it now: the standby
    # engineer, and (as on any day) the roster's on-duty engineer, who is not paged yet.
    assert eng3.last().text.endswith("📎 已补充：现象")
    assert [t.splitlines()[-1] for t in eng1.since(before)] == ["📎 已补充：现象"]
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        plan = await uow.rosters.paging(n)
    assert plan is not None
    assert plan.tiers == [["eng3"], ["eng1", "eng4"], ["cm"], ["pm"], ["lead"]]
    assert plan.step == 0
    # Heightened: half the ack_timeout (7 min 30 s → 3 min 45 s), then two engineers at once.
    await h.tick(minutes=3, seconds=44)
    async with unit_of_work(h.hb.db) as uow:
        assert (await uow.rosters.paging(n)).step == 0  # type: ignore[union-attr]
    assert ENG4 not in page_sends(h, n)
    await h.tick(seconds=1)
    assert page_sends(h, n)[-1] == ENG4 and eng1.count() == before + 2
    await h.tick(minutes=3, seconds=45)
    assert page_sends(h, n)[-1] == CM
    # The timeline says the ticket was paged during the event, once.
    kinds = [e.kind for e in await h.events(n)]
    assert kinds.count("heightened") == 1
    await h.chat(ENG3).send(f"/status {n}")
    assert "系统: 重大活动期间（Audit day）：加强值班" in h.chat(ENG3).last().text
    # The next local day the event is over: the standby engineer is not paged first.
    await h.tick(hours=10)  # 2026-11-24 00:07 in Shanghai
    m = await h.report(cust, level="A")
    assert ENG3 not in page_sends(h, m)[:1]


async def test_several_projects_a_button_and_other_projects_managers_in_english(
    tmp_path: Path,
) -> None:
    h = await make(tmp_path)
    try:
        lead = await h.staff(LEAD, language="en")
        pm = await h.staff(PM, language="en")
        pm2 = await h.staff(PM2.telegram_id, language="en")
        eng3 = await h.staff(ENG3, language="en")
        await lead.send("/event add 2026-12-24 2026-12-26 Christmas cover")
        ask = lead.last()
        assert ask.text == (
            "Which project is the major event “Christmas cover” (2026-12-24 to 2026-12-26) for?"
        )
        assert labels(ask.buttons()) == [VILLAGE_NAME, OTHER_NAME]
        # Someone else pressing it (a manager of the other project): nothing changes.
        await pm2.press_data(ask.message_id, "evp:1:other")
        assert pm2.toast() == "This button is out of date; please use the latest message."
        await lead.press(OTHER_NAME, message=ask)
        assert lead.last().text.startswith("✅ Major event #1 “Christmas cover” added\n")
        assert f"2026-12-24 to 2026-12-26 (both days included) · {OTHER_NAME}" in (
            lead.last().text
        )
        await lead.press_data(ask.message_id, "evp:1:village")  # pressed again: stale
        assert lead.toast() == "This button is out of date; please use the latest message."

        await pm2.send("/events")
        assert pm2.last().text == (
            "📅 Major events and sensitive periods (today 2026-11-23)\n\n"
            "#1 Christmas cover\n"
            f"2026-12-24 to 2026-12-26 · {OTHER_NAME} · upcoming\n"
            "added by Project Lead, 14:00"
        )
        # The village's manager sees none of it and cannot touch it.
        await pm.send("/events")
        assert pm.last().text.endswith(
            "No current or upcoming major events. Send /event add to add one."
        )
        await pm.send("/event end 1")
        assert pm.last().text == (
            "There is no major event 1 in your projects. Send /events to see them."
        )
        await pm.send("/standby 1 eng1")
        assert pm.last().text.startswith("There is no major event 1 in your projects.")
        await pm.press_data(ask.message_id, "sby:1:eng3")
        assert pm.toast() == "This button is out of date; please use the latest message."
        await pm.send("/event add 2026-12-24 2026-12-26 other Sneaky")
        assert pm.last().text == (
            "“other” is not one of your projects (or spans several: only an admin can change "
            "it)."
        )
        # Only the project's engineers may stand by.
        await pm2.send("/standby 1 eng1")
        assert pm2.last().text == (
            "“eng1” is not an engineer of this event's project. Choose from: eng3 (Engineer "
            "Three)"
        )
        await pm2.send("/standby 1 ENG3")
        assert pm2.last().text.startswith("Engineer Three now stands by on site")
        assert eng3.last().text == (
            "📣 You stand by on site for the major event “Christmas cover” (2026-12-24 to "
            f"2026-12-26, {OTHER_NAME}): during it, the project's new faults are paged to you "
            "first."
        )
        # A project given by its key: no button.
        await lead.send("/event add 2026-12-31 2027-01-01 village New Year")
        assert lead.last().text.startswith("✅ Major event #2 “New Year” added\n")
        assert VILLAGE_NAME in lead.last().text
    finally:
        await h.stop()


async def test_bad_input_gets_hints_in_both_languages(h: Harness) -> None:
    pm = await h.staff(PM)
    pm_en = await h.staff(LEAD, language="en")
    await pm.send("/event add 2026-12-24 2026-12-20 X")
    assert pm.last().text == (
        "结束日期 2026-12-20 早于开始日期。请先写开始日期、再写结束日期，"
        "例如 /event add 2026-12-20 2026-12-24 名称。"
    )
    await pm_en.send("/event add 2026-12-24 2026-12-20 X")
    assert pm_en.last().text == (
        "The end date 2026-12-20 is before the start date. Write the start date first, then "
        "the end date, e.g. /event add 2026-12-20 2026-12-24 NAME."
    )
    await pm.send("/event add 2026/12/24 2026-12-26 X")
    assert pm.last().text == "无法识别日期“2026/12/24”。请写作 YYYY-MM-DD，例如 2026-12-24。"
    await pm_en.send("/event add 2026-12-24 2026-02-30 X")
    assert pm_en.last().text == (
        "“2026-02-30” is not a date I can read. Write it as YYYY-MM-DD, e.g. 2026-12-24."
    )
    await pm.send("/event add 2026-11-01 2026-11-22 X")
    assert pm.last().text == "结束日期 2026-11-22 已经过去。重大活动只能安排在今天或以后。"
    await pm_en.send("/event add 2026-11-20 2026-11-22 X")
    assert pm_en.last().text == (
        "The end date 2026-11-22 is in the past. A major event must end today or later."
    )
    for typed in ("/event", "/event add 2026-12-24 2026-12-26", "/event move 1"):
        await pm.send(typed)
        assert pm.last().text.startswith("用法：/event add 开始日期 结束日期 [项目] 名称")
    await pm_en.send("/standby")
    assert pm_en.last().text.startswith("Usage: /standby ID [STAFF]")
    await pm.send("/event add 2026-12-24 2026-12-26 " + "长" * 201)
    assert "200" in pm.last().text
    # Unknown ids, config periods.
    await pm.send("/event end 42")
    assert pm.last().text == "您负责的项目中没有编号为 42 的重大活动。发送 /events 查看。"
    await pm.send("/event end abc")
    assert pm.last().text == "您负责的项目中没有编号为 abc 的重大活动。发送 /events 查看。"
    await pm.send("/event end cfg1")
    assert pm.last().text.startswith("cfg1 是配置文件中的时期，不能在聊天中结束或修改")
    await pm_en.send("/standby cfg1 eng1")
    assert pm_en.last().text.startswith(
        "cfg1 is a period from the config file: it cannot be ended or changed from chat"
    )
    await pm.send("/event add 2026-12-24 2026-12-26 Fair")
    await pm.send("/standby 1 nobody")
    assert pm.last().text == (
        "“nobody”不是这个活动项目的工程师。可选：eng1 (Engineer One), eng2 (Engineer Two), "
        "eng3 (Engineer Three), eng4 (Engineer Four)"
    )
    await pm.send("/standby 1 pm")  # staff, but not an engineer
    assert pm.last().text.startswith("“pm”不是这个活动项目的工程师。")


async def test_customers_and_engineers_are_refused_politely(h: Harness) -> None:
    cust = await h.customer()
    cust_en = await h.customer(5002, language="en", name="Customer Two")
    eng = await h.staff(ENG1)
    cm = await h.staff(CM, language="en")
    for typed in ("/event add 2026-12-24 2026-12-26 X", "/events", "/event end 1", "/standby 1"):
        await cust.send(typed)
        assert cust.last().text == (
            "重大活动由我们的项目经理安排。如活动期间需要保障，请联系您的客户经理。"
        )
    await cust_en.send("/event add 2026-12-24 2026-12-26 X")
    assert cust_en.last().text == (
        "Major events are arranged by our project managers. If you need support during an "
        "event, please contact your customer manager."
    )
    await cust.press_data(1, "sby:1:eng1")
    assert cust.toast() == "此操作仅限值班人员。"
    await eng.send("/event add 2026-12-24 2026-12-26 X")
    assert eng.last().text == "只有项目经理、项目负责人或管理员可以管理重大活动。"
    await eng.send("/events")
    assert eng.last().text == "只有经理可以查看重大活动列表。"
    # A customer manager may list, not change.
    await cm.send("/events")
    assert cm.last().text.startswith("📅 Major events and sensitive periods (today 2026-11-23)")
    assert "#cfg1 Spring Festival" in cm.last().text
    assert "from the config file (cannot be ended from chat)" in cm.last().text
    await cm.send("/event add 2026-12-24 2026-12-26 X")
    assert cm.last().text == (
        "Only project managers, project leads and admins can manage major events."
    )
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        assert await uow.events.ending_since(local(1, 0).date()) == []


async def test_events_and_standby_outlive_a_restart(h: Harness) -> None:
    for uid in (ENG1, ENG2, ENG4):
        await h.staff(uid)
    pm = await h.staff(PM)
    cust = await h.customer()
    await pm.send("/event add 2026-11-23 2026-11-24 Night market ‮RTL‬ 🎆")
    await pm.send("/standby 1 eng2")
    await h.restart()
    n = await h.report(cust)
    assert page_sends(h, n) == [ENG2]
    await pm.send("/events")
    assert "#1 Night market ‮RTL‬ 🎆\n" in pm.last().text
    assert "现场保障：Engineer Two（13800000002）" in pm.last().text
