"""A complaint through to the ledger, with the bot as a process against the strict emulator."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff

CM, PM = 1011, 1012


async def test_a_complaint_through_to_the_ledger(emu: BotApiEmulator, start_bot: StartBot) -> None:
    bot = await start_bot()
    await start_staff(emu, CM)
    await start_staff(emu, PM, lang="en")
    await join_customer(emu)
    cust, cm, pm = Person(emu, CUSTOMER), Person(emu, CM), Person(emu, PM)
    cust.send("/complain")
    await cust.expect("您要投诉什么")
    cust.press("其他")
    await cust.expect("请描述发生了什么")
    cust.send("=1+1 <b>没人接电话</b> 🙂")
    await cust.expect("C-1 已受理")
    page = await cm.expect("新投诉")
    assert "=1+1 <b>没人接电话</b> 🙂" in page.text
    cm.press("受理")
    await cm.expect("您已受理投诉 C-1")
    await cust.expect("负责处理")
    cm.send("/answer C-1 已安排专人值守")
    await cust.expect("已安排专人值守")
    cm.send("/close C-1 -已整改")
    await cust.expect("您对处理结果满意吗")
    cust.press("满意")
    await cust.expect("感谢您的反馈")
    pm.send("/ledger")
    doc = await pm.expect("Complaint ledger")
    assert doc.kind == "document" and doc.file_data is not None
    assert (doc.file_name or "").endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(doc.file_data)).active
    assert sheet is not None
    row = [c.value for c in sheet[2]]
    assert row[1] == "C-1"
    assert row[7] == "=1+1 <b>没人接电话</b> 🙂"
    assert row[12] == "-已整改"
    assert row[13] == "yes"
    assert not_flood(emu) == []
    assert await bot.stop() == 0
