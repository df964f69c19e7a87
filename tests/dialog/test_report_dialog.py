"""The customer's side: joining, the profile, the guided /report dialog, /my and /status."""

from __future__ import annotations

import pytest

from bot.domain.drafts import ProfileDraft, ReportDraft
from bot.domain.ticket import Level, Status
from tests.dialog.harness import Harness

STALE = "这个按钮已失效，请使用最新的消息。"


# ---------------------------------------------------------------------------- joining, profile
async def test_join_asks_the_profile_once(h: Harness) -> None:
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    joined, ask = cust.texts()[-2:]
    assert "您已加入项目：County Police Village Query Service" in joined
    assert ask == "请告诉我您的姓名："
    await cust.send("张三")
    assert cust.last().text == "您所在的单位："
    await cust.send("城关派出所")
    assert cust.last().text == "您的联系电话："
    await cust.send("13900000000")
    assert cust.last().text == "已保存：张三，城关派出所，13900000000。可随时用 /profile 修改。"
    user = await h.user(5001)
    assert user is not None and user.project_key == "village" and user.profile_done
    assert (user.name, user.unit, user.phone) == ("张三", "城关派出所", "13900000000")
    assert await h.draft(5001) is None
    # Joining again does not ask again; /start alone welcomes back.
    before = cust.count()
    await cust.send("/start VILLAGE2026")
    assert cust.since(before) == [
        "您已加入项目：County Police Village Query Service。\n"
        "客户经理 Customer Manager 13800000011"  # no hotline number in this config
    ]
    await cust.send("/start")
    assert "欢迎回来（County Police Village Query Service）" in cust.last().text
    assert await h.draft(5001) is None


async def test_profile_changes_contact_and_the_report_offers_the_new_phone(h: Harness) -> None:
    cust = await h.customer()
    await cust.send("/profile")
    assert cust.last().text == "请告诉我您的姓名："
    await cust.send("李四")
    await cust.send("县公安局信息中心")
    await cust.send("0571-88886666")
    assert "已保存：李四，县公安局信息中心，0571-88886666" in cust.last().text
    user = await h.user(5001)
    assert user is not None and (user.name, user.phone) == ("李四", "0571-88886666")
    await h.report_until(cust, "phone")
    assert cust.last().text == "联系电话：使用 0571-88886666，或输入其他号码。"
    assert cust.last().buttons() == [("使用 0571-88886666", "rep:phone:keep")]
    await cust.press("使用")
    await cust.press("确认提交")
    ticket = await h.ticket(1)
    assert ticket is not None
    assert (ticket.contact_name, ticket.contact_unit, ticket.contact_phone) == (
        "李四", "县公安局信息中心", "0571-88886666")


async def test_profile_refuses_a_bad_phone_and_wrong_kinds(h: Harness) -> None:
    cust = await h.customer()
    await cust.send("/profile")
    await cust.sticker()
    assert cust.last().text == "请用文字回复。"
    await cust.send("   ")
    assert cust.last().text == "请用文字回复。"
    await cust.send("王五")
    await cust.photo()
    assert cust.last().text == "请用文字回复。"
    await cust.send("单位")
    await cust.send("call me maybe")
    assert cust.last().text == "请输入有效的电话号码（数字，可带 + 和 -）。"
    draft = await h.draft(5001)
    assert isinstance(draft, ProfileDraft) and draft.step == "phone"
    await cust.send("+86 139-0000-1111")
    assert "已保存：王五，单位，+86 139-0000-1111" in cust.last().text
    user = await h.user(5001)
    assert user is not None and user.phone == "+86 139-0000-1111"


async def test_report_before_the_profile_starts_the_report_at_once(h: Harness) -> None:
    # Urgent first: the profile is asked after the receipt (tests/dialog/test_urgent_first.py).
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    await cust.send("/cancel")
    assert cust.last().text == "已取消。"
    user = await h.user(5001)
    assert user is not None and user.project_key == "village" and not user.profile_done
    await cust.send("/report")
    # One message: the intro opens the first question (Telegram paces a chat at ~1/s).
    assert cust.last().text == (
        "开始报障。先回答几个简单问题，以确定故障级别。\n\n整个系统是否无法使用、业务已经中断？"
    )
    assert cust.last().buttons() == [("是", "sev:whole:1"), ("否", "sev:whole:0")]
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.phone == ""


