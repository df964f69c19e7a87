"""The daily maintenance report (每日设备维护报告): the draft at `daily_report_at`, Sign, the
addendum, the reminder chain (10:00 engineer, 18:00 project manager), /daily for the engineer
and for managers, refusals; zh and en. The signed PDFs are read back (pypdf).

The harness starts at 2026-11-23 14:00 Asia/Shanghai; 20:00 local is 12:00 UTC."""

from __future__ import annotations

import hashlib

from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_service_report import HOSTILE, documents, flat, pdf_text


async def worked_day(h: Harness, eng: Chat, cust: Chat, hardware: str = "硬件") -> None:
    """Ticket 1 (B): taken, on site 40 minutes later, resolved 75 minutes after arriving (cause
    hardware); ticket 2 (C): taken and left open, blocked by power."""
    await h.report(cust, site="Village 3 office", symptom="终端死机")
    await eng.send("/take 1")
    await h.tick(minutes=40)
    await eng.send("/arrive 1")
    await eng.send("🚫 不发送位置" if hardware == "硬件" else "🚫 No location")
    await h.tick(minutes=75)
    await eng.send("/resolve 1 更换了电源模块")
    await eng.press(hardware)
    await h.report(cust, level="C", site="Village 7 gate", symptom="摄像头黑屏")
    await eng.send("/take 2")
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:  # as /blocked 2 power records it
        ticket = await uow.tickets.get(2)
        assert ticket is not None
        await uow.tickets.save(ticket.block("power"))
        await uow.timeline.append(2, h.clock.now(), "staff:eng1", "blocked", old="", new="power")


async def until_evening(h: Harness) -> None:
    """To 20:00 local (12:00 UTC) of the harness's first day."""
    gap = h.clock.now().replace(hour=12, minute=0, second=0, microsecond=0) - h.clock.now()
    await h.tick(seconds=gap.total_seconds())


async def signed_rows(h: Harness) -> list[tuple[str, int, str, str]]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT staff_key, part, content, sha256 FROM daily_reports ORDER BY part"
        ) as cur:
            return [tuple(r) for r in await cur.fetchall()]  # type: ignore[misc]


async def test_the_draft_at_20_00_signed_goes_as_a_pdf_to_engineer_and_pm(h: Harness) -> None:
    eng, pm = await h.staff(1001), await h.staff(1012)
    other = await h.staff(1002)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    before = other.count()
    await until_evening(h)
    draft = eng.find("每日设备维护报告")
    assert "今天的维护报告草稿" in draft.text
    assert "2026-11-23" in draft.text and "Engineer One" in draft.text
    line1 = "#1 Village 3 office — 终端死机 — 原因：硬件 — ✅ 已解决 — 用时：1小时15分钟"
    assert line1 in draft.text
    assert "#2 Village 7 gate — 摄像头黑屏 — 原因：电源 — ⏳ 未解决 — 用时：—" in draft.text
    assert [label for label, _ in draft.buttons()] == ["✍️ 签字确认", "➕ 添加工作"]
    assert other.since(before) == []  # eng2 did nothing today: no draft
    await eng.press("签字确认", message=draft)
    assert eng.toast() == "已签字确认"
    assert "已签字确认" in eng.last().text and "SHA-256" in eng.last().text
    [mine], [pms] = documents(eng), documents(pm)
    assert mine.file is not None and mine.file[0] == "daily-report-eng1-2026-11-23.pdf"
    text = pdf_text(mine)
    for label in ("每日设备维护报告", "日期", "维护人员", "点位", "故障现象", "是否解决",
                  "维护人员签字"):
        assert label in text, label
    flat_text = flat(text)
    for value in ("Village3office", "终端死机", "硬件", "电源", "1小时15分钟", "Staff1001"):
        assert value in flat_text, value
    assert pdf_text(pms) == text  # the manager reads the same (both in Chinese)
    # Frozen: the content and its hash are archived; the file is archived with its own hash.
    [(staff, part, content, sha)] = await signed_rows(h)
    assert (staff, part) == ("eng1", 1) and hashlib.sha256(content.encode()).hexdigest() == sha
    assert sha in flat_text
    archived = list((h.tmp / "reports").glob("daily-village-eng1-2026-11-23-p1-zh-*.pdf"))
    assert len(archived) == 1 and archived[0].read_bytes() == mine.file[1]


