"""The service report (售后服务报告): a PDF with the resolved message, the customer's sign-off
re-issues it, confirm_within closes an unconfirmed ticket, /doc sends the latest; every
version archived with its SHA-256. The PDFs are read back (pypdf) and page 1 is rendered."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pypdf
import pypdfium2

from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness, Sent

HOSTILE = (
    "<b>bold</b> &amp; <script>x</script> *_[]()~`>#+-=|{}.! مرحبا بالعالم "
    "a\u200bb\u200dc 👩‍🔧🔥 "
)


def documents(chat: Chat) -> list[Sent]:
    return [m for m in chat.messages() if m.kind == "document"]


def pdf_text(doc: Sent) -> str:
    assert doc.file is not None
    reader = pypdf.PdfReader(io.BytesIO(doc.file[1]))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(s: str) -> str:
    """Text without the line breaks and spaces a PDF's layout adds."""
    return re.sub(r"\s+", "", s)


async def resolve_with_model(
    h: Harness, cust: Chat, eng: Chat, *, model: str = "S5720-28X SN:2102351234",
    symptom: str = "终端死机",
) -> int:
    """A B-level report with a product model, taken, resolved with the cause "hardware"."""
    await cust.send("/report")
    await cust.press("否")
    await cust.press("是")
    await cust.send("Village 3 office")
    await cust.send(symptom)
    await cust.press("完成")
    await cust.send(model)
    await cust.press("使用")
    await cust.press("确认提交")
    await eng.send("/take 1")
    await h.tick(minutes=30)
    await eng.send("/resolve 1 更换了交换机电源模块")
    await eng.press("硬件")
    return 1


async def archived(h: Harness, ticket_id: int) -> list[tuple[int, str, str, str]]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT version, kind, path, sha256 FROM service_reports WHERE ticket_id = ?"
            " ORDER BY version",
            (ticket_id,),
        ) as cur:
            return [tuple(r) for r in await cur.fetchall()]  # type: ignore[misc]