async def test_staff_cannot_report(h: Harness) -> None:
    eng = await h.staff(1001)
    await eng.send("/report")
    assert "值班人员不通过本机器人报障" in eng.last().text
    assert await h.draft(1001) is None


# ---------------------------------------------------------------------------- severity
@pytest.mark.parametrize(
    ("answers", "level", "label", "arrive", "repair"),
    [
        (["是"], Level.A, "A 特大故障（系统严重故障，业务无法运行）", "1小时", "4小时"),
        (
            ["否", "是"],
            Level.B,
            "B 重大故障（部分设备故障，部分业务功能受影响）",
            "2小时",
            "3小时",
        ),
        (
            ["否", "否"],
            Level.C,
            "C 一般故障（一般技术故障，大部分工作正常进行）",
            "2小时",
            "2小时",
        ),
    ],
)
async def test_severity_questions_find_the_level_and_promise_durations(
    h: Harness, answers: list[str], level: Level, label: str, arrive: str, repair: str
) -> None:
    cust = await h.customer()
    await cust.send("/report")
    for answer in answers:
        question = cust.last()
        await cust.press(answer)
        # The answered question loses its buttons.
        assert question.buttons() == []
    # The level found opens the next question: one message, not two.
    assert cust.last().text == (
        f"故障级别：{label}\n工程师将在 15分钟内响应，{arrive}内到场；到场后{repair}内修复。"
        "\n\n故障地点在哪里？请写出地点，或发送位置。"
    )
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft)
    assert draft.level == level.value and draft.step == "site"


async def test_severity_in_english(h: Harness) -> None:
    cust = await h.customer(language="en")
    await cust.send("/report")
    assert cust.last().text == (
        "Let's report the fault. A few plain questions first, to find its severity.\n\n"
        "Is the whole system unusable — has the business stopped?"
    )
    await cust.press("No")
    await cust.press("No")
    assert cust.last().text.split("\n\n")[0] == (
        "Severity: C — ordinary (an ordinary fault; most work proceeds normally)\n"
        "An engineer will respond within 15m and be on site within 2h; the repair follows "
        "within 2h of arrival."
    )


