"""The hotline desk: faults phoned in with /log (zh and en), the caller found or a new contact
without Telegram (their updates go to the staff member as calls to make), the call time set
back and its limits, and the refusals."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.drafts import ReportDraft
from bot.domain.ticket import Level
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_service_report import documents, flat, pdf_text
from tests.dialog.walks import log_new_contact

STALE = "这个按钮已失效，请使用最新的消息。"


async def _severity_to_confirm_zh(staff: Chat, *, level: str = "B") -> None:
    """The report dialog's questions, as for a customer (B or C: confirmed at the end)."""
    await staff.press("否")
    await staff.press("是" if level == "B" else "否")
    await staff.send("Village 3 office")
    await staff.send("Terminal freezes")
    await staff.press("完成")
    await staff.send("HX-200 SN: 42")
    await staff.press("使用")
    await staff.press("确认提交")


async def test_existing_caller_zh_gets_receipt_and_updates(h: Harness) -> None:
    cust = await h.customer(5001, name="Demo Caller")
    other = await h.customer(5002, invite="OTHER2026", name="Demo Other")
    eng = await h.staff(1001)
    eng2 = await h.staff(1002)
    await eng.send("/log")  # what is logged first; one project: then the caller
    await eng.press("故障报修")  # a fault, not a service request
    assert "County Police Village Query Service：来电人是谁？" in eng.last().text
    await eng.send("Demo")
    found = eng.last()
    assert "与“Demo”匹配的客户" in found.text
    labels = [label for label, _ in found.buttons()]
    # Another project's customer never shows.
    assert labels == [
        "Demo Caller (Village Police Station · 13900000000)", "➕ 新联系人"], labels
    assert not any("Demo Other" in lb for lb in labels)
    await eng.press("Demo Caller")
    assert "电话是什么时候打进来的？" in eng.last().text
    await eng.press("现在")
    assert eng.last().text.startswith("您的系统是否完全无法使用") or eng.last().buttons()
    await _severity_to_confirm_zh(eng)
    ticket = (await h.tickets_of(5001))[-1]
    assert ticket.channel == "phone" and ticket.relay_staff is None
    assert ticket.level == Level.B and ticket.reported_at == h.clock.now()
    assert ticket.model == "HX-200" and ticket.serial == "42"
    assert ticket.contact_name == "Demo Caller"
    assert any(f"工单 <b>#{ticket.id}</b>" in t or f"#{ticket.id}" in t for t in cust.texts())
    assert f"电话报障已登记为工单 #{ticket.id}" in eng.transcript()
    # The on-duty engineers are paged as for a chat report; the customer hears of acceptance.
    assert any(f"新故障 #{ticket.id}" in t for t in eng2.texts())
    before = cust.count()
    await eng.send(f"/take {ticket.id}")
    assert cust.since(before), eng.transcript()
    assert other.count() > 0 and all(f"#{ticket.id}" not in t for t in other.texts())
    # No profile questions for the staff member after the report.
    assert await h.draft(1001) is None


async def test_new_contact_en_relays_updates_to_the_logger(h: Harness) -> None:
    eng = await h.staff(1003, "en")  # two projects: which one first
    await eng.send("/log")
    await eng.press("Fault")  # a fault, not a service request
    assert eng.last().text == "📞 Log a call: which project?"
    assert [b for b, _ in eng.last().buttons()] == [
        "County Police Village Query Service", "Other Project"]
    await eng.press("Other Project")
    assert "Other Project: who is calling?" in eng.last().text
    await eng.send("nobody")
    assert "No customer of this project matches “nobody”" in eng.last().text
    await eng.press("New contact")
    assert eng.last().text == "The caller's name?"
    await eng.send("Demo Contact")
    await eng.send("Demo Works")
    await eng.send("call me")
    assert eng.last().text.startswith("Please enter a valid phone number: 6 to 24 digits")
    await eng.send("010-5555-0100")
    assert "When did the call come in?" in eng.last().text
    await eng.press("Now")
    await eng.press("No")
    await eng.press("Yes")
    await eng.send("Plant room")
    await eng.send("Link down")
    await eng.press("Done")
    await eng.press("Skip")
    await eng.press("Use")
    await eng.press("Confirm")
    ticket = (await h.tickets_of(0))[-1]
    assert ticket.channel == "phone" and ticket.relay_staff == 1003
    assert (ticket.contact_name, ticket.contact_unit, ticket.contact_phone) == (
        "Demo Contact", "Demo Works", "010-5555-0100")
    relayed = [t for t in eng.texts() if t.startswith("📞 Call Demo Contact")]
    assert relayed and f"(phone 010-5555-0100) about ticket #{ticket.id}" in relayed[0]
    assert "Received: ticket" in relayed[0]
    # An update meant for the caller comes to the logger as a call to make, without buttons.
    before = eng.count()
    await eng.send(f"/take {ticket.id}")
    await eng.send(f"/onway {ticket.id}")
    calls = [t for t in eng.since(before) if t.startswith("📞 Call Demo Contact")]
    assert calls, eng.transcript()
    assert all(m.buttons() == [] for m in eng.messages() if m.text.startswith("📞 Call"))
    assert not h.request.refused


