"""What the health check and the metrics read from the database, at scrape time.

Read on a connection of its own (query-only, one read snapshot in WAL: the writer goes on),
with cheap queries over indexes: due outbox rows (outbox_due), due timers (timers_due), open
tickets (tickets_by_status) and their clocks (primary key), staff users (primary key). The
write probe is the one write: a single row upserted through the writer, so a full disk, a
read-only file or a writer held for long shows as "database" in the health check.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.domain.ticket import OPEN_STATUSES
from bot.storage.db import Database, from_ts, ts

# How long the write probe waits for the writer (a transaction holding it longer is a fault).
PROBE_TIMEOUT = 5.0


@dataclass(frozen=True)
class DatabaseFacts:
    outbox_backlog: int = 0
    outbox_oldest_queued: datetime | None = None  # created_at of the oldest due message
    timers_oldest_due: datetime | None = None  # due_at of the oldest due, unfired timer
    open_tickets: dict[str, int] = field(default_factory=dict)
    open_breaches: dict[str, int] = field(default_factory=dict)
    unreachable_staff: int = 0


def read_facts(path: Path, now: datetime, staff_ids: Iterable[int]) -> DatabaseFacts:
    """The database's side of the health facts (blocking: run it in a thread)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.execute("BEGIN")  # one snapshot for every number
        at = ts(now)
        backlog, oldest_id = conn.execute(
            "SELECT count(*), min(id) FROM outbox WHERE status = 'pending' "
            "AND next_attempt_at <= ?",
            (at,),
        ).fetchone()
        queued = None
        if oldest_id is not None:
            row = conn.execute("SELECT created_at FROM outbox WHERE id = ?", (oldest_id,))
            queued = from_ts(row.fetchone()[0])
        (due,) = conn.execute(
            "SELECT min(due_at) FROM timers WHERE state = 'pending' AND due_at <= ?", (at,)
        ).fetchone()
        marks = ",".join("?" * len(OPEN_STATUSES))
        statuses = [s.value for s in OPEN_STATUSES]
        levels = dict(
            conn.execute(
                f"SELECT level, count(*) FROM tickets WHERE status IN ({marks}) GROUP BY level",
                statuses,
            ).fetchall()
        )
        breaches = dict(
            conn.execute(
                f"""SELECT c.name, count(*) FROM tickets t
                    JOIN ticket_clocks c ON c.ticket_id = t.id
                    WHERE t.status IN ({marks}) AND c.breached_at IS NOT NULL
                    GROUP BY c.name""",
                statuses,
            ).fetchall()
        )
        ids = sorted(set(staff_ids))
        reachable = 0
        if ids:
            reachable = conn.execute(
                f"SELECT count(*) FROM users WHERE telegram_id IN ({','.join('?' * len(ids))}) "
                "AND started_at IS NOT NULL AND unreachable_at IS NULL",
                ids,
            ).fetchone()[0]
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    return DatabaseFacts(
        outbox_backlog=int(backlog),
        outbox_oldest_queued=queued,
        timers_oldest_due=from_ts(due),
        open_tickets={str(k): int(v) for k, v in levels.items()},
        open_breaches={str(k): int(v) for k, v in breaches.items()},
        # Never started the bot, or blocked it: as the start-up and morning checks count them.
        unreachable_staff=len(ids) - int(reachable),
    )


async def probe_write(db: Database, now: datetime) -> str:
    """"" if the database took a small write through the writer; else what went wrong."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO health_probe (id, at) VALUES (1, ?) "
                    "ON CONFLICT(id) DO UPDATE SET at = excluded.at",
                    (ts(now),),
                )
    except TimeoutError:
        return f"the writer was busy for more than {PROBE_TIMEOUT:g} s"
    except Exception as e:  # a full disk, a read-only file, a closed database: all unhealthy
        return f"{type(e).__name__}: {e}"
    return ""