# ---------------------------------------------------------------------------- the whole form
async def test_b_report_with_location_photos_model_and_typed_phone(h: Harness) -> None:
    eng1, eng2, eng3 = await h.staff(1001), await h.staff(1002), await h.staff(1003)
    pm = await h.staff(1012)
    cust = await h.customer()
    await h.report_until(cust, "site")
    await cust.location(30.123456, 120.654321)
    assert cust.last().text == "请描述故障现象（最多 2000 字）："
    await cust.send("  摄像头画面黑屏  ")
    assert cust.last().text == "如有照片请发送（可多张），完成后点「完成」。"
    await cust.photo("P1")
    assert cust.last().text == "已收到 1 张照片。继续发送，或点「完成」。"
    await cust.photo("P2")
    assert cust.last().text == "已收到 2 张照片。继续发送，或点「完成」。"
    await cust.press("完成")
    assert cust.last().text == (
        "设备型号和序列号（可跳过）：例如 “DS-2CD3T46 SN:E123”，或分两行写。")
    await cust.send("DS-2CD3T46 SN:E123")
    assert cust.last().text.startswith("联系电话：使用 13900000000")
    await cust.send("0571-88886666")
    summary = cust.last()
    assert summary.text == (
        "请确认报障信息：\n\n级别: B 重大故障\n地点: 已发送定位\n现象: 摄像头画面黑屏\n"
        "照片: 2\n型号: DS-2CD3T46\n序列号: E123\n电话: 0571-88886666"
    )
    draft = await h.draft(5001)
    assert draft is not None and (draft.model, draft.serial) == ("DS-2CD3T46", "E123")  # type: ignore[union-attr]
    assert [label for label, _ in summary.buttons()] == ["✅ 确认提交", "✏️ 修改", "取消"]
    assert await h.ticket_count() == 0  # a B fault waits for the confirmation
    await cust.press("确认提交")
    assert summary.buttons() == []
    receipt = cust.last().text
    assert receipt.startswith("✅ 已受理，工单号 #1\n级别: B 重大故障\n地点: 30.12346, 120.65432")
    assert "报障人" not in receipt  # the customer's own contact is for staff
    assert receipt.endswith(
        "我们会在每一步通知您；查看进度 /status 1\n客户经理 Customer Manager 13800000011")

    ticket = await h.ticket(1)
    assert ticket is not None
    assert ticket.level == Level.B and ticket.status == Status.NEW and ticket.owner_key is None
    assert (ticket.site, ticket.latitude, ticket.longitude) == ("", 30.123456, 120.654321)
    assert ticket.symptom == "摄像头画面黑屏" and ticket.photos == ("P1", "P2")
    assert (ticket.model, ticket.serial) == ("DS-2CD3T46", "E123")
    assert ticket.contact_phone == "0571-88886666"
    assert (ticket.contact_name, ticket.contact_unit) == ("Customer One", "Village Police Station")
    assert [e.kind for e in await h.events(1)] == ["reported"]
    assert await h.draft(5001) is None

    for eng in (eng1, eng2):
        page = eng.find("新故障 #1")
        assert "（County Police Village Query Service）" in page.text
        assert "报障人: Customer One · Village Police Station · 0571-88886666" in page.text
        assert "响应时限: 14:15" in page.text and "到场时限: 16:00" in page.text
        kinds = [m.kind for m in eng.messages()]
        assert kinds.count("photo") == 2 and kinds.count("location") == 1
    # Members not on duty and managers are not paged.
    assert not any("新故障 #" in t for t in eng3.texts() + pm.texts())


async def test_symptom_over_2000_characters_is_asked_to_be_shortened(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "symptom")
    await cust.send("长" * 2001)
    assert cust.last().text == "内容太长（最多 2000 字），请精简后再发送。"
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.step == "symptom" and draft.symptom == ""
    await cust.send("长" * 2000)
    assert cust.last().text.startswith("如有照片请发送")
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.symptom == "长" * 2000


async def test_at_most_ten_photos(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "photos")
    for i in range(10):
        await cust.photo(f"P{i}")
    assert cust.last().text == "已收到 10 张照片。继续发送，或点「完成」。"
    await cust.photo("P10")
    assert cust.last().text == "最多 10 张照片，请点「完成」。"
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and len(draft.photos) == 10


async def test_edit_from_the_summary_changes_one_field_and_returns(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "confirm")
    summary = cust.last()
    await cust.press("修改")
    edit = cust.last()
    assert edit.text == "要修改哪一项？"
    assert edit.buttons() == [
        ("地点", "rep:confirm:edit_site:0"), ("现象", "rep:confirm:edit_symptom:0"),
        ("照片", "rep:confirm:edit_photos:0"), ("型号/序列号", "rep:confirm:edit_model:0"),
        ("电话", "rep:confirm:edit_phone:0")]
    assert summary.buttons() == []
    await cust.press("现象")
    assert edit.buttons() == []
    assert cust.last().text == "请描述故障现象（最多 2000 字）："
    await cust.send("只有 3 号终端死机")
    summary2 = cust.last()
    assert "现象: 只有 3 号终端死机" in summary2.text and "地点: Village 3 office" in summary2.text
    await cust.press("修改")
    await cust.press("电话")
    await cust.send("13711112222")
    assert "电话: 13711112222" in cust.last().text
    await cust.press("修改")
    await cust.press("地点")
    await cust.send("Village 5 office")
    assert "地点: Village 5 office" in cust.last().text
    await cust.press("确认提交")
    ticket = await h.ticket(1)
    assert ticket is not None
    assert (ticket.site, ticket.symptom, ticket.contact_phone) == (
        "Village 5 office", "只有 3 号终端死机", "13711112222")
    # The old summary's Confirm does not open a second ticket.
    await cust.press_data(summary2.message_id, "rep:confirm:ok:1")
    assert cust.toast() == STALE
    assert await h.ticket_count() == 1


