"""Restarts in the middle of things, drafts expiring after 24 h, and 50 customers at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain.drafts import ProfileDraft, ReportDraft, WorkDraft
from bot.domain.ticket import Status
from tests.dialog.harness import Chat, Harness

STALE = "这个按钮已失效，请使用最新的消息。"
EXPIRED = "您未完成的填写已超过 24 小时未操作，已作废。如需报障请重新发送 /report。"


# ---------------------------------------------------------------------------- restarts
@pytest.mark.parametrize("step", ["severity", "partial", "site", "symptom", "photos", "model",
                                  "phone", "confirm", "edit"])
async def test_a_report_survives_a_restart_at_every_step(h: Harness, step: str) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report_until(cust, step)
    before = await h.draft(5001)
    assert isinstance(before, ReportDraft)
    await h.restart()
    assert await h.draft(5001) == before
    # Carry on where it stopped: the old buttons of the current step still work.
    if step in ("severity", "partial"):
        await cust.press("否")
        if step == "severity":
            await cust.press("是")
        step = "site"
    if step == "site":
        await cust.send("Village 3 office")
        step = "symptom"
    if step == "symptom":
        await cust.send("Terminal freezes")
        step = "photos"
    if step == "photos":
        await cust.press("完成")
        step = "model"
    if step == "model":
        await cust.press("跳过")
        step = "phone"
    if step == "phone":
        await cust.press("使用")
        step = "confirm"
    if step == "edit":
        await cust.press("现象")
        await cust.send("Terminal freezes")
    await cust.press("确认提交")
    assert "已受理，工单号 #1" in cust.last().text
    assert eng.find("新故障 #1")
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.symptom == "Terminal freezes"
    assert await h.draft(5001) is None


async def test_old_buttons_after_a_restart_work_or_are_refused_politely(h: Harness) -> None:
    cust = await h.customer()
    await cust.send("/report")
    whole = cust.find("整个系统")
    await cust.press("否")
    partial = cust.find("部分设备")
    await h.restart()
    await cust.press_data(whole.message_id, "sev:whole:1")  # that step is over
    assert cust.toast() == STALE
    await cust.press("是", message=partial)  # the current step: works
    assert "B 重大故障" in cust.last().text  # the level found opens the site question
    await cust.send("Site")
    await cust.send("Symptom")
    ask_photos = cust.last()
    await h.restart()
    await cust.press("完成", message=ask_photos)
    assert cust.last().text == (
        "设备型号和序列号（可跳过）：例如 “DS-2CD3T46 SN:E123”，或分两行写。")
    await cust.press_data(ask_photos.message_id, "rep:photos:done")
    assert cust.toast() == STALE
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.step == "model"


async def test_a_stale_accept_after_a_restart_when_the_ticket_was_taken(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    page2 = eng2.find("新故障 #1")
    await eng1.press("接单")
    card = eng1.last()
    await h.restart()
    # A press that reaches the new process for a page that was taken before the restart.
    await eng2.press_data(page2.message_id, "tk:acc:1")
    assert eng2.toast() == "这张工单已被其他工程师接单。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng1"
    # The owner's card from before the restart still works.
    await eng1.press("已出发", message=card)
    assert eng1.toast() == "已记录：出发"
    assert card.text.startswith("🛠 工单 #1 · 工程师在路上")
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.ON_WAY


async def test_an_accept_pressed_after_a_restart_on_a_fresh_page_works(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    page1, page2 = eng1.find("新故障 #1"), eng2.find("新故障 #1")
    await h.restart()
    await eng2.press("接单", message=page2)
    assert eng2.toast() == "接单成功"
    # The pages sent by the previous process are edited by the new one.
    assert page1.text.startswith("#1 已由 Engineer Two 接单。") and page1.buttons() == []
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng2"


async def test_an_engineers_resolve_dialog_survives_a_restart(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    await eng.press("已修复")
    causes = eng.last()
    await h.restart()
    await eng.press("电源", message=causes)
    await h.restart()
    await eng.send("Replaced the UPS battery")
    assert "处理：Replaced the UPS battery" in cust.last().text
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.RESOLVED and ticket.cause == "power"


# ---------------------------------------------------------------------------- draft expiry
async def test_an_untouched_report_expires_after_24_hours_with_a_notice(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "symptom")
    await h.tick(hours=23, minutes=59)
    assert await h.draft(5001) is not None
    await h.tick(hours=24, minutes=1)
    assert cust.last().text == EXPIRED
    assert await h.draft(5001) is None
    assert await h.ticket_count() == 0
    # The old buttons are refused; the answer to the old question is not taken as a report.
    await cust.press_data(cust.find("部分设备").message_id, "sev:partial:1")
    assert cust.toast() == STALE
    await cust.send("Terminal freezes")
    assert cust.last().text == "如需报障请发送 /report；查看工单 /my；帮助 /help。"
    await cust.send("/report")
    assert cust.last().text.endswith("\n\n整个系统是否无法使用、业务已经中断？")
    # Only one notice, ever.
    await h.tick(hours=1)
    assert cust.texts().count(EXPIRED) == 1


async def test_a_report_touched_in_between_does_not_expire(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "symptom")
    await h.tick(hours=23)
    await cust.send("Terminal freezes")  # touched: the 24 hours start again
    await h.tick(hours=2)
    assert EXPIRED not in cust.texts()
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.step == "photos"
    await h.tick(hours=21, minutes=59)
    assert EXPIRED not in cust.texts()
    await cust.press("完成")  # touched again, by a button
    await h.tick(hours=23, minutes=59)
    assert EXPIRED not in cust.texts()
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.step == "model"
    await h.tick(minutes=2)
    assert cust.last().text == EXPIRED
    assert await h.draft(5001) is None


async def test_a_draft_expires_across_a_restart(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "site")
    await h.stop()
    h.clock.advance(timedelta(hours=30))
    await h.start()  # what fell due while the bot was down fires at start, once
    assert cust.last().text == EXPIRED
    assert await h.draft(5001) is None
    await h.restart()
    assert cust.texts().count(EXPIRED) == 1


async def test_expiry_notices_in_english(h: Harness) -> None:
    eng = await h.staff(1001, language="en")
    cust = await h.customer(language="en")
    other = await h.customer(5002)
    await h.report(other)
    await eng.send("/take 1")
    await eng.send("/note 1")  # no text: asks for it
    assert eng.last().text == "Usage: /note NUMBER text"
    await eng.press("Add note")
    await cust.send("/report")
    counts = cust.count(), eng.count()
    await h.tick(hours=24, minutes=1)
    assert [t for t in cust.since(counts[0]) if "24 hours" in t] == [
        "Your unfinished form was untouched for 24 hours and has expired. Send /report to "
        "start again."]
    assert [t for t in eng.since(counts[1]) if "24 hours" in t] == [
        "Ticket #1: your unfinished input was untouched for 24 hours and has expired; the "
        "ticket is unchanged."]


async def test_an_expired_profile_is_asked_again_after_the_report(h: Harness) -> None:
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    await cust.send("Name only")
    await h.tick(hours=24, minutes=1)
    assert await h.draft(5001) is None
    notice = cust.last().text
    assert "24 小时" in notice
    await cust.send("/report")
    assert cust.last().text.endswith("\n\n整个系统是否无法使用、业务已经中断？")
    await cust.press("否")
    await cust.press("否")
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.send("13900000009")
    await cust.press("确认提交")
    assert cust.last().text == "请告诉我您的姓名："
    draft = await h.draft(5001)
    assert isinstance(draft, ProfileDraft) and draft.phone == "13900000009"


async def test_an_early_a_ticket_stays_open_when_its_details_expire(h: Harness) -> None:
    await h.staff(1001)
    cust = await h.customer()
    await h.report_until(cust, "symptom", level="A")
    count = cust.count()
    await h.tick(hours=24, minutes=1)
    assert await h.draft(5001) is None
    # The customer learns the ticket itself is not lost (and is not told to report again).
    # (Other news about the open ticket may arrive in the same 24 hours.)
    notices = [t for t in cust.since(count) if "24 小时" in t]
    assert notices == ["补充信息已超过 24 小时未操作，已结束。工单 #1 照常处理中。"]
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.NEW


async def test_an_engineers_unfinished_note_expires_with_a_notice_for_staff(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    await eng.press("已修复")
    await eng.press("电源")
    assert isinstance(await h.draft(1001), WorkDraft)
    count = eng.count()
    await h.tick(hours=24, minutes=1)
    assert await h.draft(1001) is None
    # Not the customers' "send /report again": engineers do not report faults.
    notices = [t for t in eng.since(count) if "24 小时" in t]
    assert notices == ["工单 #1：您未完成的输入已超过 24 小时未操作，已作废，工单状态未变。"]
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.ACCEPTED


# ---------------------------------------------------------------------------- load
async def _customers(h: Harness, n: int) -> list[Chat]:
    return [await h.customer(6000 + i, name=f"Customer {i}") for i in range(n)]


async def test_50_customers_confirming_at_the_same_moment(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    customers = await _customers(h, 50)
    for i, cust in enumerate(customers):
        await h.report_until(cust, "confirm")
        assert "请确认报障信息" in cust.last().text, i
    assert await h.ticket_count() == 0
    await asyncio.gather(*(c.press("确认提交") for c in customers))
    assert await h.ticket_count() == 50
    numbers = []
    for cust in customers:
        tickets = await h.tickets_of(cust.user_id)
        assert len(tickets) == 1
        number = tickets[0].id
        numbers.append(number)
        receipts = [t for t in cust.texts() if "已受理" in t]
        assert len(receipts) == 1 and f"工单号 #{number}\n" in receipts[0]
        assert await h.draft(cust.user_id) is None
    assert sorted(numbers) == list(range(1, 51))
    for eng in (eng1, eng2):
        pages = [t for t in eng.texts() if t.startswith("🚨 新故障 #")]
        assert len(pages) == 50
        assert len(set(pages)) == 50


async def test_50_customers_running_whole_dialogs_at_once(h: Harness) -> None:
    eng1 = await h.staff(1001)
    customers = await _customers(h, 50)

    async def dialog(cust: Chat, i: int) -> None:
        await cust.send("/report")
        await cust.press("否")
        await cust.press("是")
        await cust.send(f"Site of customer {i}")
        await cust.send(f"Symptom of customer {i}")
        await cust.press("完成")
        await cust.press("跳过")
        await cust.press("使用")
        await cust.press("确认提交")

    await asyncio.gather(*(dialog(c, i) for i, c in enumerate(customers)))
    assert await h.ticket_count() == 50
    for i, cust in enumerate(customers):
        (ticket,) = await h.tickets_of(cust.user_id)
        assert ticket.site == f"Site of customer {i}"
        assert ticket.symptom == f"Symptom of customer {i}"
        assert f"#{ticket.id}" in cust.last().text
    pages = {t.split("\n")[0] for t in eng1.texts() if t.startswith("🚨 新故障 #")}
    assert len(pages) == 50


async def test_50_severe_faults_opened_at_once_and_accepted_at_once(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    customers = await _customers(h, 50)
    for cust in customers:
        await h.report_until(cust, "site", level="A")
    await asyncio.gather(*(c.send(f"Site {c.user_id}") for c in customers))
    assert await h.ticket_count() == 50
    # Both engineers press Accept on every page at the same moment: one owner each.
    presses = []
    for eng in (eng1, eng2):
        for page in [m for m in eng.messages() if m.text.startswith("🚨 新故障 #")]:
            presses.append(eng.press_data(page.message_id, page.buttons()[0][1]))
    await asyncio.gather(*presses)
    owners = []
    for cust in customers:
        (ticket,) = await h.tickets_of(cust.user_id)
        assert ticket.status == Status.ACCEPTED and ticket.owner_key in ("eng1", "eng2")
        owners.append(ticket.owner_key)
        assert [e.kind for e in await h.events(ticket.id)] == ["reported", "accepted"]
        assert sum("已由工程师" in t for t in cust.texts()) == 1
    assert sum(t.startswith("🛠 工单 #") for t in eng1.texts() + eng2.texts()) == 50
