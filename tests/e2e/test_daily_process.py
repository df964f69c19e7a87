"""The daily maintenance report as a process against the strict emulator: a day's tickets, the
engineer's /daily with its Sign button, the signed PDF to the engineer and the project manager
(read back with pypdf)."""

from __future__ import annotations

import io
import re

import pypdf

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff

ENG, PM = 1001, 1012


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


async def test_a_day_s_tickets_to_a_signed_daily_report_pdf(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, ENG)
    await start_staff(emu, PM, lang="en")
    await join_customer(emu)
    cust, eng, pm = Person(emu, CUSTOMER), Person(emu, ENG), Person(emu, PM)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("是")
    await cust.expect("故障地点")
    cust.send("村委会三楼机房")
    await cust.expect("故障现象")
    cust.send("终端死机 <b>x</b>")
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.press("跳过")
    await cust.expect("联系电话")
    cust.press("使用")
    await cust.expect("请确认")
    cust.press("确认提交")
    await cust.expect("已受理")
    eng.send("/take 1")
    await cust.expect("接单")
    eng.send("/resolve 1 更换电源")
    await eng.expect("原因")
    eng.press("电源")
    await cust.expect("更换电源")
    eng.send("/daily add 巡检 5 号点位")
    draft = await eng.expect("每日设备维护报告")
    assert "#1 村委会三楼机房 — 终端死机 <b>x</b> — 原因：电源 — ✅ 已解决" in draft.text
    assert "巡检 5 号点位" in draft.text
    eng.press("签字确认")
    await eng.expect("已签字确认")
    mine = await eng.expect("每日设备维护报告 · Engineer One")
    assert mine.kind == "document" and mine.file_data is not None
    assert (mine.file_name or "").startswith("daily-report-eng1-")
    text = pdf_text(mine.file_data)
    for piece in ("每日设备维护报告", "村委会三楼机房", "终端死机<b>x</b>", "电源", "巡检5号点位",
                  "维护人员签字"):
        assert piece in text, piece
    theirs = await pm.expect("Daily maintenance report · Engineer One")
    assert theirs.file_data is not None
    their_text = pdf_text(theirs.file_data)
    assert "Dailymaintenancereport" in their_text and "村委会三楼机房" in their_text
    assert not_flood(emu) == []
    assert await bot.stop() == 0