async def test_cancel_button_on_the_summary(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "confirm")
    await cust.press("取消")
    assert cust.last().text == "已取消。"
    assert await h.draft(5001) is None and await h.ticket_count() == 0


@pytest.mark.parametrize(
    "step",
    ["severity", "partial", "site", "symptom", "photos", "model", "phone", "confirm", "edit"],
)
async def test_cancel_works_at_every_step(h: Harness, step: str) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report_until(cust, step)
    first_question = cust.find("整个系统")
    with_buttons = [m for m in cust.messages() if m.buttons()]
    await cust.send("/cancel")
    assert cust.last().text == "已取消。"
    assert await h.draft(5001) is None
    assert await h.ticket_count() == 0
    assert not any("新故障 #" in t for t in eng.texts())
    # Buttons of the cancelled dialog are refused politely.
    for message in with_buttons:
        for label, data in message.buttons():
            await cust.press_data(message.message_id, data)
            assert cust.toast() == STALE, label
    await cust.press_data(first_question.message_id, "sev:whole:1")
    assert cust.toast() == STALE
    assert await h.draft(5001) is None and await h.ticket_count() == 0
    # Nothing to cancel now; a new report starts from the beginning.
    await cust.send("/cancel")
    assert cust.last().text == "当前没有进行中的操作。"
    await cust.send("/report")
    assert cust.last().text.endswith("\n\n整个系统是否无法使用、业务已经中断？")


async def test_cancel_in_english(h: Harness) -> None:
    cust = await h.customer(language="en")
    await cust.send("/report")
    await cust.send("/cancel")
    assert cust.last().text == "Cancelled."


# ---------------------------------------------------------------------------- A-level faults
async def test_a_fault_opens_at_the_site_and_later_answers_reach_the_engineer(h: Harness) -> None:
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report_until(cust, "site", level="A")
    assert await h.ticket_count() == 0
    await cust.send("县局机房")
    receipt, ask = cust.texts()[-2:]
    assert receipt == (
        "⚠️ 特大故障已立即派单，工单号 #1，工程师正在接警。请继续补充信息。\n"
        "客户经理 Customer Manager 13800000011")
    assert ask == "请描述故障现象（最多 2000 字）："
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.level == Level.A and ticket.site == "县局机房"
    assert ticket.status == Status.NEW and ticket.symptom == ""
    page1, page2 = eng1.find("新故障 #1"), eng2.find("新故障 #1")
    assert "地点: 县局机房" in page1.text and "到场时限: 15:00" in page1.text
    assert page1.buttons() == [("接单", "tk:acc:1")]

    counts = eng1.count(), eng2.count()
    await cust.send("所有查询终端无法登录")
    # Edited into each page (one message, its Accept button kept), not a message of its own.
    assert (eng1.count(), eng2.count()) == counts
    for page in (page1, page2):
        assert page.text.startswith("🚨 新故障 #1")
        assert "现象: 所有查询终端无法登录" in page.text
        assert page.text.endswith("📎 已补充：现象")
        assert page.buttons() == [("接单", "tk:acc:1")]
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.symptom == "所有查询终端无法登录"

    # An engineer takes it while the customer is still typing: the rest goes to the owner only.
    await eng1.press("接单", message=page1)
    assert "Engineer One" in page2.text and page2.buttons() == []
    eng2_before = eng2.count()
    await cust.photo("P9")
    await cust.press("完成")
    assert eng1.messages()[-1].kind == "photo"
    assert eng1.find("补充了信息（照片）").text.count("照片: 1") == 1
    await cust.press("跳过")  # nothing new: nobody is disturbed
    await cust.press("使用")  # the same phone: nobody is disturbed
    assert eng2.count() == eng2_before
    assert cust.last().text == "补充信息已加入工单 #1。工程师会随时与您联系。"
    assert await h.draft(5001) is None
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.photos == ("P9",) and ticket.owner_key == "eng1"
    kinds = [(e.kind, e.detail.get("field")) for e in await h.events(1)]
    assert kinds == [("reported", None), ("details_added", "symptom"), ("accepted", None),
                     ("details_added", "photos")]
    assert await h.ticket_count() == 1
    # The timeline names the fields in the reader's language, not by their internal keys.
    await cust.send("/status 1")
    timeline = cust.last().text
    assert "客户: 补充信息（现象）" in timeline and "客户: 补充信息（照片）" in timeline


