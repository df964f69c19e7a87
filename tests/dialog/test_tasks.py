"""The contract's calendar (合同日历): /tasks, recording an inspection (the report PDF read back
in zh and en) and a phone visit, reminders, warranty notices, refusals, re-planning.

The harness starts at 2026-11-23 14:00 Asia/Shanghai. The village contract runs 2026-01-01 to
2027-12-31, quarterly inspections, four phone visits a year, the warranty until 2026-12-31:
the next inspection is due 2027-01-01 (eng1, first on duty), the next phone visit 2027-02-15
(cm); the warranty notices fall on 2026-12-01 (30 days) and 2026-12-24 (7 days)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.monthly import ContractTasks, MonthlySummary, month_period
from bot.storage.uow import unit_of_work
from bot.telegram.render.monthly import Words, summary_rows
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_service_report import HOSTILE, documents, flat, pdf_text
from tests.support.configs import hotline_config, people, project_toml

CUSTOMER = 5001
CONTRACT = """
[projects.contract]
start = 2026-01-01
end = 2027-12-31
warranty_until = 2026-12-31
inspections = "quarterly"
phone_visits_per_year = 4
final_inspection_before_end = "3 months"
"""


def config(inspections: str = "quarterly") -> str:
    contract = CONTRACT.replace('"quarterly"', f'"{inspections}"')
    village = project_toml(on_duty=["eng1", "eng2"], members=["eng3"],
                           escalation=["cm", "pm", "lead"],
                           extra=f"report_to = [{CUSTOMER}]\n{contract}")
    other = project_toml("other", name="Other Project", invite="OTHER2026", on_duty=["eng4"],
                         extra=CONTRACT)
    staff = people("eng1", "eng2", "eng3", "eng4", "cm", "pm", "lead")
    return hotline_config(staff=staff, projects=[village, other])


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, config())
    await harness.start()
    yield harness
    await harness.stop()
    assert harness.request.refused == [] or all(
        "Forbidden" in why for _, why in harness.request.refused
    ), harness.request.refused


async def rows(h: Harness, sql: str, *args: object) -> list[tuple[object, ...]]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(sql, args) as cur:
            return [tuple(r) for r in await cur.fetchall()]


async def task_id(h: Harness, project: str, kind: str, due: str) -> int:
    [(n,)] = await rows(h, "SELECT id FROM contract_tasks WHERE project_key = ? AND kind = ?"
                        " AND due = ?", project, kind, due)
    assert isinstance(n, int)
    return n


async def inspect(eng: Chat, n: int, *, ok: tuple[str, str], notes: tuple[str, ...],
                  findings: str) -> None:
    """Record task n as an inspection: hardware, software, risk (button + note), findings."""
    await eng.send("/tasks")
    await eng.press(f"#{n} ")
    for label, note in zip((ok[0], ok[1], ok[0]), notes, strict=True):
        await eng.press(label)
        await eng.send(note)
    await eng.send(findings)


async def test_an_inspection_recorded_goes_as_a_pdf_to_engineer_pm_and_customer(
    h: Harness,
) -> None:
    eng, pm = await h.staff(1001), await h.staff(1012)
    cust = await h.customer(CUSTOMER, language="en")
    await eng.send("/tasks")
    shown = eng.last()
    n = await task_id(h, "village", "inspection", "2027-01-01")
    visit = await task_id(h, "village", "phone_visit", "2027-02-15")
    assert "合同任务" in shown.text and "我的任务" in shown.text
    assert f"#{n} 定期巡检 · County Police Village Query Service · 截止 2027-01-01" in shown.text
    assert f"#{visit} 电话回访" in shown.text and "Customer Manager" in shown.text
    assert f"📝 #{n} 记录结果" in [label for label, _ in shown.buttons()]
    await inspect(eng, n, ok=("正常", "有问题"),
                  notes=("-", HOSTILE + "UPS 电池老化", "无隐患"), findings="建议更换 UPS 电池")
    receipt = eng.find("已记录").text
    assert "定期巡检" in receipt and "SHA-256" in receipt
    [(content, sha, by)] = await rows(
        h, "SELECT content, sha256, by_name FROM task_results WHERE task_id = ?", n)
    assert isinstance(content, str) and by == "Engineer One"
    assert hashlib.sha256(content.encode()).hexdigest() == sha and str(sha) in receipt
    assert await rows(h, "SELECT status FROM contract_tasks WHERE id = ?", n) == [("done",)]
    [mine], [pms], [theirs] = documents(eng), documents(pm), documents(cust)
    zh = pdf_text(mine)
    for label in ("巡检报告", "硬件检查", "软件检查", "风险分析", "正常", "有问题",
                  "巡检结论与建议", "Engineer One", "2027-01-01"):
        assert label in zh, label
    assert "UPS电池老化" in flat(zh) and "建议更换UPS电池" in flat(zh)
    for piece in ("<b>bold</b>&amp;<script>x</script>", "*_[]()~`>#+-=|{}.!", "🔥"):
        assert piece in flat(zh), piece  # the hostile note is text, printed as typed
    assert str(sha) in flat(zh)
    assert pdf_text(pms) == zh
    en = pdf_text(theirs)
    for label in ("Inspection report", "Hardware check", "Problem", "Findings and",
                  "2027-01-01"):
        assert label in en, label
    assert theirs.file is not None and theirs.file[0] == f"inspection-village-2027-01-01-{n}.pdf"
    # Done: no longer listed; its old button is refused and changes nothing.
    await eng.send("/tasks")
    after = eng.last()
    assert f"📝 #{n} 记录结果" not in [label for label, _ in after.buttons()]
    assert "最近 30 天已完成" in after.text
    assert (f"✅ #{n} 定期巡检 · County Police Village Query Service · 截止 2027-01-01 · "
            f"Engineer One 记录于 2026-11-23 14:00 · SHA-256 {str(sha)[:12]}…") in after.text
    await eng.press(f"#{n} ", message=shown)
    assert eng.toast() is not None and "已完成" in (eng.toast() or "")
    assert await h.draft(1001) is None


async def test_a_phone_visit_records_who_what_and_satisfaction(h: Harness) -> None:
    cm = await h.staff(1011, language="en")
    visit = await task_id(h, "village", "phone_visit", "2027-02-15")
    await cm.send("/tasks")
    assert "My tasks" in cm.last().text and f"#{visit} Phone visit" in cm.last().text
    await cm.press(f"#{visit} ")
    assert "Who did you call" in cm.last().text
    await cm.send("Customer One, Village Police Station, 13900000000")
    assert "What did they say" in cm.last().text
    await cm.send("All fine; asks for a training in March")
    assert [label for label, _ in cm.last().buttons()] == [f"{s}⭐" for s in range(1, 6)]
    await cm.press("4⭐")
    assert "is recorded" in cm.last().text
    [(content,)] = await rows(h, "SELECT content FROM task_results WHERE task_id = ?", visit)
    assert '"satisfaction":4' in str(content) and "training in March" in str(content)
    assert documents(cm) == []  # a phone visit has no report document
    await cm.send("/tasks")
    assert f"✅ #{visit} Phone visit" in cm.last().text
    assert "recorded by Customer Manager at 2026-11-23 14:00 · satisfaction 4/5" in (
        cm.last().text)


async def test_customers_and_forged_or_stale_buttons_are_refused(h: Harness) -> None:
    cust = await h.customer(CUSTOMER)
    await cust.send("/tasks")
    assert "由服务团队处理" in cust.last().text
    eng = await h.staff(1001)
    foreign = await task_id(h, "other", "inspection", "2027-01-01")
    for data in (f"tsk:rec:{foreign}:", "tsk:rec:999999:", "tsk:ok:1:hardware"):
        before = eng.count()
        await eng.press_data(eng.last().message_id, data)
        assert "不属于您的项目" in (eng.toast() or ""), data
        assert eng.count() == before
    assert await h.draft(1001) is None
    assert await rows(h, "SELECT count(*) FROM task_results") == [(0,)]
    # A checklist button of another step (an old message) is refused too.
    n = await task_id(h, "village", "inspection", "2027-01-01")
    await eng.send("/tasks")
    await eng.press(f"#{n} ")
    await eng.press_data(eng.last().message_id, f"tsk:ok:{n}:risk")
    assert "不属于您的项目" in (eng.toast() or "")
    await eng.send("随便写点")  # text where a button is wanted: asked again
    assert "请用下面的按钮回答" in eng.texts()[-2]


async def test_reminders_warranty_notices_and_daily_escalation(h: Harness) -> None:
    eng, cm, pm, lead = [await h.staff(i) for i in (1001, 1011, 1012, 1013)]
    n = await task_id(h, "village", "inspection", "2027-01-01")
    # 2026-12-01 09:00 local (01:00 UTC): the warranty ends in 30 days.
    await h.tick(days=7, hours=19)
    for who in (pm, lead):
        assert "质保期将于 2026-12-31 结束（还有 30 天）" in who.transcript()
    assert "质保期" not in eng.transcript()
    # A week before the inspection, then on its day.
    await h.tick(days=24)
    assert f"提醒：#{n} 定期巡检" in eng.transcript()
    await h.tick(days=7)
    assert f"今天到期：#{n}" in eng.transcript()
    # Overdue the next morning: the engineer and the escalation chain; again each morning.
    await h.tick(days=1)
    for who in (eng, cm, pm, lead):
        assert f"已逾期 1 天：#{n}" in who.transcript()
    await h.tick(days=1)
    assert f"已逾期 2 天：#{n}" in pm.transcript()


async def test_planning_again_adds_nothing_and_a_changed_contract_cancels(
    h: Harness, tmp_path: Path
) -> None:
    before = await rows(h, "SELECT key, status FROM contract_tasks ORDER BY key")
    await h.restart()
    assert await rows(h, "SELECT key, status FROM contract_tasks ORDER BY key") == before
    await h.stop()
    changed = Harness(tmp_path, config("half-yearly"), clock=h.clock)
    await changed.start()
    try:
        status = dict(await rows(changed, "SELECT key, status FROM contract_tasks"))
        assert status["village:inspection:2027-01-01"] == "open"  # half-yearly too
        assert status["village:inspection:2027-04-01"] == "cancelled"
        assert status["village:phone_visit:2027-02-15"] == "open"
    finally:
        await changed.stop()
    h.hb = None  # stopped above


async def test_the_monthly_summary_counts_inspections_and_visits_due_and_done(
    h: Harness,
) -> None:
    eng = await h.staff(1001)
    n = await task_id(h, "village", "inspection", "2027-01-01")
    await inspect(eng, n, ok=("正常", "正常"), notes=("-", "-", "-"), findings="一切正常")
    assert h.hb is not None
    tz = h.settings.tz

    async def summary(year: int, month: int) -> MonthlySummary:
        period = month_period("village", year, month, tz)
        async with unit_of_work(h.hb.db) as uow:  # type: ignore[union-attr]
            return await uow.monthly.summary(period, period.days(tz), h.clock.now())

    january, february, november = (await summary(2027, 1), await summary(2027, 2),
                                   await summary(2026, 11))
    assert january.contract_tasks == ContractTasks(1, 1, 0, 0)
    assert february.contract_tasks == ContractTasks(0, 0, 1, 0)  # the visit of 2027-02-15
    assert november.contract_tasks is None  # nothing planned was due
    rows = dict(summary_rows(Words(h.settings, "zh", "village"), january, "Village"))
    assert rows["巡检（已完成 / 本月到期）"] == "1 / 1"
    assert rows["电话回访（已完成 / 本月到期）"] == "0 / 0"


async def test_an_unfinished_result_expires_and_says_where_to_record_it_again(
    h: Harness,
) -> None:
    cm = await h.staff(1011)
    visit = await task_id(h, "village", "phone_visit", "2027-02-15")
    await cm.send("/tasks")
    await cm.press(f"#{visit} ")
    await cm.send("Customer One")
    await h.tick(hours=25)
    assert "任务结果记录已超过 24 小时未操作，已作废。请在 /tasks 中重新记录。" in cm.transcript()
    assert await h.draft(1011) is None
    assert await rows(h, "SELECT status FROM contract_tasks WHERE id = ?", visit) == [("open",)]
