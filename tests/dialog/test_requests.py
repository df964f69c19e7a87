"""Service requests that are not faults (/request for customers, /log's first step for staff),
in zh and en: the kind instead of the severity questions, its own clocks, the same accept →
resolve → confirm flow; and the hotline number with the customer manager in the welcome, /help
and every receipt."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from bot.storage.uow import unit_of_work
from tests.dialog.harness import Harness
from tests.dialog.test_service_report import documents, flat, pdf_text
from tests.dialog.test_sla import run
from tests.dialog.walks import log_new_contact, request
from tests.support.configs import OTHER_PROJECT, hotline_config, policy_toml, project_toml

HOTLINE = "400-000-0001"
CONTACT_ZH = "热线 400-000-0001 · 客户经理 Customer Manager 13800000011"
CONTACT_EN = "Hotline 400-000-0001 · Customer manager Customer Manager 13800000011"
# The village project with a hotline (its escalation starts with the customer manager); the
# other project has neither a hotline nor a customer manager.
VILLAGE = project_toml(
    on_duty=["eng1", "eng2"], members=["eng3"], escalation=["cm", "pm"],
    extra=f'hotline = "{HOTLINE}"\n',
)  # fmt: skip
CONFIG = hotline_config(projects=[VILLAGE, OTHER_PROJECT])
# The village's policy with its own request clocks (the other kinds keep their defaults).
OWN_CLOCKS = hotline_config(
    projects=[VILLAGE, OTHER_PROJECT],
    policies=policy_toml()
    + '\n[policies.abc.requests]\ntraining = { respond = "20m", resolve = "2d" }\n',
)


async def started(tmp_path: Path, config: str = CONFIG) -> Harness:
    h = Harness(tmp_path, config)
    await h.start()
    return h


async def clock_states(h: Harness, ticket_id: int) -> dict[str, tuple[bool, bool]]:
    """Each clock of the ticket: (running, missed)."""
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        return {
            c.name: (c.running, c.breached_at is not None)
            for c in await uow.clocks.of_ticket(ticket_id)
        }


# ---------------------------------------------------------------- the hotline and the manager
async def test_welcome_help_and_receipt_show_the_hotline_and_manager_zh(tmp_path: Path) -> None:
    h = await started(tmp_path)
    try:
        cust = await h.customer()
        joined = cust.find("您已加入项目")
        assert joined.text == (
            "您已加入项目：County Police Village Query Service。\n" + CONTACT_ZH
        )
        await cust.send("/help")
        assert cust.last().text.endswith("\n\n" + CONTACT_ZH)
        await cust.send("/start")
        assert cust.last().text.endswith("\n" + CONTACT_ZH)  # welcome back
        number = await h.report(cust)
        receipt = cust.find(f"已受理，工单号 #{number}")
        assert receipt.text.endswith("\n" + CONTACT_ZH)
        # Another project without a hotline or customer manager: nothing of it is shown.
        other = await h.customer(5002, invite="OTHER2026")
        await other.send("/help")
        assert "热线" not in other.transcript() and "客户经理 " not in other.transcript()
        # Staff are not shown the customers' contact line.
        eng = await h.staff(1001)
        await eng.send("/help")
        assert "热线 400" not in eng.last().text
        assert not h.errors
    finally:
        await h.stop()


async def test_welcome_help_and_receipt_show_the_hotline_and_manager_en(tmp_path: Path) -> None:
    h = await started(tmp_path)
    try:
        cust = await h.customer(5001, "en")
        assert cust.find("You have joined").text.endswith("\n" + CONTACT_EN)
        await cust.send("/help")
        assert cust.last().text.endswith("\n\n" + CONTACT_EN)
        assert "/request Request a service" in cust.last().text
        await cust.send("/request")
        await cust.press("Technical consultation")
        await cust.send("HQ room 2")
        await cust.send("How do I export the logs?")
        await cust.press("Skip")
        await cust.press("Use")
        await cust.press("Confirm")
        assert cust.find("Received: ticket #1").text.endswith("\n" + CONTACT_EN)
    finally:
        await h.stop()


# ---------------------------------------------------------------- /request, customers
async def test_a_consultation_zh_from_request_to_survey(tmp_path: Path) -> None:
    h = await started(tmp_path)
    try:
        cust = await h.customer()
        eng = await h.staff(1001)
        eng2 = await h.staff(1002)
        await cust.send("/request")
        asked = cust.last()
        assert asked.text == "需要哪种服务？（故障请用 /report）"
        assert [b for b, _ in asked.buttons()] == [
            "技术咨询", "升级/变更现场支持", "培训", "活动保障"]
        await cust.send("随便写")  # the kind is a button
        assert cust.last().text == "请点击上面消息中的按钮作答，或发送 /cancel 取消。"
        await cust.press("技术咨询", message=asked)
        assert "服务类型：技术咨询\n我们将在 30分钟内响应，1天内完成。" in cust.transcript()
        assert cust.last().text.startswith("在哪里（地点或单位）？")
        await cust.send("Village 3 office")
        assert cust.last().text.startswith("需要什么？")
        await cust.send("如何导出查询日志？")
        assert cust.last().text.startswith("希望什么时间？")
        await cust.send("12月1日上午")
        await cust.press("使用")
        summary = cust.last().text
        assert summary.startswith("请确认服务请求：")
        for line in ("服务类型: 技术咨询", "需求: 如何导出查询日志？", "希望时间: 12月1日上午"):
            assert line in summary, summary
        assert "级别" not in summary and "照片" not in summary and "现象" not in summary
        await cust.press("确认提交")
        [ticket] = await h.tickets_of(5001)
        assert ticket.kind == "consultation" and ticket.preferred == "12月1日上午"
        assert ticket.channel == "chat"
        receipt = cust.find(f"已受理，工单号 #{ticket.id}").text
        assert "服务类型: 技术咨询" in receipt and "完成时限: 11-24 14:00" in receipt
        assert "响应时限: 14:30" in receipt and "到场" not in receipt
        # The engineers are paged for a service request, with its kind instead of a level.
        page = eng2.find(f"新服务请求 #{ticket.id}")
        assert "服务类型: 技术咨询" in page.text and "级别" not in page.text
        assert await clock_states(h, ticket.id) == {
            "respond": (True, False), "resolve": (True, False)}
        # The same flow as a fault: accept, resolve (a service report naming the kind),
        # confirm, survey.
        await eng.send(f"/take {ticket.id}")
        assert await clock_states(h, ticket.id) == {
            "respond": (False, False), "resolve": (True, False)}
        await eng.send(f"/resolve {ticket.id} 已远程指导导出日志")
        assert not any("故障原因" in t for t in eng.texts())  # a request has no fault cause
        assert await clock_states(h, ticket.id) == {
            "respond": (False, False), "resolve": (False, False)}
        [doc] = documents(cust)
        text = flat(pdf_text(doc))
        assert "服务类型技术咨询" in text and "希望时间12月1日上午" in text
        assert "需求如何导出查询日志？" in text
        assert "级别" not in text and "故障原因" not in text
        assert "服务完成" in text  # the resolve clock, named for what it is
        await cust.press("确认")
        assert cust.find("已关闭")
        assert cust.find("请为本次服务打分")  # the survey, as after a fault
        await cust.press("⭐⭐⭐⭐⭐")
        assert cust.last().text.startswith("谢谢您的评分！")
        # A request has no level to change.
        cm = await h.staff(1011)
        await cm.send(f"/regrade {ticket.id} A")
        assert cm.last().text == f"#{ticket.id} 是服务请求，没有故障级别可调整。"
        assert not h.errors
    finally:
        await h.stop()


async def test_training_request_en_with_the_policy_s_own_clocks(tmp_path: Path) -> None:
    h = await started(tmp_path, OWN_CLOCKS)
    try:
        cust = await h.customer(5001, "en")
        await cust.send("/request")
        await cust.press("Training")
        assert (
            "Service: Training\nWe will respond within 20m and complete it within 2d."
            in cust.transcript()
        )
        await cust.send("Police station hall")
        await cust.send("Train 12 new operators on the query terminal")
        assert cust.last().text.startswith("When would you like it?")
        await cust.send("Thursday 9:00")
        await cust.press("Use")
        await cust.press("Edit")
        labels = [b for b, _ in cust.last().buttons()]
        assert labels == ["Site", "What is needed", "Preferred time", "Phone"], labels
        await cust.press("Preferred time")
        await cust.send("Friday 14:00")
        assert "Preferred time: Friday 14:00" in cust.last().text
        await cust.press("Confirm")
        [ticket] = await h.tickets_of(5001)
        assert (ticket.kind, ticket.preferred) == ("training", "Friday 14:00")
        receipt = cust.find(f"Received: ticket #{ticket.id}").text
        assert "Service: Training" in receipt
        assert "Respond by: 14:20" in receipt and "Complete by: 11-25 14:00" in receipt
    finally:
        await h.stop()


async def test_staff_and_strangers_are_sent_elsewhere(tmp_path: Path) -> None:
    h = await started(tmp_path)
    try:
        eng = await h.staff(1001)
        await eng.send("/request")
        assert eng.last().text == "值班人员请用 /log 登记客户的服务请求。"
        stranger = h.chat(7777)
        await stranger.send("/start")
        await stranger.send("/request")
        assert stranger.last().text.startswith("欢迎使用 7×24 热线值班机器人")
        assert await h.draft(1001) is None and await h.draft(7777) is None
        # A forged kind changes nothing.
        cust = await h.customer()
        await cust.send("/request")
        await cust.press_data(cust.last().message_id, "rep:request_kind:fault")
        assert cust.toast() == "这个按钮已失效，请使用最新的消息。"
        draft = await h.draft(5001)
        assert draft is not None and getattr(draft, "step", "") == "request_kind"
    finally:
        await h.stop()


# ---------------------------------------------------------------- /log, staff
async def test_log_a_request_kind_for_a_caller_zh(tmp_path: Path) -> None:
    h = await started(tmp_path)
    try:
        cust = await h.customer(name="Demo Caller")
        eng = await h.staff(1001)
        await eng.send("/log")
        asked = eng.last()
        assert asked.text == "登记什么？故障，或一种服务请求："
        assert [b for b, _ in asked.buttons()] == [
            "故障报修", "技术咨询", "升级/变更现场支持", "培训", "活动保障"]
        await eng.press("升级/变更现场支持")
        await eng.send("Demo")
        await eng.press("Demo Caller")
        await eng.press("现在")
        assert eng.last().text.startswith("在哪里（地点或单位）？")  # no severity questions
        await eng.send("机房")
        await eng.send("周六凌晨升级服务器，需要工程师到场")
        await eng.send("周六 02:00")
        await eng.press("使用")
        await eng.press("确认提交")
        [ticket] = await h.tickets_of(5001)
        assert (ticket.kind, ticket.channel) == ("upgrade", "phone")
        logged = eng.find(f"电话服务请求已登记为工单 #{ticket.id}").text
        assert "服务类型: 升级/变更现场支持" in logged and "希望时间: 周六 02:00" in logged
        # The caller in Telegram gets the receipt, with the hotline and the manager.
        receipt = cust.find(f"已受理，工单号 #{ticket.id}").text
        assert "服务类型: 升级/变更现场支持" in receipt and receipt.endswith(CONTACT_ZH)
        # Default clocks of an upgrade: respond 1 h, resolve 3 days.
        assert "响应时限: 15:00" in receipt and "完成时限: 11-26 14:00" in receipt
    finally:
        await h.stop()


async def test_log_a_consultation_en_for_a_new_contact(tmp_path: Path) -> None:
    h = await started(tmp_path)
    try:
        eng = await h.staff(1001, "en")
        await log_new_contact(
            eng, lang="en", kind="Technical consultation", name="Demo Contact",
            unit="Demo Works", phone="010-5555-0100", when="-10m", reason="Was on another call",
        )  # fmt: skip
        assert eng.last().text.startswith("Where (site or office)?")
        await eng.send("Head office")
        await eng.send("Which ports does the terminal need open?")
        await eng.press("Skip")
        await eng.press("Use")
        await eng.press("Confirm")
        [ticket] = await h.tickets_of(0)
        assert (ticket.kind, ticket.relay_staff) == ("consultation", 1001)
        # Its clocks run from the call, ten minutes back: 30 minutes to respond.
        logged = eng.find(f"logged as service request #{ticket.id}").text
        assert "Respond by: 14:20" in logged and "Service: Technical consultation" in logged
    finally:
        await h.stop()


# ---------------------------------------------------------------- a request's clock
async def test_a_consultation_s_respond_clock_reminds_and_escalates_like_a_fault(
    tmp_path: Path,
) -> None:
    h = await started(tmp_path)
    try:
        cust = await h.customer()
        eng1, eng2 = await h.staff(1001), await h.staff(1002)
        cm, pm = await h.staff(1011), await h.staff(1012)
        assert await request(h, cust) == 1  # a consultation in Village 3 office
        before = {c: c.count() for c in (eng1, cm, pm, cust)}
        await h.tick(minutes=15)  # 50 % of 30 minutes
        warn = "⏰ 工单 #1（技术咨询，Village 3 office）的响应时限还剩 15分钟，截止 14:30。"
        assert warn in eng1.since(before[eng1]) and warn in eng2.texts()
        await h.tick(minutes=15)  # the deadline
        missed = [t for t in eng1.since(before[eng1]) if t.startswith("🔴")]
        assert missed and missed[0].startswith(
            "🔴 工单 #1（技术咨询，Village 3 office）已超过响应时限（截止 14:30）。"), missed
        assert any(t.startswith("🔴 工单 #1（技术咨询") for t in cm.since(before[cm]))
        assert any("响应时限（14:30）已经超过" in t for t in cust.since(before[cust]))
        await h.tick(minutes=30)  # the chain's next level
        assert any(
            t.startswith("🔴 升级：工单 #1（技术咨询，Village 3 office）响应时限已超 30分钟")
            for t in pm.since(before[pm])
        ), pm.transcript()
        assert await clock_states(h, 1) == {"respond": (True, True), "resolve": (True, False)}
        # Accepting stops the respond clock and its escalation.
        await eng1.send("/take 1")
        seen = pm.count()
        await h.tick(minutes=60)
        assert pm.since(seen) == []
    finally:
        await h.stop()


async def test_monthly_numbers_count_requests_apart(tmp_path: Path) -> None:
    """A fault and a consultation in one month: the fault numbers count one ticket, the
    requests line the other."""
    from bot.domain.monthly import month_period
    from bot.storage.monthly import Monthly

    h = await started(tmp_path)
    try:
        cust = await h.customer()
        eng = await h.staff(1001)
        await h.report(cust)
        assert await request(h, cust) == 2  # a consultation
        await eng.send("/take 2")
        await eng.send("/resolve 2")  # without what was done: asked for it, no cause
        assert eng.texts()[-1] == "工单 #2：请简要说明处理措施："
        await eng.send("已答复")
        assert h.hb is not None
        period = month_period("village", 2026, 11, h.settings.tz)
        async with unit_of_work(h.hb.db) as uow:
            s = await Monthly(uow.conn).summary(period, [], h.clock.now())
            details = await Monthly(uow.conn).details(period)
        assert s.reported == 1 and s.resolved == 0 and s.resolution_rate == 0.0
        assert [t.id for t in details.tickets] == [1]
        assert {r.clock for r in s.clocks} == {"respond", "arrive"}
        assert sum(r.count for r in s.clocks if r.clock == "respond") == 1
        [req] = s.requests
        assert (req.kind, req.reported, req.resolved) == ("consultation", 1, 1)
        assert (req.respond_met, req.respond_missed, req.resolve_met) == (1, 0, 1)
        # The workbook's Summary sheet: the fault numbers, then the requests by kind.
        pm = await h.staff(1012)
        await pm.send("/monthly village 2026-11")
        await run(h, minutes=1)
        books = [m.file for m in pm.messages() if m.file and m.file[0].endswith(".xlsx")]
        assert books, pm.transcript()
        rows = list(load_workbook(io.BytesIO(books[-1][1]))["汇总"].iter_rows(values_only=True))
        summary = {r[0]: r[1] for r in rows[1:]}
        assert summary["报修数量"] == "1" and summary["故障解决率"] == "0.0%"
        assert summary["服务请求（不计入故障）"] == "1"
        assert summary["  技术咨询"] == (
            "1 个，已完成 1；响应达标 1/超时 0；完成达标 1/超时 0")
    finally:
        await h.stop()

