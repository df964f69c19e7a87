"""Storage on a temp-file database: migrations, pragmas, tickets, outbox, timers; the port."""

from __future__ import annotations

import asyncio
import inspect
import logging
import sqlite3
import typing
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.domain.ticket import Deadlines, Level, Status
from bot.services import uow as port
from bot.services.uow import ConcurrentUpdate
from bot.storage.db import MIGRATIONS, Database, from_ts, ts
from bot.storage.uow import SqliteUnitOfWork, unit_of_work
from tests.unit.storage_helpers import T0, M, draft_ticket, scalar_uow


async def scalar(db: Database, sql: str) -> object:
    async with db.conn.execute(sql) as cur:
        row = await cur.fetchone()
    assert row is not None
    return row[0]


# ---------------------------------------------------------------- database


async def test_migration_sets_user_version(db: Database) -> None:
    assert len(MIGRATIONS) >= 6
    assert await db.schema_version() == len(MIGRATIONS)
    assert await scalar(db, "PRAGMA user_version") == len(MIGRATIONS)
    async with db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ) as cur:
        names = [r[0] for r in await cur.fetchall()]
    assert names == [
        "complaint_events", "complaints", "contract_tasks",
        "daily_report_files", "daily_reports", "daily_work",
        "devices", "document_jobs", "drafts",
        "event_standby", "events",
        "handled_updates", "health_probe", "outbox", "overrides", "paging",
        "report_jobs",
        "service_reports",
        "surveys", "swaps",
        "task_result_files", "task_results",
        "ticket_clocks", "ticket_events", "ticket_pauses", "tickets",
        "timers", "users",
    ]


