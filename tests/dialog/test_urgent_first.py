"""Urgent first (issue 9): nothing stands between a customer and a page; a command in the middle
of a form repeats the pending question; the severity preview promises what the receipt keeps;
managers are greeted for their role."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.drafts import ProfileDraft, ReportDraft, WorkDraft
from bot.domain.ticket import Status
from tests.dialog.harness import Chat, Harness

BUSY = "请先完成当前的填写，或发送 /cancel 取消。"
RESUME = "您有未完成的填写，请继续回答（或发送 /cancel 取消）："
AFTER_REPORT = "为便于工程师联系您，请补充您的联系信息（可发送 /cancel 跳过）。"
ASK_NAME = "请告诉我您的姓名："
ASK_UNIT = "您所在的单位："
WHOLE = "整个系统是否无法使用、业务已经中断？"
INTRO = "开始报障。先回答几个简单问题，以确定故障级别。"
# The intro opens the first question: one message (Telegram paces a chat at about 1/s).
INTRO_WHOLE = f"{INTRO}\n\n{WHOLE}"


async def joined(h: Harness) -> Chat:
    """A customer who has just joined: the profile's first question waits."""
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    assert cust.last().text == ASK_NAME
    return cust


# ---------------------------------------------------------------------------- report first
async def test_report_right_after_joining_pages_first_and_asks_the_profile_after(
    h: Harness,
) -> None:
    eng1 = await h.staff(1001)
    cust = await joined(h)
    await cust.send("/report")
    assert cust.texts()[-1] == INTRO_WHOLE
    await cust.press("否")
    await cust.press("是")  # B
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("完成")
    await cust.press("跳过")
    # The phone is a step of the report: with no profile it is asked for.
    assert cust.last().text == "请输入联系电话："
    await cust.send("13900000009")
    await cust.press("确认提交")
    receipt, after, ask = cust.texts()[-3:]
    assert receipt.startswith("✅ 已受理，工单号 #1")
    assert (after, ask) == (AFTER_REPORT, ASK_NAME)
    assert "新故障 #1" in eng1.find("新故障 #1").text
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.contact_phone == "13900000009"
    # Only what is not yet known: the phone came with the report.
    await cust.send("赵六")
    assert cust.last().text == ASK_UNIT
    await cust.send("村委会")
    assert cust.last().text == "已保存：赵六，村委会，13900000009。可随时用 /profile 修改。"
    user = await h.user(5001)
    assert user is not None and user.profile_done
    assert (user.name, user.unit, user.phone) == ("赵六", "村委会", "13900000009")
    assert await h.draft(5001) is None