async def test_a_fault_by_location_pages_with_the_pin(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report_until(cust, "site", level="A")
    await cust.location(30.5, 120.5)
    page = eng1.find("新故障 #1")
    assert "地点: 30.50000, 120.50000" in page.text
    assert eng1.messages()[-1].kind == "location"


async def test_cancel_after_an_a_fault_opened_keeps_the_ticket(h: Harness) -> None:
    await h.staff(1001)
    cust = await h.customer()
    await h.report_until(cust, "symptom", level="A")
    await cust.send("/cancel")
    assert cust.last().text == "已停止补充信息。工单 #1 已经建立，工程师正在处理。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.NEW
    assert await h.draft(5001) is None
    await cust.send("/my")
    assert "#1 [A] 待接单" in cust.last().text


# ---------------------------------------------------------------------------- /my and /status
async def test_my_and_status_show_only_the_customers_own_tickets(h: Harness) -> None:
    eng1, eng3 = await h.staff(1001), await h.staff(1003)
    c1 = await h.customer(5001, name="Alice")
    c2 = await h.customer(5002, name="Bob")
    c3 = await h.customer(5003, invite="OTHER2026", name="Carol")
    await h.report(c1, site="Alice site")
    await h.report(c2, site="Bob site")
    await h.report(c3, site="Carol site")
    await c1.send("/my")
    assert c1.last().text == "我的未结工单\n#1 [B] 待接单 — Alice site"
    await c2.send("/my")
    assert c2.last().text == "我的未结工单\n#2 [B] 待接单 — Bob site"

    await c1.send("/status 2")
    assert c1.last().text == "找不到工单 #2。"
    await c1.send("/status 3")
    assert c1.last().text == "找不到工单 #3。"
    await c1.send("/status 999")
    assert c1.last().text == "找不到工单 #999。"  # the same answer: numbers leak nothing
    await c1.send("/status #1")
    status = c1.last().text
    assert status.startswith("工单 #1 · 待接单\n级别: B 重大故障\n地点: Alice site")
    assert "Bob" not in status and "报障人" not in status
    assert "客户: 报障（B 级）" in status

    # Internal notes are for staff; the customer's view leaves them out.
    await eng1.send("/note 1 Suspect the switch in rack 2")
    assert eng1.last().text == "备注已加入工单 #1。"
    await c1.send("/status 1")
    assert "Suspect the switch" not in c1.last().text
    await eng1.send("/status 1")
    staff_view = eng1.last().text
    assert "Engineer One: 备注：Suspect the switch in rack 2" in staff_view
    assert "报障人: Alice" in staff_view
    # Staff see only their projects' tickets.
    await eng1.send("/status 3")
    assert eng1.last().text == "找不到工单 #3。"
    await eng3.send("/status 3")
    assert eng3.last().text.startswith("工单 #3 · 待接单")


async def test_my_is_empty_for_a_new_customer_and_lists_resolved_ones(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await cust.send("/my")
    assert cust.last().text == "我的未结工单\n（无）"
    await h.report(cust)
    await eng.send("/take 1")
    await eng.send("/resolve 1 Reset")
    await eng.press("软件")
    await cust.send("/my")
    assert cust.last().text == (
        "我的未结工单\n#1 [B] 已修复，待确认 · Engineer One — Village 3 office")
    await cust.press("已恢复")
    await cust.send("/my")
    assert cust.last().text == "我的未结工单\n（无）"


@pytest.mark.parametrize(
    "command", ["/status", "/status abc", "/status 1234567890123", "/status -1"]
)
async def test_status_without_a_usable_number_shows_the_usage(h: Harness, command: str) -> None:
    cust = await h.customer()
    await cust.send(command)
    assert cust.last().text == "用法：/status 工单号，例如 /status 12"
