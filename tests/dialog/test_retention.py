"""Retention: the nightly pruning runs as a chain of small timers, keeps an open ticket's
trace and the evidence, and arms the next night."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import retention
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Harness
from tests.support.statements import statements_run

OLD = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # older than the default 90 days


async def test_old_trace_pruned_in_batches_open_ticket_and_records_kept(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "BATCH", 10)
    cust = await h.customer()
    number = await h.report(cust, level="C")
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        for n in range(25):
            row = await uow.outbox.add(7001, "sendMessage", {"text": f"old {n}"}, OLD)
            assert row is not None
            await uow.outbox.mark_sent(row, OLD, n)
            await uow.timers.schedule(f"old:{n}", "sla_warn", OLD)
        # An old message about the ticket, which is still open: kept.
        kept = await uow.outbox.add(7001, "sendMessage", {"text": "page"}, OLD, ticket_id=number)
        assert kept is not None
        await uow.outbox.mark_sent(kept, OLD, 99)
        await uow.conn.execute("UPDATE timers SET state = 'fired' WHERE key LIKE 'old:%'")

    async def count(sql: str) -> int:
        assert h.hb is not None
        async with h.hb.db.conn.execute(sql) as cur:
            row = await cur.fetchone()
        assert row is not None
        return int(row[0])

    async def recent_ids() -> set[int]:
        assert h.hb is not None
        sql = "SELECT id FROM outbox WHERE payload NOT LIKE '%old %'"
        async with h.hb.db.conn.execute(sql) as cur:
            return {int(r[0]) for r in await cur.fetchall()}

    recent = await recent_ids()
    events_before = await count("SELECT MAX(id) FROM ticket_events")
    await h.tick(hours=13, minutes=59)  # 03:59 in Shanghai: not yet
    assert await count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%old %'") == 25
    # The batches' deletes are too long for the event loop: they run on aiosqlite's thread.
    statements = statements_run(monkeypatch)
    await h.tick(minutes=1)  # 04:00: the first batch
    while await h.hb.waker.fire_due():  # the next batches, each due at once
        pass
    deletes = [thread for sql, thread in statements if sql.lstrip().startswith("DELETE")]
    assert deletes and all(deletes)
    assert await count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%old %'") == 0
    assert await count("SELECT COUNT(*) FROM timers WHERE key LIKE 'old:%'") == 0
    assert recent <= await recent_ids()  # the ticket's messages of today stay
    assert await count(f"SELECT COUNT(*) FROM outbox WHERE id = {kept}") == 1
    # The ticket's timeline is evidence: none of it goes.
    assert await count(f"SELECT COUNT(*) FROM ticket_events WHERE id <= {events_before}") == (
        events_before
    )
    assert await h.ticket(number) is not None
    # 25 rows in batches of 10: three batches, then the next night is armed.
    assert await count(
        "SELECT COUNT(*) FROM timers WHERE kind = 'prune' AND state = 'fired'"
    ) == 3
    async with h.hb.db.conn.execute(
        "SELECT key, due_at FROM timers WHERE kind = 'prune' AND state = 'pending'"
    ) as cur:
        pending = [tuple(r) for r in await cur.fetchall()]
    assert pending == [("prune:2026-11-25", "2026-11-24T20:00:00.000000Z")]
    # The customer is still answered.
    await cust.send("/my")
    assert f"#{number}" in cust.last().text


async def test_retention_is_configurable_and_at_least_a_day(h: Harness) -> None:
    from bot.config.settings import Settings

    assert h.settings.retention == timedelta(days=90)
    data = h.settings.model_dump()
    data["retention"] = "12h"
    with pytest.raises(ValueError, match="at least a day"):
        Settings.model_validate(data)
