"""The staff's commands: lists, the work on a ticket, pauses, promised steps, the roster."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import ContextTypes

from bot.clock import Clock
from bot.domain.complaints import parse_complaint_number
from bot.domain.durations import parse_duration
from bot.domain.people import User
from bot.services.notices import Notice, Outcome
from bot.services.uow import UnitOfWork
from bot.services.work import PromisedStep
from bot.telegram.handlers import Callback, Updates


class StaffHandlers:
    def __init__(self, updates: Updates, clock: Clock) -> None:
        self.updates = updates
        self.services = updates.services
        self.settings = updates.settings
        self.clock = clock
        self.perform = updates.perform
        self.with_number = updates.with_number

    def commands(self) -> dict[str, Callback]:
        """The staff's commands by name, in the order they are registered."""
        return {
            "queue": self.queue,
            "mine": self.mine,
            "take": self.take,
            "onway": self.onway,
            "arrive": self.arrive,
            "resolve": self.resolve,
            "note": self.note,
            "regrade": self.regrade,
            "sla": self.sla,
            "pause": self.pause,
            "wait": self.wait,
            "resume": self.resume,
            "proposal": self.proposal,
            "spare": self.spare,
            "part": self.part,
            "loaner": self.loaner,
            "oncall": self.oncall,
            "schedule": self.schedule,
            "swap": self.swap,
            "cover": self.cover,
            "assign": self.assign,
            "callback": self.callback,
            "complaints": self.complaints,
            "answer": self.answer,
            "close": self.close,
            "ledger": self.ledger,
            "daily": self.daily,
            "blocked": self.blocked,
            "export": self.export,
            "monthly": self.monthly,
            "tasks": self.tasks,
            "event": self.event,
            "events": self.events,
            "standby": self.standby,
            "charges": self.charges,
        }

    # ------------------------------------------------------------------ lists
    async def queue(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/queue: open tickets of my projects."""
        views = self.services.views
        await self.perform(update, lambda uow, u: views.queue(uow, u.telegram_id))

    async def mine(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/mine: tickets I own."""
        views = self.services.views
        await self.perform(update, lambda uow, u: views.mine(uow, u.telegram_id))

    async def sla(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sla N: the ticket's clocks: target, elapsed, remaining, paused, met or missed."""
        views = self.services.views
        await self.with_number(
            update, context, "sla", lambda uow, u, n, _: views.sla_view(uow, u.telegram_id, n)
        )

    # ------------------------------------------------------------------ the work
    async def take(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/take N: accept a ticket."""
        work = self.services.work
        await self.with_number(
            update, context, "take", lambda uow, u, n, _: work.accept(uow, u.telegram_id, n)
        )

    async def onway(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/onway N [30m]: on my way to the site, optionally with the time the journey takes."""
        work = self.services.work

        async def act(uow: UnitOfWork, u: User, n: int, rest: str) -> Outcome:
            try:
                eta = parse_duration(rest) if rest else None
            except ValueError:
                return Outcome([Notice(u.telegram_id, "usage.onway")])
            return await work.progress(uow, u.telegram_id, n, "on_way", eta=eta)

        await self.with_number(update, context, "onway", act)

    async def arrive(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/arrive N: on site."""
        work = self.services.work
        await self.with_number(
            update,
            context,
            "arrive",
            lambda uow, u, n, _: work.progress(uow, u.telegram_id, n, "arrived"),
        )

    async def resolve(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/resolve N note: resolved; the cause is asked with buttons."""
        work = self.services.work
        await self.with_number(
            update,
            context,
            "resolve",
            lambda uow, u, n, rest: work.begin_resolve(uow, u.telegram_id, n, rest),
            usage="usage.resolve",
        )

    async def note(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/note N text: add a note to the ticket's timeline."""
        if len(context.args or []) < 2:
            await self.updates.say(update, "usage.note")
            return
        work = self.services.work
        await self.with_number(
            update,
            context,
            "note",
            lambda uow, u, n, rest: work.begin_note(uow, u.telegram_id, n, rest),
            usage="usage.note",
        )

    async def regrade(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/regrade N A|B|C: managers re-grade a fault; its deadlines are recomputed."""
        if len(context.args or []) != 2:
            await self.updates.say(update, "usage.regrade")
            return
        work = self.services.work
        await self.with_number(
            update,
            context,
            "regrade",
            lambda uow, u, n, rest: work.regrade(uow, u.telegram_id, n, rest),
            usage="usage.regrade",
        )

    async def assign(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/assign N STAFF: a manager gives the ticket of an absent owner to another engineer."""
        if len(context.args or []) != 2:
            await self.updates.say(update, "usage.assign")
            return
        handover = self.services.handover
        await self.with_number(
            update,
            context,
            "assign",
            lambda uow, u, n, rest: handover.assign(uow, u.telegram_id, n, rest.strip()),
            usage="usage.assign",
        )

    async def callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/callback N what was agreed: a manager records the call-back after a low rating."""
        surveys = self.services.surveys
        await self.with_number(
            update,
            context,
            "callback",
            lambda uow, u, n, rest: surveys.callback(uow, u.telegram_id, n, rest),
            usage="usage.callback",
        )

    # ------------------------------------------------------------------ pauses
    async def pause(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/pause N cause: force majeure; the customer agrees and the project manager approves."""
        pauses = self.services.pauses
        await self.with_number(
            update,
            context,
            "pause",
            lambda uow, u, n, rest: pauses.propose(uow, u.telegram_id, n, "force_majeure", rest),
            usage="usage.pause",
        )

    async def wait(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/wait N reason: waiting for the customer; the clocks pause once they confirm."""
        pauses = self.services.pauses
        await self.with_number(
            update,
            context,
            "wait",
            lambda uow, u, n, rest: pauses.propose(uow, u.telegram_id, n, "waiting", rest),
            usage="usage.wait",
        )

    async def resume(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/resume N: end the pause; the clocks run again."""
        pauses = self.services.pauses
        await self.with_number(
            update, context, "resume", lambda uow, u, n, _: pauses.resume(uow, u.telegram_id, n)
        )

    # ------------------------------------------------------------------ promised steps
    async def proposal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/proposal N: the solution proposal was sent to the customer."""
        await self._event(update, context, "proposal", "proposal")

    async def spare(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/spare N: a spare unit or part was provided."""
        await self._event(update, context, "spare", "spare_provided")

    async def part(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/part N: a hardware part must be replaced (starts the spare-part clock, if any)."""
        await self._event(update, context, "part", "part_needed")

    async def loaner(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/loaner N: a loaner unit was provided."""
        await self._event(update, context, "loaner", "loaner_provided")

    async def _event(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        command: str,
        event: PromisedStep,
    ) -> None:
        work = self.services.work
        await self.with_number(
            update,
            context,
            command,
            lambda uow, u, n, _: work.record_event(uow, u.telegram_id, n, event),
        )

    # ------------------------------------------------------------------ the roster
    async def oncall(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/oncall: who is on duty now and next, per project."""
        shifts = self.services.shifts
        await self.perform(update, lambda uow, u: shifts.oncall(uow, u.telegram_id))

    async def schedule(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/schedule: the next 7 days, my shifts, and an .ics file of them."""
        shifts = self.services.shifts
        await self.perform(update, lambda uow, u: shifts.schedule(uow, u.telegram_id))

    async def swap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/swap: offer one of my shifts to a colleague, who accepts with a button."""
        shifts = self.services.shifts
        await self.perform(update, lambda uow, u: shifts.begin_swap(uow, u.telegram_id))

    async def cover(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/cover STAFF 12h | /cover STAFF FROM TO: a manager puts someone on duty."""
        args = context.args or []
        period = _cover_period(args[1:], self.settings.tz, self.clock.now())
        if len(args) < 2 or period is None:
            await self.updates.say(update, "usage.cover")
            return
        start, end = period
        shifts = self.services.shifts
        await self.perform(
            update, lambda uow, u: shifts.cover(uow, u.telegram_id, args[0], start, end)
        )

    # ------------------------------------------------------------------ complaints
    async def complaints(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/complaints: the open complaints of my projects (managers, admins)."""
        service = self.services.complaints
        await self.perform(update, lambda uow, u: service.open_list(uow, u.telegram_id))

    async def answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/answer C-N text: the complaint's owner answers the customer through the bot."""
        await self._complaint_text(update, "answer", "usage.answer")

    async def close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/close C-N result: the owner closes the complaint with its result."""
        await self._complaint_text(update, "result", "usage.close")

    async def _complaint_text(self, update: Update, step: str, usage: str) -> None:
        message = update.effective_message
        # The text after the number, as typed (context.args would fold its newlines).
        parts = (message.text or "").split(None, 2) if message else []
        number = parse_complaint_number(parts[1]) if len(parts) > 1 else None
        rest = parts[2].strip() if len(parts) > 2 else ""
        if number is None or not rest:
            await self.updates.say(update, usage)
            return
        service = self.services.complaints
        await self.perform(
            update, lambda uow, u: service.begin_staff_text(uow, u.telegram_id, number, step, rest)
        )

    async def ledger(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/ledger [PROJECT] [YYYY-MM]: the complaint ledger (投诉处理台账) as an XLSX file."""
        args = context.args or []
        month = next((a for a in args if _MONTH.fullmatch(a)), None)
        others = [a for a in args if a != month]
        if len(others) > 1:
            await self.updates.say(update, "usage.ledger")
            return
        project = others[0] if others else None
        service = self.services.complaints
        await self.perform(
            update, lambda uow, u: service.ledger(uow, u.telegram_id, project, month)
        )

    async def daily(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/daily [YYYY-MM-DD], /daily STAFF YYYY-MM-DD, /daily add TEXT: the daily report."""
        message = update.effective_message
        # The text after "add", as typed (context.args would fold its newlines).
        parts = (message.text or "").split(None, 2) if message else []
        args = context.args or []
        service = self.services.daily
        if args and args[0].lower() == "add":
            rest = parts[2].strip() if len(parts) > 2 else ""
            await self.perform(update, lambda uow, u: service.add(uow, u, rest))
            return
        if len(args) > 2:
            await self.updates.say(update, "daily.usage")
            return
        who = args[0] if len(args) == 2 else None
        day = args[-1] if args else None
        await self.perform(update, lambda uow, u: service.show(uow, u, who, day))
    async def blocked(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/blocked N [REASON]: why the ticket is not fixed yet; without REASON, the choices."""
        blocking = self.services.blocking

        async def act(uow: UnitOfWork, u: User, n: int, rest: str) -> Outcome:
            if not rest:
                return await blocking.ask(uow, u.telegram_id, n)
            return await blocking.choose(uow, u.telegram_id, n, rest)

        await self.with_number(update, context, "blocked", act, usage="usage.blocked")

    async def export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/export [PROJECT] FROM TO: the auditor's export (XLSX) of the tickets reported."""
        args = context.args or []
        if len(args) not in (2, 3):
            await self.updates.say(update, "usage.export")
            return
        project = args[0] if len(args) == 3 else None
        first, last = args[-2:]
        service = self.services.export
        await self.perform(
            update, lambda uow, u: service.export(uow, u.telegram_id, project, first, last)
        )

    async def monthly(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/monthly [PROJECT] [YYYY-MM]: the monthly summary (每月维护报告汇总): message,
        chart, workbook and PDF."""
        args = context.args or []
        month = next((a for a in args if _MONTH.fullmatch(a)), None)
        others = [a for a in args if a != month]
        if len(others) > 1:
            await self.updates.say(update, "usage.monthly")
            return
        project = others[0] if others else None
        service = self.services.monthly
        await self.perform(
            update, lambda uow, u: service.command(uow, u.telegram_id, project, month)
        )

    async def tasks(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/tasks: my contract tasks and my projects' upcoming ones, each with Record."""
        tasks = self.services.tasks
        if tasks is None:
            return
        await self.perform(update, lambda uow, u: tasks.show(uow, u))

    # ------------------------------------------------------------------ major events
    def _rest(self, update: Update) -> str:
        """The text after the command, as typed."""
        message = update.effective_message
        parts = (message.text or "").split(None, 1) if message else []
        return parts[1].strip() if len(parts) > 1 else ""

    async def event(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/event add FROM TO [PROJECT] NAME, /event end ID: major events (重大活动)."""
        events, rest = self.services.events, self._rest(update)
        await self.perform(update, lambda uow, u: events.command(uow, u.telegram_id, rest))

    async def events(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/events: current and upcoming major events of my projects."""
        events = self.services.events
        await self.perform(update, lambda uow, u: events.listing(uow, u.telegram_id))

    async def standby(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/standby ID [STAFF]: an on-site standby engineer for an event."""
        events, rest = self.services.events, self._rest(update)
        await self.perform(update, lambda uow, u: events.standby(uow, u.telegram_id, rest))

    async def charges(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/charges N: correct a resolved paid ticket's charges (a new entry in the record)."""
        work = self.services.work
        await self.with_number(
            update,
            context,
            "charges",
            lambda uow, u, n, _: work.begin_charges(uow, u.telegram_id, n),
        )


_MONTH = re.compile(r"\d{4}-\d{2}")


def _cover_period(
    args: list[str], tz: ZoneInfo, now: datetime
) -> tuple[datetime, datetime] | None:
    """`12h` (from now) or `2026-12-01T08:00 2026-12-02T08:00` (local time)."""
    try:
        if len(args) == 1:
            return now, now + parse_duration(args[0])
        if len(args) == 2:
            start, end = (datetime.fromisoformat(a).replace(tzinfo=tz) for a in args)
            return start.astimezone(UTC), end.astimezone(UTC)
    except ValueError:
        return None
    return None