async def test_new_contact_zh_relay_text(h: Harness) -> None:
    cm = await h.staff(1011)
    await log_new_contact(cm)  # 演示联系人, 演示单位, 13700000000, now
    await _severity_to_confirm_zh(cm, level="C")
    ticket = (await h.tickets_of(0))[-1]
    assert ticket.relay_staff == 1011 and ticket.level == Level.C
    assert f"📞 请致电 演示联系人（电话 13700000000）转告工单 #{ticket.id} 的进展：" in (
        cm.transcript())


async def test_back_dated_call_and_its_limits(h: Harness) -> None:
    eng = await h.staff(1001)
    await eng.send("/log")
    await eng.press("故障报修")  # a fault, not a service request
    await eng.send("Nobody")
    await eng.press("新联系人")
    await eng.send("演示联系人")
    await eng.send("演示单位")
    await eng.send("13700000000")
    await eng.send("-3h")
    assert eng.last().text.startswith("来电时间最多只能往前 2 小时")
    await eng.send("+5m")
    assert eng.last().text.startswith("没看懂这个时间")
    await eng.send("14:30")  # the clock says 14:00 local
    assert eng.last().text.startswith("这个时间还没到")
    draft = await h.draft(1001)
    assert isinstance(draft, ReportDraft) and draft.step == "desk_when"
    await eng.send("13:35")
    assert eng.last().text.startswith("为什么晚登记？")
    await eng.send("在现场处理另一起故障")
    await _severity_to_confirm_zh(eng)
    ticket = (await h.tickets_of(0))[-1]
    call = h.clock.now() - timedelta(minutes=25)
    assert ticket.reported_at == call
    assert ticket.deadlines.respond_due == call + timedelta(minutes=15)
    events = await h.events(ticket.id)
    phoned = [e for e in events if e.kind == "phoned_in"]
    assert phoned and phoned[0].actor == "staff:eng1"
    assert phoned[0].detail["reason"] == "在现场处理另一起故障"
    assert phoned[0].detail["call"].endswith("13:35")
    await eng.send(f"/status {ticket.id}")
    assert "电话报障，来电时间 2026-11-23 13:35（补登原因：在现场处理另一起故障）" in (
        eng.last().text)


async def test_back_dated_en_minutes_ago(h: Harness) -> None:
    eng = await h.staff(1001, "en")
    await eng.send("/log")
    await eng.press("Fault")  # a fault, not a service request
    await eng.press("New contact")
    await eng.send("Demo Contact")
    await eng.send("Demo Works")
    await eng.send("+86 10 5555 0100")
    await eng.send("in an hour")
    assert eng.last().text.startswith("That time was not understood")
    await eng.send("-121m")
    assert eng.last().text.startswith("The call time can be set back by at most 2 hours")
    await eng.send("-20m")
    assert eng.last().text.startswith("Why is it logged late?")


async def test_a_customer_cannot_log(h: Harness) -> None:
    cust = await h.customer(5001, "en")
    await cust.send("/log")
    assert cust.last().text == (
        "Sorry, /log is for the hotline staff to log calls. To report a fault, use /report.")
    assert await h.draft(5001) is None
    zh = await h.customer(5003)
    await zh.send("/log")
    assert zh.last().text.startswith("抱歉，/log 供值班人员登记电话报障使用")


async def test_caller_buttons_of_another_project_are_refused(h: Harness) -> None:
    await h.customer(5002, invite="OTHER2026", name="Demo Other")
    eng = await h.staff(1001)  # village only
    await eng.send("/log")
    await eng.press("故障报修")  # a fault, not a service request
    await eng.send("Demo Other")
    assert "本项目没有与“Demo Other”匹配的客户" in eng.last().text
    # A forged caller button naming the other project's customer changes nothing.
    await eng.press_data(eng.last().message_id, "dsk:who:5002")
    assert eng.toast() == STALE
    draft = await h.draft(1001)
    assert isinstance(draft, ReportDraft) and draft.step == "desk_caller"
    assert draft.caller_id is None
    # And a project that is not theirs.
    await eng.press_data(eng.last().message_id, "dsk:prj:other")
    assert eng.toast() == STALE


async def test_service_report_shows_the_phone_channel_and_the_call(h: Harness) -> None:
    eng = await h.staff(1001)
    await log_new_contact(eng, unit="<b>演示</b> & 单位", when="-20m", reason="先处理了另一个电话")
    await _severity_to_confirm_zh(eng)
    ticket = (await h.tickets_of(0))[-1]
    await eng.send(f"/take {ticket.id}")
    await eng.send(f"/resolve {ticket.id} 重启了终端")
    await eng.press("硬件")
    before = len(documents(eng))
    await eng.send(f"/doc {ticket.id}")
    docs = documents(eng)
    assert len(docs) == before + 1, eng.transcript()
    text = flat(pdf_text(docs[-1]))
    assert "报障渠道电话报障" in text
    assert "电话报障，来电时间2026-11-2313:40（补登原因：先处理了另一个电话）" in text
    assert "<b>演示</b>&单位" in text
    # The caller's copy of the report went to the logger as a call to make, not to chat 0.
    assert "📞 请致电 演示联系人" in eng.transcript()
