"""Who is on duty, and paging that never dead-ends.

New fault → the first tier (primary shift + always-on-duty people); not accepted within
`ack_timeout` → the next tier (secondary), then the escalation chain one level at a time.
A page refused by Telegram (blocked, never started) moves to the next tier at once. At each
hand-off the incoming engineers get a digest of open tickets, and tickets nobody accepted are
paged to them again. Overrides (/cover) and accepted swaps beat the rotation; the staff's
commands that make them, with /oncall and /schedule, are in `shifts.py`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.domain.events import Event, configured, heightened
from bot.domain.paging import Paging
from bot.domain.roster import Team
from bot.domain.ticket import Status, Ticket
from bot.services.notices import Notice, Outcome, Params
from bot.services.uow import Timer, UnitOfWork

HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class PageTier(Params):
    """ticket.page, ticket.page_chain: the tier of the paging plan paged (0: the first)."""

    tier: int


@dataclass(frozen=True)
class Period(Params):
    """A time on duty, from `start` to `end`: the base of the families that name one."""

    start: datetime
    end: datetime


@dataclass(frozen=True, kw_only=True)
class ShiftSoon(Period):
    """roster.shift_soon: the layer of my shift that begins soon."""

    layer: str


@dataclass(frozen=True)
class Handoff(Params):
    """roster.handoff: the project I come on duty for, and its open tickets."""

    project: str
    tickets: list[Ticket]


@dataclass(frozen=True)
class Gaps(Params):
    """roster.gaps: the project, and its periods with nobody on duty."""

    project: str
    gaps: list[tuple[datetime, datetime]]


class Roster:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    def people(self, keys: list[str]) -> list[StaffConfig]:
        """The staff members with these keys (a key the config no longer has is skipped: a
        paging plan or an override in the database may name someone who has left)."""
        return [s for k in keys if (s := self.settings.find_staff(k)) is not None]

    async def team(self, uow: UnitOfWork, project: ProjectConfig) -> Team:
        team = self.settings.team(project)
        if not team.layers:
            return team
        since = self.clock.now() - timedelta(days=1)
        return team.with_overrides(await uow.rosters.overrides(team.key, since))

    async def on_duty(
        self, uow: UnitOfWork, project: ProjectConfig, at: datetime | None = None
    ) -> list[StaffConfig]:
        """The first tier now: the primary shift plus the always-on-duty people."""
        team = await self.team(uow, project)
        tiers = team.tiers(at or self.clock.now())
        return self.people(tiers[0]) if tiers else []

    # ------------------------------------------------------------------ paging
    async def heightened(self, uow: UnitOfWork, project_key: str) -> Event | None:
        """The major event (重大活动) in force for the project now, from the config or from
        chat, if any."""
        now = self.clock.now()
        periods = [
            configured(i, p.name, p.start, p.end, p.projects)
            for i, p in enumerate(self.settings.heightened)
        ]
        today = now.astimezone(self.settings.tz).date()
        periods += await uow.events.ending_since(today)
        return heightened(periods, project_key, now, self.settings.tz)

    async def standby(self, uow: UnitOfWork, event: Event, project: ProjectConfig) -> list[str]:
        """The event's standby engineers who may take the project's faults, as named."""
        if event.from_config:
            return []
        members = set(self.settings.project_staff_keys(project))
        return [
            s.staff_key
            for s in await uow.events.standby([event.id])
            if s.staff_key in members
            and (p := self.settings.find_staff(s.staff_key)) is not None
            and p.has_role("engineer")
        ]

    def ack_timeout(
        self, project: ProjectConfig, ticket: Ticket, *, heightened: bool = False
    ) -> timedelta:
        if project.ack_timeout is not None:
            base = project.ack_timeout
        else:
            # Half the respond target, its real length on the policy's calendar ("4bh" is
            # four hours, "1wd" one working day), not its bare amount.
            policy = self.settings.sla_policy(project.key, ticket.kind)
            spec = policy.clock("respond")
            target = spec.target_for(ticket.level) if spec else None
            seconds = (
                target.seconds(policy.calendar_for(spec, ticket.level))
                if spec and target
                else 900.0
            )
            base = timedelta(seconds=seconds / 2)
        if heightened:
            base = base / 2
        return base

    async def start_paging(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """Page a new ticket's first reachable tier and arm the next step."""
        project = self.settings.project(ticket.project_key)
        team = await self.team(uow, project)
        tiers = [t for t in team.tiers(self.clock.now()) if t]
        event = await self.heightened(uow, project.key)
        if event is not None:
            # 重大活动: two engineers at once — the first two people of the tiers.
            flat = list(dict.fromkeys(k for t in tiers for k in t))
            if len(flat) >= 2 and len(tiers[0]) < 2:
                tiers = [flat[:2], *[[k for k in t if k not in flat[:2]] for t in tiers[1:]]]
                tiers = [t for t in tiers if t]
            # The event's on-site standby engineers come before the roster.
            standby = await self.standby(uow, event, project)
            if standby:
                tiers = [standby, *[[k for k in t if k not in standby] for t in tiers]]
                tiers = [t for t in tiers if t]
            await self._note_heightened(uow, ticket, event)
        chain = [[k] for k in project.escalation]
        ack = self.ack_timeout(project, ticket, heightened=event is not None)
        plan = Paging(ticket.id, [*tiers, *chain], -1, ack.total_seconds())
        await uow.rosters.put_paging(plan)
        return await self._page_next(uow, ticket, plan)

    async def _note_heightened(self, uow: UnitOfWork, ticket: Ticket, event: Event) -> None:
        """The timeline says the ticket was paged during a major event (once: a ticket paged
        again, e.g. reopened, keeps its first note)."""
        if any(e.kind == "heightened" for e in await uow.timeline.of_ticket(ticket.id)):
            return
        await uow.timeline.append(
            ticket.id, self.clock.now(), "system", "heightened", name=event.name
        )

    async def _reachable(self, uow: UnitOfWork, keys: list[str]) -> list[StaffConfig]:
        people = self.people(keys)
        users = await uow.users.many(p.telegram_id for p in people)
        return [
            p
            for p in people
            if (u := users.get(p.telegram_id)) is None or u.unreachable_at is None
        ]

    async def _page_next(self, uow: UnitOfWork, ticket: Ticket, plan: Paging) -> list[Notice]:
        """Advance to the next tier with someone reachable; page them; arm the timeout."""
        step = plan.step
        notices: list[Notice] = []
        while step + 1 < len(plan.tiers):
            if not await uow.rosters.advance_paging(ticket.id, step):
                return []  # someone else advanced it meanwhile
            step += 1
            people = await self._reachable(uow, plan.tiers[step])
            if not people:
                continue  # nobody reachable in this tier: the next one, at once
            for person in people:
                # Managers of the chain cannot accept: they are told nobody has, and act.
                key = "ticket.page" if person.has_role("engineer") else "ticket.page_chain"
                notices.append(
                    Notice(
                        person.telegram_id,
                        key,
                        ticket=ticket,
                        purpose="page",
                        params=PageTier(step),
                        dedupe=f"page:{ticket.id}:{person.key}",
                    )
                )
            if step + 1 < len(plan.tiers):
                await uow.timers.schedule(
                    f"page:{ticket.id}",
                    "page_next",
                    self.clock.now() + timedelta(seconds=plan.ack_seconds),
                    ticket_id=ticket.id,
                    payload={"step": step},
                )
            return notices
        return notices

    async def page_timeout(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """Nobody accepted within ack_timeout: page the next tier."""
        if timer.ticket_id is None:
            return Outcome()
        ticket = await uow.tickets.get(timer.ticket_id)
        plan = await uow.rosters.paging(timer.ticket_id)
        if ticket is None or plan is None or ticket.status != Status.NEW:
            return Outcome()
        if plan.step != int(timer.payload.get("step", -2)):
            return Outcome()  # already moved on (a failed page advanced it)
        return Outcome(await self._page_next(uow, ticket, plan))

    async def page_refused(self, uow: UnitOfWork, ticket_id: int, chat_id: int) -> list[Notice]:
        """A page could not be delivered: if it was the current tier, page the next at once."""
        ticket = await uow.tickets.get(ticket_id)
        plan = await uow.rosters.paging(ticket_id)
        if ticket is None or plan is None or ticket.status != Status.NEW or plan.step < 0:
            return []
        current = self.people(plan.tiers[plan.step])
        if chat_id not in {p.telegram_id for p in current}:
            return []
        still = await self._reachable(uow, plan.tiers[plan.step])
        if still:
            return []  # someone of this tier still has the page
        await uow.timers.cancel(f"page:{ticket_id}")
        return await self._page_next(uow, ticket, plan)

    async def stop_paging(self, uow: UnitOfWork, ticket_id: int) -> None:
        await uow.timers.cancel(f"page:{ticket_id}")

    # ------------------------------------------------------------------ hand-off and checks
    async def arm(self, uow: UnitOfWork) -> None:
        """Arm each team's next hand-off and the shift reminders of the next day (idempotent:
        the keys are unique per shift)."""
        now = self.clock.now()
        for project in self.settings.projects:
            team = await self.team(uow, project)
            if not team.layers:
                continue
            nxt = team.next_change(now)
            if nxt is not None:
                await uow.timers.schedule_once(
                    f"handoff:{team.key}:{nxt.astimezone(UTC).isoformat()}",
                    "handoff",
                    nxt,
                    payload={"team": team.key, "project": project.key},
                )
            for shift in team.shifts_between(now, now + timedelta(hours=26)):
                remind_at = shift.start - self.settings.shift_reminder
                if remind_at <= now:
                    continue
                person = self.settings.find_staff(shift.member)
                if person is None:
                    continue  # an override names someone the config no longer has
                await uow.timers.schedule_once(
                    f"shift:{team.key}:{shift.layer}:{shift.member}:"
                    f"{int(shift.start.timestamp())}",
                    "shift_reminder",
                    remind_at,
                    payload={
                        "team": team.key,
                        "project": project.key,
                        "layer": shift.layer,
                        "member": person.key,
                        "start": shift.start.isoformat(),
                        "end": shift.end.isoformat(),
                    },
                )

    async def shift_reminder(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        p = timer.payload
        try:
            person = self.settings.staff_by_key(str(p["member"]))
            project = self.settings.project(str(p["project"]))
        except KeyError:
            return Outcome()
        start = datetime.fromisoformat(str(p["start"]))
        team = await self.team(uow, project)
        if person.key not in team.on_call(start).get(str(p.get("layer", "")), []):
            return Outcome()  # swapped away or covered since the reminder was armed
        return Outcome(
            [
                Notice(
                    person.telegram_id,
                    "roster.shift_soon",
                    params=ShiftSoon(
                        datetime.fromisoformat(str(p["start"])),
                        datetime.fromisoformat(str(p["end"])),
                        layer=str(p.get("layer", "")),
                    ),
                )
            ]
        )

    async def handoff(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """Hand-off: the incoming engineers get the open tickets; unaccepted ones are paged."""
        team_key = str(timer.payload.get("team", ""))
        was = await self.on_duty_sets(uow, team_key, timer.due_at - timedelta(seconds=1))
        out = await self.hand_off(uow, team_key, was, timer.key)
        await self.arm(uow)
        return out

    async def on_duty_sets(
        self, uow: UnitOfWork, team_key: str, at: datetime
    ) -> dict[str, set[str]]:
        """Everyone paged for each project of the team at `at` (every tier)."""
        out: dict[str, set[str]] = {}
        for project in self.settings.projects:
            team = await self.team(uow, project)
            if team.key == team_key:
                out[project.key] = {k for t in team.tiers(at) for k in t}
        return out

    async def hand_off(
        self, uow: UnitOfWork, team_key: str, was: dict[str, set[str]], tag: str
    ) -> Outcome:
        """Who is on the first tier now and was not on duty (`was`) gets the open tickets of
        the project; the unaccepted ones are paged to them (once per hand-off `tag`)."""
        now = self.clock.now()
        out = Outcome()
        for project in self.settings.projects:
            team = await self.team(uow, project)
            if team.key != team_key:
                continue
            before = was.get(project.key, set())
            incoming = [k for t in team.tiers(now)[:1] for k in t if k not in before]
            if not incoming:
                continue
            tickets = await uow.tickets.open_of_projects([project.key])
            for person in self.people(incoming):
                out.add(
                    Notice(
                        person.telegram_id,
                        "roster.handoff",
                        params=Handoff(project.name, tickets),
                    )
                )
                for ticket in tickets:
                    if ticket.status == Status.NEW:
                        out.add(
                            Notice(
                                person.telegram_id,
                                "ticket.page",
                                ticket=ticket,
                                purpose="page",
                                # Once per hand-off: they may have been paged before.
                                dedupe=f"page:{ticket.id}:{person.key}:{tag}",
                            )
                        )
        return out

    async def gaps_report(self, uow: UnitOfWork) -> Outcome:
        """Gaps (nobody on duty) in the next 7 days, told to the project managers ahead."""
        now = self.clock.now()
        day = now.astimezone(self.settings.tz).date().isoformat()
        out = Outcome()
        for project in self.settings.projects:
            team = await self.team(uow, project)
            gaps = team.gaps(now, now + HORIZON)
            if not gaps:
                continue
            # The digest names the roster's gaps of whole days, not of [now, now + 7 days):
            # a restart a minute later (now inside a gap) is not a new report.
            midnight = datetime.combine(
                now.astimezone(self.settings.tz).date(), time(0), tzinfo=self.settings.tz
            )
            whole_days = team.gaps(midnight, midnight + HORIZON + timedelta(days=1))
            digest = hashlib.sha1(repr(whole_days).encode()).hexdigest()[:10]
            people = [
                self.settings.staff_by_key(k) for k in self.settings.project_staff_keys(project)
            ]
            pms = [p for p in people if p.has_role("project_manager", "admin")]
            users = await uow.users.many(p.telegram_id for p in pms)
            for pm in pms:
                user = users.get(pm.telegram_id)
                if user is None or user.started_at is None or user.unreachable_at is not None:
                    # Not reachable: a failed send would use up today's report (dedupe); they
                    # get it at the next start-up or daily check once they start the bot.
                    continue
                out.add(
                    Notice(
                        pm.telegram_id,
                        "roster.gaps",
                        params=Gaps(project.name, gaps),
                        dedupe=f"gaps:{project.key}:{pm.key}:{day}:{digest}",
                    )
                )
        return out