async def test_an_a_fault_right_after_joining_pages_at_the_site(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await joined(h)
    await cust.send("/report")
    await cust.press("是")
    await cust.send("Data centre")
    assert "特大故障已立即派单，工单号 #1" in cust.find("#1").text
    assert eng1.find("新故障 #1")
    await cust.send("Everything is down")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.send("13900000009")
    done, after, ask = cust.texts()[-3:]
    assert done.startswith("补充信息已加入工单 #1")
    assert (after, ask) == (AFTER_REPORT, ASK_NAME)
    draft = await h.draft(5001)
    assert isinstance(draft, ProfileDraft) and draft.phone == "13900000009"


async def test_report_after_a_cancelled_profile_starts_the_report(h: Harness) -> None:
    cust = await joined(h)
    await cust.send("/cancel")
    await cust.send("/report")
    assert cust.texts()[-1] == INTRO_WHOLE
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.phone == ""


async def test_a_known_profile_is_not_asked_after_the_report(h: Harness) -> None:
    cust = await h.customer()
    await h.report(cust)
    assert cust.last().text.startswith("✅ 已受理，工单号 #1")
    assert await h.draft(5001) is None


# ---------------------------------------------------------------------------- the pending question
@pytest.mark.parametrize(
    ("step", "question", "buttons"),
    [
        ("severity", WHOLE, ["是", "否"]),
        ("partial", "是否有部分设备故障，或部分功能受影响、受限？", ["是", "否"]),
        ("site", "故障地点在哪里？请写出地点，或发送位置。", []),
        ("photos", "如有照片请发送（可多张），完成后点「完成」。", ["完成"]),
        ("phone", "联系电话：使用 13900000000，或输入其他号码。", ["使用 13900000000"]),
        ("confirm", "请确认报障信息：", ["✅ 确认提交", "✏️ 修改", "取消"]),
        ("edit", "要修改哪一项？", ["地点", "现象", "照片", "型号/序列号", "电话"]),
    ],
)
async def test_a_command_in_the_middle_of_the_report_repeats_its_question(
    h: Harness, step: str, question: str, buttons: list[str]
) -> None:
    cust = await h.customer()
    await h.report_until(cust, step)
    before = await h.draft(5001)
    for command, lead in [("/profile", BUSY), ("/report", BUSY), ("/start", RESUME),
                          ("/start VILLAGE2026", RESUME)]:
        count = cust.count()
        await cust.send(command)
        said = cust.since(count)
        assert said[0] == lead, command
        assert said[-1].startswith(question), command
        assert INTRO not in said  # the question again, not the whole dialog
        assert [label for label, _ in cust.last().buttons()] == buttons, command
    assert await h.draft(5001) == before
    # The repeated question's buttons work.
    if step == "confirm":
        await cust.press("确认提交")
        assert cust.last().text.startswith("✅ 已受理，工单号 #1")


async def test_a_command_in_the_middle_of_the_profile_repeats_its_question(h: Harness) -> None:
    cust = await h.customer()
    await cust.send("/profile")
    await cust.send("李四")
    await cust.send("/profile")
    assert cust.texts()[-2:] == [BUSY, ASK_UNIT]
    await cust.send("/start")
    assert cust.texts()[-2:] == [RESUME, ASK_UNIT]


async def test_a_command_in_the_middle_of_an_engineers_note_repeats_its_question(
    h: Harness,
) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.press("接单")
    await eng.press("备注")
    assert eng.last().text == "工单 #1：请输入备注："
    await eng.send("/start")
    assert eng.texts()[-2:] == [RESUME, "工单 #1：请输入备注："]
    assert isinstance(await h.draft(1001), WorkDraft)


# ---------------------------------------------------------------------------- a new report
async def test_a_new_report_ends_the_details_of_an_early_a_ticket(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report_until(cust, "symptom", level="A")
    assert eng1.find("新故障 #1")
    await cust.send("/report")
    assert cust.texts()[-2:] == [
        "已停止补充信息。工单 #1 已经建立，工程师正在处理。", INTRO_WHOLE]
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.ticket_id is None and draft.step == "severity"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.NEW
    # The new report goes its own way to a ticket of its own.
    await cust.press("否")
    await cust.press("是")
    await cust.send("Another site")
    await cust.send("Another fault")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.press("使用")
    await cust.press("确认提交")
    assert cust.last().text.startswith("✅ 已受理，工单号 #2")


# ---------------------------------------------------------------------------- promised times
async def test_the_preview_promises_durations_and_the_receipt_the_tickets_deadlines(
    h: Harness,
) -> None:
    cust = await h.customer()
    await cust.send("/report")
    await cust.press("否")
    await cust.press("否")  # C, at 14:00
    preview = cust.texts()[-1]
    assert preview == (
        "故障级别：C 一般故障（一般技术故障，大部分工作正常进行）\n"
        "工程师将在 15分钟内响应，2小时内到场；到场后2小时内修复。"
        "\n\n故障地点在哪里？请写出地点，或发送位置。"
    )
    # The customer takes half an hour over the form: the deadlines count from the report.
    await h.tick(minutes=30)
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.press("使用")
    await cust.press("确认提交")
    receipt = cust.last().text
    ticket = await h.ticket(1)
    assert ticket is not None
    assert ticket.deadlines.respond_due - ticket.reported_at == timedelta(minutes=15)
    assert "响应时限: 14:45" in receipt and "到场时限: 16:30" in receipt


async def test_the_preview_in_english(h: Harness) -> None:
    cust = await h.customer(language="en")
    await cust.send("/report")
    await cust.press("Yes")
    assert cust.last().text == (
        "Severity: A — severe (severe system failure; the business cannot operate)\n"
        "An engineer will respond within 15m and be on site within 1h; the repair follows "
        "within 4h of arrival.\n\nWhere is the fault? Type the site, or send a location."
    )


# ---------------------------------------------------------------------------- greetings
@pytest.mark.parametrize(
    ("user_id", "greeting"),
    [
        (1012, "您好，Project Manager！您已登记为热线的项目经理。新故障不会推送给您；"),
        (1011, "您好，Customer Manager！您已登记为热线的客户经理。新故障不会推送给您；"),
    ],
)
async def test_managers_are_greeted_for_their_role(
    h: Harness, user_id: int, greeting: str
) -> None:
    manager = await h.staff(user_id)
    assert manager.last().text.startswith(greeting)
    assert "值班" not in manager.last().text.split("。")[1]
    eng = await h.staff(1001)
    assert "您已登记为值班人员" in eng.last().text


async def test_a_manager_is_greeted_in_english(h: Harness) -> None:
    pm = await h.staff(1012, language="en")
    text = pm.last().text
    assert text.startswith("Hello, Project Manager! You are registered as the hotline's "
                           "project manager. New faults are not paged to you;")
    assert "on duty" not in text.split(".")[0]
