"""Each update takes effect once: Telegram re-delivers an update whose confirming getUpdates
never came (the bot died after handling it); the repeat changes nothing and says nothing."""

from __future__ import annotations

from bot.domain.drafts import ReportDraft
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Harness


async def test_a_redelivered_note_is_recorded_once(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng1.send("/take 1")
    await eng1.send("/note 1 Cable was loose")
    assert eng1.last().text == "备注已加入工单 #1。"
    seen = eng1.count(), cust.count()
    await h.restart()  # the bot died before its next getUpdates confirmed the /note
    await h.redeliver()
    notes = [e for e in await h.events(1) if e.kind == "note"]
    assert len(notes) == 1, notes
    assert (eng1.count(), cust.count()) == seen


async def test_a_redelivered_dialog_answer_is_not_taken_for_the_next_question(
    h: Harness,
) -> None:
    cust = await h.customer()
    await h.report_until(cust, "site")
    await cust.send("Village 3 office")
    assert "故障现象" in cust.last().text
    seen = cust.count()
    await h.restart()
    await h.redeliver()
    assert cust.count() == seen  # the symptom question is not answered by the site
    draft = await h.draft(cust.user_id)
    assert isinstance(draft, ReportDraft)
    assert (draft.step, draft.site, draft.symptom) == ("symptom", "Village 3 office", "")
    await cust.send("Terminal freezes")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.press("使用")
    await cust.press("确认提交")
    [ticket] = await h.tickets_of(cust.user_id)
    assert (ticket.site, ticket.symptom) == ("Village 3 office", "Terminal freezes")


async def test_a_redelivered_button_press_only_stops_the_spinner(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "severity")
    await cust.press("否")
    draft = await h.draft(cust.user_id)
    seen = cust.count()
    await h.redeliver()
    answers = [
        p for api, p in h.request.calls
        if api == "answerCallbackQuery" and p.get("callback_query_id") == cust.last_query_id
    ]
    assert len(answers) == 2  # answered again: the button's spinner stops
    assert answers[1].get("text") is None  # without a refusal: the press did take effect
    assert cust.count() == seen
    assert await h.draft(cust.user_id) == draft


async def test_the_daily_check_forgets_update_ids_older_than_two_days(h: Harness) -> None:
    async def remembered() -> int:
        assert h.hb is not None
        async with unit_of_work(h.hb.db) as uow:
            async with uow.conn.execute("SELECT COUNT(*) FROM handled_updates") as cur:
                row = await cur.fetchone()
        return int(row[0]) if row else 0

    cust = await h.customer()  # four updates
    assert await remembered() == 4
    await h.tick(days=1)  # the morning check: kept, Telegram might still re-deliver them
    assert await remembered() == 4
    await h.tick(days=2)
    await cust.send("/my")
    assert await remembered() == 1
