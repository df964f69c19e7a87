"""The auditor's export (审计导出): /export [PROJECT] FROM TO sends an XLSX of every ticket a
project was told of in those days: every field, every deadline as the service report computes
it, the pauses and the whole timeline, in the reader's language and the project's time zone.
Only project managers, project leads and admins, for their projects."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime
from typing import Any

from openpyxl import load_workbook

from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness

CUST, ENG1, ENG2, CM, PM = 5001, 1001, 1002, 1011, 1012
# What a customer or an engineer may type, and a spreadsheet must not run or mangle.
SYMPTOM = (
    "=HYPERLINK(\"http://x.invalid\",\"y\") <b>黑屏</b> *_[x](y)_* \u202eRTL\u202c "
    "zero\u200bwidth 😀"
)
RESOLUTION = "+86 换了 <i>电源</i> & 重启"
STILL_WRONG = "-还是黑屏"
COMMENT = "@工程师 很专业 😀"
PAUSE_REASON = "=1+1 道路被洪水冲断"


async def _document(chat: Chat) -> Any:
    doc = [m for m in chat.messages() if m.kind == "document"][-1]
    assert doc.file is not None
    return doc, load_workbook(io.BytesIO(doc.file[1]))


def _rows(sheet: Any) -> tuple[list[str], list[list[Any]]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [str(v) for v in rows[0]], [list(r) for r in rows[1:]]


async def sent_documents(h: Harness) -> list[dict[str, Any]]:
    """The outbox payloads of the documents sent (what travels in the database)."""
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT payload FROM outbox WHERE method = 'sendDocument' ORDER BY id"
        ) as cur:
            return [json.loads(r[0]) for r in await cur.fetchall()]


async def _a_hard_life(h: Harness) -> tuple[Chat, Chat, Chat]:
    """Ticket 1: taken, paused (force majeure, approved and agreed), re-graded B → A, blocked,
    resolved, reopened, resolved again, confirmed, rated with a comment. Ticket 2: untouched."""
    eng1, pm = await h.staff(ENG1), await h.staff(PM)
    cust = await h.customer()
    await h.report(cust, symptom=SYMPTOM, site="@Village 3 office")  # 14:00 local
    await h.tick(minutes=5)
    await eng1.send("/take 1")  # 14:05
    await h.tick(minutes=5)
    await eng1.send(f"/pause 1 {PAUSE_REASON}")  # 14:10
    await pm.press("批准")
    await cust.press("同意")
    await h.tick(hours=1)
    await eng1.send("/resume 1")  # 15:10
    await pm.send("/regrade 1 A")
    await eng1.send("/blocked 1 power")
    await h.tick(minutes=20)
    await eng1.send("/onway 1")  # 15:30
    await h.tick(minutes=20)
    await eng1.send("/arrive 1")  # 15:50
    await h.tick(minutes=30)
    await eng1.send(f"/resolve 1 {RESOLUTION}")  # 16:20
    await eng1.press("电源")
    await cust.press("未修复")
    await cust.send(STILL_WRONG)
    await h.tick(minutes=30)
    await eng1.send("/resolve 1 再次更换电源")  # 16:50
    await eng1.press("硬件")
    await cust.press("确认已恢复")
    await cust.press("⭐⭐⭐⭐")
    await cust.send(COMMENT)
    other = await h.customer(5002, name="Customer Two")
    await h.report(other, site="Village 9", symptom="打印机卡纸")  # 16:50, ticket 2
    return eng1, pm, cust


async def test_the_export_holds_every_field_deadline_pause_and_event_in_chinese(
    h: Harness,
) -> None:
    _, pm, _ = await _a_hard_life(h)
    count = pm.count()
    await pm.send("/export 2026-11-23 2026-11-23")
    # Answered at once; the workbook follows, made after the command's transaction.
    assert pm.since(count)[0] == (
        "正在准备审计导出（County Police Village Query Service，2026-11-23 至 2026-11-23），"
        "完成后会发给您。"
    )
    doc, book = await _document(pm)
    assert doc.file[0] == "tickets-village-20261123-20261123.xlsx"
    # The outbox row names the archived workbook and its SHA-256, never its bytes.
    payload = (await sent_documents(h))[-1]
    assert "document_b64" not in payload and payload["document_path"].endswith(".xlsx")
    assert payload["document_sha256"] == hashlib.sha256(doc.file[1]).hexdigest()
    assert (h.tmp / "reports" / payload["document_path"]).read_bytes() == doc.file[1]
    assert doc.text == (
        "审计导出：County Police Village Query Service，2026-11-23 至 2026-11-23，共 2 张工单"
        "（时间为 Asia/Shanghai）。"
    )
    assert book.sheetnames == ["工单", "暂停", "完整记录"]
    headers, rows = _rows(book["工单"])
    assert [r[0] for r in rows] == [1, 2]
    got = dict(zip(headers, rows[0], strict=True))
    local = datetime(2026, 11, 23)
    assert got == {
        "工单号": 1,
        "项目": "County Police Village Query Service",
        "级别": "A 特大故障",
        "级别调整": "B → A（2026-11-23 15:10）",
        "状态": "已关闭",
        "报障渠道": "聊天报障",
        "报障时间（Asia/Shanghai）": local.replace(hour=14),
        "接单时间（Asia/Shanghai）": local.replace(hour=14, minute=5),
        "出发时间（Asia/Shanghai）": local.replace(hour=15, minute=30),
        "到场时间（Asia/Shanghai）": local.replace(hour=15, minute=50),
        "修复时间（Asia/Shanghai）": local.replace(hour=16, minute=50),
        "关闭时间（Asia/Shanghai）": local.replace(hour=16, minute=50),
        "客户单位": "Village Police Station",
        "联系人": "Customer One",
        "联系电话": "13900000000",
        "故障地点": "@Village 3 office",
        "坐标": None,
        "设备型号": None,
        "序列号": None,
        "故障现象": SYMPTOM,
        "故障原因": "硬件",
        "处理结果": "再次更换电源",
        "未解决原因": None,  # resolving cleared it; the timeline keeps it
        "负责工程师": "Engineer One",
        "参与工程师": "Engineer One, Project Manager",  # whoever acted, as in the report
        "重开次数": 1,
        "未经客户确认关闭": "否",
        "到场定位距现场（米）": None,
        "满意度（星）": 4,
        "满意度评价": COMMENT,
        "服务性质": None,  # no contract: neither free nor paid
        "收费明细": None,
        "收费合计（元）": None,
        "类型（故障/服务请求）": "故障报修",  # a fault, not a service request
        # Respond: 14:00 → 14:05 (A: 15m). Arrive: A 60m from 14:00, paused 1h → due 16:00,
        # arrived 15:50: met. Repair: A 4h from arrival, reopened at 16:20 and counted again.
        "响应承诺时限": "15分钟",
        "响应截止时间（Asia/Shanghai）": local.replace(hour=14, minute=15),
        "响应实际完成（Asia/Shanghai）": local.replace(hour=14, minute=5),
        "响应结果": "达标",
        "响应超时（分钟）": None,
        "响应暂停（分钟）": 0,
        "到场承诺时限": "1小时",
        "到场截止时间（Asia/Shanghai）": local.replace(hour=16),
        "到场实际完成（Asia/Shanghai）": local.replace(hour=15, minute=50),
        "到场结果": "达标",
        "到场超时（分钟）": None,
        "到场暂停（分钟）": 60,
        # Repair: A 4h, counted again from the reopening at 16:20.
        "修复承诺时限": "4小时",
        "修复截止时间（Asia/Shanghai）": local.replace(hour=20, minute=20),
        "修复实际完成（Asia/Shanghai）": local.replace(hour=16, minute=50),
        "修复结果": "达标",
        "修复超时（分钟）": None,
        "修复暂停（分钟）": 0,
    }
    # Text that looks like a formula is text, marked so that editing keeps it text.
    sheet = book["工单"]
    symptom = sheet.cell(row=2, column=headers.index("故障现象") + 1)
    assert symptom.data_type == "s" and symptom.quotePrefix
    assert sheet.cell(row=2, column=headers.index("报障时间（Asia/Shanghai）") + 1).is_date
    assert rows[1][headers.index("状态")] == "待接单"
    assert rows[1][headers.index("响应结果")] == "计时中"

    p_headers, pauses = _rows(book["暂停"])
    assert len(pauses) == 1
    pause = dict(zip(p_headers, pauses[0], strict=True))
    assert pause == {
        "工单号": 1,
        "类型": "不可抗力",
        "原因": PAUSE_REASON,
        "状态": "已结束",
        "提出人": "Engineer One",
        "提出时间（Asia/Shanghai）": local.replace(hour=14, minute=10),
        "客户答复": "同意",
        "客户答复时间（Asia/Shanghai）": local.replace(hour=14, minute=10),
        "审批人": "Project Manager",
        "审批时间（Asia/Shanghai）": local.replace(hour=14, minute=10),
        "暂停开始（Asia/Shanghai）": local.replace(hour=14, minute=10),
        "暂停结束（Asia/Shanghai）": local.replace(hour=15, minute=10),
        "暂停时长（分钟）": 60,
    }

    t_headers, events = _rows(book["完整记录"])
    assert t_headers == ["工单号", "时间（Asia/Shanghai）", "操作人", "事件", "内容"]
    mine = [e for e in events if e[0] == 1]
    kinds = [e[3] for e in mine]
    for kind in ("reported", "accepted", "regraded", "blocked", "on_way", "arrived",
                 "resolved", "reopened", "still_wrong", "confirmed", "rated"):
        assert kind in kinds, kinds
    blocked = mine[kinds.index("blocked")]
    assert blocked[1:] == [local.replace(hour=15, minute=10), "Engineer One", "blocked",
                           "未解决原因 无 → 电源"]
    still = mine[kinds.index("still_wrong")]
    assert still[2] == "客户" and STILL_WRONG in still[4]
    resolved = mine[kinds.index("resolved")]
    assert RESOLUTION in resolved[4]  # whole, unescaped
    assert [e[0] for e in events if e[0] == 2] == [2]


async def test_an_export_in_english_names_the_zone_and_refusals(h: Harness) -> None:
    eng1, pm, cust = await _a_hard_life(h)
    pm_en = h.chat(PM, "Staff", "en")
    count = pm_en.count()
    await pm_en.send("/export village 2026-11-22 2026-11-23")
    assert pm_en.since(count)[0] == (
        "Preparing your auditor's export (County Police Village Query Service, 2026-11-22 to "
        "2026-11-23); it will come here when ready."
    )
    _, book = await _document(pm_en)
    assert book.sheetnames == ["Tickets", "Pauses", "Timeline"]
    headers, rows = _rows(book["Tickets"])
    assert headers[:8] == [
        "Ticket", "Project", "Level", "Level changes", "Status", "Channel",
        "Reported at (Asia/Shanghai)", "Accepted at (Asia/Shanghai)",
    ]
    assert "response: missed by (minutes)" in headers
    assert len(rows) == 2 and rows[0][2] == "A — severe"
    # A day with nothing: a workbook with its headers only.
    await pm_en.send("/export 2026-11-24 2026-11-30")
    _, empty = await _document(pm_en)
    assert len(list(empty["Tickets"].iter_rows())) == 1

    # Refused: a customer, a customer manager, an engineer, a manager of another project.
    for who in (cust, await h.staff(CM), eng1):
        before = len([m for m in who.messages() if m.kind == "document"])
        await who.send("/export 2026-11-23 2026-11-23")
        assert who.last().text == "审计导出仅限项目经理、项目负责人和管理员。"
        assert len([m for m in who.messages() if m.kind == "document"]) == before
    await pm.send("/export other 2026-11-23 2026-11-23")
    assert pm.last().text == (
        "请指定您负责的项目：village。例如 /export 项目 2026-11-01 2026-11-30"
    )
    for bad in ("/export 2026-11-23", "/export 2026-11-23 2026-11-2",
                "/export 2026-11-30 2026-11-23", "/export 2026-02-30 2026-03-01"):
        await pm.send(bad)
        assert pm.last().text.startswith("用法：/export [项目] 开始日期 结束日期"), bad