async def test_signing_twice_or_a_forged_button_changes_nothing(h: Harness) -> None:
    eng, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    await eng.send("/daily")
    view = eng.last()
    sign = next(data for label, data in view.buttons() if "签字" in label)
    await eng2.press_data(view.message_id, sign)  # someone else's report
    assert eng2.toast() is not None and "未签字" in eng2.toast()  # type: ignore[operator]
    await eng.press_data(view.message_id, sign)
    assert eng.toast() == "已签字确认"
    await eng.press_data(view.message_id, sign)  # a second time
    assert "已经签字" in (eng.toast() or "")
    await eng.press_data(view.message_id, "dls:village:20261123:1:zzzzzzzz")  # forged
    assert eng.toast() == "这个按钮已失效，请使用最新的消息。"
    assert len(await signed_rows(h)) == 1


async def test_a_changed_report_is_not_signed_from_an_old_message(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    await eng.send("/daily")
    old = eng.last()
    await eng.send("/daily add 巡检 5 号点位")
    await eng.press("签字确认", message=old)
    assert "报告内容已有变化" in (eng.toast() or "")
    assert await signed_rows(h) == []
    assert "巡检 5 号点位" in eng.last().text  # the current draft is shown to sign instead


async def test_work_added_after_signing_is_an_addendum_signed_on_its_own(h: Harness) -> None:
    eng, pm = await h.staff(1001), await h.staff(1012)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    await eng.send("/daily")
    await eng.press("签字确认")
    await eng.send(f"/daily add 例行保养 3 号机房 {HOSTILE}")
    shown = eng.last()
    assert "补充报告 1 草稿（未签字）" in shown.text and "已由 Staff1001" in shown.text
    assert "例行保养 3 号机房" in shown.text
    await eng.press("签字确认", message=shown)
    _, addendum = documents(eng)
    assert addendum.file is not None
    assert addendum.file[0] == "daily-report-eng1-2026-11-23-addendum-1.pdf"
    text = pdf_text(addendum)
    assert "补充报告 1" in text and "例行保养" in text
    assert "终端死机" not in text  # the signed ticket lines stay in part 1
    flat_text = flat(text)  # hostile text intact
    for piece in ("<b>bold</b>&amp;<script>x</script>", "*_[]()~`>#+-=|{}.!", "🔥"):
        assert piece in flat_text, piece
    assert "مرحبا" in flat_text or "ابحرم" in flat_text
    rows = await signed_rows(h)
    assert [p for _, p, _, _ in rows] == [1, 2]
    assert len(documents(pm)) == 2


async def test_add_work_button_asks_for_the_text(h: Harness) -> None:
    eng = await h.staff(1001, language="en")
    await eng.send("/daily")
    assert "No ticket touched" in eng.last().text
    await eng.press("Add work")
    assert "Describe the maintenance work of 2026-11-23" in eng.last().text
    await eng.send("Inspected the cameras at point 3")
    shown = eng.last()
    assert "Recorded." in shown.text and "Inspected the cameras at point 3" in shown.text
    assert [label for label, _ in shown.buttons()] == ["✍️ Sign", "➕ Add work"]
    await eng.press("Sign", message=shown)
    [doc] = documents(eng)
    text = pdf_text(doc)
    assert "Daily maintenance report" in text and "Inspected the cameras" in text


async def test_unsigned_by_10_reminds_the_engineer_and_by_18_tells_the_pm(h: Harness) -> None:
    eng, pm, cm = await h.staff(1001), await h.staff(1012), await h.staff(1011)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    await pm.send("/regrade 2 B")  # a manager's touch is not a day of maintenance
    assert any(e.actor == "staff:pm" for e in await h.events(2))
    await until_evening(h)
    assert eng.find("今天的维护报告草稿")
    assert not any("维护报告" in t for t in pm.texts())
    before_eng, before_pm, before_cm = eng.count(), pm.count(), cm.count()
    await h.tick(hours=13, minutes=59)  # 09:59 next morning
    assert eng.since(before_eng) == []
    await h.tick(minutes=1)
    [reminder] = [t for t in eng.since(before_eng) if "维护报告" in t]
    assert "提醒：您 2026-11-23 的每日维护报告尚未签字确认" in reminder
    assert [t for t in pm.since(before_pm) if "维护报告" in t] == []
    await h.tick(hours=8)  # 18:00
    told = [t for t in pm.since(before_pm) if "维护报告" in t]
    assert told == [
        "⚠️ Engineer One 2026-11-23 的每日维护报告（County Police Village Query Service）"
        "至今未签字确认。"
    ]
    # The project manager is told, not the customer manager.
    assert [t for t in cm.since(before_cm) if "维护报告" in t] == []
    # A restart fires nothing twice.
    await h.restart()
    await h.tick(minutes=1)
    assert len([t for t in pm.since(before_pm) if "维护报告" in t]) == 1


async def test_signed_in_time_nobody_is_reminded(h: Harness) -> None:
    eng, pm = await h.staff(1001, language="en"), await h.staff(1012)
    cust = await h.customer()
    await worked_day(h, eng, cust, "Hardware")
    await until_evening(h)
    await eng.press("Sign")
    before_eng, before_pm = eng.count(), pm.count()
    await h.tick(hours=23)
    assert [t for t in eng.since(before_eng) if "report" in t] == []
    assert [t for t in pm.since(before_pm) if "维护报告" in t] == []


async def test_the_timer_fires_each_evening_and_survives_a_restart(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    await h.restart()
    await until_evening(h)
    assert len([t for t in eng.texts() if "今天的维护报告草稿" in t]) == 1
    await h.restart()
    await h.tick(hours=23)
    await eng.send("/daily add 巡检")  # 19:00 the next day
    await h.tick(hours=1)
    drafts = [t for t in eng.texts() if "今天的维护报告草稿" in t]
    assert len(drafts) == 2 and "2026-11-24" in drafts[-1] and "巡检" in drafts[-1]
    await h.tick(hours=24)  # a day without work: no draft
    assert len([t for t in eng.texts() if "今天的维护报告草稿" in t]) == 2


async def test_managers_read_an_engineer_s_report_and_nobody_else_does(h: Harness) -> None:
    eng, eng2 = await h.staff(1001), await h.staff(1002)
    pm, cm = await h.staff(1012, language="en"), await h.staff(1011)
    eng3 = await h.staff(1003)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    await eng.send("/daily")
    await eng.press("签字确认")
    await pm.send("/daily eng1 2026-11-23")
    [doc] = documents(pm)[-1:]
    view = pm.find("Daily maintenance report")
    assert "Village 3 office" in view.text and "Signed by Staff1001" in view.text
    assert view.buttons() == []  # a manager reads, never signs
    assert "Daily maintenance report" in pdf_text(doc)  # in the manager's language
    await eng2.send("/daily eng1 2026-11-23")
    assert "只有项目经理" in eng2.last().text
    await cm.send("/daily eng1 2026-11-23")
    assert "只有项目经理" in cm.last().text
    await pm.send("/daily nobody 2026-11-23")
    assert "no such staff member in your projects" in pm.last().text
    await pm.send("/daily eng2 2026-11-23")
    assert pm.last().text == (
        "Engineer Two touched no ticket and recorded no maintenance work on 2026-11-23."
    )
    await eng3.send("/daily 2026-11-99")
    assert "用法" in eng3.last().text
    await eng3.send("/daily 2026-11-30")
    assert "还没有到" in eng3.last().text
    await cust.send("/daily")
    assert "仅限值班人员" in cust.last().text


async def test_a_past_day_keeps_what_the_ticket_was_that_day(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    await h.tick(hours=24)  # the next day the ticket is resolved
    await eng.send("/resolve 1 done")
    await eng.press("硬件")
    await eng.send("/daily 2026-11-23")
    assert "⏳ 未解决" in eng.last().text and "✅" not in eng.last().text
    await eng.send("/daily")
    assert "✅ 已解决" in eng.last().text and "2026-11-24" in eng.last().text


async def test_a_changed_or_missing_archived_file_is_never_sent(h: Harness) -> None:
    eng, pm = await h.staff(1001), await h.staff(1012)
    cust = await h.customer()
    await worked_day(h, eng, cust)
    await eng.send("/daily")
    await eng.press("签字确认")
    [archived] = list((h.tmp / "reports").glob("daily-village-eng1-*-zh-*.pdf"))
    archived.write_bytes(archived.read_bytes() + b"%changed")
    before = len(documents(pm))
    await pm.send("/daily eng1 2026-11-23")
    assert "与登记的校验值不符" in pm.last().text and len(documents(pm)) == before
    archived.unlink()
    await pm.send("/daily eng1 2026-11-23")
    assert "与登记的校验值不符" in pm.last().text and len(documents(pm)) == before
