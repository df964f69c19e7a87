"""Every number of the monthly summary, recomputed apart from bot/storage/monthly.py: plain
SQL over the tables, one simple query per number, rows compared in Python, durations from
Python datetimes (not julianday). Tests compare its result with the summary's."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from bot.domain.monthly import MonthlySummary, Period

_FMT = "%Y-%m-%dT%H:%M:%S.%fZ"


def _t(text: str) -> datetime:
    return datetime.strptime(text, _FMT).replace(tzinfo=UTC)


def _s(at: datetime) -> str:
    return at.astimezone(UTC).strftime(_FMT)


async def _all(conn: Any, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    async with conn.execute(sql, args) as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def recompute(conn: Any, period: Period, now: datetime, tz: tzinfo) -> dict[str, Any]:
    p, start, end = period.project_key, _s(period.start), _s(period.end)
    tickets = await _all(
        conn,
        "SELECT id, level, channel, reported_at, resolved_at, closed_at, blocking_reason, "
        "reopen_count, closed_unconfirmed FROM tickets WHERE project_key = ?",
        p,
    )
    month = [t for t in tickets if start <= t[3] < end]
    ids = {t[0] for t in month}
    by_level: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    for t in month:
        by_level[t[1]] = by_level.get(t[1], 0) + 1
        by_channel[t[2]] = by_channel.get(t[2], 0) + 1
    unresolved: dict[str, int] = {}
    for t in tickets:
        if t[3] < end and (t[4] is None or t[4] >= end):
            unresolved[t[6]] = unresolved.get(t[6], 0) + 1

    clocks: dict[tuple[str, str], list[Any]] = {}
    level_of = {t[0]: t[1] for t in month}
    for ticket_id, name, started, stopped, paused, breached in await _all(
        conn,
        "SELECT ticket_id, name, started_at, stopped_at, paused_wall, breached_at "
        "FROM ticket_clocks",
    ):
        if ticket_id not in ids:
            continue
        row = clocks.setdefault((name, level_of[ticket_id]), [0, 0, 0, [], 0.0])
        row[0] += 1
        row[1] += breached is None and stopped is not None
        row[2] += breached is not None
        if stopped is not None:
            row[3].append((_t(stopped) - _t(started)).total_seconds() - paused)
        row[4] += paused
    clock_rows = {}
    for key, (count, met, missed, spent, paused) in clocks.items():
        spent.sort()
        n = len(spent)
        median = None if n == 0 else (spent[n // 2] if n % 2 else
                                      (spent[n // 2 - 1] + spent[n // 2]) / 2)
        clock_rows[key] = (count, met, missed, median, max(spent, default=None), paused)

    pauses = [
        (tid, s, e)
        for tid, s, e in await _all(
            conn, "SELECT ticket_id, started_at, ended_at FROM ticket_pauses "
            "WHERE started_at IS NOT NULL")
        if tid in ids
    ]
    paused_seconds = sum(((_t(e) if e else now) - _t(s)).total_seconds() for _, s, e in pauses)

    surveys = [
        stars
        for tid, at, stars in await _all(conn, "SELECT ticket_id, at, stars FROM surveys")
        if start <= at < end and tid in {t[0] for t in tickets}
    ]
    complaints = await _all(
        conn, "SELECT id, received_at, closed_at FROM complaints WHERE project_key = ?", p
    )
    escalated = {r[0] for r in await _all(
        conn, "SELECT complaint_id FROM complaint_events WHERE kind = 'escalated'")}
    received = [c for c in complaints if start <= c[1] < end]

    per_day: dict[str, dict[str, int]] = {}
    for t in month:
        day = per_day.setdefault(_t(t[3]).astimezone(tz).date().isoformat(), {})
        day[t[1]] = day.get(t[1], 0) + 1

    return {
        "reported_by_level": by_level,
        "reported_by_channel": by_channel,
        "resolved": sum(1 for t in tickets if t[4] is not None and start <= t[4] < end),
        "resolved_of_reported": sum(1 for t in month if t[4] is not None and t[4] < end),
        "unresolved_by_reason": unresolved,
        "clocks": clock_rows,
        "paused_tickets": len({tid for tid, _, _ in pauses}),
        "paused_seconds": paused_seconds,
        "reopened": sum(1 for t in month if t[7] > 0),
        "reopens": sum(t[7] for t in month),
        "closed": sum(1 for t in tickets if t[5] is not None and start <= t[5] < end),
        "closed_unconfirmed": sum(
            t[8] for t in tickets if t[5] is not None and start <= t[5] < end),
        "survey_count": len(surveys),
        "survey_average": sum(surveys) / len(surveys) if surveys else None,
        "complaints_received": len(received),
        "complaints_closed": sum(1 for c in complaints if c[2] is not None
                                 and start <= c[2] < end),
        "complaints_overdue": sum(1 for c in received if c[0] in escalated),
        "per_day": per_day,
    }


def as_recomputed(s: MonthlySummary) -> dict[str, Any]:
    """The summary's numbers in the shape recompute() returns (no zero counts)."""
    return {
        "reported_by_level": {k: v for k, v in s.reported_by_level.items() if v},
        "reported_by_channel": s.reported_by_channel,
        "resolved": s.resolved,
        "resolved_of_reported": s.resolved_of_reported,
        "unresolved_by_reason": s.unresolved_by_reason,
        "clocks": {(r.clock, r.level): (r.count, r.met, r.missed, r.median_seconds,
                                        r.worst_seconds, r.paused_seconds) for r in s.clocks},
        "paused_tickets": s.paused_tickets,
        "paused_seconds": s.paused_seconds,
        "reopened": s.reopened,
        "reopens": s.reopens,
        "closed": s.closed,
        "closed_unconfirmed": s.closed_unconfirmed,
        "survey_count": s.survey_count,
        "survey_average": s.survey_average,
        "complaints_received": s.complaints_received,
        "complaints_closed": s.complaints_closed,
        "complaints_overdue": s.complaints_overdue,
        "per_day": {d.isoformat(): {k: v for k, v in c.items() if v} for d, c in s.per_day
                    if any(c.values())},
    }
