"""Major events and sensitive periods (重大活动 / 敏感时期) managed from chat.

`/event add FROM TO [PROJECT] NAME` adds a period (days inclusive, local), `/events` lists the
current and upcoming ones (the config's [[heightened]] periods too, marked as such),
`/event end ID` ends one at once, `/standby ID [STAFF]` names an on-site standby engineer, who
is then paged first for the project's new faults during the event (see `Roster.start_paging`);
the project's customers are told who stands by. Project managers, project leads and admins
manage events; customer managers may list them. Every change keeps who and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.events import ALL, Event, Standby, configured, parse_day, problem
from bot.services.access import Access, staff_actor
from bot.services.notices import Limit, Notice, Outcome, Params
from bot.services.uow import UnitOfWork

MAX_NAME = 200
RECENT = timedelta(days=7)  # ended or finished events stay listed this long


@dataclass(frozen=True)
class EventFacts(Params):
    """events.added, events.ended, events.standby_*: the event as a message names it."""

    ref: str
    name: str
    start: str
    end: str
    project: str
    staff: str = ""
    phone: str = ""


@dataclass(frozen=True)
class EventRef(Params):
    """A refusal about an event named by `ref` (not found, from the config, ended, …)."""

    ref: str


@dataclass(frozen=True)
class BadInput(Params):
    """A hint about what was typed (a date, a staff key) and what is accepted."""

    said: str
    choices: str = ""


@dataclass(frozen=True)
class EventLine:
    """One event of /events, with its history and standby engineers."""

    event: Event
    project: str  # the project's name, or "" for every project
    standby: list[Standby] = field(default_factory=list)


@dataclass(frozen=True)
class EventList(Params):
    """events.list: current and upcoming events, then the recently ended ones."""

    lines: list[EventLine]
    today: date


@dataclass(frozen=True)
class EventChoices(Params):
    """events.pick_project, events.pick_standby: an event and the keys → names to pick."""

    facts: EventFacts
    event_id: int
    choices: list[tuple[str, str]]


class Events:
    def __init__(self, settings: Settings, clock: Clock, access: Access) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access

    # ------------------------------------------------------------------ who may
    def _today(self) -> date:
        return self.clock.now().astimezone(self.settings.tz).date()

    @staticmethod
    def can_manage(staff: StaffConfig) -> bool:
        return staff.has_role("project_manager", "project_lead", "admin")

    def _staff(self, uid: int, *, listing: bool = False) -> StaffConfig | Outcome:
        """The acting manager, or the polite refusal (customers, engineers)."""
        staff = self.access.staff(uid)
        if staff is None:
            return Outcome([Notice(uid, "events.refuse_customer")])
        if not (self.can_manage(staff) or (listing and staff.is_manager)):
            key = "events.refuse_list" if listing else "events.refuse_role"
            return Outcome([Notice(uid, key)])
        return staff

    def _visible(self, staff: StaffConfig, event: Event) -> bool:
        if staff.has_role("admin"):
            return True
        mine = set(self.access.staff_projects(staff))
        return not event.projects or bool(mine & set(event.projects))

    def _changeable(self, staff: StaffConfig, event: Event) -> bool:
        """An event of every project is an admin's; another only of its project's managers."""
        if staff.has_role("admin"):
            return True
        mine = set(self.access.staff_projects(staff))
        return bool(event.projects) and set(event.projects) <= mine

    def facts(self, event: Event, staff: StaffConfig | None = None) -> EventFacts:
        projects = ", ".join(self.settings.project(k).name for k in event.projects)
        return EventFacts(
            event.ref,
            event.name,
            event.start.isoformat(),
            event.end.isoformat(),
            projects,
            staff.name if staff else "",
            staff.phone if staff else "",
        )

    async def _event(
        self, uow: UnitOfWork, uid: int, staff: StaffConfig, ref: str
    ) -> Event | Outcome:
        """An event of the manager's projects that chat may change, or why not."""
        ref = ref.strip().lstrip("#")
        if ref.casefold().startswith("cfg"):
            configs = self._config_periods()
            if any(p.ref == ref.casefold() for p in configs):
                return Outcome([Notice(uid, "events.config_fixed", params=EventRef(ref))])
        number = int(ref) if ref.isascii() and ref.isdigit() and len(ref) <= 12 else None
        event = await uow.events.get(number) if number is not None else None
        if (
            event is None
            or not await uow.events.chosen(event.id)
            or not self._visible(staff, event)
        ):
            return Outcome([Notice(uid, "events.not_found", params=EventRef(ref))])
        if not self._changeable(staff, event):
            return Outcome([Notice(uid, "events.not_your_project", params=EventRef(ref))])
        if event.ended(self.clock.now()) or event.end < self._today():
            return Outcome([Notice(uid, "events.already_over", params=self.facts(event))])
        return event

    def _config_periods(self) -> list[Event]:
        return [
            configured(i, p.name, p.start, p.end, p.projects)
            for i, p in enumerate(self.settings.heightened)
        ]

    # ------------------------------------------------------------------ /event
    async def command(self, uow: UnitOfWork, uid: int, rest: str) -> Outcome:
        """/event add … or /event end ID; anything else: the usage."""
        verb, _, args = rest.strip().partition(" ")
        if verb.casefold() == "add":
            return await self.add(uow, uid, args)
        if verb.casefold() == "end":
            return await self.end(uow, uid, args)
        found = self._staff(uid)
        if isinstance(found, Outcome):
            return found
        return Outcome([Notice(uid, "usage.event")])

    async def add(self, uow: UnitOfWork, uid: int, args: str) -> Outcome:
        """/event add FROM TO [PROJECT] NAME: a new period; with several projects and none
        named, the project is picked with a button."""
        found = self._staff(uid)
        if isinstance(found, Outcome):
            return found
        staff = found
        words = args.split(None, 2)
        if len(words) < 3:
            return Outcome([Notice(uid, "usage.event")])
        raw_start, raw_end, tail = words
        start, end = parse_day(raw_start), parse_day(raw_end)
        for raw, day in ((raw_start, start), (raw_end, end)):
            if day is None:
                return Outcome([Notice(uid, "events.bad_date", params=BadInput(raw))])
        assert start is not None and end is not None
        wrong = problem(start, end, self._today())
        if wrong is not None:
            return Outcome([Notice(uid, f"events.{wrong}", params=BadInput(raw_end))])
        mine = self.access.staff_projects(staff)
        first, _, after = tail.partition(" ")
        project: str | None = None
        if first in mine or (first.casefold() == "all" and staff.has_role("admin")):
            project, tail = (ALL if first.casefold() == "all" else first), after
        elif first in {p.key for p in self.settings.projects}:
            return Outcome([Notice(uid, "events.not_your_project", params=EventRef(first))])
        name = tail.strip()
        if not name:
            return Outcome([Notice(uid, "usage.event")])
        if len(name) > MAX_NAME:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_NAME))])
        if project is None and len(mine) == 1:
            project = mine[0]
        if project is None and not mine:
            return Outcome([Notice(uid, "events.refuse_role")])
        now = self.clock.now()
        event = await uow.events.add(project, name, start, end, staff_actor(staff), now)
        if project is None:
            choices = [(k, self.settings.project(k).name) for k in mine]
            params = EventChoices(self.facts(event), event.id, choices)
            return Outcome([Notice(uid, "events.pick_project", params=params)])
        return Outcome([Notice(uid, "events.added", params=self.facts(event))])

    async def choose_project(
        self, uow: UnitOfWork, uid: int, event_id: int, project_key: str
    ) -> Outcome:
        """The project button of a new event: only its creator, once, one of their projects."""
        found = self._staff(uid)
        if isinstance(found, Outcome):
            return Outcome(toast="refuse.staff_only", toast_alert=True)
        staff = found
        event = await uow.events.get(event_id)
        if (
            event is None
            or event.created_by != staff_actor(staff)
            or project_key not in self.access.staff_projects(staff)
            or not await uow.events.choose_project(event_id, project_key)
        ):
            return Outcome(toast="button.stale")
        event = await uow.events.get(event_id)
        assert event is not None
        out = Outcome([Notice(uid, "events.added", params=self.facts(event))], toast="toast.ok")
        out.clear_buttons = True
        return out

    async def end(self, uow: UnitOfWork, uid: int, args: str) -> Outcome:
        """/event end ID: the event ends now (its days stay as planned, for the record)."""
        found = self._staff(uid)
        if isinstance(found, Outcome):
            return found
        staff = found
        if not args.strip():
            return Outcome([Notice(uid, "usage.event")])
        event = await self._event(uow, uid, staff, args.split()[0])
        if isinstance(event, Outcome):
            return event
        await uow.events.end(event.id, staff_actor(staff), self.clock.now())
        return Outcome([Notice(uid, "events.ended", params=self.facts(event))])

    # ------------------------------------------------------------------ /events
    async def listing(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/events: current and upcoming periods of my projects (config ones marked), with who
        added, ended and named standby, and when; recently ended ones after them."""
        found = self._staff(uid, listing=True)
        if isinstance(found, Outcome):
            return found
        staff = found
        today = self._today()
        events = [
            e
            for e in [*self._config_periods(), *await uow.events.ending_since(today - RECENT)]
            if self._visible(staff, e)
        ]
        standby = await uow.events.standby([e.id for e in events if not e.from_config])
        now = self.clock.now()
        events.sort(key=lambda e: (not e.ahead(today, now), e.start, e.ref))
        lines = [
            EventLine(
                e,
                ", ".join(self.settings.project(k).name for k in e.projects),
                [s for s in standby if s.event_id == e.id and not e.from_config],
            )
            for e in events
            if e.ahead(today, now) or not e.from_config
        ]
        return Outcome([Notice(uid, "events.list", params=EventList(lines, today))])

    # ------------------------------------------------------------------ /standby
    async def standby(self, uow: UnitOfWork, uid: int, args: str) -> Outcome:
        """/standby ID [STAFF]: name an on-site standby engineer (without STAFF: the project's
        engineers as buttons)."""
        found = self._staff(uid)
        if isinstance(found, Outcome):
            return found
        staff = found
        words = args.split()
        if not words:
            return Outcome([Notice(uid, "usage.standby")])
        event = await self._event(uow, uid, staff, words[0])
        if isinstance(event, Outcome):
            return event
        engineers = self._engineers(event)
        if len(words) < 2:
            choices = [(p.key, p.name) for p in engineers]
            params = EventChoices(self.facts(event), event.id, choices)
            return Outcome([Notice(uid, "events.pick_standby", params=params)])
        return await self._name(uow, uid, staff, event, words[1], engineers, via_button=False)

    async def pick_standby(
        self, uow: UnitOfWork, uid: int, event_id: int, staff_key: str
    ) -> Outcome:
        """A standby button: checked again against the database."""
        found = self._staff(uid)
        if isinstance(found, Outcome):
            return Outcome(toast="refuse.staff_only", toast_alert=True)
        staff = found
        event = await self._event(uow, uid, staff, str(event_id))
        if isinstance(event, Outcome):
            return Outcome(toast="button.stale")
        engineers = self._engineers(event)
        return await self._name(uow, uid, staff, event, staff_key, engineers, via_button=True)

    def _engineers(self, event: Event) -> list[StaffConfig]:
        keys = [
            k
            for p in self.settings.projects
            if event.for_project(p.key)
            for k in self.settings.project_staff_keys(p)
        ]
        people = [self.settings.staff_by_key(k) for k in dict.fromkeys(keys)]
        return [p for p in people if p.has_role("engineer")]

    async def _name(
        self,
        uow: UnitOfWork,
        uid: int,
        manager: StaffConfig,
        event: Event,
        key: str,
        engineers: list[StaffConfig],
        *,
        via_button: bool,
    ) -> Outcome:
        person = next((p for p in engineers if p.key.casefold() == key.casefold()), None)
        if person is None:
            if via_button:
                return Outcome(toast="button.stale")
            keys = ", ".join(f"{p.key} ({p.name})" for p in engineers)
            params = BadInput(key, keys)
            return Outcome([Notice(uid, "events.unknown_staff", params=params)])
        now = self.clock.now()
        facts = self.facts(event, person)
        named = Standby(event.id, person.key, staff_actor(manager), now)
        if not await uow.events.add_standby(named):
            # (A button pressed again: its message lost its buttons at the first press.)
            return Outcome([Notice(uid, "events.standby_already", params=facts)])
        out = Outcome(
            [Notice(uid, "events.standby_named", params=facts)],
            toast="toast.ok" if via_button else None,
            clear_buttons=via_button,
        )
        if person.telegram_id != uid:
            out.add(Notice(person.telegram_id, "events.standby_you", params=facts))
        # The customers of the event's projects that this engineer works for.
        projects = [
            p.key
            for p in self.settings.projects
            if event.for_project(p.key) and person.key in self.settings.project_staff_keys(p)
        ]
        for customer in await uow.events.customers(projects):
            if self.access.staff(customer) is None:
                out.add(
                    Notice(
                        customer,
                        "events.standby_customer",
                        params=facts,
                        dedupe=f"standby:{event.id}:{person.key}:{customer}",
                    )
                )
        return out
