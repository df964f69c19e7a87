"""An in-memory unit of work for service unit tests: the repositories the services use, as
dicts and lists (cosmicpython's FakeRepository). Only what the tested services call is here;
a service that reaches for more fails loudly with AttributeError."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.domain.drafts import AnyDraft
from bot.domain.events import Event, Standby
from bot.domain.people import User
from bot.domain.ticket import OPEN_STATUSES, Status, Ticket
from bot.domain.timeline import TimelineEntry
from bot.services.uow import Timer


def user(telegram_id: int, *, project_key: str | None = None, **kw: Any) -> User:
    fields: dict[str, Any] = {
        "telegram_id": telegram_id,
        "first_name": f"User{telegram_id}",
        "language": "zh",
        "project_key": project_key,
        "name": "",
        "unit": "",
        "phone": "",
        "profile_done": False,
        "started_at": None,
        "unreachable_at": None,
        "unreachable_reason": None,
    }
    return User(**{**fields, **kw})


@dataclass
class FakeUsers:
    rows: dict[int, User] = field(default_factory=dict)

    async def get(self, telegram_id: int) -> User | None:
        return self.rows.get(telegram_id)

    async def many(self, ids: Iterable[int]) -> dict[int, User]:
        return {i: self.rows[i] for i in ids if i in self.rows}

    async def mark_unreachable(self, telegram_id: int, at: datetime, reason: str) -> bool:
        old = self.rows.get(telegram_id) or user(telegram_id)
        self.rows[telegram_id] = replace(old, unreachable_at=at, unreachable_reason=reason)
        return old.unreachable_at is None


@dataclass
class FakeTickets:
    rows: dict[int, Ticket] = field(default_factory=dict)

    async def add(self, ticket: Ticket) -> Ticket:
        ticket = replace(ticket, id=len(self.rows) + 1)
        self.rows[ticket.id] = ticket
        return ticket

    async def get(self, ticket_id: int) -> Ticket | None:
        return self.rows.get(ticket_id)

    async def save(self, ticket: Ticket) -> Ticket:
        self.rows[ticket.id] = ticket
        return ticket

    async def open_of_customer(self, customer_id: int, limit: int = 50) -> list[Ticket]:
        shown = (*OPEN_STATUSES, Status.RESOLVED)
        mine = [t for t in self.rows.values() if t.customer_id == customer_id]
        return [t for t in mine if t.status in shown]

    async def open_of_projects(self, project_keys: Sequence[str], limit: int = 50) -> list[Ticket]:
        return [t for t in self.rows.values() if t.project_key in project_keys and t.is_open]

    async def open_of_owner(self, staff_key: str, limit: int = 50) -> list[Ticket]:
        return [t for t in self.rows.values() if t.owner_key == staff_key and t.is_open]

    async def all_open(self, limit: int = 10_000) -> list[Ticket]:
        return [t for t in self.rows.values() if t.is_open][:limit]


@dataclass
class FakeTimeline:
    entries: list[TimelineEntry] = field(default_factory=list)

    async def append(
        self, ticket_id: int, at: datetime, actor: str, kind: str, **detail: Any
    ) -> None:
        self.entries.append(TimelineEntry(ticket_id, at, actor, kind, detail))

    async def of_ticket(self, ticket_id: int) -> list[TimelineEntry]:
        return [e for e in self.entries if e.ticket_id == ticket_id]


@dataclass
class FakeDrafts:
    rows: dict[int, tuple[AnyDraft, datetime]] = field(default_factory=dict)

    async def get(self, user_id: int) -> tuple[AnyDraft, datetime] | None:
        return self.rows.get(user_id)

    async def put(self, user_id: int, draft: AnyDraft, at: datetime) -> None:
        self.rows[user_id] = (draft, at)

    async def delete(self, user_id: int) -> None:
        self.rows.pop(user_id, None)


@dataclass
class FakeTimers:
    """Pending timers by key (what is due, and when)."""

    pending: dict[str, Timer] = field(default_factory=dict)
    earliest_scheduled: datetime | None = None

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
        self.pending[key] = Timer(0, key, kind, ticket_id, user_id, due_at, payload or {})
        if self.earliest_scheduled is None or due_at < self.earliest_scheduled:
            self.earliest_scheduled = due_at

    async def cancel(self, key: str) -> None:
        self.pending.pop(key, None)


@dataclass
class FakeEvents:
    """Major events added from chat and their standby engineers (what the roster reads)."""

    events: list[Event] = field(default_factory=list)
    named: list[Standby] = field(default_factory=list)

    async def ending_since(self, day: date) -> list[Event]:
        return [e for e in self.events if e.end >= day]

    async def standby(self, event_ids: Sequence[int]) -> list[Standby]:
        return [s for s in self.named if s.event_id in event_ids]


@dataclass
class FakeUnitOfWork:
    users: FakeUsers = field(default_factory=FakeUsers)
    tickets: FakeTickets = field(default_factory=FakeTickets)
    timeline: FakeTimeline = field(default_factory=FakeTimeline)
    drafts: FakeDrafts = field(default_factory=FakeDrafts)
    timers: FakeTimers = field(default_factory=FakeTimers)
    events: FakeEvents = field(default_factory=FakeEvents)
