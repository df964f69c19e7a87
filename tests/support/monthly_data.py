"""Synthetic ticket history written straight into the tables (executemany), for the monthly
summary's SQL test and its benchmark: tickets of every level, channel and state, their clocks
(met, missed, running, paused), pauses, surveys, complaints and escalations. Deterministic
for a seed. Standard library only (the benchmark imports it too)."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

FMT = "%Y-%m-%dT%H:%M:%S.%fZ"
REASONS = ("", "", "power", "transmission", "hardware", "software", "force_majeure", "other")
CAUSES = ("power", "transmission", "hardware", "software", "user_operation", "other")
TARGETS = {"respond": 900.0, "arrive": 7200.0, "repair": 10800.0}


def _ts(at: datetime) -> str:
    return at.astimezone(UTC).strftime(FMT)


def fill(
    conn: sqlite3.Connection,
    project: str,
    start: datetime,
    end: datetime,
    count: int,
    *,
    seed: int = 7,
    first_id: int = 1,
    with_details: bool = True,
    open_share: float = 0.25,
) -> int:
    """`count` tickets of `project` reported in [start, end), with their clocks, pauses,
    surveys and complaints (`with_details`); `open_share` of them still unresolved; returns
    the next free ticket id."""
    rnd = random.Random(seed)
    span = (end - start).total_seconds()
    tickets, clocks, pauses, surveys, complaints, events = [], [], [], [], [], []
    for i in range(count):
        tid = first_id + i
        reported = start + timedelta(seconds=rnd.random() * span)
        level = rnd.choice("AABBBCCCCC")
        channel = "phone" if rnd.random() < 0.3 else "chat"
        accepted = reported + timedelta(seconds=rnd.expovariate(1 / 600))
        on_site = accepted + timedelta(seconds=rnd.expovariate(1 / 3000))
        fate = rnd.random()
        resolved = closed = None
        status, unconfirmed, reason = "on_site", 0, ""
        if fate < 1 - open_share:
            resolved = on_site + timedelta(seconds=rnd.expovariate(1 / 6000))
            status = "resolved"
            if fate < 0.85 * (1 - open_share):
                closed = resolved + timedelta(hours=rnd.choice((1, 5, 72)))
                status, unconfirmed = "closed", int(fate > 0.8 * (1 - open_share))
        else:
            reason = rnd.choice(REASONS)
        reopens = 1 if rnd.random() < 0.05 else 0
        tickets.append((
            tid, project, 9000 + tid % 50, level, status, _ts(reported),
            _ts(reported + timedelta(minutes=15)), _ts(reported + timedelta(hours=2)),
            f"Site {tid % 300}", "=cmd|' /C calc'!A0" if tid % 997 == 0 else "No picture",
            f"eng{tid % 3 + 1}", _ts(accepted), _ts(on_site),
            _ts(resolved) if resolved else None, _ts(closed) if closed else None,
            rnd.choice(CAUSES) if resolved else "", reopens, reason, channel, unconfirmed,
        ))  # fmt: skip
        paused = 0.0
        if with_details and rnd.random() < 0.03:
            paused = rnd.choice((1800.0, 3600.0, 7200.0))
            p_start = on_site + timedelta(minutes=5)
            p_end = p_start + timedelta(seconds=paused) if rnd.random() < 0.9 else None
            if p_end is None:
                paused = 0.0
            pauses.append((tid, "force_majeure", "Storm", "ended" if p_end else "active",
                           "staff:eng1", _ts(p_start), _ts(p_start),
                           _ts(p_end) if p_end else None))
        for name, began, stopped in (
            ("respond", reported, accepted),
            ("arrive", reported, on_site),
            ("repair", on_site, resolved),
        ):
            target = TARGETS[name]
            spent = (stopped - began).total_seconds() - (paused if name == "repair" else 0) \
                if stopped else None
            late = spent is not None and spent >= target
            running_late = stopped is None and rnd.random() < 0.5
            breached = began + timedelta(seconds=target) if late or running_late else None
            clocks.append((
                tid, name, _ts(began), target, _ts(stopped) if stopped else None,
                paused if name == "repair" else 0.0, _ts(breached) if breached else None,
            ))  # fmt: skip
        if with_details and closed and rnd.random() < 0.3:
            surveys.append((tid, 9000 + tid % 50, rnd.choice((2, 4, 4, 5, 5, 5)),
                            None, _ts(closed)))
        if with_details and rnd.random() < 0.004:
            got = reported + timedelta(hours=3)
            done = got + timedelta(hours=5) if rnd.random() < 0.7 else None
            complaints.append((project, 9000 + tid % 50, tid, "Engineer late", "closed" if done
                               else "new", _ts(got), _ts(done) if done else None))
    conn.executemany(
        """INSERT INTO tickets (id, project_key, customer_id, level, status, reported_at,
           respond_due, arrive_due, site, symptom, owner_key, accepted_at, on_site_at,
           resolved_at, closed_at, cause, reopen_count, blocking_reason, channel,
           closed_unconfirmed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        tickets,
    )
    conn.executemany(
        """INSERT INTO ticket_clocks (ticket_id, name, started_at, target_seconds, stopped_at,
           paused_wall, breached_at) VALUES (?,?,?,?,?,?,?)""",
        clocks,
    )
    conn.executemany(
        """INSERT INTO ticket_pauses (ticket_id, kind, reason, state, proposed_by, proposed_at,
           started_at, ended_at) VALUES (?,?,?,?,?,?,?,?)""",
        pauses,
    )
    conn.executemany(
        "INSERT INTO surveys (ticket_id, customer_id, stars, comment, at) VALUES (?,?,?,?,?)",
        surveys,
    )
    for c in complaints:
        cur = conn.execute(
            """INSERT INTO complaints (project_key, customer_id, ticket_id, content, status,
               received_at, closed_at) VALUES (?,?,?,?,?,?,?)""",
            c,
        )
        if rnd.random() < 0.4:
            events.append((cur.lastrowid, c[5], "bot", "escalated"))
    conn.executemany(
        "INSERT INTO complaint_events (complaint_id, at, actor, kind) VALUES (?,?,?,?)", events
    )
    return first_id + count
