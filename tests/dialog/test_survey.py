"""The satisfaction survey (满意度调查) after the customer confirms: stars, an optional comment,
a low score told to the customer manager with a call-back clock that reminds and escalates
until /callback records it, and the "file a complaint" offer."""

from __future__ import annotations

from bot.domain.ticket import Status
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_sla import (
    CM,
    CUSTOMER,
    ENG1,
    PM,
    Said,
    make,
    run,
    s,
    said_since,
    send,
    team,
    to,
)

__all__ = ["make", "s"]  # the fixtures, shared with the SLA tests

STARS_ZH = "感谢您确认工单 #1！请为本次服务打分（1–5 星）："
STARS_EN = "Thank you for confirming ticket #1! Please rate our service (1–5 stars):"
# HTML, MarkdownV2 characters, right-to-left text, a zero-width joiner, emoji.
HOSTILE = "等了太久 <b>&amp;</b> *_[x](y)~`> ‮رسالة‍ 😡🔧"
MANAGERS_ONLY_EN = "Only managers can record a call-back."
STAR_LABELS = ["⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]


async def report_en(cust: Chat) -> None:
    """A B-level report, in English."""
    await cust.send("/report")
    await cust.press("No")
    await cust.press("Yes")
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("Done")
    await cust.press("Skip")
    await cust.press("Use")
    await cust.press("Confirm")


async def confirmed(h: Harness, cust: Chat, eng: Chat, *, en: bool = False) -> None:
    """Ticket #1 reported, taken, resolved and confirmed by the customer."""
    await (report_en(cust) if en else h.report(cust))
    await eng.send("/take 1")
    await eng.send("/resolve 1 Replaced the power module")
    await eng.press("Power supply" if en else "电源")
    await cust.press("Confirm fixed" if en else "已恢复")


async def press_star(h: Harness, cust: Chat, label: str, *, en: bool = False) -> list[Said]:
    """Press exactly `label` (one star is part of every label) on the stars question."""
    ask = cust.find(STARS_EN if en else STARS_ZH)
    data = dict(ask.buttons())[label]
    mark = max(h.request.messages, default=0)
    await cust.press_data(ask.message_id, data)
    return said_since(h, mark)


async def survey_row(h: Harness, ticket_id: int) -> tuple[int, str | None] | None:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        survey = await uow.surveys.get(ticket_id)
    return None if survey is None else (survey.stars, survey.comment)


async def test_confirming_asks_for_stars_then_a_comment(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    ask = cust.find(STARS_ZH)
    assert [label for label, _ in ask.buttons()] == STAR_LABELS
    await cust.press("⭐⭐⭐⭐⭐", message=ask)
    assert cust.last().text == (
        "谢谢您的评分！还有什么想对我们说的吗？请直接回复文字，或点击“跳过”。"
    )
    assert [label for label, _ in cust.last().buttons()] == ["跳过"]
    await cust.send("工程师很专业")
    assert cust.last().text == "感谢您的评价，我们会继续改进服务。"
    assert await survey_row(s, 1) == (5, "工程师很专业")
    kinds = [e.kind for e in await s.events(1)]
    assert kinds[-2:] == ["rated", "rating_comment"]
    # A good score tells no manager.
    assert not any("星" in t for t in staff[CM].texts())


async def test_skipping_the_comment_in_english(s: Harness) -> None:
    staff = await team(s, language="en")
    cust = await s.customer(language="en")
    await confirmed(s, cust, staff[ENG1], en=True)
    ask = cust.find(STARS_EN)
    await cust.press("⭐⭐⭐⭐", message=ask)
    await cust.press("Skip")
    assert cust.last().text == "Thank you for your feedback; it helps us improve."
    assert await survey_row(s, 1) == (4, None)
    assert await s.draft(CUSTOMER) is None


async def test_an_unanswered_comment_expires_silently(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    await press_star(s, cust, "⭐⭐⭐⭐")
    before = cust.count()
    await run(s, hours=25)
    assert await s.draft(CUSTOMER) is None
    assert cust.since(before) == []
    assert await survey_row(s, 1) == (4, None)


async def test_a_5000_character_comment_is_refused(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    await press_star(s, cust, "⭐⭐⭐")
    await cust.send("评" * 5000)
    assert cust.last().text == "内容太长（最多 1000 字），请精简后再发送。"
    await cust.send("好")
    assert await survey_row(s, 1) == (3, "好")


async def test_a_second_press_changes_nothing(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    ask = cust.find(STARS_ZH)
    data = dict(ask.buttons())
    await cust.press("⭐⭐⭐⭐⭐", message=ask)
    await cust.press("跳过")
    before = cust.count()
    await cust.press_data(ask.message_id, data["⭐"])  # the old message's one star
    assert await survey_row(s, 1) == (5, None)
    assert cust.since(before) == []
    assert cust.toast() == "您已为这个工单评过分，谢谢！"
    assert not any("星" in t for t in staff[CM].texts())


async def test_another_customer_cannot_rate_my_ticket(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    data = dict(cust.find(STARS_ZH).buttons())
    other = await s.customer(5002, name="Customer Two")
    before = other.count()
    await other.press_data(cust.find(STARS_ZH).message_id, data["⭐"])
    assert other.toast() == "这个按钮已失效，请使用最新的消息。"
    assert other.since(before) == []
    assert await survey_row(s, 1) is None


async def test_no_survey_before_the_ticket_is_confirmed(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await s.report(cust)
    await staff[ENG1].send("/take 1")
    await cust.press_data(cust.last().message_id, "svy:1:1")  # forged
    assert cust.toast() == "这个按钮已失效，请使用最新的消息。"
    assert await survey_row(s, 1) is None


async def test_a_low_score_tells_the_customer_manager_and_starts_the_call_back_clock(
    s: Harness,
) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    said = await press_star(s, cust, "⭐⭐")
    # The customer manager is told at once, with the ticket's facts.
    cm = to(said, CM)
    assert len(cm) == 1 and cm[0].startswith(
        "⚠️ 客户对工单 #1 的服务评分为 2 星。请在 1 个工作日内回访客户，"
        "并用 /callback 1 记录沟通结果。"
    )
    assert "Village 3 office" in cm[0]
    # The customer is offered a complaint, and asked for a comment.
    offer = cust.find("如需正式投诉")
    assert [label for label, _ in offer.buttons()] == ["📝 我要投诉"]
    await cust.send(HOSTILE)
    assert cust.last().text == "感谢您的评价，我们会继续改进服务。"
    cm_comment = staff[CM].find("客户留言").text
    assert cm_comment.startswith(f"💬 工单 #1（2 星）客户留言：\n{HOSTILE}\n")
    assert await survey_row(s, 1) == (2, HOSTILE)
    # The complaint button starts a complaint about this ticket (no "about what?" question).
    await cust.press("我要投诉", message=offer)
    assert cust.last().text == "关于工单 #1：请描述发生了什么（文字，可附照片）。"
    await cust.send("/cancel")
    # 12 h: the reminder goes to the customer manager; 24 h: missed, the chain is told.
    later = await run(s, hours=12, minutes=1)
    assert to(later, CM) == [
        "⏰ 工单 #1（B 重大故障，Village 3 office）的低分回访时限还剩 12小时，截止 14:00。"
    ]
    assert [x for x in to(later, ENG1) if "每日设备维护报告" not in x] == []  # no clock
    later = await run(s, hours=12)
    assert to(later, CM) == [
        "🔴 工单 #1（B 重大故障，Village 3 office）已超过低分回访时限（截止 14:00）。\n"
        "请立即回访客户，并用 /callback 1 记录沟通结果。"
    ]
    assert to(later, CUSTOMER) == []
    assert [x for x in to(later, ENG1) if "每日设备维护报告" not in x] == []
    later = await run(s, minutes=31)
    assert to(later, PM) == [
        "🔴 升级：工单 #1（B 重大故障，Village 3 office）低分回访时限已超 30分钟（截止 14:00）。\n"
        "客户经理：Customer Manager（电话 13800000011）。您可以督促其回访客户，"
        "回访后用 /callback 1 记录。"
    ]
    # The call-back is recorded: the clock stops; nobody is told of it again.
    said = await send(s, staff[CM], "/callback 1 已致电客户，约定下周回访检查")
    assert to(said, CM) == [
        "📞 已记录工单 #1 的客户回访（Customer Manager）：已致电客户，约定下周回访检查"
    ]
    later = await run(s, days=3)
    assert [x for x in later if "低分回访" in x.text] == []
    assert [e.kind for e in await s.events(1)][-1] == "callback_done"
    # Once only.
    await staff[CM].send("/callback 1 again")
    assert staff[CM].last().text == "工单 #1 的回访已记录过。"
    assert (await s.ticket(1)) is not None
    ticket = await s.ticket(1)
    assert ticket is not None and ticket.status == Status.CLOSED


async def test_callback_in_english_and_refusals(s: Harness) -> None:
    staff = await team(s, language="en")
    cust = await s.customer(language="en")
    await confirmed(s, cust, staff[ENG1], en=True)
    await staff[CM].send("/callback 1 called")
    assert staff[CM].last().text == "Ticket #1 has no low rating to call back about."
    await press_star(s, cust, "⭐", en=True)
    assert staff[CM].find("rated the service of ticket #1 1 star(s)")
    await cust.press("Skip")
    await staff[ENG1].send("/callback 1 called")
    assert staff[ENG1].last().text == MANAGERS_ONLY_EN
    await staff[CM].send("/callback 1")
    assert staff[CM].last().text == "Usage: /callback NUMBER what was agreed"
    await staff[CM].send("/callback 1 Called; a visit next week")
    assert staff[CM].last().text == (
        "📞 Call-back recorded for ticket #1 (Customer Manager): Called; a visit next week"
    )



async def test_a_typed_comment_takes_the_skip_button_off_its_question(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    ask = cust.find(STARS_ZH)
    await cust.press("⭐⭐⭐⭐⭐", message=ask)
    question = cust.find("还有什么想对我们说的吗")
    assert [label for label, _ in question.buttons()] == ["跳过"]
    await cust.send("工程师很专业")
    question = cust.find("还有什么想对我们说的吗")
    assert question.buttons() == [] and question.edits == 1  # one edit: no "not modified"
    assert "请直接回复文字" in question.text  # the question keeps its text
    assert cust.last().text == "感谢您的评价，我们会继续改进服务。"
    # No message of the chat shows a button any more (the stars were answered too).
    assert [m.buttons() for m in cust.messages()[-3:] if m.buttons()] == []


async def test_a_typed_comment_takes_the_skip_button_off_in_english(
    s: Harness,
) -> None:
    staff = await team(s, language="en")
    cust = await s.customer(language="en")
    await confirmed(s, cust, staff[ENG1], en=True)
    await cust.press("⭐⭐", message=cust.find(STARS_EN))
    question = cust.find("Anything you would like to tell us")
    assert [label for label, _ in question.buttons()] == ["Skip"]
    await cust.send("Took too long")
    question = cust.find("Anything you would like to tell us")
    assert question.buttons() == [] and question.edits == 1
    assert cust.last().text == "Thank you for your feedback; it helps us improve."
    assert await survey_row(s, 1) == (2, "Took too long")


async def test_a_pressed_skip_edits_its_question_once(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await confirmed(s, cust, staff[ENG1])
    await cust.press("⭐⭐⭐⭐", message=cust.find(STARS_ZH))
    await cust.press("跳过")
    question = cust.find("还有什么想对我们说的吗")
    # The answer's edit took the button off; the thanks do not edit it again (Telegram
    # refuses "message is not modified", and the harness with it).
    assert question.buttons() == [] and question.edits == 1
    assert cust.last().text == "感谢您的评价，我们会继续改进服务。"
    assert all("Forbidden" in why for _, why in s.request.refused)  # others never started