async def test_resolved_sends_the_report_in_chinese_and_confirm_signs_it_off(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    [doc] = documents(cust)
    assert doc.file is not None and doc.file[0] == "service-report-1.pdf"
    assert "工单 #1 售后服务报告（第 1 版" in doc.text
    # The resolved message with the Confirm / Not fixed buttons comes right after the PDF.
    resolved = cust.last()
    assert resolved.message_id > doc.message_id and "已修复" in resolved.text
    assert [label for label, _ in resolved.buttons()] == ["✅ 确认已恢复", "❌ 未修复"]
    text = pdf_text(doc)
    for field in ("售后服务报告", "客户单位", "联系人", "联系电话", "产品型号", "序列号",
                  "现象", "服务时限", "处理进程", "工程师", "处理情况"):
        assert field in text, field
    assert "产品型号 S5720-28X\n" in text and "序列号 2102351234\n" in text  # two fields
    for value in ("终端死机", "更换了交换机电源模块", "Engineer One", "硬件"):
        assert value in text, value
    assert "待确认" in text
    assert "达标" in text  # the respond clock was met
    await cust.press("确认")
    assert cust.find("已关闭")  # then the satisfaction survey is asked
    first, signed = documents(cust)
    assert "第 2 版" in signed.text and "客户已确认" in signed.text
    signed_text = flat(pdf_text(signed))
    assert "已由Customer(Telegramid5001)于2026-11-2314:30在Telegram中确认" in signed_text
    # Both versions are archived, each with its hash; v1 is unchanged by the re-issue.
    rows = await archived(h, 1)
    assert [(v, k) for v, k, _, _ in rows] == [(1, "issued"), (2, "confirmed")]
    for (_, _, path, sha), sent in zip(rows, (first, signed), strict=True):
        data = (h.tmp / "reports" / path).read_bytes()
        assert sent.file is not None and data == sent.file[1]
        assert hashlib.sha256(data).hexdigest() == sha


async def test_report_in_english(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer(language="en-US")
    await cust.send("/report")
    await cust.press("No")
    await cust.press("Yes")
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("Done")
    await cust.send("S5720-28X")
    await cust.press("Use")
    await cust.press("Confirm")
    await eng.send("/take 1")
    await eng.send("/resolve 1 Replaced the power module")
    await eng.press("硬件")
    [doc] = documents(cust)
    assert "Service report of ticket #1 (version 1" in doc.text
    text = pdf_text(doc)
    for field in ("Service report", "Customer unit", "Contact person", "Product model",
                  "Serial number", "Deadlines", "Engineer(s)", "Terminal freezes",
                  "Replaced the power module", "pending"):
        assert field in text, field


async def test_page_one_renders_and_is_not_blank(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    [doc] = documents(cust)
    assert doc.file is not None
    pdf = pypdfium2.PdfDocument(doc.file[1])
    image = pdf[0].render(scale=1).to_pil().convert("L")
    width, height = image.size
    assert width > 500 and height > 700  # A4 at 72 dpi
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.005 * width * height, dark  # text was drawn, not a white page
    pdf.close()


async def test_hostile_text_is_intact_in_the_pdf(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    symptom = (HOSTILE * 30)[:1900]
    await resolve_with_model(h, cust, eng, model=HOSTILE[:60], symptom=symptom)
    [doc] = documents(cust)
    text = flat(pdf_text(doc))
    for piece in ("<b>bold</b>&amp;<script>x</script>", "*_[]()~`>#+-=|{}.!", "🔥"):
        assert piece in text, piece
    assert text.count("<script>x</script>") >= 20  # the long symptom is all there
    assert "مرحبا" in text or "ابحرم" in text  # right-to-left text kept (in either order)


async def test_doc_sends_the_latest_report_to_its_people_and_refuses_others(h: Harness) -> None:
    eng = await h.staff(1001)
    pm = await h.staff(1012)
    cust = await h.customer()
    other = await h.customer(5002)
    await resolve_with_model(h, cust, eng)
    await cust.press("确认")
    await other.send("/doc 1")
    assert other.last().text == "找不到工单 #1。"
    assert documents(other) == []
    await other.send("/doc 99")
    assert other.last().text == "找不到工单 #99。"
    for chat in (cust, pm, eng):
        before = len(documents(chat))
        await chat.send("/doc 1")
        docs = documents(chat)
        assert len(docs) == before + 1, chat.transcript()
        assert "第 2 版" in docs[-1].text and "客户已确认" in pdf_text(docs[-1])


async def test_doc_before_any_report_says_so(h: Harness) -> None:
    cust = await h.customer()
    await h.report(cust)
    await cust.send("/doc 1")
    assert cust.last().text == "工单 #1 还没有服务报告（修复后出具）。"


async def test_unconfirmed_ticket_closes_after_confirm_within(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    await h.tick(days=2, hours=23)
    assert (await h.ticket(1)).status.value == "resolved"  # type: ignore[union-attr]
    await h.tick(hours=1)
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status.value == "closed"
    assert "未经客户确认" in cust.last().text
    assert "未经客户确认" in eng.last().text
    closed = documents(cust)[-1]
    assert "第 2 版" in closed.text
    assert "未在规定时间内确认，工单已于" in flat(pdf_text(closed))
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "closed_unconfirmed"]
    # A late press of Confirm changes nothing.
    await cust.press("确认")
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "closed_unconfirmed"]


async def test_confirmed_ticket_is_not_closed_again_by_the_timer(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    await cust.press("确认")
    await h.tick(days=4)
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "confirmed"]


async def test_not_fixed_then_resolved_again_issues_a_new_version(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    await cust.press("未修复")
    await cust.send("还是死机")
    await h.tick(days=3)  # the first resolution's timer finds the ticket reopened
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status.value == "accepted"
    await eng.send("/resolve 1 再次更换电源")
    await eng.press("硬件")
    assert [(v, k) for v, k, _, _ in await archived(h, 1)] == [(1, "issued"), (2, "issued")]
    assert "第 2 版" in documents(cust)[-1].text


async def outbox_documents(h: Harness) -> list[tuple[int, str, str, str | None]]:
    """The outbox's sendDocument rows: id, status, payload as stored, error."""
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT id, status, payload, error FROM outbox WHERE method = 'sendDocument'"
            " ORDER BY id"
        ) as cur:
            return [tuple(r) for r in await cur.fetchall()]  # type: ignore[misc]


async def test_the_outbox_refers_to_the_archived_file_and_never_sends_a_changed_one(
    h: Harness,
) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    [(row_id, status, stored, _)] = await outbox_documents(h)
    # The row names the archived file and its hash; the PDF's bytes are not in it.
    payload = json.loads(stored)
    [(_, _, path, sha)] = await archived(h, 1)
    assert status == "sent" and "document_b64" not in payload
    assert payload["document_path"] == path and payload["document_sha256"] == sha
    assert len(stored) < 1000
    [doc] = documents(cust)
    assert doc.file is not None and doc.file[1] == (h.tmp / "reports" / path).read_bytes()
    # Had the file changed before the sender got to it, nothing would go out.
    target = h.tmp / "reports" / path
    target.write_bytes(target.read_bytes() + b"%tampered")
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        await uow.conn.execute("UPDATE outbox SET status = 'pending' WHERE id = ?", (row_id,))
    await h.drain()
    [(_, status, _, error)] = await outbox_documents(h)
    assert status == "failed" and error is not None and "SHA-256" in error
    assert len(documents(cust)) == 1
    # And a file gone: the same.
    target.unlink()
    async with unit_of_work(h.hb.db) as uow:
        await uow.conn.execute("UPDATE outbox SET status = 'pending' WHERE id = ?", (row_id,))
    await h.drain()
    [(_, status, _, error)] = await outbox_documents(h)
    assert status == "failed" and error is not None and "cannot be read" in error
    assert len(documents(cust)) == 1
