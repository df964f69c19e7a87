"""Complaints (投诉) and the ledger (投诉处理台账), through the PTB Application.

A customer files a complaint with /complain (about one of their tickets or something else);
the project's customer manager is paged with Take (first to take owns it); the owner answers
through the bot, adds notes, and closes with a result; the customer says whether they are
satisfied ("no" reopens it and tells the project manager). The complaint clocks warn and
escalate. /complaints lists the open ones; /ledger sends the month's ledger as an XLSX file.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness

CM, PM, ENG1 = 1011, 1012, 1001
HOSTILE = (
    "=HYPERLINK(\"http://x.invalid\",\"y\") <b>bold</b> *_[x](y)_* `code` "
    "\u202eRTL\u202c zero\u200bwidth 😀 " + "长" * 5000
)


async def _complaint(h: Harness, cust: Chat, content: str, *, about: str = "工单 #1") -> None:
    await cust.send("/complain")
    await cust.press(about)
    await cust.send(content)


async def _ledger(h: Harness, chat: Chat, command: str = "/ledger") -> tuple[list[str], list]:
    await chat.send(command)
    doc = [m for m in chat.messages() if m.kind == "document"][-1]
    assert doc.file is not None
    book = load_workbook(io.BytesIO(doc.file[1]))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    return [str(v) for v in rows[0]], [[("" if v is None else str(v)) for v in r]
                                        for r in rows[1:]]


async def test_a_complaint_from_filing_to_the_ledger_in_chinese(h: Harness) -> None:
    cust = await h.customer()
    ticket = await h.report(cust)
    cm, pm, eng = await h.staff(CM), await h.staff(PM), await h.staff(ENG1)

    await cust.send("/complain")
    assert "您要投诉什么" in cust.last().text
    assert [label for label, _ in cust.last().buttons()] == [f"工单 #{ticket}", "其他"]
    await cust.press(f"工单 #{ticket}")
    assert f"关于工单 #{ticket}" in cust.last().text
    await cust.photo("PHOTO-C1")
    assert "照片已收到" in cust.last().text
    await cust.send("工程师迟到两小时，态度很差")
    assert "您的投诉 C-1 已受理" in cust.last().text

    page = cm.find("新投诉")
    assert "C-1" in page.text and "工程师迟到两小时" in page.text
    assert "Customer One (Village Police Station / 13900000000)" in page.text
    assert f"涉及：#{ticket}" in page.text
    assert [label for label, _ in page.buttons()] == ["受理"]
    photo = cm.messages()[-1]
    assert (photo.kind, photo.text) == ("photo", "C-1")
    assert not [m for m in eng.texts() if "投诉" in m]  # engineers are not paged

    await cm.press("受理", message=page)
    yours = cm.last()
    assert "您已受理投诉 C-1" in yours.text
    assert [label for label, _ in yours.buttons()] == ["答复", "内部备注", "办结"]
    assert "由客户经理 Customer Manager 负责处理" in cust.last().text

    # Taken twice: refused politely, the owner stays.
    await cm.press("受理", message=page)
    assert cm.toast() == "这条投诉已由您受理。"
    await pm.press_data(page.message_id, "cpx:tk:1")
    assert pm.toast() == "这条投诉已由其他人受理。"
    # A customer pressing a staff button changes nothing.
    before = cust.count()
    await cust.press_data(page.message_id, "cpx:cl:1")
    assert cust.toast() == "只有客户经理、项目经理和管理员可以处理投诉。"
    assert cust.count() == before

    await cm.press("内部备注")
    await cm.send("已联系工程师了解情况")
    assert "备注已记录" in cm.last().text
    assert cust.count() == before  # a note is internal

    await h.tick(minutes=20)
    await cm.press("答复", message=yours)
    await cm.send("非常抱歉，我们已批评教育该工程师。")
    assert "Customer Manager 答复：\n非常抱歉，我们已批评教育该工程师。" in cust.last().text

    await cm.send("/close C-1 已致歉并调整派工")
    closed = cust.last()
    assert "投诉 C-1 已办结" in closed.text and "已致歉并调整派工" in closed.text
    assert [label for label, _ in closed.buttons()] == ["满意", "不满意"]

    await cust.press("不满意")
    assert "已重新打开" in cust.last().text
    assert "客户对投诉 C-1 的处理不满意" in pm.last().text
    await cust.press_data(closed.message_id, "cps:1:y")  # the old question is stale now
    assert cust.toast() == "这个按钮已失效，请使用最新的消息。"

    await pm.send("/complaints")
    assert "C-1 · 处理中" in pm.last().text

    await cm.send("/close C-1 已当面致歉，客户接受")
    await cust.press("满意")
    assert "感谢您的反馈" in cust.last().text
    await pm.send("/complaints")
    assert "未结投诉（0）" in pm.last().text

    headers, rows = await _ledger(h, pm)
    assert headers == [
        "序号", "投诉编号", "投诉日期", "投诉人", "单位", "联系电话", "相关工单", "投诉内容",
        "受理人", "首次答复时间", "答复用时", "处理过程及答复", "处理结果", "客户是否满意",
        "办结时间", "升级记录",
    ]
    assert len(rows) == 1
    row = dict(zip(headers, rows[0], strict=True))
    assert row["序号"] == "1"
    assert row["投诉编号"] == "C-1"
    assert row["投诉日期"] == "2026-11-23 14:00"
    assert row["投诉人"] == "Customer One"
    assert row["单位"] == "Village Police Station"
    assert row["联系电话"] == "13900000000"
    assert row["相关工单"] == f"#{ticket}"
    assert row["投诉内容"] == "工程师迟到两小时，态度很差"
    assert row["受理人"] == "Customer Manager"
    assert row["首次答复时间"] == "2026-11-23 14:20"
    assert row["答复用时"] == "20分钟"
    handling = row["处理过程及答复"]
    for said in ("受理", "已联系工程师了解情况", "非常抱歉，我们已批评教育该工程师。",
                 "已致歉并调整派工", "客户不满意", "重新打开", "已当面致歉，客户接受"):
        assert said in handling, handling
    assert row["处理结果"] == "已当面致歉，客户接受"
    assert row["客户是否满意"] == "满意"
    assert row["办结时间"] == "2026-11-23 14:20"
    assert row["升级记录"] == ""


async def test_a_complaint_in_english_about_something_else(h: Harness) -> None:
    cust = await h.customer(5002, language="en")
    cm = await h.staff(CM, language="en")
    await cust.send("/complain")
    assert "What is your complaint about?" in cust.last().text
    assert [label for label, _ in cust.last().buttons()] == ["Something else"]
    await cust.press("Something else")
    assert "Please tell us what happened" in cust.last().text
    await cust.send("The hotline did not pick up")
    assert "Your complaint C-1 is received" in cust.last().text
    page = cm.find("A new complaint")
    assert "About: something else" in page.text
    await cm.press("Take")
    assert "You own complaint C-1" in cm.last().text
    await cm.send("/answer C-1 We are sorry; the line is fixed.")
    assert "About your complaint C-1, Customer Manager answers:" in cust.last().text
    await cm.send("/close C-1 Line repaired")
    await cust.press("Satisfied")
    assert "Thank you" in cust.last().text
    headers, rows = await _ledger(h, cm, "/ledger village 2026-11")
    assert headers[:3] == ["No.", "Number", "Received at"]
    row = dict(zip(headers, rows[0], strict=True))
    assert row["Ticket"] == "" and row["Customer satisfied"] == "yes"
    assert row["Response took"] == "0m"


async def test_the_clocks_warn_the_owner_and_escalate_to_the_project_manager(h: Harness) -> None:
    cust = await h.customer()
    cm, pm = await h.staff(CM), await h.staff(PM)
    await _complaint(h, cust, "nobody answered", about="其他")
    await h.tick(minutes=31)  # the policy's warning at 50% of the 1 h respond target
    assert "投诉 C-1：首次答复时限" in cm.last().text
    assert not [t for t in pm.texts() if "C-1" in t]
    await h.tick(minutes=30)
    assert "投诉 C-1：首次答复已超时" in pm.last().text
    assert "首次答复已超时" in cm.last().text
    _, rows = await _ledger(h, pm)
    assert "首次答复 → Project Manager" in rows[0][15]
    # Answered late: the respond clock stops and nothing more is escalated for it.
    await cm.press("受理")
    await cm.send("/answer C-1 抱歉回复晚了")
    count = pm.count()
    await h.tick(hours=2)
    assert [t for t in pm.since(count) if "首次答复" in t] == []


async def test_a_customer_never_sees_another_customers_complaint(h: Harness) -> None:
    first = await h.customer(5001)
    other = await h.customer(5002, name="Customer Two")
    first_ticket = await h.report(first)
    cm = await h.staff(CM)
    await other.send("/complain")
    # Only the customer's own tickets are offered; a forged choice of another's is stale.
    assert all(f"#{first_ticket}" not in label for label, _ in other.last().buttons())
    await other.press_data(other.last().message_id, f"cpa:{first_ticket}")
    assert other.toast() == "这个按钮已失效，请使用最新的消息。"
    await other.press("其他")
    await other.send("Mine")
    await cm.press("受理")
    await cm.send("/close C-1 done")
    closed = other.last()
    # The first customer cannot answer the other's question, nor use staff commands on it.
    before = other.count()
    await first.press_data(closed.message_id, "cps:1:n")
    assert first.toast() == "这个按钮已失效，请使用最新的消息。"
    await first.send("/answer C-1 hello")
    assert other.count() == before
    async with unit_of_work(h.hb.db) as uow:  # type: ignore[union-attr]
        c = await uow.complaints.get(1)
    assert c is not None and c.status == "closed" and c.satisfied is None


async def test_hostile_text_comes_back_intact_in_the_ledger(h: Harness) -> None:
    cust = await h.customer()
    cm = await h.staff(CM)
    await _complaint(h, cust, "x", about="其他")
    await cust.send("/complain")
    await cust.press("其他")
    await cust.send(HOSTILE[:3990])
    await cm.press("受理")
    await cm.send("/close C-2 -1+2 @SUM(A1) +cmd|' /C calc'!A0")
    _, rows = await _ledger(h, cm)
    row = rows[1]
    assert row[7] == HOSTILE[:3990]
    assert row[12] == "-1+2 @SUM(A1) +cmd|' /C calc'!A0"
    doc = [m for m in cm.messages() if m.kind == "document"][-1]
    assert doc.file is not None
    sheet = load_workbook(io.BytesIO(doc.file[1])).active
    assert sheet is not None
    for cell in (sheet.cell(row=3, column=8), sheet.cell(row=3, column=13)):
        assert cell.data_type == "s"  # text, never a formula


async def test_staff_commands_of_complaints_refuse_politely(h: Harness) -> None:
    eng = await h.staff(ENG1)
    await eng.send("/complaints")
    assert "只有客户经理" in eng.last().text
    cm = await h.staff(CM)
    await cm.send("/answer 12 text")
    assert "用法：/answer C-编号" in cm.last().text
    await cm.send("/close C-99 result")
    assert "找不到这条投诉" in cm.last().text
    await cm.send("/ledger nowhere")
    assert "没有这个项目" in cm.last().text
    await cm.send("/ledger 2026-13")
    assert "用法：/ledger" in cm.last().text


async def test_a_missed_clock_is_escalated_again_every_half_hour_until_answered(
    h: Harness,
) -> None:
    cust = await h.customer()
    cm, pm = await h.staff(CM), await h.staff(PM)
    await _complaint(h, cust, "nobody answered", about="其他")
    await h.tick(minutes=60)  # the 1 h respond target is missed
    assert "投诉 C-1：首次答复已超时" in pm.last().text
    await h.tick(minutes=29)
    assert "仍未完成" not in pm.last().text  # escalate_every (30 min) has not passed
    await h.tick(minutes=1)
    again = pm.last().text
    assert "投诉 C-1：首次答复仍未完成，已超时 30分钟" in again and "第 2 次上报" in again
    assert "第 2 次上报" in cm.last().text  # the one who must act is told again too
    assert [label for label, _ in cm.last().buttons()] == []  # not taken: nobody owns it
    await h.tick(minutes=30)
    assert "已超时 1小时" in pm.last().text and "第 3 次上报" in pm.last().text
    _, rows = await _ledger(h, pm)
    assert rows[0][15].count("首次答复 → Project Manager") == 3  # every escalation recorded
    # Answered: the escalations stop.
    await cm.press("受理")
    await cm.send("/answer C-1 抱歉回复晚了")
    count = pm.count()
    await h.tick(hours=3)
    assert [t for t in pm.since(count) if "C-1" in t] == []


async def test_an_owned_complaint_left_open_escalates_in_english_until_closed(
    h: Harness,
) -> None:
    cust = await h.customer()
    cm, pm = await h.staff(CM, language="en"), await h.staff(PM, language="en")
    await _complaint(h, cust, "still broken", about="其他")
    await cm.press("Take")
    await cm.send("/answer C-1 Looking into it")
    await h.tick(days=7)  # the 3 working days to close are long gone
    for _ in range(3):
        await h.tick(minutes=30)
    texts = [t for t in pm.texts() if "C-1" in t]
    assert any("the closing deadline" in t and "is missed" in t for t in texts)
    again = [t for t in texts if "escalated again" in t]
    assert len(again) == 3 and "Complaint C-1: the closing is still not done" in again[-1]
    assert "(escalation 4)" in again[-1]
    assert [label for label, _ in cm.last().buttons()] == ["Reply", "Note", "Close"]
    await cm.send("/close C-1 Replaced the unit")
    count = pm.count()
    await h.tick(days=2)
    assert [t for t in pm.since(count) if "escalated again" in t] == []
