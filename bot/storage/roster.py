"""Roster records: overrides (/cover, accepted swaps), swap proposals, paging of new tickets."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.domain.paging import Paging
from bot.domain.roster import Override
from bot.domain.swaps import Swap, swap_state
from bot.domain.ticket import TransitionError
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import req_dt


class Rosters:
    """Overrides, swap proposals and the paging state of new tickets. Swaps and paging change
    by the domain's rules, read and written in one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def add_override(self, o: Override, kind: str, by: str, at: datetime) -> int:
        cur = await self.conn.execute(
            """INSERT INTO overrides (team, layer, member, start_at, end_at, replaces, kind,
                   created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)""",
            (o.team, o.layer, o.member, ts(o.start), ts(o.end), o.replaces, kind, by, ts(at)),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def overrides(self, team: str, after: datetime) -> list[Override]:
        async with self.conn.execute(
            "SELECT * FROM overrides WHERE team = ? AND end_at > ? ORDER BY id",
            (team, ts(after)),
        ) as cur:
            rows = await cur.fetchall()
        return [
            Override(
                r["team"],
                r["layer"],
                r["member"],
                req_dt(r, "start_at"),
                req_dt(r, "end_at"),
                r["replaces"],
                r["id"],
            )
            for r in rows
        ]

    @staticmethod
    def _swap(r: aiosqlite.Row) -> Swap:
        return Swap(
            r["id"],
            r["team"],
            r["layer"],
            r["from_member"],
            r["to_member"],
            req_dt(r, "start_at"),
            req_dt(r, "end_at"),
            swap_state(r["state"]),
        )

    async def add_swap(
        self, team: str, layer: str, member: str, start: datetime, end: datetime, at: datetime
    ) -> Swap:
        draft = Swap.draft(team, layer, member, start, end)
        cur = await self.conn.execute(
            """INSERT INTO swaps (team, layer, from_member, start_at, end_at, state, created_at)
               VALUES (?,?,?,?,?,?,?)""",
            (
                draft.team,
                draft.layer,
                draft.from_member,
                ts(draft.start),
                ts(draft.end),
                draft.state,
                ts(at),
            ),
        )
        assert cur.lastrowid is not None
        found = await self.swap(cur.lastrowid)
        assert found is not None
        return found

    async def swap(self, swap_id: int) -> Swap | None:
        async with self.conn.execute("SELECT * FROM swaps WHERE id = ?", (swap_id,)) as cur:
            row = await cur.fetchone()
        return None if row is None else self._swap(row)

    async def move_swap(
        self, swap_id: int, from_state: str, to_state: str, at: datetime, to_member: str = ""
    ) -> bool:
        """The domain's change to `to_state` (`Swap.offer`, `accept`, `decline`), written only
        if the swap is still in `from_state`: a double press or a stale button changes nothing."""
        swap = await self.swap(swap_id)
        if swap is None or swap.state != from_state:
            return False
        try:
            moved = swap.move_to(swap_state(to_state), to_member)
        except TransitionError:
            return False
        cur = await self.conn.execute(
            """UPDATE swaps SET state = ?, to_member = ?, decided_at = ?
               WHERE id = ? AND state = ?""",
            (moved.state, moved.to_member, ts(at), swap_id, swap.state),
        )
        return cur.rowcount == 1

    async def paging(self, ticket_id: int) -> Paging | None:
        async with self.conn.execute(
            "SELECT * FROM paging WHERE ticket_id = ?", (ticket_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return Paging(row["ticket_id"], json.loads(row["tiers"]), row["step"], row["ack_seconds"])

    async def put_paging(self, p: Paging) -> None:
        await self.conn.execute(
            """INSERT INTO paging (ticket_id, tiers, step, ack_seconds) VALUES (?,?,?,?)
               ON CONFLICT(ticket_id) DO UPDATE SET tiers = excluded.tiers,
                   step = excluded.step, ack_seconds = excluded.ack_seconds""",
            (p.ticket_id, json.dumps(p.tiers), p.step, p.ack_seconds),
        )

    async def advance_paging(self, ticket_id: int, from_step: int) -> bool:
        """Move to the next tier, once (two failures of one tier advance it one step)."""
        plan = await self.paging(ticket_id)
        if plan is None:
            return False
        try:
            advanced = plan.advance(from_step)
        except TransitionError:
            return False
        cur = await self.conn.execute(
            "UPDATE paging SET step = ? WHERE ticket_id = ? AND step = ?",
            (advanced.step, ticket_id, plan.step),
        )
        return cur.rowcount == 1
