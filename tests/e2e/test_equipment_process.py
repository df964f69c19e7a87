"""The equipment register with the bot as a process against the strict emulator: a project
manager sends the register (an XLSX fetched with getFile from the emulator's file URL), asks
for the labels, and a new customer "scans" a label whose payload is read off the PDF's text:
the report has the device filled in, and its receipt comes back."""

from __future__ import annotations

import io
import re

import openpyxl
import pypdf

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import Person, not_flood, start_staff

PM, ENG1, NEWCOMER = 1012, 1001, 5077


def register() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["项目", "编号", "名称", "型号", "序列号", "地点"])
    sheet.append(["village", "T-01", "查询终端", "QT-200", "SN0001", "三号村警务室"])
    sheet.append(["village", "T-02", "打印机", "LP-9", "SN0002", "四号村警务室"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_register_labels_scan_report(emu: BotApiEmulator, start_bot: StartBot) -> None:
    await start_bot()
    await start_staff(emu, PM)
    await start_staff(emu, ENG1)
    pm, eng = Person(emu, PM), Person(emu, ENG1)

    pm._remember()
    emu.send_document(PM, "台账.xlsx", register())
    await pm.expect("新增 2 台")

    pm.send("/labels village")
    await pm.expect("正在生成设备标签")
    labels = await pm.expect("每页 8 张")
    assert labels.kind == "document" and labels.file_data is not None
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(labels.file_data)).pages)
    assert "QT-200" in text and "SN0001" in text
    # The label of T-01: the link printed under its QR code, after its serial number.
    links = re.findall(r"https://t\.me/hotline_test_bot\?start=([A-Za-z0-9_-]+)", text)
    assert len(links) == 2, text
    payload = links[0] if text.index("SN0001") < text.index(links[1]) else links[1]

    emu.add_user(NEWCOMER, "Newcomer", language_code="zh")
    cust = Person(emu, NEWCOMER)
    cust.send(f"/start {payload}")
    scanned = await cust.expect("您扫描了")
    assert "QT-200" in scanned.text and "三号村警务室" in scanned.text
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("是")
    await cust.expect("故障现象")
    cust.send("屏幕不亮")
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("联系电话")
    cust.send("13900000077")
    summary = await cust.expect("请确认")
    assert "T-01" in summary.text and "SN0001" in summary.text
    cust.press("确认提交")
    receipt = await cust.expect("已受理")
    assert "#1" in receipt.text
    page = await eng.expect("新故障 #1")
    assert "QT-200" in page.text
    eng.send("/equipment T-01")
    card = await eng.expect("设备 T-01")
    assert "#1" in card.text
    assert not_flood(emu) == []
