"""Reads for the auditor's export: a project's tickets reported in a range, with their
timelines, clocks, pauses and surveys, in five queries whatever the number of tickets (each
joins the tickets of the range; the tickets_by_project_reported index finds them)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.clocks import ClockState
from bot.domain.export import History
from bot.domain.pauses import Pause
from bot.domain.survey import Survey
from bot.domain.timeline import TimelineEntry
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import req_dt
from bot.storage.sla import Clocks, Pauses
from bot.storage.surveys import Surveys
from bot.storage.tickets import Tickets

_IN_RANGE = "t.project_key = ? AND t.reported_at >= ? AND t.reported_at < ?"


class Audit:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def _rows(self, sql: str, params: list[Any]) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def reported_between(
        self, project_key: str, start: datetime, end: datetime
    ) -> list[History]:
        """Tickets of the project reported in [start, end), by number, with their records."""
        params = [project_key, ts(start), ts(end)]
        tickets = [
            Tickets._from_row(r)
            for r in await self._rows(
                f"SELECT * FROM tickets t WHERE {_IN_RANGE} ORDER BY t.id", params
            )
        ]
        events: dict[int, list[TimelineEntry]] = defaultdict(list)
        for r in await self._rows(
            "SELECT e.* FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
            f"WHERE {_IN_RANGE} ORDER BY e.ticket_id, e.id",
            params,
        ):
            events[r["ticket_id"]].append(
                TimelineEntry(
                    r["ticket_id"], req_dt(r, "at"), r["actor"], r["kind"], json.loads(r["detail"])
                )
            )
        clocks: dict[int, list[ClockState]] = defaultdict(list)
        for r in await self._rows(
            "SELECT c.* FROM ticket_clocks c JOIN tickets t ON t.id = c.ticket_id "
            f"WHERE {_IN_RANGE} ORDER BY c.ticket_id, c.rowid",
            params,
        ):
            clocks[r["ticket_id"]].append(Clocks._from_row(r))
        pauses: dict[int, list[Pause]] = defaultdict(list)
        for r in await self._rows(
            "SELECT p.* FROM ticket_pauses p JOIN tickets t ON t.id = p.ticket_id "
            f"WHERE {_IN_RANGE} ORDER BY p.ticket_id, p.id",
            params,
        ):
            pauses[r["ticket_id"]].append(Pauses._from_row(r))
        surveys: dict[int, Survey] = {
            r["ticket_id"]: Surveys._from_row(r)
            for r in await self._rows(
                "SELECT s.* FROM surveys s JOIN tickets t ON t.id = s.ticket_id "
                f"WHERE {_IN_RANGE}",
                params,
            )
        }
        return [
            History(
                t,
                tuple(events.get(t.id, ())),
                tuple(clocks.get(t.id, ())),
                tuple(pauses.get(t.id, ())),
                surveys.get(t.id),
            )
            for t in tickets
        ]