async def test_reopening_does_not_rerun_migrations(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bot.db"
    caplog.set_level(logging.INFO, logger="bot.storage.db")
    first = Database(path)
    await first.open()
    assert [r.getMessage() for r in caplog.records] == [
        f"migrating database to version {n}" for n in range(1, len(MIGRATIONS) + 1)]
    async with unit_of_work(first) as u:
        await u.tickets.add(draft_ticket())
    await first.close()

    caplog.clear()
    second = Database(path)
    await second.open()  # re-running CREATE TABLE would raise here
    try:
        assert caplog.records == []
        assert await second.schema_version() == len(MIGRATIONS)
        async with unit_of_work(second) as u:
            kept = await u.tickets.get(1)
        assert kept is not None
        assert kept.customer_id == 500
    finally:
        await second.close()


async def test_pragmas(db: Database) -> None:
    assert await scalar(db, "PRAGMA journal_mode") == "wal"
    assert await scalar(db, "PRAGMA synchronous") == 2  # FULL
    assert await scalar(db, "PRAGMA busy_timeout") == 5000
    assert await scalar(db, "PRAGMA foreign_keys") == 1


async def test_conn_before_open_raises(tmp_path: Path) -> None:
    database = Database(tmp_path / "x.db")
    with pytest.raises(RuntimeError, match="not open"):
        _ = database.conn


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with unit_of_work(db) as u:
            await u.tickets.add(draft_ticket())
            await u.outbox.add(1, "sendMessage", {"text": "x"}, T0)
            raise RuntimeError("boom")
    async with unit_of_work(db) as u:
        assert await u.tickets.get(1) is None
        assert await u.outbox.pending_count() == 0
        # the rolled-back insert did not use up a ticket number
        t = await u.tickets.add(draft_ticket())
    assert t.id == 1


async def test_fifty_concurrent_transactions(db: Database) -> None:
    async def one(n: int) -> int:
        async with unit_of_work(db) as u:
            await asyncio.sleep(0)  # let the others try to get in
            t = await u.tickets.add(draft_ticket(customer_id=n))
            await asyncio.sleep(0)
            await u.timeline.append(t.id, T0, f"customer:{n}", "reported")
            return t.id

    ids = await asyncio.gather(*(one(n) for n in range(50)))
    assert sorted(ids) == list(range(1, 51))
    assert await scalar(db, "SELECT COUNT(*) FROM tickets") == 50
    assert await scalar(db, "SELECT COUNT(DISTINCT customer_id) FROM tickets") == 50
    assert await scalar(db, "SELECT COUNT(*) FROM ticket_events") == 50


# ---------------------------------------------------------------- time stamps


def test_ts_is_fixed_width_utc_text() -> None:
    beijing = timezone(timedelta(hours=8))
    assert ts(datetime(2026, 11, 23, 14, 0, 0, 1234, tzinfo=beijing)) == (
        "2026-11-23T06:00:00.001234Z"
    )
    with pytest.raises(ValueError, match="naive"):
        ts(datetime(2026, 11, 23, 6, 0))
    assert from_ts(None) is None
    back = from_ts("2026-11-23T06:00:00.001234Z")
    assert back == datetime(2026, 11, 23, 6, 0, 0, 1234, tzinfo=UTC)
    assert back is not None and back.tzinfo is UTC


async def test_ticket_datetimes_round_trip_as_aware_utc(uow: SqliteUnitOfWork) -> None:
    beijing = timezone(timedelta(hours=8))
    reported = datetime(2026, 11, 23, 14, 0, 0, 123456, tzinfo=beijing)
    stored = await uow.tickets.add(
        draft_ticket(
            reported_at=reported,
            deadlines=Deadlines(reported + 15 * M, reported + 60 * M, reported + 5 * 60 * M),
            accepted_at=reported + 5 * M,
        )
    )
    assert stored.reported_at == datetime(2026, 11, 23, 6, 0, 0, 123456, tzinfo=UTC)
    assert stored.deadlines == Deadlines(
        datetime(2026, 11, 23, 6, 15, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 23, 7, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 23, 11, 0, 0, 123456, tzinfo=UTC),
    )
    for value in (
        stored.reported_at,
        stored.accepted_at,
        stored.deadlines.respond_due,
        stored.deadlines.arrive_due,
        stored.deadlines.repair_due,
    ):
        assert value is not None
        assert value.tzinfo is UTC
    assert stored.on_site_at is None
    assert stored.closed_at is None


# ---------------------------------------------------------------- tickets


async def test_blocking_reason_channel_and_unconfirmed_closing_round_trip(
    uow: SqliteUnitOfWork,
) -> None:
    first = await uow.tickets.add(draft_ticket())
    assert (first.blocking_reason, first.channel, first.closed_unconfirmed) == ("", "chat", False)
    stored = await uow.tickets.add(
        draft_ticket(blocking_reason="transmission", channel="phone", closed_unconfirmed=True)
    )
    assert stored.blocking_reason == "transmission"
    assert stored.channel == "phone"
    assert stored.closed_unconfirmed is True


async def test_ticket_numbers_are_sequential(uow: SqliteUnitOfWork) -> None:
    ids = [(await uow.tickets.add(draft_ticket(customer_id=n))).id for n in range(3)]
    assert ids == [1, 2, 3]
    other = await uow.tickets.add(draft_ticket(project_key="province"))
    assert other.id == 4  # one sequence for the whole deployment


async def test_ticket_round_trip_all_fields(uow: SqliteUnitOfWork) -> None:
    t = draft_ticket(
        level=Level.A,
        site="village 3",
        latitude=30.5,
        longitude=114.25,
        symptom="视频中断",
        model="DS-2CD",
        contact_name="Wang",
        contact_unit="Police bureau",
        contact_phone="13800138000",
        photos=("f1", "f2"),
    )
    stored = await uow.tickets.add(t)
    assert stored == replace(t, id=1, version=0)
    assert stored.photos == ("f1", "f2")
    assert await uow.tickets.get(1) == stored
    assert await uow.tickets.get(2) is None


async def test_save_bumps_version_and_persists(uow: SqliteUnitOfWork) -> None:
    t = await uow.tickets.add(draft_ticket())
    assert t.version == 0
    accepted = await uow.tickets.save(t.accept("eng_wang", T0 + 5 * M))
    assert accepted.version == 1
    assert accepted.status is Status.ACCEPTED
    assert accepted.owner_key == "eng_wang"
    assert accepted.accepted_at == T0 + 5 * M
    on_way = await uow.tickets.save(accepted.set_on_way("eng_wang", T0 + 6 * M))
    assert on_way.version == 2
    assert await uow.tickets.get(t.id) == on_way


async def test_race_safe_accept(uow: SqliteUnitOfWork) -> None:
    stored = await uow.tickets.add(draft_ticket())
    seen_by_wang = await uow.tickets.get(stored.id)
    seen_by_li = await uow.tickets.get(stored.id)
    assert seen_by_wang is not None and seen_by_li is not None
    await uow.tickets.save(seen_by_wang.accept("eng_wang", T0 + 5 * M))
    with pytest.raises(ConcurrentUpdate) as info:
        await uow.tickets.save(seen_by_li.accept("eng_li", T0 + 5 * M))
    assert info.value.args == (stored.id,)
    final = await uow.tickets.get(stored.id)
    assert final is not None
    assert (final.owner_key, final.version) == ("eng_wang", 1)


async def test_save_of_a_missing_ticket_raises(uow: SqliteUnitOfWork) -> None:
    with pytest.raises(ConcurrentUpdate):
        await uow.tickets.save(replace(draft_ticket(), id=99))


async def test_open_lists(uow: SqliteUnitOfWork) -> None:
    a = await uow.tickets.add(draft_ticket(customer_id=1))
    b = await uow.tickets.add(draft_ticket(customer_id=1))
    c = await uow.tickets.add(draft_ticket(customer_id=1, project_key="other"))
    await uow.tickets.add(draft_ticket(customer_id=2))
    b = await uow.tickets.save(b.accept("eng", T0))
    b = await uow.tickets.save(b.resolve("eng", T0 + M, "power", "ok"))
    c = await uow.tickets.save(c.accept("eng", T0))
    # a customer still sees resolved tickets (to confirm them); workers see only open ones
    assert [t.id for t in await uow.tickets.open_of_customer(1)] == [a.id, b.id, c.id]
    assert [t.id for t in await uow.tickets.open_of_projects(["county"])] == [1, 4]
    assert [t.id for t in await uow.tickets.open_of_projects(["county", "other"])] == [1, 3, 4]
    assert await uow.tickets.open_of_projects([]) == []
    assert [t.id for t in await uow.tickets.open_of_owner("eng")] == [c.id]
    closed = await uow.tickets.save(b.confirm(1, T0 + 2 * M))
    assert closed.status is Status.CLOSED
    assert [t.id for t in await uow.tickets.open_of_customer(1)] == [a.id, c.id]
    assert [t.id for t in await uow.tickets.open_of_customer(1, limit=1)] == [a.id]


async def test_timeline(uow: SqliteUnitOfWork) -> None:
    t = await uow.tickets.add(draft_ticket())
    await uow.timeline.append(t.id, T0, "customer:500", "reported")
    await uow.timeline.append(t.id, T0 + M, "staff:eng", "resolved", cause="电源", note="ok")
    entries = await uow.timeline.of_ticket(t.id)
    assert [(e.at, e.actor, e.kind, e.detail) for e in entries] == [
        (T0, "customer:500", "reported", {}),
        (T0 + M, "staff:eng", "resolved", {"cause": "电源", "note": "ok"}),
    ]
    assert await uow.timeline.of_ticket(t.id + 1) == []


# ---------------------------------------------------------------- outbox


async def test_outbox_dedupe_key(uow: SqliteUnitOfWork) -> None:
    first = await uow.outbox.add(1, "sendMessage", {"text": "a"}, T0, dedupe_key="page:1:eng")
    second = await uow.outbox.add(1, "sendMessage", {"text": "b"}, T0, dedupe_key="page:1:eng")
    assert first == 1
    assert second is None
    rows = await uow.outbox.due(T0)
    assert [(r.id, r.payload) for r in rows] == [(1, {"text": "a"})]
    assert await uow.outbox.pending_count() == 1
    # without a key every add is a row
    third = await uow.outbox.add(1, "sendMessage", {"text": "c"}, T0)
    fourth = await uow.outbox.add(1, "sendMessage", {"text": "c"}, T0)
    assert third is not None and fourth is not None
    assert 1 < third < fourth
    assert await uow.outbox.pending_count() == 3
    # A round takes the first waiting message of each chat: its order is kept.
    assert [r.payload["text"] for r in await uow.outbox.due(T0)] == ["a"]


async def test_outbox_row_fields(uow: SqliteUnitOfWork) -> None:
    row_id = await uow.outbox.add(
        77, "sendMessage", {"text": "报障"}, T0, ticket_id=5, purpose="page"
    )
    assert row_id is not None
    row = await uow.outbox.get(row_id)
    assert row is not None
    assert (row.chat_id, row.method, row.payload, row.ticket_id, row.purpose) == (
        77,
        "sendMessage",
        {"text": "报障"},
        5,
        "page",
    )
    assert (row.status, row.attempts, row.message_id) == ("pending", 0, None)
    assert await uow.outbox.get(row_id + 1) is None


async def test_outbox_not_due_before_its_time(uow: SqliteUnitOfWork) -> None:
    await uow.outbox.add(1, "sendMessage", {"n": 1}, T0)
    assert await uow.outbox.due(T0 - timedelta(microseconds=1)) == []
    assert [r.id for r in await uow.outbox.due(T0)] == [1]


async def test_due_holds_back_a_chat_behind_its_retry(uow: SqliteUnitOfWork) -> None:
    a1 = await uow.outbox.add(1, "sendMessage", {"n": "a1"}, T0)
    b1 = await uow.outbox.add(2, "sendMessage", {"n": "b1"}, T0)
    a2 = await uow.outbox.add(1, "sendMessage", {"n": "a2"}, T0)
    b2 = await uow.outbox.add(2, "sendMessage", {"n": "b2"}, T0)
    assert a1 and a2 and b1 and b2
    # A round takes the first waiting message of each chat.
    assert [r.id for r in await uow.outbox.due(T0)] == [a1, b1]

    await uow.outbox.retry_later(a1, T0 + M, "429 Too Many Requests")
    # chat 1 waits as a whole (a2 must not overtake a1); chat 2 goes on
    assert [r.id for r in await uow.outbox.due(T0)] == [b1]
    assert [r.id for r in await uow.outbox.due(T0 + M - timedelta(microseconds=1))] == [b1]
    assert [r.id for r in await uow.outbox.due(T0 + M)] == [a1, b1]
    retried = await uow.outbox.get(a1)
    assert retried is not None
    assert (retried.status, retried.attempts) == ("pending", 1)
    assert await uow.outbox.next_attempt_at() == T0


async def test_due_limit_and_failed_rows_release_the_chat(uow: SqliteUnitOfWork) -> None:
    a1 = await uow.outbox.add(1, "sendMessage", {"n": "a1"}, T0)
    a2 = await uow.outbox.add(1, "sendMessage", {"n": "a2"}, T0)
    assert a1 and a2
    assert [r.id for r in await uow.outbox.due(T0, limit=1)] == [a1]
    await uow.outbox.retry_later(a1, T0 + M, "timeout")
    assert await uow.outbox.due(T0) == []
    await uow.outbox.mark_failed(a1, "403 Forbidden")
    assert [r.id for r in await uow.outbox.due(T0)] == [a2]
    failed = await uow.outbox.get(a1)
    assert failed is not None
    assert (failed.status, failed.attempts) == ("failed", 2)


async def test_retry_later_leaves_finished_rows_alone(uow: SqliteUnitOfWork) -> None:
    row = await uow.outbox.add(1, "sendMessage", {}, T0)
    assert row is not None
    assert await uow.outbox.mark_sent(row, T0, 900) == "pending"
    await uow.outbox.retry_later(row, T0 + M, "late")
    sent = await uow.outbox.get(row)
    assert sent is not None
    assert (sent.status, sent.attempts, sent.message_id) == ("sent", 1, 900)
    assert await uow.outbox.due(T0 + M) == []
    assert await uow.outbox.pending_count() == 0
    assert await uow.outbox.next_attempt_at() is None


async def test_cancel_pages_only_pending_pages_of_that_ticket(uow: SqliteUnitOfWork) -> None:
    sent_page = await uow.outbox.add(10, "sendMessage", {}, T0, ticket_id=1, purpose="page")
    pending_page = await uow.outbox.add(11, "sendMessage", {}, T0, ticket_id=1, purpose="page")
    failed_page = await uow.outbox.add(12, "sendMessage", {}, T0, ticket_id=1, purpose="page")
    notice = await uow.outbox.add(500, "sendMessage", {}, T0, ticket_id=1, purpose="notice")
    other_page = await uow.outbox.add(10, "sendMessage", {}, T0, ticket_id=2, purpose="page")
    assert sent_page and pending_page and failed_page and notice and other_page
    await uow.outbox.mark_sent(sent_page, T0, 321)
    await uow.outbox.mark_failed(failed_page, "blocked")

    await uow.outbox.cancel_pages(1)

    statuses = {}
    for row_id in (sent_page, pending_page, failed_page, notice, other_page):
        row = await uow.outbox.get(row_id)
        assert row is not None
        statuses[row_id] = row.status
    assert statuses == {
        sent_page: "sent",
        pending_page: "cancelled",
        failed_page: "failed",
        notice: "pending",
        other_page: "pending",
    }
    assert [r.id for r in await uow.outbox.due(T0)] == [notice, other_page]
    assert [(r.id, r.message_id) for r in await uow.outbox.sent_pages(1)] == [(sent_page, 321)]
    assert await uow.outbox.sent_pages(2) == []
    # a page that was already on its way when cancelled reports what it had become
    assert await uow.outbox.mark_sent(pending_page, T0, 322) == "cancelled"
    assert await uow.outbox.mark_sent(9999, T0, None) == "missing"


async def test_kept_messages_their_edits_and_what_a_message_shows(
    uow: SqliteUnitOfWork,
) -> None:
    card = await uow.outbox.add(10, "sendMessage", {"text": "a"}, T0, ticket_id=1, purpose="card")
    assert card is not None
    await uow.outbox.mark_sent(card, T0, 321)
    edit = await uow.outbox.add(
        10, "editMessageText", {"message_id": 321, "text": "b"}, T0, ticket_id=1, purpose="card"
    )
    other = await uow.outbox.add(11, "sendMessage", {"text": "c"}, T0, ticket_id=1, purpose="card")
    page = await uow.outbox.add(10, "sendMessage", {"text": "p"}, T0, ticket_id=1, purpose="page")
    assert edit and other and page
    assert [r.id for r in await uow.outbox.kept(1, "card", 10)] == [card, edit]
    assert [r.id for r in await uow.outbox.kept(1, "card")] == [card, edit, other]
    # A message shows its last sent text: the edit counts once it has gone.
    shown = await uow.outbox.shown(10, 321)
    assert shown is not None and shown.id == card
    await uow.outbox.mark_sent(edit, T0, 321)
    shown = await uow.outbox.shown(10, 321)
    assert shown is not None and shown.id == edit
    # Only a message still waiting can be rewritten.
    assert await uow.outbox.rewrite(other, {"text": "d"})
    row = await uow.outbox.get(other)
    assert row is not None and row.payload == {"text": "d"}
    assert not await uow.outbox.rewrite(card, {"text": "x"})
    # An edit of a page is not a page of its own.
    await uow.outbox.mark_sent(page, T0, 400)
    page_edit = await uow.outbox.add(
        10, "editMessageText", {"message_id": 400}, T0, ticket_id=1, purpose="page"
    )
    assert page_edit is not None
    await uow.outbox.mark_sent(page_edit, T0, 400)
    assert [r.id for r in await uow.outbox.sent_pages(1)] == [page]


# ---------------------------------------------------------------- timers


async def test_timer_schedule_and_due(uow: SqliteUnitOfWork) -> None:
    await uow.timers.schedule(
        "sla:1:respond:due", "sla_respond", T0 + 15 * M, ticket_id=1, payload={"x": 1}
    )
    assert await uow.timers.due(T0 + 15 * M - timedelta(microseconds=1)) == []
    (timer,) = await uow.timers.due(T0 + 15 * M)
    assert (timer.key, timer.kind, timer.ticket_id, timer.user_id) == (
        "sla:1:respond:due",
        "sla_respond",
        1,
        None,
    )
    assert timer.due_at == T0 + 15 * M
    assert timer.due_at.tzinfo is UTC
    assert timer.payload == {"x": 1}


async def test_reschedule_same_key_moves_it(uow: SqliteUnitOfWork) -> None:
    await uow.timers.schedule("draft:7", "draft_expiry", T0 + 10 * M, user_id=7)
    await uow.timers.schedule("draft:7", "draft_expiry", T0 + 30 * M, user_id=7)
    assert await uow.timers.due(T0 + 29 * M) == []
    due = await uow.timers.due(T0 + 30 * M)
    assert [(t.key, t.due_at, t.user_id, t.payload) for t in due] == [
        ("draft:7", T0 + 30 * M, 7, {})
    ]
    assert await scalar_uow(uow, "SELECT COUNT(*) FROM timers") == 1
    assert await uow.timers.earliest() == T0 + 30 * M


async def test_mark_fired_claims_once(uow: SqliteUnitOfWork) -> None:
    await uow.timers.schedule("k", "sla_respond", T0)
    (timer,) = await uow.timers.due(T0)
    assert await uow.timers.mark_fired(timer.id, T0) is True
    assert await uow.timers.mark_fired(timer.id, T0) is False
    assert await uow.timers.due(T0 + timedelta(days=1)) == []
    assert await uow.timers.mark_fired(timer.id + 100, T0) is False


async def test_rescheduling_a_fired_timer_rearms_it(uow: SqliteUnitOfWork) -> None:
    await uow.timers.schedule("k", "sla_repair", T0)
    (timer,) = await uow.timers.due(T0)
    assert await uow.timers.mark_fired(timer.id, T0)
    await uow.timers.schedule("k", "sla_repair", T0 + 60 * M, payload={"round": 2})
    (again,) = await uow.timers.due(T0 + 60 * M)
    assert (again.id, again.due_at, again.payload) == (timer.id, T0 + 60 * M, {"round": 2})
    assert await uow.timers.mark_fired(again.id, T0 + 60 * M) is True


async def test_cancelled_timers_are_not_due(uow: SqliteUnitOfWork) -> None:
    await uow.timers.schedule("a", "sla_respond", T0, ticket_id=1)
    await uow.timers.schedule("b", "sla_arrive", T0 + M, ticket_id=1)
    await uow.timers.schedule("c", "sla_respond", T0 + 2 * M, ticket_id=2)
    await uow.timers.schedule("d", "sla_repair", T0 + 3 * M, ticket_id=2)
    await uow.timers.cancel("a")
    later = T0 + timedelta(days=1)
    assert [t.key for t in await uow.timers.due(later)] == ["b", "c", "d"]
    await uow.timers.cancel_for_ticket(2, kind="sla_repair")
    assert [t.key for t in await uow.timers.due(later)] == ["b", "c"]
    await uow.timers.cancel_for_ticket(1)
    assert [t.key for t in await uow.timers.due(later)] == ["c"]
    assert await uow.timers.earliest() == T0 + 2 * M
    # a cancelled timer cannot be claimed
    assert await uow.timers.mark_fired(1, later) is False


async def test_cancel_does_not_touch_a_fired_timer(uow: SqliteUnitOfWork) -> None:
    await uow.timers.schedule("k", "sla_respond", T0)
    (timer,) = await uow.timers.due(T0)
    assert await uow.timers.mark_fired(timer.id, T0)
    await uow.timers.cancel("k")
    assert await scalar_uow(uow, "SELECT state FROM timers WHERE key = 'k'") == "fired"


async def test_due_order_and_limit(uow: SqliteUnitOfWork) -> None:
    await uow.timers.schedule("late", "x", T0 + 2 * M)
    await uow.timers.schedule("early", "x", T0)
    await uow.timers.schedule("middle", "x", T0 + M)
    later = T0 + M * 10
    assert [t.key for t in await uow.timers.due(later)] == ["early", "middle", "late"]
    assert [t.key for t in await uow.timers.due(later, limit=2)] == ["early", "middle"]


async def test_earliest(uow: SqliteUnitOfWork) -> None:
    assert await uow.timers.earliest() is None
    await uow.timers.schedule("b", "x", T0 + 20 * M)
    await uow.timers.schedule("a", "x", T0 + 5 * M)
    assert await uow.timers.earliest() == T0 + 5 * M
    await uow.timers.cancel("a")
    assert await uow.timers.earliest() == T0 + 20 * M
    (b,) = await uow.timers.due(T0 + 20 * M)
    await uow.timers.mark_fired(b.id, T0 + 20 * M)
    assert await uow.timers.earliest() is None


async def test_count_fired_counts_a_tickets_fired_timers_by_prefix(uow: SqliteUnitOfWork) -> None:
    keys = ["sla:1:esc:1", "sla:1:esc:2", "sla:1:due", "sla:2:esc:1", "sla:1:esc:3"]
    for key in keys:
        await uow.timers.schedule(key, "x", T0, ticket_id=int(key.split(":")[1]))
    for timer in await uow.timers.due(T0):
        if timer.key != "sla:1:esc:3":  # still pending: not counted
            await uow.timers.mark_fired(timer.id, T0)
    assert await uow.timers.count_fired(1, "sla:1:esc:") == 2
    assert await uow.timers.count_fired(2, "sla:2:esc:") == 1
    assert await uow.timers.count_fired(1, "sla:1:") == 3
    assert await uow.timers.count_fired(3, "sla:3:esc:") == 0


# ---------------------------------------------------------------- handled updates


async def test_an_update_is_claimed_once(uow: SqliteUnitOfWork) -> None:
    assert await uow.handled_updates.claim(7001, T0) is True
    assert await uow.handled_updates.claim(7001, T0 + M) is False  # a re-delivery
    assert await uow.handled_updates.claim(7002, T0 + M) is True


async def test_a_claim_rolls_back_with_its_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with unit_of_work(db) as u:
            assert await u.handled_updates.claim(7001, T0)
            raise RuntimeError("the handler failed")
    async with unit_of_work(db) as u:
        assert await u.handled_updates.claim(7001, T0)


async def test_forget_before_drops_only_older_ids(uow: SqliteUnitOfWork) -> None:
    await uow.handled_updates.claim(1, T0)
    await uow.handled_updates.claim(2, T0 + 10 * M)
    assert await uow.handled_updates.forget_before(T0 + 5 * M) == 1
    assert await uow.handled_updates.claim(1, T0 + 20 * M) is True
    assert await uow.handled_updates.claim(2, T0 + 20 * M) is False


# ---------------------------------------------------------------- the port


def test_sqlite_repositories_have_the_signatures_of_the_port() -> None:
    """mypy checks in bot/storage/uow.py that the repositories fit the services' protocols;
    this also catches what mypy lets pass, such as a changed default or parameter name."""
    concrete = SqliteUnitOfWork(conn=None)  # type: ignore[arg-type]
    for name, member in vars(port.UnitOfWork).items():
        if not isinstance(member, property):
            continue
        protocol = typing.get_type_hints(member.fget)["return"]
        repo = getattr(concrete, name)
        methods = [m for m in vars(protocol) if not m.startswith("_")]
        assert methods, protocol
        for method in methods:
            wanted = getattr(protocol, method)
            if isinstance(wanted, property):
                assert hasattr(repo, method), (name, method)
                continue
            got = getattr(type(repo), method)
            assert inspect.signature(got) == inspect.signature(wanted), (name, method)


async def test_a_task_cancelled_while_its_commit_runs_leaves_the_connection_usable(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """COMMIT waits for the disk on aiosqlite's thread while the statements run on the loop. A
    task cancelled meanwhile waits for it; cancelled twice it leaves, but its COMMIT still
    runs: the next transaction must wait for it (two threads on one connection would
    interleave), find the connection outside any transaction, and see the row written."""
    import asyncio
    import threading
    import time

    from bot.storage import db as db_module

    real_commit = db_module._commit
    committing, finished = threading.Event(), threading.Event()

    def slow_commit(conn: sqlite3.Connection) -> None:
        committing.set()
        time.sleep(0.3)  # on aiosqlite's thread: an fsync that takes its time
        real_commit(conn)
        finished.set()

    monkeypatch.setattr(db_module, "_commit", slow_commit)

    async def write(update_id: int) -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO handled_updates (update_id, handled_at) VALUES (?, 'x')",
                (update_id,),
            )

    first = asyncio.create_task(write(1))
    assert await asyncio.to_thread(committing.wait, 5)  # its COMMIT runs on the thread now
    first.cancel()  # it waits for its COMMIT all the same (the connection must settle) ...
    await asyncio.sleep(0.05)
    assert not first.done()
    first.cancel()  # ... unless cancelled again: then it leaves at once
    with pytest.raises(asyncio.CancelledError):
        await first
    assert not finished.is_set()  # the caller left while its COMMIT was still running
    monkeypatch.setattr(db_module, "_commit", real_commit)
    await write(2)  # waits for that COMMIT, then BEGINs on a connection outside a transaction
    assert finished.is_set()
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT update_id FROM handled_updates ORDER BY 1")
    assert [r[0] for r in rows] == [1, 2]
    assert not db.conn._conn.in_transaction


async def test_a_failed_commit_is_rolled_back_and_the_next_transaction_begins(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A COMMIT that fails (a full disk) leaves no transaction open behind it."""
    from bot.storage import db as db_module

    def failing_commit(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(db_module, "_commit", failing_commit)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO handled_updates (update_id, handled_at) VALUES (7, 'x')"
            )
    monkeypatch.undo()
    assert not db.conn._conn.in_transaction
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall("SELECT count(*) FROM handled_updates")
    assert rows[0][0] == 0  # rolled back, not half-written
