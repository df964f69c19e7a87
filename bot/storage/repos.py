"""Repositories over one transaction's connection, gathered in a unit of work."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.clocks import ClockState
from bot.domain.drafts import DRAFT_TYPES, AnyDraft
from bot.domain.roster import Override
from bot.domain.ticket import OPEN_STATUSES, Deadlines, Level, Status, Ticket
from bot.storage.db import Database, from_ts, ts


class ConcurrentUpdate(Exception):
    """The ticket changed since it was read (a conditional update matched no row)."""


@dataclass
class User:
    telegram_id: int
    first_name: str
    language: str | None
    project_key: str | None
    name: str
    unit: str
    phone: str
    profile_done: bool
    started_at: datetime | None
    unreachable_at: datetime | None
    unreachable_reason: str | None

    @property
    def display_name(self) -> str:
        return self.name or self.first_name


@dataclass(frozen=True)
class TimelineEntry:
    ticket_id: int
    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class OutboxRow:
    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    ticket_id: int | None
    purpose: str
    status: str
    attempts: int
    message_id: int | None


@dataclass(frozen=True)
class Timer:
    id: int
    key: str
    kind: str
    ticket_id: int | None
    user_id: int | None
    due_at: datetime
    payload: dict[str, Any]


def _dt(row: aiosqlite.Row, name: str) -> datetime | None:
    return from_ts(row[name])


def _req_dt(row: aiosqlite.Row, name: str) -> datetime:
    value = from_ts(row[name])
    assert value is not None
    return value


def _opt_ts(dt: datetime | None) -> str | None:
    return None if dt is None else ts(dt)


class Users:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    @staticmethod
    def _from_row(row: aiosqlite.Row) -> User:
        return User(
            telegram_id=row["telegram_id"],
            first_name=row["first_name"],
            language=row["language"],
            project_key=row["project_key"],
            name=row["name"],
            unit=row["unit"],
            phone=row["phone"],
            profile_done=bool(row["profile_done"]),
            started_at=_dt(row, "started_at"),
            unreachable_at=_dt(row, "unreachable_at"),
            unreachable_reason=row["unreachable_reason"],
        )

    async def get(self, telegram_id: int) -> User | None:
        async with self.conn.execute(
            "SELECT * FROM users WHERE telegram_id = ?", (telegram_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def many(self, ids: Iterable[int]) -> dict[int, User]:
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        async with self.conn.execute(
            f"SELECT * FROM users WHERE telegram_id IN ({marks})", ids
        ) as cur:
            rows = await cur.fetchall()
        return {r["telegram_id"]: self._from_row(r) for r in rows}

    async def seen(
        self, telegram_id: int, first_name: str, language: str | None, at: datetime
    ) -> User:
        """Record that the user wrote to us: they are reachable and we know their language."""
        await self.conn.execute(
            """INSERT INTO users (telegram_id, first_name, language, created_at)
               VALUES (?, ?, ?, ?)
               ON CONFLICT(telegram_id) DO UPDATE SET first_name = excluded.first_name,
                   language = COALESCE(excluded.language, users.language)""",
            (telegram_id, first_name, language, ts(at)),
        )
        user = await self.get(telegram_id)
        assert user is not None
        return user

    async def mark_started(self, telegram_id: int, at: datetime) -> None:
        await self.conn.execute(
            """UPDATE users SET started_at = COALESCE(started_at, ?), unreachable_at = NULL,
               unreachable_reason = NULL WHERE telegram_id = ?""",
            (ts(at), telegram_id),
        )

    async def mark_unreachable(self, telegram_id: int, at: datetime, reason: str) -> bool:
        """Returns True when this is news (the user was reachable until now)."""
        cur = await self.conn.execute(
            """INSERT INTO users (telegram_id, created_at, unreachable_at, unreachable_reason)
               VALUES (?, ?, ?, ?)
               ON CONFLICT(telegram_id) DO UPDATE SET unreachable_at = excluded.unreachable_at,
                   unreachable_reason = excluded.unreachable_reason, started_at = NULL
               WHERE users.unreachable_at IS NULL""",
            (telegram_id, ts(at), ts(at), reason),
        )
        return cur.rowcount > 0

    async def join_project(self, telegram_id: int, project_key: str) -> None:
        await self.conn.execute(
            "UPDATE users SET project_key = ? WHERE telegram_id = ?", (project_key, telegram_id)
        )

    async def save_profile(self, telegram_id: int, name: str, unit: str, phone: str) -> None:
        await self.conn.execute(
            """UPDATE users SET name = ?, unit = ?, phone = ?, profile_done = 1
               WHERE telegram_id = ?""",
            (name, unit, phone, telegram_id),
        )


_TICKET_COLUMNS = (
    "project_key customer_id level status reported_at respond_due arrive_due repair_due site "
    "latitude longitude symptom model contact_name contact_unit contact_phone photos owner_key "
    "handover_to accepted_at on_way_at on_site_at resolved_at closed_at cause resolution "
    "reopen_count"
).split()


class Tickets:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    @staticmethod
    def _values(t: Ticket) -> list[Any]:
        d = t.deadlines
        return [
            t.project_key,
            t.customer_id,
            t.level.value,
            t.status.value,
            ts(t.reported_at),
            ts(d.respond_due),
            ts(d.arrive_due),
            _opt_ts(d.repair_due),
            t.site,
            t.latitude,
            t.longitude,
            t.symptom,
            t.model,
            t.contact_name,
            t.contact_unit,
            t.contact_phone,
            json.dumps(list(t.photos)),
            t.owner_key,
            t.handover_to,
            _opt_ts(t.accepted_at),
            _opt_ts(t.on_way_at),
            _opt_ts(t.on_site_at),
            _opt_ts(t.resolved_at),
            _opt_ts(t.closed_at),
            t.cause,
            t.resolution,
            t.reopen_count,
        ]

    @staticmethod
    def _from_row(row: aiosqlite.Row) -> Ticket:
        return Ticket(
            id=row["id"],
            project_key=row["project_key"],
            customer_id=row["customer_id"],
            level=Level(row["level"]),
            status=Status(row["status"]),
            reported_at=_req_dt(row, "reported_at"),
            deadlines=Deadlines(
                respond_due=_req_dt(row, "respond_due"),
                arrive_due=_req_dt(row, "arrive_due"),
                repair_due=_dt(row, "repair_due"),
            ),
            site=row["site"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            symptom=row["symptom"],
            model=row["model"],
            contact_name=row["contact_name"],
            contact_unit=row["contact_unit"],
            contact_phone=row["contact_phone"],
            photos=tuple(json.loads(row["photos"])),
            owner_key=row["owner_key"],
            handover_to=row["handover_to"],
            accepted_at=_dt(row, "accepted_at"),
            on_way_at=_dt(row, "on_way_at"),
            on_site_at=_dt(row, "on_site_at"),
            resolved_at=_dt(row, "resolved_at"),
            closed_at=_dt(row, "closed_at"),
            cause=row["cause"],
            resolution=row["resolution"],
            reopen_count=row["reopen_count"],
            version=row["version"],
        )

    async def add(self, ticket: Ticket) -> Ticket:
        """Insert a new ticket; its number comes from the one sequence of the deployment."""
        marks = ",".join("?" * len(_TICKET_COLUMNS))
        cur = await self.conn.execute(
            f"INSERT INTO tickets ({','.join(_TICKET_COLUMNS)}) VALUES ({marks})",
            self._values(ticket),
        )
        assert cur.lastrowid is not None
        stored = await self.get(cur.lastrowid)
        assert stored is not None
        return stored

    async def get(self, ticket_id: int) -> Ticket | None:
        async with self.conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def save(self, ticket: Ticket) -> Ticket:
        """Conditional update: applies only if nobody changed the ticket since it was read."""
        sets = ",".join(f"{c} = ?" for c in _TICKET_COLUMNS)
        cur = await self.conn.execute(
            f"UPDATE tickets SET {sets}, version = version + 1 WHERE id = ? AND version = ?",
            [*self._values(ticket), ticket.id, ticket.version],
        )
        if cur.rowcount != 1:
            raise ConcurrentUpdate(ticket.id)
        stored = await self.get(ticket.id)
        assert stored is not None
        return stored

    async def _list(self, where: str, params: Sequence[Any], limit: int) -> list[Ticket]:
        async with self.conn.execute(
            f"SELECT * FROM tickets WHERE {where} ORDER BY id LIMIT ?", [*params, limit]
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]

    async def open_of_customer(self, customer_id: int, limit: int = 50) -> list[Ticket]:
        marks = ",".join("?" * len(OPEN_STATUSES) + "?")
        return await self._list(
            f"customer_id = ? AND status IN ({marks})",
            [customer_id, *OPEN_STATUSES, Status.RESOLVED],
            limit,
        )

    async def open_of_projects(self, project_keys: Sequence[str], limit: int = 50) -> list[Ticket]:
        if not project_keys:
            return []
        pk = ",".join("?" * len(project_keys))
        st = ",".join("?" * len(OPEN_STATUSES))
        return await self._list(
            f"project_key IN ({pk}) AND status IN ({st})", [*project_keys, *OPEN_STATUSES], limit
        )

    async def open_of_owner(self, staff_key: str, limit: int = 50) -> list[Ticket]:
        st = ",".join("?" * len(OPEN_STATUSES))
        return await self._list(
            f"owner_key = ? AND status IN ({st})", [staff_key, *OPEN_STATUSES], limit
        )


class Timeline:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def append(
        self, ticket_id: int, at: datetime, actor: str, kind: str, **detail: Any
    ) -> None:
        await self.conn.execute(
            "INSERT INTO ticket_events (ticket_id, at, actor, kind, detail) VALUES (?,?,?,?,?)",
            (ticket_id, ts(at), actor, kind, json.dumps(detail, ensure_ascii=False)),
        )

    async def of_ticket(self, ticket_id: int) -> list[TimelineEntry]:
        async with self.conn.execute(
            "SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [
            TimelineEntry(
                r["ticket_id"], _req_dt(r, "at"), r["actor"], r["kind"], json.loads(r["detail"])
            )
            for r in rows
        ]


class Drafts:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, user_id: int) -> tuple[AnyDraft, datetime] | None:
        async with self.conn.execute("SELECT * FROM drafts WHERE user_id = ?", (user_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        draft = DRAFT_TYPES[row["kind"]].from_data(json.loads(row["data"]))
        return draft, _req_dt(row, "updated_at")

    async def put(self, user_id: int, draft: AnyDraft, at: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO drafts (user_id, kind, step, data, updated_at) VALUES (?,?,?,?,?)
               ON CONFLICT(user_id) DO UPDATE SET kind = excluded.kind, step = excluded.step,
                   data = excluded.data, updated_at = excluded.updated_at""",
            (user_id, draft.kind, draft.step, json.dumps(draft.to_data()), ts(at)),
        )

    async def delete(self, user_id: int) -> None:
        await self.conn.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))


