"""The engineers' and managers' side: pages, the ticket card, commands, hand-over, re-grading,
the queue, unreachable staff and /whoami."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.domain.ticket import Level, Status
from tests.dialog.harness import Harness

STALE = "这个按钮已失效，请使用最新的消息。"
NOT_OWNER = "只有接单工程师可以操作这张工单。"
CARD_LABELS = ["🚗 已出发", "📍 已到场", "✅ 已修复", "🔁 转交", "📝 备注", "⛔ 未解决原因"]


def labels(buttons: list[tuple[str, str]]) -> list[str]:
    return [label for label, _ in buttons]


# ---------------------------------------------------------------------------- accepting
async def test_first_accept_wins_and_every_page_says_who_took_it(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    page1, page2 = eng1.find("新故障 #1"), eng2.find("新故障 #1")
    await eng1.press("接单", message=page1)
    assert eng1.toast() == "接单成功"
    for page in (page1, page2):
        assert page.text.startswith("#1 已由 Engineer One 接单。\n级别: B 重大故障")
        assert page.buttons() == []
    card = eng1.last()
    assert card.text.startswith("🛠 工单 #1 · 已接单\n")
    assert "负责人: Engineer One" in card.text
    assert labels(card.buttons()) == CARD_LABELS
    assert cust.last().text == "👷 工单 #1 已由工程师 Engineer One 接单，电话 13800000001。"
    # The other engineer's stale page, and a double press of the winner, change nothing.
    eng1_count, cust_count = eng1.count(), cust.count()
    await eng2.press_data(page2.message_id, "tk:acc:1")
    assert eng2.toast() == "这张工单已被其他工程师接单。"
    await eng1.press_data(page1.message_id, "tk:acc:1")
    assert eng1.toast() == "这张工单已经是您的了。"
    await eng2.send("/take 1")
    assert eng2.last().text == "这张工单已被其他工程师接单。"
    assert eng1.count() == eng1_count and cust.count() == cust_count
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng1" and ticket.status == Status.ACCEPTED
    assert [e.kind for e in await h.events(1)] == ["reported", "accepted"]


async def test_two_engineers_pressing_accept_at_the_same_moment(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    page1, page2 = eng1.find("新故障 #1"), eng2.find("新故障 #1")
    await asyncio.gather(
        eng1.press_data(page1.message_id, "tk:acc:1"),
        eng2.press_data(page2.message_id, "tk:acc:1"),
    )
    toasts = sorted([eng1.toast() or "", eng2.toast() or ""])
    assert toasts == sorted(["接单成功", "这张工单已被其他工程师接单。"])
    ticket = await h.ticket(1)
    assert ticket is not None
    winner = "eng1" if eng1.toast() == "接单成功" else "eng2"
    assert ticket.owner_key == winner
    assert [e.kind for e in await h.events(1)] == ["reported", "accepted"]
    assert sum("已由工程师" in t for t in cust.texts()) == 1


async def test_a_manager_or_an_engineer_of_another_project_cannot_accept(h: Harness) -> None:
    eng1, eng3 = await h.staff(1001), await h.staff(1003)
    pm = await h.staff(1012)
    other = await h.customer(5101, invite="OTHER2026")
    village = await h.customer(5001)
    await h.report(other)  # 1: project "other", on duty eng3
    await h.report(village)  # 2: project "village"
    await eng1.send("/take 1")
    assert eng1.last().text == "找不到这张工单，或您无权处理。"
    await pm.send("/take 2")
    assert pm.last().text == "只有本项目的工程师可以接单。"
    # A forwarded page pressed by the manager.
    page = eng1.find("新故障 #2")
    await pm.press_data(page.message_id, "tk:acc:2")
    assert pm.toast() == "只有本项目的工程师可以接单。"
    # An engineer who is a member (not on duty) of the project may take it.
    await eng3.send("/take 2")
    assert eng3.last().text.startswith("🛠 工单 #2 · 已接单")
    t1, t2 = await h.ticket(1), await h.ticket(2)
    assert t1 is not None and t1.owner_key is None and t1.status == Status.NEW
    assert t2 is not None and t2.owner_key == "eng3"


# ---------------------------------------------------------------------------- the card
async def test_card_buttons_carry_the_ticket_to_closed(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.press("接单")
    card = eng1.last()
    await h.tick(minutes=20)
    await eng1.press("已出发", message=card)
    assert eng1.toast() == "已记录：出发"
    # The card is edited in place, without the step that is done.
    assert card.text.startswith("🛠 工单 #1 · 工程师在路上")
    assert labels(card.buttons()) == [
        "📍 已到场", "✅ 已修复", "🔁 转交", "📝 备注", "⛔ 未解决原因"
    ]
    assert cust.last().text == "🚗 工单 #1：工程师 Engineer One 已出发，预计 16:00 前到场。"
    await eng1.press_data(card.message_id, "tk:onw:1")
    assert eng1.toast() == "这一步已经完成或不适用。"
    await h.tick(minutes=40)
    await eng1.press("已到场", message=card)
    assert eng1.toast() == "已记录：到场"
    assert card.text.startswith("🛠 工单 #1 · 工程师已到场")
    assert "修复时限: 18:00" in card.text  # on site 15:00 + 3h for B
    assert labels(card.buttons()) == ["✅ 已修复", "🔁 转交", "📝 备注", "⛔ 未解决原因"]
    assert cust.last().text == "📍 工单 #1：工程师 Engineer One 已到场，承诺 18:00 前修复。"
    await eng1.press_data(card.message_id, "tk:arr:1")
    assert eng1.toast() == "这一步已经完成或不适用。"

    await eng1.press("已修复", message=card)
    causes = eng1.last()
    assert causes.text == "工单 #1：请选择故障原因："
    assert labels(causes.buttons()) == [
        "电源", "传输", "硬件", "软件", "用户操作", "不可抗力", "其他"]
    await eng1.press("硬件", message=causes)
    assert causes.buttons() == []
    assert eng1.last().text == "工单 #1：请简要说明处理措施："
    await eng1.press_data(causes.message_id, "cause:1:power")
    assert eng1.toast() == STALE
    await eng1.send("更换了交换机电源模块")
    final_card = eng1.last()
    assert final_card.text.startswith("🛠 工单 #1 · 已修复，待确认")
    assert "原因: 硬件" in final_card.text and final_card.buttons() == []
    resolved = cust.last()
    assert resolved.text == (
        "✅ 工单 #1 已修复。\n原因：硬件\n处理：更换了交换机电源模块\n请确认是否已恢复正常。")
    assert labels(resolved.buttons()) == ["✅ 确认已恢复", "❌ 未修复"]
    # The old card's buttons are refused now.
    await eng1.press_data(card.message_id, "tk:res:1")
    assert eng1.toast() == "这张工单不在处理中。"

    await cust.press("已恢复")
    # Closed, then the satisfaction survey.
    assert cust.texts()[-2:] == [
        "感谢确认，工单 #1 已关闭。", "感谢您确认工单 #1！请为本次服务打分（1–5 星）："
    ]
    assert resolved.buttons() == []
    assert eng1.last().text == "客户已确认工单 #1 修复，工单关闭。"
    await cust.press_data(resolved.message_id, "cust:1:notfixed")
    assert cust.toast() == "这张工单目前不是「已修复」状态。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.CLOSED
    assert (ticket.cause, ticket.resolution) == ("hardware", "更换了交换机电源模块")
    assert ticket.on_way_at == datetime(2026, 11, 23, 6, 20, tzinfo=UTC)
    assert ticket.on_site_at == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert [e.kind for e in await h.events(1)] == [
        "reported", "accepted", "on_way", "arrived", "resolved", "confirmed"]


async def test_not_fixed_reopens_to_the_same_engineer(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.send("/resolve 1 Restarted")
    await eng1.press("软件")
    await cust.press("未修复")
    assert cust.last().text == (
        "已重新打开工单 #1，并通知了工程师，修复时限重新计算。请描述仍存在的问题："
    )
    assert eng1.texts()[-2] == "⚠️ 客户反馈工单 #1 未修复，工单已重新打开（第 1 次）。"
    card = eng1.last()
    assert card.text.startswith("🛠 工单 #1 · 已接单") and "重开次数: 1" in card.text
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.ACCEPTED
    assert ticket.owner_key == "eng1" and ticket.reopen_count == 1


async def test_add_note_button_asks_for_the_text(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.press("备注")
    assert eng1.toast() == "好的"
    assert eng1.last().text == "工单 #1：请输入备注："
    await eng1.sticker()
    assert eng1.last().text == "请用文字回复。"
    await eng1.send("Customer asked to come after 16:00")
    assert eng1.last().text == "备注已加入工单 #1。"
    assert await h.draft(1001) is None
    events = await h.events(1)
    assert events[-1].kind == "note"
    assert events[-1].detail == {"text": "Customer asked to come after 16:00"}


# ---------------------------------------------------------------------------- commands
async def test_commands_carry_a_ticket_from_queue_to_resolved(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/queue")
    assert eng1.last().text == "待处理工单\n#1 [B] 待接单 — Village 3 office"
    await eng1.send("/mine")
    assert eng1.last().text == "我负责的工单\n（无）"
    await eng1.send("/take 1")
    assert eng1.last().text.startswith("🛠 工单 #1 · 已接单")
    await eng1.send("/mine")
    assert eng1.last().text == "我负责的工单\n#1 [B] 已接单 · Engineer One — Village 3 office"
    await eng1.send("/onway 1")
    assert eng1.last().text.startswith("🛠 工单 #1 · 工程师在路上")
    assert "已出发" in cust.last().text
    await eng1.send("/arrive #1")
    assert eng1.last().text.startswith("🛠 工单 #1 · 工程师已到场")
    assert "已到场" in cust.last().text
    await eng1.send("/note 1 Cable was loose")
    assert eng1.last().text == "备注已加入工单 #1。"
    await eng1.send("/resolve 1 Replaced the cable")
    assert eng1.last().text == "工单 #1：请选择故障原因："
    await eng1.press("传输")
    assert "原因：传输\n处理：Replaced the cable" in cust.last().text
    await eng1.send("/queue")
    assert eng1.last().text == "待处理工单\n（无）"
    await eng1.send("/resolve 1 again")
    assert eng1.last().text == "这张工单不在处理中。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.RESOLVED
    assert (ticket.cause, ticket.resolution) == ("transmission", "Replaced the cable")


async def test_command_refusals_and_usage(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    for command, answer in [
        ("/onway 1", NOT_OWNER),
        ("/arrive 1", NOT_OWNER),
        ("/resolve 1 done", NOT_OWNER),
        ("/take 999", "找不到这张工单，或您无权处理。"),
        ("/take", "用法：/take 工单号，例如 /take 12"),
        ("/take abc", "用法：/take 工单号，例如 /take 12"),
        ("/onway", "用法：/onway 工单号，例如 /onway 12"),
        ("/resolve", "用法：/resolve 工单号 处理说明"),
        ("/note 1", "用法：/note 工单号 备注"),
        ("/note x hello", "用法：/note 工单号 备注"),
        ("/regrade 1", "用法：/regrade 工单号 A|B|C"),
    ]:
        await eng2.send(command)
        assert eng2.last().text == answer, command
    for command in ("/take 1", "/queue", "/mine", "/onway 1", "/resolve 1 x", "/note 1 x"):
        await cust.send(command)
        assert cust.last().text == "此操作仅限值班人员。", command
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng1" and ticket.status == Status.ACCEPTED
    assert [e.kind for e in await h.events(1)] == ["reported", "accepted"]


async def test_resolve_without_a_note_asks_for_it_and_cancel_leaves_it_open(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.press("已修复")
    await eng1.send("No buttons for me")
    assert eng1.last().text == "请点击上面消息中的按钮作答，或发送 /cancel 取消。"
    await eng1.press("电源")
    await eng1.send("/cancel")
    assert eng1.last().text == "已取消。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.ACCEPTED
    await eng1.send("Hello")  # no dialog waits: the staff help
    assert eng1.last().text.startswith("值班命令")


# ---------------------------------------------------------------------------- hand-over
async def test_handover_accepted(h: Harness) -> None:
    eng1, eng2, eng3 = await h.staff(1001), await h.staff(1002), await h.staff(1003)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    card = eng1.last()
    await eng1.press("转交", message=card)
    ask = eng1.last()
    assert ask.text == "工单 #1：转交给谁？"
    assert ask.buttons() == [("Engineer Two", "hto:1:eng2"), ("Engineer Three", "hto:1:eng3")]
    await eng1.press("Engineer Two", message=ask)
    assert ask.buttons() == []
    assert eng1.last().text == "已请 Engineer Two 接手工单 #1，等待对方确认。"
    offer = eng2.last()
    assert offer.text.startswith("🔁 Engineer One 请您接手工单 #1：\n级别: B 重大故障")
    assert labels(offer.buttons()) == ["接手", "拒绝"]
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng1" and ticket.handover_to == "eng2"
    # Only the person asked can answer.
    await eng3.press_data(offer.message_id, "hov:1:y")
    assert eng3.toast() == STALE
    await eng2.press("接手", message=offer)
    assert offer.buttons() == []
    assert eng1.last().text == "Engineer Two 已接手工单 #1。"
    new_card = eng2.last()
    assert new_card.text.startswith("🛠 工单 #1 · 已接单")
    assert "负责人: Engineer Two" in new_card.text
    assert cust.last().text == "👷 工单 #1 已由工程师 Engineer Two 接单，电话 13800000002。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng2" and ticket.handover_to is None
    # The previous owner's card no longer works; the offer cannot be answered twice.
    await eng1.press_data(card.message_id, "tk:onw:1")
    assert eng1.toast() == NOT_OWNER
    await eng2.press_data(offer.message_id, "hov:1:n")
    assert eng2.toast() == STALE
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng2" and ticket.status == Status.ACCEPTED
    await eng2.send("/status 1")
    timeline = eng2.last().text
    assert "Engineer One: 提出转交给 Engineer Two" in timeline
    assert "Engineer Two: 接手（原负责人 Engineer One）" in timeline


async def test_handover_declined_stays_with_the_owner(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.press("转交")
    await eng1.press("Engineer Two")
    cust_count = cust.count()
    await eng2.press("拒绝")
    assert eng2.toast() == "好的"
    assert eng1.last().text == "Engineer Two 未接手工单 #1，工单仍由您负责。"
    assert cust.count() == cust_count
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng1" and ticket.handover_to is None
    assert [e.kind for e in await h.events(1)][-1] == "handover_declined"
    await eng2.send("/onway 1")
    assert eng2.last().text == NOT_OWNER


async def test_double_tap_on_the_handover_target(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.press("转交")
    ask = eng1.last()
    await eng1.press_data(ask.message_id, "hto:1:eng2")
    await eng1.press_data(ask.message_id, "hto:1:eng2")
    assert eng1.toast() == "已在等待对方确认这次转交。"
    assert sum(t.startswith("🔁 Engineer One 请您接手工单 #1") for t in eng2.texts()) == 1
    assert [e.kind for e in await h.events(1)].count("handover_proposed") == 1
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.handover_to == "eng2"
    # No answer: the owner may offer it to someone else; the first offer is then void.
    offer = eng2.last()
    eng3 = await h.staff(1003)
    await eng1.press("转交")
    await eng1.press("Engineer Three")
    assert eng3.last().text.startswith("🔁 Engineer One 请您接手工单 #1")
    await eng2.press("接手", message=offer)
    assert eng2.toast() == STALE
    await eng3.press("接手")
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng3" and ticket.handover_to is None


async def test_forged_handover_buttons_are_refused(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    card = eng1.last()
    for data, toast in [
        ("hto:1:eng1", "不能转交给自己。"),
        ("hto:1:cm", STALE),  # a manager is not an engineer
        ("hto:1:nobody", STALE),
        ("hto:999:eng2", STALE),
        ("hov:1:y", STALE),  # nothing was offered
    ]:
        await eng1.press_data(card.message_id, data)
        assert eng1.toast() == toast, data
    await eng2.press_data(card.message_id, "tk:hov:1")
    assert eng2.toast() == NOT_OWNER
    await eng2.press_data(card.message_id, "hto:1:eng2")
    assert eng2.toast() == NOT_OWNER
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.owner_key == "eng1" and ticket.handover_to is None
    assert [e.kind for e in await h.events(1)] == ["reported", "accepted"]


# ---------------------------------------------------------------------------- re-grading
async def test_manager_regrades_and_the_deadlines_change(h: Harness) -> None:
    eng1 = await h.staff(1001)
    pm = await h.staff(1012)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    assert "到场时限: 16:00" in eng1.last().text
    await pm.send("/regrade 1 a")
    expected = (
        "级别由 B 重大故障 调整为 A 特大故障。\n响应时限: 14:15\n到场时限: 15:00\n"
        "修复时限: 到场后4小时内"
    )
    assert pm.last().text == f"工单 #1 {expected}"
    assert eng1.last().text == f"工单 #1 {expected}"
    assert cust.last().text == (
        "工单 #1 的故障级别由 B 重大故障 调整为 A 特大故障。\n"
        "响应时限: 14:15\n到场时限: 15:00\n修复时限: 到场后4小时内")
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.level == Level.A
    assert ticket.deadlines.arrive_due == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    last = (await h.events(1))[-1]
    assert (last.kind, last.actor, last.detail) == (
        "regraded", "staff:pm", {"old": "B", "new": "A"})
    await pm.send("/status 1")
    assert "Project Manager: 级别 B → A" in pm.last().text
    # Re-grading to the same level, or nonsense, changes nothing.
    await pm.send("/regrade 1 A")
    assert pm.last().text == "级别没有变化。"
    await pm.send("/regrade 1 X")
    assert pm.last().text == "用法：/regrade 工单号 A|B|C"
    await pm.send("/regrade 999 C")
    assert pm.last().text == "找不到这张工单，或您无权处理。"


async def test_regrade_on_site_recomputes_the_repair_deadline(h: Harness) -> None:
    eng1 = await h.staff(1001)
    pm = await h.staff(1012)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await h.tick(minutes=30)
    await eng1.send("/arrive 1")
    assert "修复时限: 17:30" in eng1.last().text  # B: 3h after 14:30
    await pm.send("/regrade 1 C")
    assert "修复时限: 16:30" in pm.last().text  # C: 2h after 14:30
    assert "修复时限: 16:30" in cust.last().text
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.level == Level.C
    assert ticket.deadlines.repair_due == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


async def test_an_engineer_or_customer_cannot_regrade(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.send("/regrade 1 A")
    assert eng1.last().text == "只有经理可以调整故障级别。"
    await cust.send("/regrade 1 A")
    assert cust.last().text == "只有经理可以调整故障级别。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.level == Level.B
    assert "regraded" not in [e.kind for e in await h.events(1)]


async def test_a_closed_ticket_cannot_be_regraded(h: Harness) -> None:
    eng1 = await h.staff(1001)
    pm = await h.staff(1012)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.send("/resolve 1 ok")
    await eng1.press("其他")
    await cust.press("已恢复")
    await pm.send("/regrade 1 A")
    assert pm.last().text == "这张工单已经结束。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.level == Level.B


# ---------------------------------------------------------------------------- the queue
async def test_queue_shows_only_the_staffs_projects(h: Harness) -> None:
    eng1, eng3 = await h.staff(1001), await h.staff(1003)
    pm = await h.staff(1012)
    village = await h.customer(5001)
    other = await h.customer(5101, invite="OTHER2026")
    await h.report(village, site="Village site")
    await h.report(other, site="Other site")
    await eng1.send("/queue")
    assert eng1.last().text == "待处理工单\n#1 [B] 待接单 — Village site"
    await pm.send("/queue")
    assert pm.last().text == "待处理工单\n#1 [B] 待接单 — Village site"
    await eng3.send("/queue")  # a member of "village" and on duty for "other"
    assert eng3.last().text == (
        "待处理工单\n#1 [B] 待接单 — Village site\n#2 [B] 待接单 — Other site")
    # Only eng3 was paged for the other project.
    assert eng3.find("新故障 #2") and not any("新故障 #2" in t for t in eng1.texts())
    await village.send("/queue")
    assert village.last().text == "此操作仅限值班人员。"


# ---------------------------------------------------------------------------- reachability
async def test_staff_who_never_started_are_named_to_the_managers_at_startup(h: Harness) -> None:
    pm = await h.staff(1012)
    await h.staff(1001)
    # At the first start nobody had started the bot: nobody could be told.
    assert not any("无法接收消息" in t for t in pm.texts())
    await h.restart()
    report = pm.find("无法接收消息")
    assert report.text == (
        "⚠️ 以下人员无法接收消息（未启动机器人或已屏蔽）：Engineer Two、Engineer Three、"
        "Customer Manager（County Police Village Query Service）。"
        "请提醒他们在 Telegram 中打开本机器人并点「开始」。")
    # A second restart the same day does not repeat it.
    count = pm.count()
    await h.restart()
    assert pm.count() == count
    # Once everyone started, a restart the next day says nothing.
    for uid in (1002, 1003, 1011):
        await h.staff(uid)
    await h.tick(days=1)
    count = pm.count()
    await h.restart()
    assert pm.count() == count


async def test_startup_report_in_english_for_an_english_manager(h: Harness) -> None:
    pm = await h.staff(1012, language="en")
    await h.restart()
    assert "These staff cannot receive messages" in pm.last().text
    assert "Engineer One, Engineer Two, Engineer Three, Customer Manager" in pm.last().text


async def test_a_page_to_a_blocked_engineer_is_reported_to_the_managers(h: Harness) -> None:
    pm = await h.staff(1012)
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    h.request.blocked.add(1001)
    cust = await h.customer()
    await h.report(cust)
    assert eng2.find("新故障 #1")
    assert not any("新故障 #1" in t for t in eng1.texts())
    warning = pm.find("Engineer One")
    assert warning.text == (
        "⚠️ 以下人员无法接收消息（未启动机器人或已屏蔽）：Engineer One"
        "（County Police Village Query Service）。工单 #1 的派单未送达。"
        "请提醒他们在 Telegram 中打开本机器人并点「开始」。")
    user = await h.user(1001)
    assert user is not None and user.unreachable_at is not None
    assert user.unreachable_reason is not None and "blocked" in user.unreachable_reason
    # A restart names them among the unreachable too.
    await h.restart()
    assert pm.last().text.startswith(
        "⚠️ 以下人员无法接收消息（未启动机器人或已屏蔽）：Engineer One、Engineer Three、"
        "Customer Manager（")
    # The engineer unblocks the bot: reachable again, and can still take the ticket.
    await eng1.send("/start")
    user = await h.user(1001)
    assert user is not None and user.unreachable_at is None
    await eng1.send("/take 1")
    assert eng1.last().text.startswith("🛠 工单 #1 · 已接单")


async def test_a_page_to_an_engineer_who_never_started_is_reported(h: Harness) -> None:
    pm = await h.staff(1012)
    await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    warning = pm.find("Engineer Two")
    assert "工单 #1 的派单未送达。" in warning.text
    assert "Engineer One" not in warning.text
    refused_before = len(h.request.refused)
    # Known unreachable now: the next page skips Engineer Two instead of failing again.
    await h.report(cust)
    assert len(h.request.refused) == refused_before
    assert not any("工单 #2" in m.text for m in pm.messages())


# ---------------------------------------------------------------------------- /whoami
async def test_whoami_answers_anyone(h: Harness) -> None:
    stranger = h.chat(7777, "Stranger", "en")
    await stranger.send("/start")  # Telegram's Start button, no invite: joins nothing
    assert "Please join through your project's invite link" in stranger.last().text
    await stranger.send("/whoami")
    assert stranger.last().text == "Your Telegram user id: 7777"
    assert stranger.last().html == "Your Telegram user id: <code>7777</code>"
    cust = await h.customer()
    await cust.send("/whoami")
    assert cust.last().text == "您的 Telegram 用户 ID：5001"
    eng = await h.staff(1001)
    await eng.send("/whoami")
    assert eng.last().text == "您的 Telegram 用户 ID：1001"
    # In the middle of a dialog too; the dialog goes on.
    await h.report_until(cust, "symptom")
    await cust.send("/whoami")
    assert cust.last().text == "您的 Telegram 用户 ID：5001"
    await cust.send("Screen is black")
    assert cust.last().text.startswith("如有照片请发送")


async def test_help_by_role(h: Harness) -> None:
    cust = await h.customer()
    eng = await h.staff(1001)
    await cust.send("/help")
    assert cust.last().text.startswith("客户命令\n/report 报障")
    await eng.send("/help")
    assert eng.last().text.startswith("值班命令\n/queue 待处理工单")


# ---------------------------------------------------------------------------- on the way, late
async def test_on_the_way_after_the_arrival_deadline_says_it_was_missed(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)  # B at 14:00: on site by 16:00
    await eng1.send("/take 1")
    await h.tick(hours=3)  # 17:00
    await eng1.send("/onway 1 40m")
    assert cust.last().text == (
        "🚗 工单 #1：工程师 Engineer One 已出发。很抱歉，承诺的到场时间 16:00 已经超过。\n"
        "工程师预计 17:40 到场。"
    )
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.ON_WAY


async def test_on_the_way_late_without_an_estimate_promises_no_time(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await h.tick(hours=2)  # exactly 16:00: the deadline is not ahead any more
    await eng1.press("已出发")
    assert cust.last().text == (
        "🚗 工单 #1：工程师 Engineer One 已出发。很抱歉，承诺的到场时间 16:00 已经超过。"
    )


async def test_on_the_way_in_time_with_an_estimate_gives_it(h: Harness) -> None:
    eng1 = await h.staff(1001, language="en")
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.send("/onway 1 soon")
    assert eng1.last().text == "Usage: /onway NUMBER [time to the site, e.g. 30m or 1h30m]"
    await eng1.send("/onway 1 1h")
    assert cust.last().text == "🚗 工单 #1：工程师 Engineer One 已出发，预计 15:00 到场。"
