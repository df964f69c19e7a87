"""/monthly with the bot as a process against the strict emulator: the headline message, the
chart as a photo, the workbook and the PDF arrive, in that order."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff

ENG1, PM = 1001, 1012


async def test_monthly_sends_message_chart_workbook_and_pdf(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, ENG1)
    await start_staff(emu, PM)
    await join_customer(emu)
    cust, eng, pm = Person(emu, CUSTOMER), Person(emu, ENG1), Person(emu, PM)
    # This month (the bot runs on the real clock, in the config's time zone).
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("否")
    await cust.expect("故障地点")
    cust.send("Village 7 <b>crossroads</b>")
    await cust.expect("故障现象")
    cust.send("=1+1 Camera offline 🙂")
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.press("跳过")
    await cust.expect("联系电话")
    cust.press("使用")
    await cust.expect("请确认")
    cust.press("确认提交")
    await cust.expect("#1")
    eng.send("/take 1")
    await eng.expect("#1")
    if datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m") != month:
        pytest.skip("the report crossed midnight at the end of a month")
    pm.send(f"/monthly village {month}")
    head = await pm.expect(f"每月维护报告汇总 · County Police Village Query Service · {month}")
    assert "报修数量：1（A 0 · B 0 · C 1）" in head.text
    photo = await emu.wait_for_message(PM, lambda m: m.kind == "photo", after=head.message_id)
    assert photo.file_data is not None
    assert Image.open(io.BytesIO(photo.file_data)).size == (1320, 1080)
    book = await emu.wait_for_message(PM, lambda m: (m.file_name or "").endswith(".xlsx"),
                                      after=photo.message_id)
    assert book.file_data is not None
    tickets = load_workbook(io.BytesIO(book.file_data))["工单"]
    row = [c.value for c in tickets[2]]
    assert row[0] == 1 and row[5] == "Village 7 <b>crossroads</b>"
    assert row[6] == "=1+1 Camera offline 🙂" and tickets["G2"].data_type == "s"
    pdf = await emu.wait_for_message(PM, lambda m: (m.file_name or "").endswith(".pdf"),
                                     after=book.message_id)
    assert pdf.file_data is not None
    first_page = PdfReader(io.BytesIO(pdf.file_data)).pages[0].extract_text()
    assert f"每月维护报告汇总 {month}" in first_page
    assert not_flood(emu) == []
    assert await bot.stop() == 0
