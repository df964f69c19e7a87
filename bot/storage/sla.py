"""Each ticket's SLA clocks, and the pauses that stop them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import aiosqlite

from bot.domain.clocks import ClockState
from bot.domain.pauses import Party, Pause, pause_answer, pause_kind, pause_state
from bot.domain.ticket import TransitionError
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import dt, opt_ts, req_dt


class Clocks:
    """Each ticket's SLA clocks."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _from_row(r: aiosqlite.Row) -> ClockState:
        return ClockState(
            ticket_id=r["ticket_id"],
            name=r["name"],
            started_at=req_dt(r, "started_at"),
            target_seconds=r["target_seconds"],
            business=bool(r["business"]),
            stopped_at=dt(r, "stopped_at"),
            paused_since=dt(r, "paused_since"),
            paused_seconds=r["paused_seconds"],
            paused_wall=r["paused_wall"],
            breached_at=dt(r, "breached_at"),
        )

    async def of_ticket(self, ticket_id: int) -> list[ClockState]:
        async with self.conn.execute(
            "SELECT * FROM ticket_clocks WHERE ticket_id = ? ORDER BY rowid", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]

    async def get(self, ticket_id: int, name: str) -> ClockState | None:
        async with self.conn.execute(
            "SELECT * FROM ticket_clocks WHERE ticket_id = ? AND name = ?", (ticket_id, name)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def put(self, c: ClockState) -> None:
        await self.conn.execute(
            """INSERT INTO ticket_clocks (ticket_id, name, started_at, target_seconds, business,
                   stopped_at, paused_since, paused_seconds, paused_wall, breached_at)
               VALUES (?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(ticket_id, name) DO UPDATE SET started_at = excluded.started_at,
                   target_seconds = excluded.target_seconds, business = excluded.business,
                   stopped_at = excluded.stopped_at, paused_since = excluded.paused_since,
                   paused_seconds = excluded.paused_seconds, paused_wall = excluded.paused_wall,
                   breached_at = excluded.breached_at""",
            (
                c.ticket_id,
                c.name,
                ts(c.started_at),
                c.target_seconds,
                int(c.business),
                opt_ts(c.stopped_at),
                opt_ts(c.paused_since),
                c.paused_seconds,
                c.paused_wall,
                opt_ts(c.breached_at),
            ),
        )


class Pauses:
    """A ticket's pauses; each change is the domain's (`Pause.answer`, `withdraw`, `end`),
    written only if the pause is still as it was read (a double press changes nothing)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _from_row(r: aiosqlite.Row) -> Pause:
        return Pause(
            r["id"],
            r["ticket_id"],
            pause_kind(r["kind"]),
            r["reason"],
            pause_state(r["state"]),
            r["proposed_by"],
            r["decided_by"],
            req_dt(r, "proposed_at"),
            dt(r, "started_at"),
            dt(r, "ended_at"),
            pause_answer(r["customer_answer"]),
            r["customer_by"],
            dt(r, "customer_at"),
            pause_answer(r["manager_answer"]),
            dt(r, "decided_at"),
        )

    async def add(
        self, ticket_id: int, kind: str, reason: str, state: str, by: str, at: datetime
    ) -> Pause:
        p = Pause.new(ticket_id, pause_kind(kind), reason, pause_state(state), by, at)
        cur = await self.conn.execute(
            """INSERT INTO ticket_pauses (ticket_id, kind, reason, state, proposed_by,
                   proposed_at, started_at) VALUES (?,?,?,?,?,?,?)""",
            (p.ticket_id, p.kind, p.reason, p.state, p.proposed_by, ts(at), opt_ts(p.started_at)),
        )
        assert cur.lastrowid is not None
        found = await self.get(cur.lastrowid)
        assert found is not None
        return found

    async def get(self, pause_id: int) -> Pause | None:
        async with self.conn.execute(
            "SELECT * FROM ticket_pauses WHERE id = ?", (pause_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def current(self, ticket_id: int) -> Pause | None:
        """The ticket's proposed or active pause, if any."""
        async with self.conn.execute(
            """SELECT * FROM ticket_pauses WHERE ticket_id = ? AND state IN ('proposed','active')
               ORDER BY id DESC LIMIT 1""",
            (ticket_id,),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def _change(self, pause_id: int, change: Callable[[Pause], Pause]) -> bool:
        """Apply a change; False if the pause is unknown or its state does not allow it."""
        pause = await self.get(pause_id)
        if pause is None:
            return False
        try:
            new = change(pause)
        except TransitionError:
            return False
        cur = await self.conn.execute(
            """UPDATE ticket_pauses SET state = ?, decided_by = ?, started_at = ?, ended_at = ?,
                   customer_answer = ?, customer_by = ?, customer_at = ?, manager_answer = ?,
                   decided_at = ?
               WHERE id = ? AND state = ?
                   AND customer_answer IS ? AND manager_answer IS ?""",
            (
                new.state,
                new.decided_by,
                opt_ts(new.started_at),
                opt_ts(new.ended_at),
                new.customer_answer,
                new.customer_by,
                opt_ts(new.customer_at),
                new.manager_answer,
                opt_ts(new.decided_at),
                pause_id,
                pause.state,
                pause.customer_answer,
                pause.manager_answer,
            ),
        )
        return cur.rowcount == 1

    async def answer(
        self, pause_id: int, party: Party, agree: bool, by: str, at: datetime
    ) -> Pause | None:
        """One side's answer to a proposal, once; the pause as it is now, or None if the
        pause is unknown or this side's answer is not (or no longer) asked for."""
        if not await self._change(pause_id, lambda p: p.answer(party, agree, by, at)):
            return None
        return await self.get(pause_id)

    async def withdraw(self, pause_id: int, at: datetime) -> bool:
        """A proposal taken back before it was agreed."""
        return await self._change(pause_id, lambda p: p.withdraw(at))

    async def end(self, pause_id: int, at: datetime) -> bool:
        return await self._change(pause_id, lambda p: p.end(at))

    async def of_ticket(self, ticket_id: int) -> list[Pause]:
        async with self.conn.execute(
            "SELECT * FROM ticket_pauses WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]
