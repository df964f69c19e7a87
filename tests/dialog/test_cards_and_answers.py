"""Messages that stay true: the owner's ticket card follows every change (status, the nearest
deadline and its overdue mark, a pause, closed) and superseded cards lose their buttons; a
question answered with a button keeps its text and shows the answer, who gave it and when."""

from __future__ import annotations

from tests.dialog.harness import Harness, Sent

CARD_LABELS = ["🚗 已出发", "📍 已到场", "✅ 已修复", "🔁 转交", "📝 备注", "⛔ 未解决原因"]


def labels(message: Sent) -> list[str]:
    return [label for label, _ in message.buttons()]


# ---------------------------------------------------------------------------- cards
async def test_a_new_card_takes_the_buttons_off_the_one_before(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    first = eng1.last()
    assert labels(first) == CARD_LABELS
    await eng1.send("/onway 1")
    second = eng1.last()
    assert second is not first and second.text.startswith("🛠 工单 #1 · 工程师在路上")
    assert labels(second) == ["📍 已到场", "✅ 已修复", "🔁 转交", "📝 备注", "⛔ 未解决原因"]
    # The superseded card keeps its text, without buttons that would do the wrong thing.
    assert first.text.startswith("🛠 工单 #1 · 已接单") and first.buttons() == []


async def test_the_card_follows_changes_made_by_others_and_time(h: Harness) -> None:
    eng1, pm = await h.staff(1001), await h.staff(1012)
    cust = await h.customer()
    await h.report(cust)  # B at 14:00: on site by 16:00
    await eng1.send("/take 1")
    card = eng1.last()
    assert "⏰ 最近时限：到场 16:00" in card.text
    # A manager re-grades it: the owner's card shows the new level and deadline.
    await pm.send("/regrade 1 A")
    assert "级别: A 特大故障" in card.text and "⏰ 最近时限：到场 15:00" in card.text
    # The arrival deadline passes: the card says so.
    await h.tick(hours=1, minutes=1)
    assert "🔴 已超时：到场 15:00" in card.text
    assert labels(card) == CARD_LABELS
    # The customer confirms the repair: the card says closed, without buttons.
    await eng1.send("/resolve 1 Replaced the power module")
    await eng1.press("硬件")
    resolved_card = eng1.last()
    assert resolved_card.text.startswith("🛠 工单 #1 · 已修复，待确认")
    await cust.press("已恢复")
    assert resolved_card.text.startswith("🛠 工单 #1 · 已关闭")
    assert resolved_card.buttons() == [] and card.buttons() == []


async def test_the_card_shows_a_pause_while_paused(h: Harness) -> None:
    eng1, pm = await h.staff(1001), await h.staff(1012)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    card = eng1.last()
    await eng1.send("/pause 1 Road closed by flooding")
    await pm.press("批准")
    await cust.press("同意")  # both sides agreed: the clocks stop
    assert "⏸" in card.text and "Road closed by flooding" in card.text
    await eng1.send("/resume 1")
    assert "⏸" not in card.text


async def test_a_former_owners_card_loses_its_buttons(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    card = eng1.last()
    await eng1.press("转交", message=card)
    await eng1.press("Engineer Two")
    await eng2.press("接手")
    assert "负责人: Engineer Two" in card.text and card.buttons() == []
    assert labels(eng2.last()) == CARD_LABELS


# ---------------------------------------------------------------------------- answers
async def test_answered_questions_keep_their_text_and_show_the_answer(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await cust.send("/report")
    question = cust.last()
    asked = question.text
    await cust.press("否", message=question)
    assert question.text == f"{asked}\n\n✔ Customer One：否（14:00）"
    assert question.buttons() == []
    await cust.press("是")
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.press("使用")
    await cust.press("确认提交")
    await eng1.send("/take 1")
    await h.tick(minutes=5)
    await eng1.send("/resolve 1 Replaced the power module")
    causes = eng1.last()
    await eng1.press("硬件", message=causes)
    assert causes.text == "工单 #1：请选择故障原因：\n\n✔ Engineer One：硬件（14:05）"
    assert causes.buttons() == []
    resolved = cust.find("已修复。")
    await cust.press("已恢复", message=resolved)
    assert resolved.text.endswith("请确认是否已恢复正常。\n\n✔ Customer One：确认已恢复（14:05）")
    assert resolved.buttons() == []


async def test_an_approval_shows_who_approved_it_in_english(h: Harness) -> None:
    eng1, pm = await h.staff(1001), await h.staff(1012, language="en")
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.send("/pause 1 Road closed by flooding")
    asked = pm.last()
    before = asked.text
    await pm.press("Approve", message=asked)
    assert asked.text == f"{before}\n\n✔ Approve — Project Manager, 14:00"
    assert asked.buttons() == []


async def test_a_hand_over_offer_shows_the_answer(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.press("转交")
    choice = eng1.last()
    await eng1.press("Engineer Two", message=choice)
    assert choice.text.endswith("\n\n✔ Engineer One：Engineer Two（14:00）")
    offer = eng2.last()
    await eng2.press("拒绝", message=offer)
    assert "✔ Engineer Two：" in offer.text and offer.buttons() == []
