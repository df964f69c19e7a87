"""Keeping the contract: SLA clocks per ticket, reminders before each deadline, escalation.

Every due moment is a timer row with a unique key (ticket, clock, point); timers are claimed
exactly once and their messages go through the outbox in the same transaction. Stopping a
clock cancels its pending timers at once; pausing a ticket cancels them and resuming re-arms
them, excluding the paused time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.domain.calendar import Calendar
from bot.domain.clocks import CUSTOMER_CARE_EVENTS, ClockSpec, ClockState, SlaPolicy
from bot.domain.ticket import Deadlines, Level, Ticket
from bot.domain.timeline import TimelineEntry
from bot.services.notices import Notice, Params
from bot.services.roster import Roster
from bot.services.uow import Timer, UnitOfWork

# A timer that fires this much after its due time was missed while the bot was down: say so.
LATE_AFTER = timedelta(seconds=60)

# The policy of a ticket whose project the config no longer has.
RETIRED = SlaPolicy("retired", ())


@dataclass(frozen=True)
class ClockView:
    """One clock of a ticket, as /sla shows it."""

    spec: ClockSpec
    state: ClockState
    due_at: datetime | None
    elapsed: float  # counted seconds
    remaining: float  # counted seconds (negative: overdue)
    paused: float  # wall seconds paused
    met: bool | None  # None while running


@dataclass(frozen=True)
class ClockNews(Params):
    """sla.opened, and the base of every clock's news: which clock, its due time, and when
    its timer was due if it fired late (the bot was down)."""

    spec: ClockSpec
    due: datetime | None
    late: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ClockWarning(ClockNews):
    """sla.warn: counted seconds left before the deadline."""

    remaining: float


@dataclass(frozen=True, kw_only=True)
class ClockMissed(ClockNews):
    """sla.missed, sla.customer_missed: seconds since the deadline passed. A manager (the
    escalation chain) is told what a manager can do: the owner to call, or the engineers on
    duty when nobody owns the ticket (`workers`)."""

    over: float
    manager: bool = False
    workers: tuple[StaffConfig, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ClockEscalated(ClockMissed):
    """sla.escalated: the level of the escalation chain now told (counted from 1; the
    first level is told at the breach)."""

    step: int


def promised(
    policy: SlaPolicy, level: Level, reported_at: datetime, on_site_at: datetime | None = None
) -> Deadlines:
    """The three classic deadlines as real instants (business units on the calendar)."""

    def due(name: str, start: datetime) -> datetime:
        spec = policy.clock(name)
        target = None if spec is None else spec.target_for(level)
        if spec is None or target is None:  # the config requires them at every level
            raise ValueError(f"policy {policy.key}: no {name} target at level {level}")
        cal = policy.calendar_for(spec, level)
        return cal.add(start, target.seconds(cal))

    return Deadlines(
        respond_due=due("respond", reported_at),
        arrive_due=due("arrive", reported_at),
        repair_due=None if on_site_at is None else due("repair", on_site_at),
    )


def promised_request(policy: SlaPolicy, reported_at: datetime) -> Deadlines:
    """A service request's deadlines: respond, and resolve (kept where a fault's arrival is:
    the stored deadline is NOT NULL, and a request has no arrival promise)."""

    def due(name: str) -> datetime:
        spec = policy.clock(name)
        target = None if spec is None else spec.target_for(Level.C)
        assert spec is not None and target is not None  # request policies have both
        cal = policy.calendar_for(spec, Level.C)
        return cal.add(reported_at, target.seconds(cal))

    return Deadlines(respond_due=due("respond"), arrive_due=due("resolve"), repair_due=None)


class Sla:
    def __init__(self, settings: Settings, clock: Clock, roster: Roster) -> None:
        self.settings = settings
        self.clock = clock
        self.roster = roster

    # ------------------------------------------------------------------ helpers
    def policy(self, ticket: Ticket) -> SlaPolicy:
        if self.settings.find_project(ticket.project_key) is None:
            return RETIRED  # a retired project's ticket: no clock is kept (services/orphans.py)
        return self.settings.sla_policy(ticket.project_key, ticket.kind)

    def _cal(self, policy: SlaPolicy, state: ClockState) -> Calendar:
        return policy.calendar if state.business else self.settings.calendar("24x7")

    async def _workers(
        self, uow: UnitOfWork, ticket: Ticket, spec: ClockSpec | None = None
    ) -> list[StaffConfig]:
        """Who keeps the clock: the owner (else who is on duty); a customer-care clock (the
        call-back after a low score), the project's customer managers."""
        if spec is not None and spec.start in CUSTOMER_CARE_EVENTS:
            return self._customer_managers(ticket)
        owner = self.settings.find_staff(ticket.owner_key) if ticket.owner_key else None
        if owner is not None:
            return [owner]
        project = self.settings.find_project(ticket.project_key)
        return await self.roster.on_duty(uow, project) if project is not None else []

    def _customer_managers(self, ticket: Ticket) -> list[StaffConfig]:
        project = self.settings.find_project(ticket.project_key)
        if project is None:
            return []
        keys = self.settings.project_staff_keys(project)
        staff = [self.settings.staff_by_key(k) for k in keys]
        return [s for s in staff if s.has_role("customer_manager")] or self._chain(project)[:1]

    def _chain(self, project: ProjectConfig) -> list[StaffConfig]:
        return [self.settings.staff_by_key(k) for k in project.escalation]

    def _leads(self, project: ProjectConfig) -> list[StaffConfig]:
        people = [s for s in self._chain(project) if s.has_role("project_lead")]
        return people or self._chain(project)[-1:]

    # ------------------------------------------------------------------ events
    async def on_event(self, uow: UnitOfWork, ticket: Ticket, event: str) -> list[Notice]:
        """A ticket event stops the clocks waiting for it and starts those starting on it."""
        now = self.clock.now()
        policy = self.policy(ticket)
        notices: list[Notice] = []
        states = {c.name: c for c in await uow.clocks.of_ticket(ticket.id)}
        # A resolved ticket owes nothing more: every clock stops.
        stopping = policy.clocks if event in ("resolved", "closed") else policy.stopping_on(event)
        for spec in stopping:
            state = states.get(spec.name)
            if state is None or not state.running:
                continue
            await uow.clocks.put(state.stop(self._cal(policy, state), now))
            await uow.timers.cancel_prefix(ticket.id, f"sla:{ticket.id}:{spec.name}:")
        # A phoned-in fault's clocks start at the call, which may be before it was logged.
        start = min(ticket.reported_at, now) if event == "reported" else now
        for spec in policy.starting_on(event):
            if spec.target_for(ticket.level) is None or spec.name in states:
                continue  # not promised at this level, or started before (reopened ticket)
            notices.extend(await self._start(uow, ticket, spec, start))
        return notices

    async def _start(
        self, uow: UnitOfWork, ticket: Ticket, spec: ClockSpec, at: datetime
    ) -> list[Notice]:
        """Start (or restart) `spec` counting from `at`, and arm its timers."""
        policy = self.policy(ticket)
        target = spec.target_for(ticket.level)
        assert target is not None
        cal = policy.calendar_for(spec, ticket.level)
        state = ClockState(ticket.id, spec.name, at, target.seconds(cal), target.business)
        pause = await uow.pauses.current(ticket.id)
        if pause is not None and pause.state == "active":
            state = state.pause(max(at, pause.started_at or at))
        await uow.clocks.put(state)
        await self._arm(uow, ticket, spec, state)
        if spec.start.endswith("_breached"):
            return await self._opened(uow, ticket, spec, state, cal)
        return []

    async def reopen(self, uow: UnitOfWork, ticket: Ticket, *, owner_gone: bool) -> None:
        """The customer says it is not fixed: the repair clock counts again from now (and the
        respond clock too when nobody owns the ticket any more). Their timers are a new round
        (`r<reopen count>`), so warnings and the breach of the first round fire again."""
        names = ["repair", "respond"] if owner_gone else ["repair"]
        policy = self.policy(ticket)
        for name in names:
            spec = policy.clock(name)
            if spec is not None and spec.target_for(ticket.level) is not None:
                await self._start(uow, ticket, spec, self.clock.now())

    @staticmethod
    def _prefix(ticket: Ticket, name: str) -> str:
        """The clock's timer keys: one round per reopening, so that a restarted clock's
        warnings are not taken for the ones that fired before."""
        base = f"sla:{ticket.id}:{name}:"
        return f"{base}r{ticket.reopen_count}:" if ticket.reopen_count else base

    async def _opened(
        self, uow: UnitOfWork, ticket: Ticket, spec: ClockSpec, state: ClockState, cal: Calendar
    ) -> list[Notice]:
        """An obligation opened by a breach (spare unit, loaner): the workers are told."""
        return [
            Notice(
                s.telegram_id,
                "sla.opened",
                ticket=ticket,
                params=ClockNews(spec, state.due_at(cal)),
            )
            for s in await self._workers(uow, ticket)
        ]

    async def _arm(
        self, uow: UnitOfWork, ticket: Ticket, spec: ClockSpec, state: ClockState
    ) -> None:
        """Schedule the clock's warnings and its deadline (never re-arming fired ones)."""
        policy = self.policy(ticket)
        cal = self._cal(policy, state)
        await uow.timers.cancel_prefix(ticket.id, f"sla:{ticket.id}:{spec.name}:")
        prefix = self._prefix(ticket, spec.name)
        due = state.due_at(cal)
        if due is None or not state.running:
            return
        consumed = state.consumed(cal, self.clock.now())
        for point in spec.warn:
            at = point.consumed_at(state.target_seconds)
            if at is None or at <= consumed:
                continue  # passed before this (re)arming, e.g. at a regrade: no stale warning
            await uow.timers.schedule_once(
                f"{prefix}warn:{point.key}",
                "sla_warn",
                state.point_at(cal, at),
                ticket_id=ticket.id,
                payload={"clock": spec.name},
            )
        if state.breached_at is None:
            # A deadline a re-grade moved into the past is missed now, not "late" (the bot was
            # not down): the timer is due now, and the message says by how much it was missed.
            await uow.timers.schedule_once(
                f"{prefix}due",
                "sla_breach",
                max(due, self.clock.now()),
                ticket_id=ticket.id,
                payload={"clock": spec.name},
            )
        elif spec.on_breach == "escalate":
            await self._next_escalation(uow, ticket, spec, state)

    async def _next_escalation(
        self, uow: UnitOfWork, ticket: Ticket, spec: ClockSpec, state: ClockState
    ) -> None:
        """Arm the next escalation step after a breach (level n+1, capped at the top)."""
        policy = self.policy(ticket)
        prefix = self._prefix(ticket, spec.name)
        step = await uow.timers.count_fired(ticket.id, f"{prefix}esc:") + 1
        await uow.timers.schedule_once(
            f"{prefix}esc:{step}",
            "sla_escalate",
            self.clock.now() + policy.escalate_every,
            ticket_id=ticket.id,
            payload={"clock": spec.name, "step": step},
        )

    async def rearm_all(self, uow: UnitOfWork, ticket: Ticket) -> None:
        policy = self.policy(ticket)
        for state in await uow.clocks.of_ticket(ticket.id):
            spec = policy.clock(state.name)
            if spec is not None and state.running:
                await self._arm(uow, ticket, spec, state)

    # ------------------------------------------------------------------ pause, regrade
    async def pause(self, uow: UnitOfWork, ticket: Ticket) -> None:
        now = self.clock.now()
        for state in await uow.clocks.of_ticket(ticket.id):
            if state.running and state.paused_since is None:
                await uow.clocks.put(state.pause(now))
        await uow.timers.cancel_prefix(ticket.id, f"sla:{ticket.id}:")

    async def resume(self, uow: UnitOfWork, ticket: Ticket) -> None:
        now = self.clock.now()
        policy = self.policy(ticket)
        for state in await uow.clocks.of_ticket(ticket.id):
            if state.running and state.paused_since is not None:
                await uow.clocks.put(state.resume(self._cal(policy, state), now))
        await self.rearm_all(uow, ticket)

    async def regrade(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """A new level: every running clock gets the new level's target (recomputed), and a
        clock the new level gains starts from the moment its start event happened."""
        now = self.clock.now()
        policy = self.policy(ticket)
        states = await uow.clocks.of_ticket(ticket.id)
        for state in states:
            spec = policy.clock(state.name)
            if spec is None or not state.running:
                continue
            target = spec.target_for(ticket.level)
            if target is None:
                # Not promised at the new level: the clock ends without a verdict.
                await uow.clocks.put(state.stop(self._cal(policy, state), now))
                await uow.timers.cancel_prefix(ticket.id, f"sla:{ticket.id}:{spec.name}:")
                continue
            cal = policy.calendar_for(spec, ticket.level)
            new = replace(state, target_seconds=target.seconds(cal), business=target.business)
            if new.breached_at is not None:
                due = new.due_at(cal)
                if due is not None and due > now:
                    new = replace(new, breached_at=None)  # the new target is not missed yet
            await uow.clocks.put(new)
            if new.breached_at is not None:
                continue  # still missed: its escalation keeps the pace it had
            await self._arm(uow, ticket, spec, new)
        return await self._gained(uow, ticket, {s.name: s for s in states})

    async def _gained(
        self, uow: UnitOfWork, ticket: Ticket, states: dict[str, ClockState]
    ) -> list[Notice]:
        """Clocks promised at the ticket's (new) level that never started: those whose start
        event already happened start from its time; one whose stop event also happened owes
        nothing."""
        notices: list[Notice] = []
        timeline = await uow.timeline.of_ticket(ticket.id)
        for spec in self.policy(ticket).clocks:
            if spec.name in states or spec.target_for(ticket.level) is None:
                continue
            started = self._event_time(ticket, spec.start, states, timeline)
            if started is None:
                continue
            stops = (self._event_time(ticket, e, states, timeline) for e in spec.stop)
            if any(at is not None for at in stops):
                continue
            notices.extend(await self._start(uow, ticket, spec, started))
        return notices

    @staticmethod
    def _event_time(
        ticket: Ticket, event: str, states: dict[str, ClockState], timeline: list[TimelineEntry]
    ) -> datetime | None:
        """When `event` happened on the ticket (None: not yet)."""
        if event.endswith("_breached"):
            state = states.get(event.removesuffix("_breached"))
            return None if state is None else state.breached_at
        known = {
            "reported": ticket.reported_at,
            "accepted": ticket.accepted_at,
            "on_way": ticket.on_way_at,
            "on_site": ticket.on_site_at,
            "resolved": ticket.resolved_at,
            "closed": ticket.closed_at,
        }
        if event in known:
            return known[event]
        return next((e.at for e in timeline if e.kind == event), None)

    def deadlines(self, ticket: Ticket, states: list[ClockState]) -> Deadlines:
        """The ticket's shown deadlines, from its clocks (pauses and regrades included)."""
        policy = self.policy(ticket)
        by_name = {s.name: s for s in states}
        current = ticket.deadlines

        def due(name: str, fallback: datetime | None) -> datetime | None:
            state = by_name.get(name)
            if state is None:
                return fallback
            return state.due_at(self._cal(policy, state)) or fallback

        respond = due("respond", current.respond_due)
        arrive = due("resolve" if ticket.is_request else "arrive", current.arrive_due)
        assert respond is not None and arrive is not None
        return Deadlines(respond, arrive, due("repair", current.repair_due))

    # ------------------------------------------------------------------ views
    async def views(self, uow: UnitOfWork, ticket: Ticket) -> list[ClockView]:
        return self.views_of(ticket, await uow.clocks.of_ticket(ticket.id))

    def views_of(self, ticket: Ticket, states: list[ClockState]) -> list[ClockView]:
        """The ticket's clocks as they stand now, from their stored states (the auditor's
        export loads many tickets' states at once and asks here)."""
        now = self.clock.now()
        policy = self.policy(ticket)
        out = []
        for state in states:
            spec = policy.clock(state.name)
            if spec is None:
                continue
            cal = self._cal(policy, state)
            elapsed = state.consumed(cal, now)
            out.append(
                ClockView(
                    spec=spec,
                    state=state,
                    due_at=state.due_at(cal),
                    elapsed=elapsed,
                    remaining=state.target_seconds - elapsed,
                    paused=state.paused_total(now),
                    met=state.met(cal),
                )
            )
        return out

    async def nearest(self, uow: UnitOfWork, ticket: Ticket) -> ClockView | None:
        """The running clock whose deadline comes first (for the ticket card)."""
        running = [
            v for v in await self.views(uow, ticket) if v.state.running and v.due_at is not None
        ]
        return min(running, key=lambda v: v.due_at or datetime.max, default=None)

    # ------------------------------------------------------------------ timers firing
    async def _load(
        self, uow: UnitOfWork, timer: Timer
    ) -> tuple[Ticket, ClockSpec, ClockState] | None:
        if timer.ticket_id is None:
            return None
        ticket = await uow.tickets.get(timer.ticket_id)
        name = str(timer.payload.get("clock", ""))
        if ticket is None:
            return None
        spec = self.policy(ticket).clock(name)
        state = await uow.clocks.get(ticket.id, name)
        if spec is None or state is None or not state.running or state.paused_since:
            return None  # stopped or paused since: nothing to say (its timers were cancelled)
        return ticket, spec, state

    def _late(self, timer: Timer) -> datetime | None:
        return timer.due_at if self.clock.now() - timer.due_at > LATE_AFTER else None

    @staticmethod
    def _stale(spec: ClockSpec, state: ClockState, timer: Timer, consumed: float) -> bool:
        """A warning fired late (the bot was down) whose deadline has passed, or that a later
        warning point has overtaken: the breach, or that later warning, says it instead. A
        point the config no longer has (changed since the timer was armed) is stale too."""
        if consumed >= state.target_seconds:
            return True
        point = timer.key.rsplit(":", 1)[-1]
        mine = next(
            (p.consumed_at(state.target_seconds) for p in spec.warn if p.key == point), None
        )
        if mine is None:
            return True
        later = (p.consumed_at(state.target_seconds) for p in spec.warn)
        return any(at is not None and mine < at <= consumed for at in later)

    async def fire_warning(self, uow: UnitOfWork, timer: Timer) -> list[Notice]:
        loaded = await self._load(uow, timer)
        if loaded is None:
            return []
        ticket, spec, state = loaded
        cal = self._cal(self.policy(ticket), state)
        consumed = state.consumed(cal, self.clock.now())
        if self._stale(spec, state, timer, consumed):
            return []
        params = ClockWarning(
            spec,
            state.due_at(cal),
            self._late(timer),
            remaining=state.target_seconds - consumed,
        )
        return [
            Notice(s.telegram_id, "sla.warn", ticket=ticket, params=params)
            for s in await self._workers(uow, ticket, spec)
        ]

    async def fire_breach(self, uow: UnitOfWork, timer: Timer) -> list[Notice]:
        loaded = await self._load(uow, timer)
        if loaded is None:
            return []
        ticket, spec, state = loaded
        now = self.clock.now()
        policy = self.policy(ticket)
        cal = self._cal(policy, state)
        state = replace(state, breached_at=now)
        await uow.clocks.put(state)
        await uow.timeline.append(ticket.id, now, "system", "sla_missed", clock=spec.name)
        project = self.settings.project(ticket.project_key)
        due = state.due_at(cal)
        params = ClockMissed(
            spec, due, self._late(timer), over=(now - due).total_seconds() if due else 0.0
        )
        workers = await self._workers(uow, ticket, spec)
        told: list[StaffConfig] = [] if spec.on_breach == "lead" else workers
        managers: list[StaffConfig] = []
        if spec.on_breach == "lead":
            managers = self._leads(project)
        elif spec.on_breach == "escalate":
            managers = self._chain(project)[:1]
        # The workers are told to act; a manager (not also a worker) what a manager can do.
        for_manager = replace(params, manager=True, workers=tuple(workers))
        notices = [
            Notice(tid, "sla.missed", ticket=ticket, params=params)
            for tid in dict.fromkeys(s.telegram_id for s in told)
        ]
        notices += [
            Notice(tid, "sla.missed", ticket=ticket, params=for_manager)
            for tid in dict.fromkeys(s.telegram_id for s in managers)
            if tid not in {s.telegram_id for s in told}
        ]
        if spec.tell_customer:
            notices.append(
                Notice(ticket.customer_id, "sla.customer_missed", ticket=ticket, params=params)
            )
        if spec.on_breach == "escalate":
            await self._next_escalation(uow, ticket, spec, state)
        notices.extend(await self.on_event(uow, ticket, f"{spec.name}_breached"))
        return notices

    async def fire_escalation(self, uow: UnitOfWork, timer: Timer) -> list[Notice]:
        loaded = await self._load(uow, timer)
        if loaded is None:
            return []
        ticket, spec, state = loaded
        chain = self._chain(self.settings.project(ticket.project_key))
        step = int(timer.payload.get("step", 1))
        if not chain:
            return []
        person = chain[min(step, len(chain) - 1)]  # then repeat at the top
        cal = self._cal(self.policy(ticket), state)
        due = state.due_at(cal)
        now = self.clock.now()
        params = ClockEscalated(
            spec,
            due,
            self._late(timer),
            over=(now - due).total_seconds() if due else 0.0,
            manager=True,
            workers=tuple(await self._workers(uow, ticket, spec)),
            step=step + 1,
        )
        await uow.timeline.append(
            ticket.id, now, "system", "sla_escalated", clock=spec.name, to=person.key
        )
        await self._next_escalation(uow, ticket, spec, state)
        return [Notice(person.telegram_id, "sla.escalated", ticket=ticket, params=params)]
