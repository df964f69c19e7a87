"""Deadlines of the example policy (unicom-abc, 7x24) per level, on-site and regrade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.domain.sla import Policy, deadlines
from bot.domain.ticket import Deadlines, Level, Status, Ticket

M = timedelta(minutes=1)
H = timedelta(hours=1)
POLICY = Policy(
    key="unicom-abc",
    respond={Level.A: 15 * M, Level.B: 15 * M, Level.C: 15 * M},
    arrive={Level.A: 60 * M, Level.B: 2 * H, Level.C: 2 * H},
    repair={Level.A: 4 * H, Level.B: 3 * H, Level.C: 2 * H},
)
REPORTED = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
ON_SITE = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


def utc(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=UTC)


def test_policy_defaults_to_24x7() -> None:
    assert POLICY.calendar == "24x7"


@pytest.mark.parametrize(
    ("level", "respond", "arrive"),
    [
        (Level.A, utc(6, 15), utc(7, 0)),
        (Level.B, utc(6, 15), utc(8, 0)),
        (Level.C, utc(6, 15), utc(8, 0)),
    ],
)
def test_deadlines_at_report(level: Level, respond: datetime, arrive: datetime) -> None:
    assert deadlines(POLICY, level, REPORTED) == Deadlines(
        respond_due=respond, arrive_due=arrive, repair_due=None
    )


@pytest.mark.parametrize(
    ("level", "repair"),
    [
        (Level.A, datetime(2026, 11, 23, 11, 30, tzinfo=UTC)),
        (Level.B, datetime(2026, 11, 23, 10, 30, tzinfo=UTC)),
        (Level.C, datetime(2026, 11, 23, 9, 30, tzinfo=UTC)),
    ],
)
def test_repair_runs_from_on_site_time(level: Level, repair: datetime) -> None:
    d = deadlines(POLICY, level, REPORTED, ON_SITE)
    assert d.repair_due == repair
    # respond and arrive still run from the report, not from the arrival
    assert d.respond_due == REPORTED + 15 * M
    assert d.arrive_due == REPORTED + POLICY.arrive[level]


def test_late_arrival_moves_only_repair() -> None:
    late = REPORTED + 5 * H
    d = deadlines(POLICY, Level.B, REPORTED, late)
    assert d == Deadlines(
        respond_due=datetime(2026, 11, 23, 6, 15, tzinfo=UTC),
        arrive_due=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        repair_due=datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
    )


def test_deadlines_cross_midnight_and_keep_the_instant() -> None:
    beijing = timezone(timedelta(hours=8))
    reported = datetime(2026, 12, 31, 23, 30, tzinfo=beijing)
    d = deadlines(POLICY, Level.C, reported, reported + 100 * M)
    assert d.arrive_due == datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    # on site at 01:10 on new year's day, Beijing time; C repairs within 2h
    assert d.repair_due == datetime(2027, 1, 1, 3, 10, tzinfo=beijing)
    assert d.repair_due == datetime(2026, 12, 31, 19, 10, tzinfo=UTC)


def _ticket(level: Level, on_site_at: datetime | None) -> Ticket:
    status = Status.ACCEPTED if on_site_at is None else Status.ON_SITE
    return Ticket(
        id=1,
        project_key="county",
        customer_id=5,
        level=level,
        status=status,
        reported_at=REPORTED,
        deadlines=deadlines(POLICY, level, REPORTED, on_site_at),
        owner_key="eng",
        on_site_at=on_site_at,
    )


def test_regrade_on_site_recomputes_all_deadlines_from_their_own_start() -> None:
    t = _ticket(Level.C, ON_SITE)
    assert t.deadlines.repair_due == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    up = t.regrade(Level.A, deadlines(POLICY, Level.A, t.reported_at, t.on_site_at))
    assert up.level is Level.A
    assert up.deadlines == Deadlines(
        respond_due=datetime(2026, 11, 23, 6, 15, tzinfo=UTC),
        arrive_due=datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
        repair_due=datetime(2026, 11, 23, 11, 30, tzinfo=UTC),
    )
    down = up.regrade(Level.B, deadlines(POLICY, Level.B, up.reported_at, up.on_site_at))
    assert down.deadlines == Deadlines(
        respond_due=datetime(2026, 11, 23, 6, 15, tzinfo=UTC),
        arrive_due=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        repair_due=datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
    )


def test_regrade_before_arrival_has_no_repair_deadline() -> None:
    t = _ticket(Level.B, None)
    up = t.regrade(Level.A, deadlines(POLICY, Level.A, t.reported_at, t.on_site_at))
    assert up.deadlines == Deadlines(
        respond_due=datetime(2026, 11, 23, 6, 15, tzinfo=UTC),
        arrive_due=datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
        repair_due=None,
    )


def test_arrive_sets_repair_deadline_from_arrival() -> None:
    t = _ticket(Level.A, None)
    arrived = t.arrive("eng", ON_SITE, deadlines(POLICY, t.level, t.reported_at, ON_SITE))
    assert arrived.deadlines.repair_due == datetime(2026, 11, 23, 11, 30, tzinfo=UTC)
    assert arrived.deadlines.arrive_due == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