class Outbox:
    """Messages waiting to be sent; written in the same transaction as the change causing them."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(
        self,
        chat_id: int,
        method: str,
        payload: dict[str, Any],
        at: datetime,
        *,
        ticket_id: int | None = None,
        purpose: str = "",
        dedupe_key: str | None = None,
    ) -> int | None:
        """Queue a Bot API call. With a dedupe_key, a second add of the same key is a no-op."""
        cur = await self.conn.execute(
            """INSERT INTO outbox (chat_id, method, payload, dedupe_key, ticket_id, purpose,
                   next_attempt_at, created_at) VALUES (?,?,?,?,?,?,?,?)
               ON CONFLICT(dedupe_key) DO NOTHING""",
            (
                chat_id,
                method,
                json.dumps(payload, ensure_ascii=False),
                dedupe_key,
                ticket_id,
                purpose,
                ts(at),
                ts(at),
            ),
        )
        return cur.lastrowid if cur.rowcount else None

    @staticmethod
    def _from_row(r: aiosqlite.Row) -> OutboxRow:
        return OutboxRow(
            r["id"],
            r["chat_id"],
            r["method"],
            json.loads(r["payload"]),
            r["ticket_id"],
            r["purpose"],
            r["status"],
            r["attempts"],
            r["message_id"],
        )

    async def due(self, now: datetime, limit: int = 50) -> list[OutboxRow]:
        async with self.conn.execute(
            # A chat whose earlier message waits for a retry waits as a whole: order per chat.
            # The deferred rows are few: find each chat's first one once, instead of a
            # correlated lookup per candidate row (quadratic with a long queue for one chat).
            """WITH blocked AS (SELECT chat_id, MIN(id) AS first_id FROM outbox
                   WHERE status = 'pending' AND next_attempt_at > ? GROUP BY chat_id)
               SELECT o.* FROM outbox o LEFT JOIN blocked b ON b.chat_id = o.chat_id
               WHERE o.status = 'pending' AND o.next_attempt_at <= ?
                 AND (b.first_id IS NULL OR o.id < b.first_id)
               ORDER BY o.id LIMIT ?""",
            (ts(now), ts(now), limit),
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]

    async def next_attempt_at(self, after: datetime | None = None) -> datetime | None:
        """The earliest retry time of a pending row (only those later than `after`)."""
        params: tuple[str, ...] = ()
        if after is None:
            sql = "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'"
        else:
            sql = """SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'
                     AND next_attempt_at > ?"""
            params = (ts(after),)
        async with self.conn.execute(sql, params) as cur:
            row = await cur.fetchone()
        return from_ts(row[0]) if row else None

    async def get(self, row_id: int) -> OutboxRow | None:
        async with self.conn.execute("SELECT * FROM outbox WHERE id = ?", (row_id,)) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def mark_sent(self, row_id: int, at: datetime, message_id: int | None) -> str:
        """Record success; returns the status the row had (it may have been cancelled)."""
        async with self.conn.execute("SELECT status FROM outbox WHERE id = ?", (row_id,)) as cur:
            row = await cur.fetchone()
        previous = row["status"] if row else "missing"
        await self.conn.execute(
            """UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,
               attempts = attempts + 1 WHERE id = ?""",
            (ts(at), message_id, row_id),
        )
        return str(previous)

    async def retry_later(self, row_id: int, when: datetime, error: str) -> None:
        await self.conn.execute(
            """UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, error = ?
               WHERE id = ? AND status = 'pending'""",
            (ts(when), error, row_id),
        )

    async def mark_failed(self, row_id: int, error: str) -> None:
        await self.conn.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, error = ? WHERE id = ?",
            (error, row_id),
        )

    async def cancel_pages(self, ticket_id: int) -> None:
        """Pages not yet sent for a ticket someone has taken are not sent at all."""
        await self.conn.execute(
            """UPDATE outbox SET status = 'cancelled' WHERE ticket_id = ?
               AND purpose IN ('page', 'group_page') AND status = 'pending'""",
            (ticket_id,),
        )

    async def sent_pages(self, ticket_id: int) -> list[OutboxRow]:
        async with self.conn.execute(
            """SELECT * FROM outbox WHERE ticket_id = ? AND purpose IN ('page', 'group_page')
               AND status = 'sent' AND message_id IS NOT NULL ORDER BY id""",
            (ticket_id,),
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]

    async def pending_count(self) -> int:
        async with self.conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0


class Timers:
    """Due events. The JobQueue only wakes the bot; these rows are the truth."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        # The earliest due time this transaction scheduled: the waker re-arms only if it is
        # earlier than what it waits for (no extra query per update).
        self.earliest_scheduled: datetime | None = None

    def _note(self, due_at: datetime) -> None:
        if self.earliest_scheduled is None or due_at < self.earliest_scheduled:
            self.earliest_scheduled = due_at

    async def schedule(
        self,
        key: str,
        kind: str,
        due_at: datetime,
        *,
        ticket_id: int | None = None,
        user_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Create or move the timer with this key (a fired or cancelled one is re-armed)."""
        self._note(due_at)
        await self.conn.execute(
            """INSERT INTO timers (key, kind, ticket_id, user_id, due_at, payload)
               VALUES (?,?,?,?,?,?)
               ON CONFLICT(key) DO UPDATE SET due_at = excluded.due_at, state = 'pending',
                   payload = excluded.payload, fired_at = NULL""",
            (key, kind, ticket_id, user_id, ts(due_at), json.dumps(payload or {})),
        )

    async def schedule_once(
        self,
        key: str,
        kind: str,
        due_at: datetime,
        *,
        ticket_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """Like `schedule`, but a timer that already fired stays fired (exactly once)."""
        self._note(due_at)
        cur = await self.conn.execute(
            """INSERT INTO timers (key, kind, ticket_id, due_at, payload) VALUES (?,?,?,?,?)
               ON CONFLICT(key) DO UPDATE SET due_at = excluded.due_at, state = 'pending',
                   payload = excluded.payload
               WHERE timers.state != 'fired'""",
            (key, kind, ticket_id, ts(due_at), json.dumps(payload or {})),
        )
        return cur.rowcount > 0

    async def cancel(self, key: str) -> None:
        await self.conn.execute(
            "UPDATE timers SET state = 'cancelled' WHERE key = ? AND state = 'pending'", (key,)
        )

    async def cancel_prefix(self, ticket_id: int, prefix: str) -> None:
        """Cancel a ticket's pending timers whose key starts with `prefix`."""
        await self.conn.execute(
            """UPDATE timers SET state = 'cancelled' WHERE ticket_id = ? AND state = 'pending'
               AND substr(key, 1, ?) = ?""",
            (ticket_id, len(prefix), prefix),
        )

    async def cancel_for_ticket(self, ticket_id: int, kind: str | None = None) -> None:
        if kind is None:
            await self.conn.execute(
                "UPDATE timers SET state = 'cancelled' WHERE ticket_id = ? AND state = 'pending'",
                (ticket_id,),
            )
        else:
            await self.conn.execute(
                """UPDATE timers SET state = 'cancelled' WHERE ticket_id = ? AND kind = ?
                   AND state = 'pending'""",
                (ticket_id, kind),
            )

    async def due(self, now: datetime, limit: int = 100) -> list[Timer]:
        async with self.conn.execute(
            """SELECT * FROM timers WHERE state = 'pending' AND due_at <= ?
               ORDER BY due_at, id LIMIT ?""",
            (ts(now), limit),
        ) as cur:
            rows = await cur.fetchall()
        return [
            Timer(
                r["id"],
                r["key"],
                r["kind"],
                r["ticket_id"],
                r["user_id"],
                _req_dt(r, "due_at"),
                json.loads(r["payload"]),
            )
            for r in rows
        ]

    async def mark_fired(self, timer_id: int, at: datetime) -> bool:
        """Claim a due timer; False if it was already fired or cancelled (fires once)."""
        cur = await self.conn.execute(
            "UPDATE timers SET state = 'fired', fired_at = ? WHERE id = ? AND state = 'pending'",
            (ts(at), timer_id),
        )
        return cur.rowcount == 1

    async def mark_failed(self, timer_id: int, at: datetime, error: str) -> None:
        """A pending timer whose handler raised: never due again; the error is kept."""
        await self.conn.execute(
            """UPDATE timers SET state = 'failed', failed_at = ?, error = ?
               WHERE id = ? AND state = 'pending'""",
            (ts(at), error[:1000], timer_id),
        )

    async def earliest(self) -> datetime | None:
        async with self.conn.execute(
            "SELECT MIN(due_at) FROM timers WHERE state = 'pending'"
        ) as cur:
            row = await cur.fetchone()
        return from_ts(row[0]) if row else None


@dataclass(frozen=True)
class Pause:
    id: int
    ticket_id: int
    kind: str  # "force_majeure" | "waiting"
    reason: str
    state: str  # "proposed" | "active" | "rejected" | "ended"
    proposed_by: str
    decided_by: str | None
    proposed_at: datetime
    started_at: datetime | None
    ended_at: datetime | None


class Clocks:
    """Each ticket's SLA clocks."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    @staticmethod
    def _from_row(r: aiosqlite.Row) -> ClockState:
        return ClockState(
            ticket_id=r["ticket_id"],
            name=r["name"],
            started_at=_req_dt(r, "started_at"),
            target_seconds=r["target_seconds"],
            business=bool(r["business"]),
            stopped_at=_dt(r, "stopped_at"),
            paused_since=_dt(r, "paused_since"),
            paused_seconds=r["paused_seconds"],
            paused_wall=r["paused_wall"],
            breached_at=_dt(r, "breached_at"),
        )

    async def of_ticket(self, ticket_id: int) -> list[ClockState]:
        async with self.conn.execute(
            "SELECT * FROM ticket_clocks WHERE ticket_id = ? ORDER BY rowid", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]

    async def of_tickets(self, ticket_ids: Sequence[int]) -> dict[int, list[ClockState]]:
        out: dict[int, list[ClockState]] = {t: [] for t in ticket_ids}
        if not ticket_ids:
            return out
        marks = ",".join("?" * len(ticket_ids))
        async with self.conn.execute(
            f"SELECT * FROM ticket_clocks WHERE ticket_id IN ({marks}) ORDER BY rowid",
            list(ticket_ids),
        ) as cur:
            rows = await cur.fetchall()
        for r in rows:
            out[r["ticket_id"]].append(self._from_row(r))
        return out

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
                _opt_ts(c.stopped_at),
                _opt_ts(c.paused_since),
                c.paused_seconds,
                c.paused_wall,
                _opt_ts(c.breached_at),
            ),
        )


class Pauses:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    @staticmethod
    def _from_row(r: aiosqlite.Row) -> Pause:
        return Pause(
            r["id"],
            r["ticket_id"],
            r["kind"],
            r["reason"],
            r["state"],
            r["proposed_by"],
            r["decided_by"],
            _req_dt(r, "proposed_at"),
            _dt(r, "started_at"),
            _dt(r, "ended_at"),
        )

    async def add(
        self, ticket_id: int, kind: str, reason: str, state: str, by: str, at: datetime
    ) -> Pause:
        started = ts(at) if state == "active" else None
        cur = await self.conn.execute(
            """INSERT INTO ticket_pauses (ticket_id, kind, reason, state, proposed_by,
                   proposed_at, started_at) VALUES (?,?,?,?,?,?,?)""",
            (ticket_id, kind, reason, state, by, ts(at), started),
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

    async def decide(self, pause_id: int, state: str, by: str, at: datetime) -> bool:
        """proposed → active/rejected, conditionally (a double press changes nothing)."""
        cur = await self.conn.execute(
            """UPDATE ticket_pauses SET state = ?, decided_by = ?, started_at = ?
               WHERE id = ? AND state = 'proposed'""",
            (state, by, ts(at) if state == "active" else None, pause_id),
        )
        return cur.rowcount == 1

    async def end(self, pause_id: int, at: datetime) -> bool:
        cur = await self.conn.execute(
            """UPDATE ticket_pauses SET state = 'ended', ended_at = ?
               WHERE id = ? AND state = 'active'""",
            (ts(at), pause_id),
        )
        return cur.rowcount == 1

    async def of_ticket(self, ticket_id: int) -> list[Pause]:
        async with self.conn.execute(
            "SELECT * FROM ticket_pauses WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]


@dataclass(frozen=True)
class Swap:
    id: int
    team: str
    layer: str
    from_member: str
    to_member: str
    start: datetime
    end: datetime
    state: str  # "draft" | "proposed" | "accepted" | "declined"


@dataclass(frozen=True)
class Paging:
    ticket_id: int
    tiers: list[list[str]]
    step: int
    ack_seconds: float


class Rosters:
    """Overrides, swap proposals and the paging state of new tickets."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
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
                _req_dt(r, "start_at"),
                _req_dt(r, "end_at"),
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
            _req_dt(r, "start_at"),
            _req_dt(r, "end_at"),
            r["state"],
        )

    async def add_swap(
        self, team: str, layer: str, member: str, start: datetime, end: datetime, at: datetime
    ) -> Swap:
        cur = await self.conn.execute(
            """INSERT INTO swaps (team, layer, from_member, start_at, end_at, state, created_at)
               VALUES (?,?,?,?,?,'draft',?)""",
            (team, layer, member, ts(start), ts(end), ts(at)),
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
        """Conditional state change: a double press or a stale button changes nothing."""
        cur = await self.conn.execute(
            """UPDATE swaps SET state = ?, decided_at = ?,
                   to_member = CASE WHEN ? != '' THEN ? ELSE to_member END
               WHERE id = ? AND state = ?""",
            (to_state, ts(at), to_member, to_member, swap_id, from_state),
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
        cur = await self.conn.execute(
            "UPDATE paging SET step = step + 1 WHERE ticket_id = ? AND step = ?",
            (ticket_id, from_step),
        )
        return cur.rowcount == 1


class UnitOfWork:
    """The repositories of one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self.users = Users(conn)
        self.tickets = Tickets(conn)
        self.timeline = Timeline(conn)
        self.drafts = Drafts(conn)
        self.outbox = Outbox(conn)
        self.timers = Timers(conn)
        self.clocks = Clocks(conn)
        self.pauses = Pauses(conn)
        self.rosters = Rosters(conn)


@asynccontextmanager
async def unit_of_work(db: Database) -> AsyncIterator[UnitOfWork]:
    async with db.transaction() as conn:
        yield UnitOfWork(conn)
