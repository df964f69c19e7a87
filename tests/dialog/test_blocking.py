"""Why a ticket is not fixed yet (未解决原因): the owner's card button and /blocked N REASON,
managers of the project too; recorded in the timeline, shown on the card, never told to the
customer; stale and forged buttons change nothing."""

from __future__ import annotations

from tests.dialog.harness import Harness

ZH_CAUSES = ["电源", "传输", "硬件", "软件", "用户操作", "不可抗力", "其他"]


def labels(buttons: list[tuple[str, str]]) -> list[str]:
    return [label for label, _ in buttons]


async def test_the_owner_sets_and_a_manager_changes_the_reason_in_chinese(h: Harness) -> None:
    eng1, eng2, pm = await h.staff(1001), await h.staff(1002), await h.staff(1012)
    cust = await h.customer()
    await h.report(cust)
    await eng1.press("接单", message=eng1.find("新故障 #1"))
    card = eng1.last()
    assert labels(card.buttons())[-1] == "⛔ 未解决原因"
    assert "未解决原因:" not in card.text
    told = cust.count()

    await eng1.press("未解决原因", message=card)
    ask = eng1.last()
    assert ask.text == "工单 #1 为什么还没有解决？请选择原因（当前：无）："
    assert labels(ask.buttons()) == ZH_CAUSES
    await eng1.press("传输", message=ask)
    assert eng1.toast() == "好的"
    assert "工单 #1 的未解决原因：无 → 传输。" in eng1.texts()
    assert ask.buttons() == [] or eng1.h.request.messages[ask.message_id].buttons() == []
    shown = eng1.h.request.messages[card.message_id]  # the card itself now says it
    assert "未解决原因: 传输" in shown.text
    assert labels(shown.buttons())[-1] == "⛔ 受阻：传输"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.blocking_reason == "transmission"
    last = (await h.events(1))[-1]
    assert (last.kind, last.actor, last.detail) == (
        "blocked", "staff:eng1", {"old": "", "new": "transmission"}
    )

    # Another engineer of the project, by button or command: refused, nothing changes.
    before = eng1.count()
    await eng2.press_data(ask.message_id, "blk:1:power")
    assert eng2.toast() == "只有接单工程师可以操作这张工单。"
    await eng2.send("/blocked 1 电源")
    assert eng2.last().text == "只有接单工程师可以操作这张工单。"
    # The project manager may; the owner hears of it.
    await pm.send("/blocked 1 Power")
    assert pm.last().text == "工单 #1 的未解决原因：传输 → 电源。"
    assert "Project Manager 修改了工单 #1 的未解决原因：传输 → 电源。" in eng1.since(before)
    await pm.send("/blocked 1 电源")
    assert pm.last().text == "工单 #1 的未解决原因已经是：电源。"
    # Without a reason: the choices, with "clear"; a wrong reason: the usage with the list.
    await eng1.send("/blocked 1")
    assert labels(eng1.last().buttons()) == [c for c in ZH_CAUSES if c != "电源"] + ["清除原因"]
    await eng1.send("/blocked 1 weather")
    assert eng1.last().text.startswith("用法：/blocked 工单号 [原因]，原因可写：power (电源)")
    await eng1.press("清除原因")
    assert "工单 #1 的未解决原因：电源 → 无。" in eng1.texts()
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.blocking_reason == ""

    # Staff see the history; the customer saw nothing of it, not even in /status.
    await eng1.send("/status 1")
    assert "未解决原因 无 → 传输" in eng1.last().text
    assert "未解决原因 电源 → 无" in eng1.last().text
    await cust.send("/status 1")
    assert "未解决原因" not in cust.last().text
    assert not any("原因" in t for t in cust.since(told)[:-1])

    # A customer forging the button; a stale button after the ticket was resolved.
    await cust.press_data(ask.message_id, "blk:1:power")
    assert cust.toast() == "此操作仅限值班人员。"
    await eng1.send("/blocked 1 hardware")
    await eng1.send("/resolve 1 更换电源模块")
    await eng1.press("电源")
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.blocking_reason == ""  # resolving clears it
    events = len(await h.events(1))
    await eng1.press_data(ask.message_id, "blk:1:software")
    assert eng1.toast() == "这张工单已经结束。"
    await pm.send("/blocked 1 software")
    assert pm.last().text == "这张工单已经结束。"
    await eng1.press_data(ask.message_id, "blk:1:no_such_cause")
    assert eng1.toast() == "这个按钮已失效，请使用最新的消息。"
    assert len(await h.events(1)) == events


async def test_the_reason_from_the_card_in_english(h: Harness) -> None:
    eng = await h.staff(1001, language="en")
    other = await h.staff(1003, language="en")
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    card = eng.last()
    assert labels(card.buttons())[-1] == "⛔ Blocked: why"
    await eng.press("Blocked: why", message=card)
    assert eng.last().text == "Why is ticket #1 not fixed yet? Choose the reason (now: none):"
    assert labels(eng.last().buttons())[:2] == ["Power supply", "Transmission"]
    await eng.press("Power supply")
    assert "Ticket #1 is blocked by: none → Power supply." in eng.texts()
    shown = eng.h.request.messages[card.message_id]
    assert "Blocked by: Power supply" in shown.text
    assert labels(shown.buttons())[-1] == "⛔ Blocked: Power supply"
    await eng.send("/blocked 1 user operation")
    assert eng.last().text == "Ticket #1 is blocked by: Power supply → User operation."
    await eng.send("/blocked 1 clear")
    assert eng.last().text == "Ticket #1 is blocked by: User operation → none."
    await eng.send("/blocked")
    assert eng.last().text.startswith("Usage: /blocked NUMBER [REASON]")
    await other.send("/blocked 1 power")  # a member of the project, not the owner
    assert other.last().text == "Only the engineer who owns this ticket can do that."
    await eng.send("/status 1")
    assert "blocked by none → Power supply" in eng.last().text
    assert [e.kind for e in await h.events(1)][-3:] == ["blocked", "blocked", "blocked"]
