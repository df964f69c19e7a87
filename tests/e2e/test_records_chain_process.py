"""The whole chain of a single service's records, with the bot as a process against the strict
emulator: a fault reported, resolved; the service report arrives as a PDF (read back); the
customer confirms, gets the survey, gives 1 star and a comment; the customer manager is told
with the comment, the customer is offered the complaint button; /doc then sends the report
with the survey printed in it."""

from __future__ import annotations

import io
import re

import pypdf

from bot.sandbox.emulator import BotApiEmulator, ChatMessage
from tests.e2e.conftest import StartBot, report_b_fault
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff

ENG, CM = 1001, 1011
COMMENT = "<b>等了三个小时</b> *_[]"


def pdf_text(doc: ChatMessage) -> str:
    assert doc.kind == "document" and doc.file_data is not None
    assert doc.file_data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(doc.file_data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def documents(emu: BotApiEmulator) -> list[ChatMessage]:
    return [m for m in emu.bot_messages(CUSTOMER) if m.kind == "document"]


async def test_resolve_report_confirm_low_score_reaches_the_customer_manager(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, ENG)
    await start_staff(emu, CM)
    await join_customer(emu)
    cust, eng, cm = Person(emu, CUSTOMER), Person(emu, ENG), Person(emu, CM)
    await report_b_fault(emu, CUSTOMER, symptom="录像机无画面", model="NVR-7716 SN 2024-0042")
    eng.send("/take 1")
    await cust.expect("接单")
    eng.send("/resolve 1 更换硬盘")
    await eng.expect("原因")
    eng.press("硬件")
    resolved = await cust.expect("更换硬盘")
    # The service report: a PDF just before the resolved message, read back.
    [report] = documents(emu)
    assert report.file_name == "service-report-1.pdf" and report.message_id < resolved.message_id
    text = pdf_text(report)
    for piece in ("售后服务报告", "录像机无画面", "NVR-7716", "更换硬盘", "待确认"):
        assert piece in text, piece
    # Confirm: the sign-off (v2), then the survey.
    cust.press("已恢复")
    await cust.expect("请为本次服务打分")
    signed = documents(emu)[-1]
    assert "第 2 版" in (signed.text or "") and "已由Customer" in pdf_text(signed)
    cust.press("⭐")  # the first button: one star
    await cust.expect("还有什么想对我们说的")
    told = await cm.expect("服务评分为 1 星")
    assert "/callback 1" in told.text
    offer = await cust.expect("很抱歉本次服务没有让您满意")
    assert [label for label, _ in offer.buttons()] == ["📝 我要投诉"]
    cust.send(COMMENT)
    comment = await cm.expect("客户留言")
    assert COMMENT in comment.text and "1 星" in comment.text
    await cust.expect("感谢您的评价")
    # The complaint button starts a complaint about this ticket.
    cust.press("我要投诉")
    await cust.expect("请描述发生了什么")
    # The survey is in the archived report now; /doc sends that version.
    assert len(documents(emu)) == 2  # not pushed unasked
    cust.send("/cancel")
    await cust.expect("已取消")
    cust.send("/doc 1")
    rated = await cust.expect("第 3 版")
    assert rated.kind == "document" and "含满意度评价" in (rated.text or "")
    text = pdf_text(rated)
    assert "满意度调查" in text and "★★★★★（1/5星）" in text
    assert re.sub(r"\s+", "", COMMENT) in text
    assert not_flood(emu) == []
    assert await bot.stop() == 0
