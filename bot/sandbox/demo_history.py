"""A demo history for the sandbox: last month of each demo project, so that a newcomer who
sends /monthly as the demo project manager sees a real chart within a minute.

Written once, into an empty database only (a `--db` kept from an earlier run is left alone),
through the repositories the bot uses: tickets with their timeline, their clocks (met,
missed, one paused, some still running), blocking reasons on the open ones, a few surveys,
two complaints (one overdue). Deterministic: the same month looks the same on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.domain.clocks import ClockState
from bot.domain.complaints import Complaint
from bot.domain.contract import PlannedTask, TaskKind, task_key
from bot.domain.events import Standby
from bot.domain.monthly import month_period, previous_month
from bot.domain.survey import Survey
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.storage.db import Database
from bot.storage.uow import SqliteUnitOfWork, unit_of_work

SITES = (
    "Village 3 office", "Crossroads camera 12", "Township police station", "Market gate",
    "School entrance camera", "Bridge checkpoint", "Village 7 terminal", "Hospital car park",
)  # fmt: skip
SYMPTOMS = (
    "Query terminal freezes", "Camera offline", "No video on the wall screen",
    "Login fails", "Network port down", "Power supply beeping", "Slow queries",
)  # fmt: skip
CAUSES = ("power", "power", "transmission", "transmission", "hardware", "software",
          "user_operation", "other")
BLOCKING = ("power", "transmission", "power", "hardware", "force_majeure", "")
# The demo contract's arrive and repair targets per level (respond is 15 minutes).
ARRIVE = {"A": 3600.0, "B": 7200.0, "C": 7200.0}
REPAIR = {"A": 14400.0, "B": 10800.0, "C": 7200.0}
PER_PROJECT = 60


@dataclass(frozen=True)
class Customer:
    telegram_id: int
    name: str
    unit: str
    phone: str


async def seed_if_empty(
    db: Database, settings: Settings, customers: dict[str, list[Customer]], now: datetime
) -> int:
    """Last month's demo tickets for each project that has demo customers; 0 if the
    database already holds tickets. Returns how many tickets were written."""
    async with unit_of_work(db) as uow:
        async with uow.conn.execute("SELECT count(*) FROM tickets") as cur:
            row = await cur.fetchone()
        if row is not None and row[0]:
            return 0
        year, month = previous_month(now, settings.tz)
        written = 0
        for index, project in enumerate(settings.projects):
            people = customers.get(project.key)
            if not people:
                continue
            staff = settings.project_staff_keys(project)
            engineers = [k for k in staff if settings.staff_by_key(k).has_role("engineer")]
            period = month_period(project.key, year, month, settings.tz)
            rnd = random.Random(f"{project.key}-{year}-{month}")
            count = PER_PROJECT if index == 0 else PER_PROJECT // 2
            for i in range(count):
                written += await _ticket(uow, rnd, project.key, period.start, period.end,
                                         people, engineers or list(staff), i, count)
            await _complaints(uow, project.key, period.start, people)
        await _contract_tasks(uow, settings, now)
        if written:
            await _upcoming_event(uow, settings, now)
    return written


async def _contract_tasks(uow: SqliteUnitOfWork, settings: Settings, now: datetime) -> None:
    """A task due within days for each contract, whatever day the sandbox starts on: an
    inspection in 3 days (the first engineer on duty) and a phone visit in 2 (the customer
    manager), so /tasks shows them and their reminders come. Marked "demo": planning from
    the config never cancels them."""
    today = now.astimezone(settings.tz).date()
    for project in settings.projects:
        c = project.contract
        if c is None:
            continue
        people = [settings.staff_by_key(k) for k in settings.project_staff_keys(project)]
        engineers = [k for k in project.on_duty if settings.staff_by_key(k).has_role("engineer")]
        managers = [s.key for s in people if s.has_role("customer_manager")]
        demo: list[tuple[TaskKind, int, list[str]]] = []
        if c.inspection_months and engineers:
            demo.append(("inspection", 3, engineers))
        if c.phone_visits_per_year and managers:
            demo.append(("phone_visit", 2, managers))
        for kind, days, who in demo:
            due = today + timedelta(days=days)
            key = f"{task_key(project.key, kind, due)}:demo"
            await uow.contract_tasks.add(
                PlannedTask(key, project.key, kind, due, 0), who[0], now, origin="demo")


async def _upcoming_event(uow: SqliteUnitOfWork, settings: Settings, now: datetime) -> None:
    """A major event (重大活动) next week for the first project, with a standby engineer, so
    that /events shows one (added "by" its project manager a day ago)."""
    project = settings.projects[0]
    staff = [settings.staff_by_key(k) for k in settings.project_staff_keys(project)]
    managers = [s for s in staff if s.has_role("project_manager", "project_lead", "admin")]
    engineers = [s for s in staff if s.has_role("engineer")]
    if not managers or not engineers:
        return
    by, added = f"staff:{managers[0].key}", now - timedelta(days=1)
    start = now.astimezone(settings.tz).date() + timedelta(days=7)
    event = await uow.events.add(project.key, "Provincial security review 省级安保检查",
                                 start, start + timedelta(days=2), by, added)
    await uow.events.add_standby(Standby(event.id, engineers[0].key, by, added))


async def _ticket(
    uow: SqliteUnitOfWork, rnd: random.Random, project: str, start: datetime, end: datetime,
    people: list[Customer], engineers: list[str], i: int, count: int,
) -> int:
    """One demo ticket of the month, spread evenly with some noise."""
    span = (end - start).total_seconds()
    reported = start + timedelta(seconds=span * (i + rnd.random() * 0.9) / count)
    level = rnd.choice("ABBCCCC")
    cust = rnd.choice(people)
    owner = rnd.choice(engineers)
    respond = rnd.choice((240, 420, 600, 780, 1500))  # one in five late
    accepted = reported + timedelta(seconds=respond)
    arrive_target = ARRIVE[level]
    on_site = reported + timedelta(seconds=arrive_target * rnd.choice((0.4, 0.6, 0.8, 1.3)))
    repair_target = REPAIR[level]
    open_at_end = i >= count - 4 or rnd.random() < 0.12
    resolved = None if open_at_end else on_site + timedelta(
        seconds=repair_target * rnd.choice((0.3, 0.5, 0.7, 0.9, 1.2)))
    # Every 9th fault waited an hour for the weather (force majeure, agreed): the repair
    # clock paused, the resolution an hour later.
    paused = 3600.0 if i % 9 == 4 and resolved is not None else 0.0
    if resolved is not None:
        resolved += timedelta(seconds=paused)
    if resolved is not None and resolved >= end:
        resolved = None
    confirmed = rnd.random() < 0.9
    closed = resolved + timedelta(hours=2 if confirmed else 72) if resolved else None
    status = Status.CLOSED if closed and closed < end else (
        Status.RESOLVED if resolved else Status.ON_SITE)
    ticket = await uow.tickets.add(Ticket(
        id=0, project_key=project, customer_id=cust.telegram_id, level=Level(level),
        status=status, reported_at=reported,
        deadlines=Deadlines(reported + timedelta(seconds=900),
                            reported + timedelta(seconds=arrive_target),
                            on_site + timedelta(seconds=repair_target)),
        site=rnd.choice(SITES), symptom=rnd.choice(SYMPTOMS), contact_name=cust.name,
        contact_unit=cust.unit, contact_phone=cust.phone, owner_key=owner,
        accepted_at=accepted, on_site_at=on_site, resolved_at=resolved,
        closed_at=closed if status == Status.CLOSED else None,
        cause=rnd.choice(CAUSES) if resolved else "",
        resolution="Replaced the faulty part and tested" if resolved else "",
        reopen_count=1 if rnd.random() < 0.06 else 0,
        blocking_reason="" if resolved else BLOCKING[i % len(BLOCKING)],
        channel="chat",
        closed_unconfirmed=bool(status == Status.CLOSED and not confirmed),
    ))  # fmt: skip
    actor = f"staff:{owner}"
    tl = uow.timeline
    await tl.append(ticket.id, reported, f"customer:{cust.telegram_id}", "reported", level=level)
    await tl.append(ticket.id, accepted, actor, "accepted")
    await tl.append(ticket.id, on_site, actor, "arrived")
    if paused:
        began = on_site + timedelta(minutes=10)
        pause = await uow.pauses.add(ticket.id, "force_majeure", "Storm, road closed",
                                     "active", actor, began)
        await uow.pauses.end(pause.id, began + timedelta(seconds=paused))
    if resolved is not None:
        await tl.append(ticket.id, resolved, actor, "resolved", note=ticket.resolution)
        if ticket.closed_at is not None:
            kind = "confirmed" if confirmed else "closed_unconfirmed"
            await tl.append(ticket.id, ticket.closed_at, "system", kind)
    for name, began, stopped, target in (
        ("respond", reported, accepted, 900.0),
        ("arrive", reported, on_site, arrive_target),
        ("repair", on_site, resolved, repair_target),
    ):
        spent = (stopped - began).total_seconds() - (paused if name == "repair" else 0) \
            if stopped else (end - began).total_seconds()
        breached = began + timedelta(seconds=target) if spent >= target else None
        await uow.clocks.put(ClockState(
            ticket_id=ticket.id, name=name, started_at=began, target_seconds=target,
            business=False, stopped_at=stopped,
            paused_wall=paused if name == "repair" else 0.0, breached_at=breached,
        ))  # fmt: skip
    if ticket.closed_at is not None and confirmed and rnd.random() < 0.35:
        await uow.surveys.add(Survey(ticket.id, cust.telegram_id, rnd.choice((3, 4, 5, 5, 5)),
                                     ticket.closed_at + timedelta(minutes=3)))
    return 1


async def _complaints(
    uow: SqliteUnitOfWork, project: str, start: datetime, people: list[Customer]
) -> None:
    """Two complaints: one answered and closed the same day, one escalated (overdue)."""
    cust = people[0]
    first = await uow.complaints.add(Complaint(
        id=0, project_key=project, customer_id=cust.telegram_id,
        content="The engineer arrived two hours late",
        received_at=start + timedelta(days=6, hours=10, minutes=12),
    ))  # fmt: skip
    closed_at = first.received_at + timedelta(hours=4)
    await uow.complaints.save(Complaint(
        id=first.id, project_key=project, customer_id=cust.telegram_id,
        content=first.content, received_at=first.received_at, status="closed",
        first_response_at=first.received_at + timedelta(minutes=30), closed_at=closed_at,
        result="Apologised; the rota now has a second engineer at night", satisfied=True,
        version=first.version,
    ))  # fmt: skip
    await uow.complaints.append(first.id, closed_at, "system", "closed")
    second = await uow.complaints.add(Complaint(
        id=0, project_key=project, customer_id=cust.telegram_id,
        content="Nobody answered the hotline at night",
        received_at=start + timedelta(days=19, hours=23, minutes=40),
    ))  # fmt: skip
    await uow.complaints.append(second.id, second.received_at + timedelta(hours=1), "bot",
                                "escalated", clock="respond", to=[])
