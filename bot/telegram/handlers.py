"""Update handlers: parse the update, call a use case, hand its outcome to the postman.

Thin on purpose: the rules live in `bot.services.hotline`; buttons and commands call the same
methods. Every callback_data is checked against the database by the use case, so a stale or
forged button gets a polite refusal and never changes state.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.domain.durations import parse_duration
from bot.domain.people import User
from bot.services.hotline import Hotline, Input
from bot.services.notices import Notice, Outcome
from bot.services.uow import UnitOfWork
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.catalog import pick_language, text
from bot.telegram.postman import Postman

log = logging.getLogger(__name__)

UseCase = Callable[[UnitOfWork, User], Awaitable[Outcome]]

CUSTOMER_COMMANDS = ("report", "my", "status", "profile", "cancel", "help", "whoami")
STAFF_COMMANDS = (
    "queue",
    "mine",
    "take",
    "onway",
    "arrive",
    "resolve",
    "note",
    "status",
    "regrade",
    "sla",
    "pause",
    "wait",
    "resume",
    "proposal",
    "spare",
    "loaner",
    "oncall",
    "schedule",
    "swap",
    "cover",
    "cancel",
    "help",
    "whoami",
)


def parse_ticket_number(raw: str) -> int | None:
    raw = raw.strip().lstrip("#")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


class Handlers:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        hotline: Hotline,
        postman: Postman,
        wake_sender: Callable[[], None],
        consider_timer: Callable[[datetime | None], None],
    ) -> None:
        self.settings = settings
        self.db = db
        self.hotline = hotline
        self.postman = postman
        self.wake_sender = wake_sender
        self.consider_timer = consider_timer

    # ------------------------------------------------------------------ plumbing
    async def perform(
        self, update: Update, use_case: UseCase, *, source: tuple[int, int] | None = None
    ) -> Outcome:
        """Run a use case and queue what it says in one transaction; then wake the sender."""
        tg_user = update.effective_user
        assert tg_user is not None
        async with unit_of_work(self.db) as uow:
            user = await self.hotline.seen(
                uow, tg_user.id, tg_user.first_name, tg_user.language_code
            )
            outcome = await use_case(uow, user)
            await self.postman.post(uow, outcome, source=source)
        self.wake_sender()
        self.consider_timer(uow.timers.earliest_scheduled)
        return outcome

    def lang(self, update: Update) -> str:
        user = update.effective_user
        return pick_language(user.language_code if user else None, self.settings.default_language)

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        private = filters.ChatType.PRIVATE
        commands: dict[str, Callable[[Update, Any], Coroutine[Any, Any, None]]] = {
            "start": self.start,
            "help": self.help,
            "whoami": self.whoami,
            "cancel": self.cancel,
            "profile": self.profile,
            "report": self.report,
            "my": self.my,
            "status": self.status,
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
            "loaner": self.loaner,
            "oncall": self.oncall,
            "schedule": self.schedule,
            "swap": self.swap,
            "cover": self.cover,
        }
        for name, callback in commands.items():
            app.add_handler(CommandHandler(name, callback, filters=private))
        app.add_handler(MessageHandler(filters.COMMAND & private, self.unknown_command))
        app.add_handler(MessageHandler(private & ~filters.COMMAND, self.message))
        app.add_handler(CallbackQueryHandler(self.button))
        app.add_error_handler(self.error)

    # ------------------------------------------------------------------ commands
    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start [invite]: register (customers by invite; staff by their user id)."""
        invite = context.args[0] if context.args else ""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            if await self.hotline.draft_of(uow, user.telegram_id) is not None:
                await uow.users.mark_started(user.telegram_id, self.hotline.clock.now())
                return Outcome([Notice(user.telegram_id, "dialog.busy")])
            out = await self.hotline.start(uow, user, invite[:64])
            staff = self.hotline.staff(user.telegram_id)
            if staff is not None:
                await self.set_staff_menu(uow, user)
            return out

        await self.perform(update, use_case)

    async def set_staff_menu(self, uow: UnitOfWork, user: User) -> None:
        """Staff see their own command menu (per-chat scope), in their language."""
        lang = pick_language(user.language, self.settings.default_language)
        await uow.outbox.add(
            user.telegram_id,
            "setMyCommands",
            {
                "commands": [
                    {"command": c, "description": text(lang, f"cmd.{c}")} for c in STAFF_COMMANDS
                ],
                "scope": {"type": "chat", "chat_id": user.telegram_id},
            },
            self.hotline.clock.now(),
            dedupe_key=f"menu:{user.telegram_id}:{lang}:{len(STAFF_COMMANDS)}",
        )

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help: the commands of the user's role."""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            is_staff = self.hotline.staff(user.telegram_id) is not None
            key = "help.staff" if is_staff else "help.customer"
            return Outcome([Notice(user.telegram_id, key)])

        await self.perform(update, use_case)

    async def whoami(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/whoami: anyone learns their Telegram user id (for the operator's config)."""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            return Outcome([Notice(user.telegram_id, "whoami", params={"id": user.telegram_id})])

        await self.perform(update, use_case)

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/cancel: leave the open dialog, whatever step it is at."""
        await self.perform(update, lambda uow, user: self.hotline.cancel(uow, user.telegram_id))

    async def profile(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/profile: change name, unit and phone."""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            if await self.hotline.draft_of(uow, user.telegram_id) is not None:
                return Outcome([Notice(user.telegram_id, "dialog.busy")])
            if user.project_key is None:
                return Outcome([Notice(user.telegram_id, "hint.not_registered")])
            return await self.hotline.begin_profile(uow, user)

        await self.perform(update, use_case)

    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/report: the guided fault report."""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            if await self.hotline.draft_of(uow, user.telegram_id) is not None:
                return Outcome([Notice(user.telegram_id, "dialog.busy")])
            return await self.hotline.begin_report(uow, user)

        await self.perform(update, use_case)

    async def my(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/my: the customer's open tickets."""
        await self.perform(update, self.hotline.my_tickets)

    async def _with_number(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        command: str,
        act: Callable[[UnitOfWork, User, int, str], Awaitable[Outcome]],
        usage: str = "usage.ticket",
    ) -> None:
        args = context.args or []
        number = parse_ticket_number(args[0]) if args else None
        # The text after the number, as typed (context.args would fold its newlines).
        message = update.effective_message
        parts = (message.text or "").split(None, 2) if message else []
        rest = parts[2].strip() if len(parts) > 2 else ""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            if number is None:
                return Outcome([Notice(user.telegram_id, usage, params={"command": command})])
            return await act(uow, user, number, rest)

        await self.perform(update, use_case)

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/status N: one ticket's timeline."""
        await self._with_number(
            update, context, "status", lambda uow, u, n, _: self.hotline.status(uow, u, n)
        )

    async def queue(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/queue: open tickets of my projects."""
        await self.perform(update, lambda uow, u: self.hotline.queue(uow, u.telegram_id))

    async def mine(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/mine: tickets I own."""
        await self.perform(update, lambda uow, u: self.hotline.mine(uow, u.telegram_id))

    async def take(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/take N: accept a ticket."""
        await self._with_number(
            update,
            context,
            "take",
            lambda uow, u, n, _: self.hotline.accept(uow, u.telegram_id, n),
        )

    async def onway(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/onway N: on my way to the site."""
        await self._with_number(
            update,
            context,
            "onway",
            lambda uow, u, n, _: self.hotline.progress(uow, u.telegram_id, n, "on_way"),
        )

    async def arrive(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/arrive N: on site."""
        await self._with_number(
            update,
            context,
            "arrive",
            lambda uow, u, n, _: self.hotline.progress(uow, u.telegram_id, n, "arrived"),
        )

    async def resolve(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/resolve N note: resolved; the cause is asked with buttons."""
        await self._with_number(
            update,
            context,
            "resolve",
            lambda uow, u, n, rest: self.hotline.begin_resolve(uow, u.telegram_id, n, rest),
            usage="usage.resolve",
        )

    async def note(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/note N text: add a note to the ticket's timeline."""
        args = context.args or []
        if len(args) < 2:
            await self.perform(update, lambda uow, u: _say(u.telegram_id, "usage.note"))
            return
        await self._with_number(
            update,
            context,
            "note",
            lambda uow, u, n, rest: self.hotline.begin_note(uow, u.telegram_id, n, rest),
            usage="usage.note",
        )

    async def regrade(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/regrade N A|B|C: managers re-grade a fault; its deadlines are recomputed."""
        args = context.args or []
        if len(args) != 2:
            await self.perform(update, lambda uow, u: _say(u.telegram_id, "usage.regrade"))
            return
        await self._with_number(
            update,
            context,
            "regrade",
            lambda uow, u, n, rest: self.hotline.regrade(uow, u.telegram_id, n, rest),
            usage="usage.regrade",
        )

    async def sla(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sla N: the ticket's clocks: target, elapsed, remaining, paused, met or missed."""
        await self._with_number(
            update,
            context,
            "sla",
            lambda uow, u, n, _: self.hotline.sla_view(uow, u.telegram_id, n),
        )

    async def pause(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/pause N cause: force majeure; the project manager approves with a button."""
        await self._with_number(
            update,
            context,
            "pause",
            lambda uow, u, n, rest: self.hotline.propose_pause(
                uow, u.telegram_id, n, "force_majeure", rest
            ),
            usage="usage.pause",
        )

    async def wait(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/wait N reason: waiting for the customer; the clocks pause at once."""
        await self._with_number(
            update,
            context,
            "wait",
            lambda uow, u, n, rest: self.hotline.propose_pause(
                uow, u.telegram_id, n, "waiting", rest
            ),
            usage="usage.wait",
        )

    async def resume(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/resume N: end the pause; the clocks run again."""
        await self._with_number(
            update,
            context,
            "resume",
            lambda uow, u, n, _: self.hotline.resume(uow, u.telegram_id, n),
        )

    async def proposal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/proposal N: the solution proposal was sent to the customer."""
        await self._event(update, context, "proposal", "proposal")

    async def spare(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/spare N: a spare unit or part was provided."""
        await self._event(update, context, "spare", "spare_provided")

    async def loaner(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/loaner N: a loaner unit was provided."""
        await self._event(update, context, "loaner", "loaner_provided")

    async def _event(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, command: str, event: str
    ) -> None:
        await self._with_number(
            update,
            context,
            command,
            lambda uow, u, n, _: self.hotline.record_event(uow, u.telegram_id, n, event),
        )

    async def oncall(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/oncall: who is on duty now and next, per project."""
        await self.perform(update, lambda uow, u: self.hotline.roster.oncall(uow, u.telegram_id))

    async def schedule(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/schedule: the next 7 days, my shifts, and an .ics file of them."""
        await self.perform(update, lambda uow, u: self.hotline.roster.schedule(uow, u.telegram_id))

    async def swap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/swap: offer one of my shifts to a colleague, who accepts with a button."""
        await self.perform(
            update, lambda uow, u: self.hotline.roster.begin_swap(uow, u.telegram_id)
        )

    async def cover(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/cover STAFF 12h | /cover STAFF FROM TO: a manager puts someone on duty."""
        args = context.args or []
        period = _cover_period(args[1:], self.settings.tz, self.hotline.clock.now())
        if len(args) < 2 or period is None:
            await self.perform(update, lambda uow, u: _say(u.telegram_id, "usage.cover"))
            return
        start, end = period
        await self.perform(
            update,
            lambda uow, u: self.hotline.roster.cover(uow, u.telegram_id, args[0], start, end),
        )

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other /command."""
        await self.perform(update, lambda uow, u: _say(u.telegram_id, "hint.unknown_command"))

    # ------------------------------------------------------------------ messages
    async def message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text, location, photo or anything else: the open dialog's answer, or a hint."""
        msg = update.effective_message
        if msg is None or update.effective_user is None:
            return
        inp = _input_of(msg)

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            outcome = await self.hotline.dialog_input(uow, user, inp)
            if outcome is not None:
                return outcome
            if self.hotline.staff(user.telegram_id) is not None:
                return Outcome([Notice(user.telegram_id, "help.staff")])
            key = "hint.idle" if user.project_key else "hint.not_registered"
            return Outcome([Notice(user.telegram_id, key)])

        await self.perform(update, use_case)

    # ------------------------------------------------------------------ buttons
    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Inline buttons: decode callback_data, then the same use cases as the commands."""
        query = update.callback_query
        if query is None or update.effective_user is None:
            return
        message = query.message
        source = (message.chat.id, message.message_id) if isinstance(message, Message) else None
        mid = source[1] if source else None
        use_case = self._decode(query.data or "", mid)
        if use_case is None or source is None:
            outcome = Outcome(toast="button.stale")
        else:
            outcome = await self.perform(update, use_case, source=source)
        toast = text(self.lang(update), outcome.toast) if outcome.toast else None
        try:
            await query.answer(toast, show_alert=outcome.toast_alert)
        except TelegramError as e:  # an old query: the state change above still stands
            log.info("callback answer refused: %s", e)

    def _decode(self, data: str, mid: int | None) -> UseCase | None:
        h = self.hotline
        parts = data.split(":")
        try:
            match parts:
                case ["sev", question, ("1" | "0") as yes]:
                    return lambda uow, u: h.report_severity(uow, u, question, yes == "1")
                case ["rep", step, action]:
                    return lambda uow, u: h.report_button(uow, u, step, action)
                case ["rep", step, action, raw]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.report_button(uow, u, step, action, n)
                case ["tk", action, raw]:
                    n = _callback_number(raw)
                    return {
                        "acc": lambda uow, u: h.accept(
                            uow, u.telegram_id, n, source_message_id=mid
                        ),
                        "onw": lambda uow, u: h.progress(
                            uow, u.telegram_id, n, "on_way", source_message_id=mid
                        ),
                        "arr": lambda uow, u: h.progress(
                            uow, u.telegram_id, n, "arrived", source_message_id=mid
                        ),
                        "res": lambda uow, u: h.begin_resolve(
                            uow, u.telegram_id, n, source_message_id=mid
                        ),
                        "hov": lambda uow, u: h.begin_handover(
                            uow, u.telegram_id, n, source_message_id=mid
                        ),
                        "note": lambda uow, u: h.begin_note(
                            uow, u.telegram_id, n, source_message_id=mid
                        ),
                    }.get(action)
                case ["cause", raw, key]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.choose_cause(uow, u.telegram_id, n, key)
                case ["hto", raw, key]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.propose_handover(uow, u.telegram_id, n, key)
                case ["hov", raw, ("y" | "n") as answer]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.answer_handover(uow, u.telegram_id, n, answer == "y")
                case ["ics"]:
                    return lambda uow, u: h.roster.ics(uow, u.telegram_id)
                case ["sws", raw]:
                    epoch = int(raw)
                    return lambda uow, u: h.roster.pick_shift(uow, u.telegram_id, epoch)
                case ["swc", raw, key]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.roster.offer_swap(uow, u.telegram_id, n, key)
                case ["swa", raw, ("y" | "n") as answer]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.roster.answer_swap(
                        uow, u.telegram_id, n, answer == "y"
                    )
                case ["pz", raw, ("y" | "n") as decision]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.decide_pause(uow, u.telegram_id, n, decision == "y")
                case ["cust", raw, ("fixed" | "notfixed") as verdict]:
                    n = _callback_number(raw)
                    return lambda uow, u: h.customer_verdict(uow, u, n, verdict == "fixed")
        except ValueError:
            return None  # forged: a number that is not a number
        return None

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)


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


def _callback_number(raw: str) -> int:
    """A ticket number from callback_data; ValueError for anything forged (including numbers
    too large for SQLite, which would make the use case raise instead of answering)."""
    number = parse_ticket_number(raw)
    if number is None:
        raise ValueError(raw)
    return number


async def _say(user_id: int, key: str) -> Outcome:
    return Outcome([Notice(user_id, key)])


def _input_of(msg: Message) -> Input:
    if msg.location is not None:
        return Input("location", latitude=msg.location.latitude, longitude=msg.location.longitude)
    if msg.photo:
        return Input("photo", file_id=msg.photo[-1].file_id, text=msg.caption or "")
    if msg.text is not None and msg.chat.type == ChatType.PRIVATE:
        # Only invisible characters (zero-width, direction marks, BOM): no answer at all.
        visible = any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in msg.text)
        return Input("text", text=msg.text if visible else "")
    return Input("other")
