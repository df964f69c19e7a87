"""The equipment register through the bot: the template, an import by sending a file (a good
one; each bad one changes nothing), the export read back, /equipment CODE, /device N CODE, a
QR label scanned by a new customer, an existing one and one of another project, the labels
PDF, and the device's warranty deciding a ticket's billing."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import openpyxl
import pypdf
import pytest

from bot.domain.equipment import Device
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.support.configs import OTHER_PROJECT, hotline_config, project_toml

PM, CM, ENG1, ENG3, CUST = 1012, 1011, 1001, 1003, 5001
HEADER = ["project", "code", "name", "model", "serial", "site", "installed_on",
          "warranty_until"]
ROWS = [
    ["village", "T-01", "查询终端", "QT-200", "SN0001", "三号村警务室", "2026-01-05", ""],
    ["village", "T-02", "Query terminal <b>&", "QT-200", "SN0002", "Village 4 office", "", ""],
]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def config(village_extra: str = "") -> str:
    village = project_toml(on_duty=["eng1", "eng2"], members=["eng3"], escalation=["cm", "pm"],
                           extra=f'hotline = "400-000-0000"\n{village_extra}')
    return 'supplier = "示例服务有限公司"\n' + hotline_config(projects=[village, OTHER_PROJECT])


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, config())
    await harness.start()
    yield harness
    await harness.stop()
    # No call refused but to staff who never started the bot (pages to them).
    assert all("Forbidden" in why for _, why in harness.request.refused), harness.request.refused


async def devices(h: Harness) -> dict[str, Device]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        return {d.code: d for d in await uow.devices.of_projects(["village", "other"])}


async def imported(h: Harness, pm: Chat, rows: list[list[object]] = ROWS) -> dict[str, Device]:
    await pm.document("register.xlsx", xlsx(rows))
    assert "已导入" in pm.last().text, pm.transcript()
    return await devices(h)


def last_file(chat: Chat) -> tuple[str, bytes]:
    files = [m.file for m in chat.messages() if m.file is not None]
    assert files, chat.transcript()
    return files[-1]


# --------------------------------------------------------------------------- import


async def test_template_then_a_good_import_then_an_update(h: Harness) -> None:
    pm = await h.staff(PM)
    await pm.send("/equipment template")
    name, data = last_file(pm)
    assert name == "equipment-template.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert [c.value for c in book.worksheets[0][1]][:3] == ["project", "code", "name"]
    assert book["help"]["B3"].value == "编号"

    await pm.document("register.xlsx", xlsx(ROWS))
    assert "新增 2 台，更新 0 台，未变 0 台" in pm.last().text
    found = await devices(h)
    assert set(found) == {"T-01", "T-02"}
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,64}", found["T-01"].label)

    changed = [ROWS[0], [*ROWS[1][:3], "QT-300", *ROWS[1][4:]], ["village", "T-03", "打印机"]]
    await pm.document("register-v2.xlsx", xlsx(changed))
    assert "新增 1 台，更新 1 台，未变 1 台" in pm.last().text
    again = await devices(h)
    assert again["T-02"].model == "QT-300"
    assert again["T-02"].label == found["T-02"].label  # printed labels keep working


@pytest.mark.parametrize(
    ("file_name", "data", "expected"),
    [
        ("register.xlsx", xlsx([["village", "T-9", "x"]], header=["project", "name"]),
         "缺少必填列：code"),
        ("register.xlsx", xlsx([ROWS[0], ROWS[0]]), "第 3 行：编号 T-01 与第 2 行重复"),
        ("register.xlsx", xlsx([ROWS[0], ["moon", "T-9", "x"]]), "第 3 行：没有这个项目"),
        ("register.xlsx", xlsx([ROWS[0], ["village", "T-9", "=HYPERLINK(\"x\")"]]),
         "第 3 行：单元格是公式"),
        ("register.xlsx", xlsx([["village", "T-9", "x", "", "", "", "31/12/2026"]]),
         "第 2 行：日期无效"),
        ("register.xlsx", xlsx([["village", f"D{i}", "x"] for i in range(10_000)]),
         "10000 行，超过每个文件 5000 行的上限"),
        ("manual.pdf", b"%PDF-1.7 not a sheet", "不是 XLSX 或 CSV 表格"),
        ("register.xlsx", b"PK\x03\x04 broken", "不是 XLSX 或 CSV 表格"),
        ("register.csv", b"project,code,name\nother,T-9,x\n", "第 2 行：不是您负责的项目"),
    ],
    ids=["missing-column", "duplicate", "unknown-project", "formula", "bad-date", "10000-rows",
         "pdf", "broken-xlsx", "foreign-project"],
)
async def test_each_bad_file_is_answered_and_changes_nothing(
    h: Harness, file_name: str, data: bytes, expected: str
) -> None:
    pm = await h.staff(PM)
    before = await imported(h, pm, [["village", "KEEP", "x", "M1"]])
    await pm.document(file_name, data)
    answer = pm.last().text
    assert expected in answer and "没有任何改动" in answer, answer
    assert await devices(h) == before


async def test_a_csv_in_gb18030_is_imported(h: Harness) -> None:
    pm = await h.staff(PM)
    data = "项目,编号,名称,型号\nvillage,C-1,查询终端,QT-1\n".encode("gb18030")
    await pm.document("台账.csv", data)
    assert "新增 1 台" in pm.last().text
    assert (await devices(h))["C-1"].model == "QT-1"


async def test_who_may_import(h: Harness) -> None:
    eng = await h.staff(ENG1)
    await eng.document("register.xlsx", xlsx(ROWS))
    assert "已导入" not in eng.last().text and await devices(h) == {}
    cust = await h.customer(CUST)
    await cust.document("register.xlsx", xlsx(ROWS))
    assert await devices(h) == {}
    await cust.send("/equipment template")
    assert "服务人员" in cust.last().text or "只有管理员" in cust.last().text


async def test_the_export_reads_back_and_reimports_unchanged(h: Harness) -> None:
    pm = await h.staff(PM)
    found = await imported(h, pm)
    await pm.send("/equipment export village")
    name, data = last_file(pm)
    assert name == "equipment-village.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("village", "T-01", "查询终端")
    assert rows[2][2] == "Query terminal <b>&"
    assert rows[1][-1] == f"https://t.me/hotline_test_bot?start={found['T-01'].label}"
    await pm.document(name, data)
    assert "新增 0 台，更新 0 台，未变 2 台" in pm.last().text


# --------------------------------------------------------------------------- labels


async def test_labels_pdf_has_each_device_and_its_link(h: Harness) -> None:
    pm = await h.staff(PM)
    found = await imported(h, pm)
    await pm.send("/labels village")
    preparing = pm.find("正在生成").text
    assert "正在生成设备标签（County Police Village Query Service (2)）" in preparing
    name, data = last_file(pm)
    assert name == "labels-village.pdf"
    assert "的设备标签：2 张" in pm.messages()[-1].text
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    for device in found.values():
        assert f"https://t.me/hotline_test_bot?start={device.label}" in text
    assert "示例服务有限公司" in text and "400-000-0000" in text and "查询终端" in text
    assert "Customer Manager" in text and "SN0001" in text


async def test_labels_need_a_manager_of_the_project(h: Harness) -> None:
    pm = await h.staff(PM)
    await imported(h, pm)
    eng = await h.staff(ENG1)
    await eng.send("/labels village")
    assert "只有管理员" in eng.last().text
    await pm.send("/labels other")
    assert "没有您可管理的项目" in pm.last().text


# --------------------------------------------------------------------------- a label scanned


async def test_a_new_customer_scans_a_label_and_reports_the_device(h: Harness) -> None:
    pm = await h.staff(PM)
    label = (await imported(h, pm))["T-01"].label
    cust = h.chat(CUST, "Customer")
    await cust.send(f"/start {label}")
    texts = cust.texts()
    assert "您扫描了" in texts[0] and "QT-200" in texts[0] and "SN0001" in texts[0]
    assert "三号村警务室" in texts[0]
    await cust.press("否")
    await cust.press("是")  # B
    await cust.send("屏幕不亮")  # no site question: the register knows it
    await cust.press("完成")
    await cust.send("13900000000")  # the phone (a new customer has none yet)
    summary = cust.last().text
    assert "设备: T-01" in summary and "QT-200" in summary and "三号村警务室" in summary
    await cust.press("确认提交")
    tickets = await h.tickets_of(CUST)
    assert len(tickets) == 1
    t = tickets[0]
    assert (t.project_key, t.model, t.serial, t.site) == ("village", "QT-200", "SN0001",
                                                          "三号村警务室")
    assert any("#" + str(t.id) in x for x in cust.texts())
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        assert (await uow.users.get(CUST)).project_key == "village"  # type: ignore[union-attr]
        assert (await uow.devices.of_ticket(t.id)).code == "T-01"  # type: ignore[union-attr]

    eng = await h.staff(ENG1)
    await eng.send("/equipment T-01")
    card = eng.last().text
    assert "设备 T-01" in card and f"#{t.id}" in card and "共 1 张，未完成 1 张" in card


async def test_an_existing_customer_scans_a_label(h: Harness) -> None:
    pm = await h.staff(PM)
    label = (await imported(h, pm))["T-02"].label
    cust = await h.customer(CUST)
    count = cust.count()
    await cust.send(f"/start {label}")
    after = cust.since(count)
    assert "您扫描了" in after[0] and "Query terminal <b>&" in after[0]
    assert cust.last().buttons()  # the first severity question


async def test_a_customer_of_another_project_is_refused(h: Harness) -> None:
    pm = await h.staff(PM)
    label = (await imported(h, pm))["T-01"].label
    cust = await h.customer(CUST, invite="OTHER2026")
    count = cust.count()
    await cust.send(f"/start {label}")
    assert cust.since(count) == [cust.last().text]
    assert "另一个项目" in cust.last().text
    assert await h.tickets_of(CUST) == []
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        assert (await uow.users.get(CUST)).project_key == "other"  # type: ignore[union-attr]
        assert await uow.drafts.get(CUST) is None


async def test_an_unknown_payload_is_answered_and_nothing_else(h: Harness) -> None:
    cust = h.chat(CUST, "Customer")
    await cust.send("/start Zz9_unknown-label-0000000")
    assert len(cust.texts()) == 1 and "无效" in cust.last().text
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        assert (await uow.users.get(CUST)).project_key is None  # type: ignore[union-attr]


# --------------------------------------------------------------------------- history


async def test_device_links_a_ticket_and_the_report_prints_it(h: Harness) -> None:
    pm = await h.staff(PM)
    await imported(h, pm)
    cust = await h.customer(CUST)
    number = await h.report(cust)
    eng = await h.staff(ENG1)
    await eng.send(f"/device {number} t-02")
    assert f"工单 #{number} 已关联设备 T-02" in eng.last().text
    await eng.send(f"/device {number} NOPE")
    assert "没有编号为“NOPE”的设备" in eng.last().text
    await eng.send("/device 999 T-02")
    assert "找不到这张工单" in eng.last().text
    cust2 = await h.customer(CUST + 1)
    await cust2.send(f"/device {number} T-02")
    assert "已关联" not in cust2.last().text
    await eng.send("/equipment T-02")
    assert f"#{number}" in eng.last().text


PAID_CONTRACT = (
    "[projects.contract]\nstart = 2025-11-23\nend = 2028-11-22\nwarranty_until = 2026-11-22\n"
)


async def test_a_device_with_its_own_warranty_is_free_after_the_contracts(
    tmp_path: Path,
) -> None:
    h = Harness(tmp_path, config(PAID_CONTRACT))  # the contract's warranty ended yesterday
    await h.start()
    try:
        pm = await h.staff(PM)
        rows = [[*ROWS[0][:7], "2027-12-31"], ROWS[1]]
        found = await imported(h, pm, rows)
        eng = await h.staff(ENG1)
        await eng.send("/equipment T-01")
        assert "保修至 2027-12-31（本设备）" in eng.last().text
        await eng.send("/equipment T-02")
        assert "保修至 2026-11-22（合同）" in eng.last().text
        billing = {}
        for n, code in enumerate(("T-01", "T-02")):
            cust = h.chat(CUST + n, "Customer")
            await cust.send(f"/start {found[code].label}")
            await cust.press("否")
            await cust.press("否")  # C
            await cust.send("打印模糊")
            await cust.press("完成")
            await cust.send("13900000000")
            await cust.press("确认提交")
            billing[code] = (await h.tickets_of(CUST + n))[0].billing
        assert billing == {"T-01": "free", "T-02": "paid"}
    finally:
        await h.stop()


async def test_the_service_report_prints_the_device(h: Harness) -> None:
    pm = await h.staff(PM)
    found = await imported(h, pm)
    eng = await h.staff(ENG1)
    cust = h.chat(CUST, "Customer")
    await cust.send(f"/start {found['T-01'].label}")
    await cust.press("否")
    await cust.press("是")
    await cust.send("屏幕不亮")
    await cust.press("完成")
    await cust.send("13900000000")
    await cust.press("确认提交")
    number = (await h.tickets_of(CUST))[0].id
    await eng.send(f"/take {number}")
    await eng.send(f"/resolve {number} 更换电源")
    await eng.press("硬件")
    docs = [m for m in cust.messages() if m.file is not None and m.file[0].endswith(".pdf")]
    assert docs, cust.transcript()
    assert docs[-1].file is not None
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(docs[-1].file[1])).pages)
    assert "T-01 查询终端" in text and "QT-200" in text and "SN0001" in text
    await eng.send("/equipment T-01")
    card = eng.last().text
    assert f"#{number}" in card and "修复用时" in card and "硬件" in card


async def test_device_fills_a_ticket_without_a_model(h: Harness) -> None:
    pm = await h.staff(PM)
    await imported(h, pm)
    cust = await h.customer(CUST)
    number = await h.report(cust)  # the model question skipped
    eng = await h.staff(ENG1)
    await eng.send(f"/device {number} T-01")
    ticket = await h.ticket(number)
    assert ticket is not None and (ticket.model, ticket.serial) == ("QT-200", "SN0001")


async def scan_and_report(h: Harness, cust: Chat, label: str, symptom: str) -> int:
    await cust.send(f"/start {label}")
    await cust.press("否")
    await cust.press("否")  # C
    await cust.send(symptom)
    await cust.press("完成")
    if "联系电话" in cust.last().text and not cust.last().buttons():
        await cust.send("13900000000")
    else:
        await cust.press("使用")
    await cust.press("确认提交")
    return (await h.tickets_of(cust.user_id))[-1].id


async def test_the_monthly_summary_has_the_devices_with_most_faults(h: Harness) -> None:
    pm = await h.staff(PM)
    found = await imported(h, pm)
    eng = await h.staff(ENG1)
    cust = h.chat(CUST, "Customer")
    first = await scan_and_report(h, cust, found["T-02"].label, "卡纸")
    await scan_and_report(h, cust, found["T-02"].label, "又卡纸")
    await scan_and_report(h, cust, found["T-01"].label, "黑屏")
    await eng.send(f"/take {first}")
    await h.tick(hours=2)
    await eng.send(f"/resolve {first} 清理")
    await eng.press("硬件")
    await pm.send("/monthly village 2026-11")
    book_data = next(m.file[1] for m in reversed(pm.messages())
                     if m.file is not None and m.file[0].endswith(".xlsx"))
    pdf_data = next(m.file[1] for m in reversed(pm.messages())
                    if m.file is not None and m.file[0].startswith("monthly")
                    and m.file[0].endswith(".pdf"))
    book = openpyxl.load_workbook(io.BytesIO(book_data))
    rows = list(book["设备"].iter_rows(values_only=True))
    assert rows[0][:2] == ("设备编号", "名称")
    assert [r[:6] for r in rows[1:]] == [
        ("T-02", "Query terminal <b>&", "QT-200", "Village 4 office", 2, 1),
        ("T-01", "查询终端", "QT-200", "三号村警务室", 1, 0),
    ]
    assert rows[1][6] == "2小时" and rows[2][6] == "—"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_data)).pages)
    assert "故障最多的设备" in text and "T-02" in text


async def test_a_scan_during_another_form_asks_to_finish_it_first(h: Harness) -> None:
    pm = await h.staff(PM)
    found = await imported(h, pm)
    cust = await h.customer(CUST)
    await cust.send("/complain")
    count = cust.count()
    await cust.send(f"/start {found['T-01'].label}")
    after = cust.since(count)
    assert not any("您扫描了" in t for t in after), after
    assert after  # the open form's question again


async def test_labels_in_english_for_an_english_reader(h: Harness) -> None:
    pm = await h.staff(PM, language="en")
    await pm.document("register.xlsx", xlsx(ROWS))
    assert "2 added, 0 updated, 0 unchanged" in pm.last().text
    await pm.send("/labels")  # their one project
    assert "Preparing the device labels" in pm.find("Preparing").text
    _, data = last_file(pm)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Scan to report a fault" in text and "7×24 hotline 400-000-0000" in text
    assert "Serial SN0001" in text


async def test_an_a_level_fault_from_a_label_opens_at_once_and_staff_see_the_device(
    h: Harness,
) -> None:
    pm = await h.staff(PM)
    found = await imported(h, pm)
    eng = await h.staff(ENG1)
    cust = h.chat(CUST, "Customer")
    await cust.send(f"/start {found['T-01'].label}")
    await cust.press("是")  # the whole system is down: A
    tickets = await h.tickets_of(CUST)
    assert len(tickets) == 1 and tickets[0].site == "三号村警务室"  # before the symptom
    assert any(f"#{tickets[0].id}" in t for t in eng.texts())  # paged
    count = eng.count()
    await eng.send(f"/start {found['T-01'].label}")
    assert any("设备 T-01" in t and f"#{tickets[0].id}" in t for t in eng.since(count))
