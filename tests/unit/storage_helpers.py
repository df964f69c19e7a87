"""What the storage tests share: a time, a ticket to store, a query of one value."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.storage.uow import SqliteUnitOfWork

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
M = timedelta(minutes=1)


def draft_ticket(customer_id: int = 500, project_key: str = "county", **kw: object) -> Ticket:
    t = Ticket(
        id=0,
        project_key=project_key,
        customer_id=customer_id,
        level=Level.B,
        status=Status.NEW,
        reported_at=T0,
        deadlines=Deadlines(T0 + 15 * M, T0 + 120 * M, None),
    )
    return replace(t, **kw)  # type: ignore[arg-type]


async def scalar_uow(uow: SqliteUnitOfWork, sql: str) -> object:
    async with uow.conn.execute(sql) as cur:
        row = await cur.fetchone()
    assert row is not None
    return row[0]
