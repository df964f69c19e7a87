"""Update handlers: parse the update, call a use case, hand its outcome to the dispatcher.

Thin on purpose: the rules live in the services (`bot/services/`); buttons and commands call
the same methods. Every callback_data is checked against the database by the use case, so a
stale or forged button gets a polite refusal and never changes state. The staff's commands are
in `staff_handlers.py`; both run their use cases through `Updates.perform`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

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

from bot.clock import Clock
from bot.config import Settings
from bot.domain.people import User
from bot.services.areas import Services
from bot.services.desk import Desk
from bot.services.drafts import Input
from bot.services.notices import Notice, Outcome, Params
from bot.services.tasks import Tasks
from bot.services.uow import UnitOfWork
from bot.telegram.callbacks import (
    BlockingChoice,
    CauseChoice,
    ChargeSkip,
    ComplainAbout,
    ComplaintAboutChoice,
    ComplaintAction,
    ComplaintSatisfied,
    CustomerVerdict,
    DailyAddWork,
    DailySign,
    DeskButton,
    EventProject,
    HandoverAnswer,
    HandoverTo,
    IcsRequest,
    PauseConsent,
    PauseDecision,
    ReportButton,
    SeverityAnswer,
    StandbyPick,
    SurveySkip,
    SurveyStars,
    SwapAnswer,
    SwapColleague,
    SwapShift,
    TaskButton,
    TicketAction,
    decode,
)
from bot.telegram.catalog import MESSAGES, pick_language, text
from bot.telegram.dispatch import Dispatcher
from bot.telegram.menus import HelpFor, Menus, audiences_of
from bot.telegram.postman import Pressed

log = logging.getLogger(__name__)

UseCase = Callable[[UnitOfWork, User], Awaitable[Outcome]]
Callback = Callable[[Update, Any], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class CommandUsage(Params):
    """A command that wants a ticket number got none (`usage.ticket`, `usage.*`)."""

    command: str


@dataclass(frozen=True)
class TelegramId(Params):
    """A user's Telegram id, for the operator's config (`whoami`)."""

    id: int


def parse_ticket_number(raw: str) -> int | None:
    raw = raw.strip().lstrip("#")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


class Updates:
    """Runs a use case for the user who sent an update, through the dispatcher."""

    def __init__(self, settings: Settings, dispatcher: Dispatcher, services: Services) -> None:
        self.settings = settings
        self.dispatcher = dispatcher
        self.services = services

    async def perform(
        self, update: Update, use_case: UseCase, *, source: Pressed | None = None
    ) -> Outcome:
        """Record the user, run the use case and queue what it says, in one transaction (a
        re-delivered update is skipped there)."""
        tg_user = update.effective_user
        assert tg_user is not None

        async def run(uow: UnitOfWork) -> Outcome:
            user = await self.services.onboarding.seen(
                uow, tg_user.id, tg_user.first_name, tg_user.language_code
            )
            return await use_case(uow, user)

        chat = update.effective_chat
        return await self.dispatcher.run(
            run, source=source, update_id=update.update_id, reply_to=chat.id if chat else None,
            user_id=tg_user.id,
        )

    async def with_number(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        command: str,
        act: Callable[[UnitOfWork, User, int, str], Awaitable[Outcome]],
        usage: str = "usage.ticket",
    ) -> None:
        """A command of the form /command N [text]: the usage hint when N is missing."""
        args = context.args or []
        number = parse_ticket_number(args[0]) if args else None
        # The text after the number, as typed (context.args would fold its newlines).
        message = update.effective_message
        parts = (message.text or "").split(None, 2) if message else []
        rest = parts[2].strip() if len(parts) > 2 else ""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            if number is None:
                return Outcome([Notice(user.telegram_id, usage, params=CommandUsage(command))])
            return await act(uow, user, number, rest)

        await self.perform(update, use_case)

    async def say(self, update: Update, key: str) -> None:
        """Answer with one catalog message."""
        await self.perform(update, lambda uow, u: _say(u.telegram_id, key))

    def lang(self, update: Update) -> str:
        user = update.effective_user
        return pick_language(user.language_code if user else None, self.settings.default_language)


class Handlers:
    """Everyone's commands, dialog messages and buttons."""

    def __init__(self, updates: Updates, menus: Menus, clock: Clock) -> None:
        self.updates = updates
        self.services = updates.services
        self.menus = menus
        self.clock = clock
        self.perform = updates.perform

    def install(
        self, app: Application[Any, Any, Any, Any, Any, Any], more: dict[str, Callback]
    ) -> None:
        """Register the commands (with `more`: the staff's), then messages and buttons."""
        private = filters.ChatType.PRIVATE
        commands: dict[str, Callback] = {
            "start": self.start,
            "help": self.help,
            "whoami": self.whoami,
            "cancel": self.cancel,
            "profile": self.profile,
            "report": self.report,
            "my": self.my,
            "status": self.status,
            "complain": self.complain,
            "doc": self.doc,
            "log": self.log,
            "request": self.request,
            **more,
        }
        # Dialog answers and buttons, the most frequent updates, match first: PTB tries a
        # group's handlers in order, and each of ~50 command handlers would parse them again.
        # Neither matches a command, so the order does not change which handler runs.
        app.add_handler(MessageHandler(private & ~filters.COMMAND, self.message))
        app.add_handler(CallbackQueryHandler(self.button))
        for name, callback in commands.items():
            app.add_handler(CommandHandler(name, callback, filters=private))
        app.add_handler(MessageHandler(filters.COMMAND & private, self.unknown_command))
        app.add_error_handler(self.error)

    # ------------------------------------------------------------------ commands
    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start [invite]: register (customers by invite; staff by their user id)."""
        invite = context.args[0] if context.args else ""
        s = self.services

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            eq = s.equipment
            if invite and eq is not None and await eq.is_label(uow, invite[:64]):
                # A device's QR label: a report for it (bot/services/equipment.py).
                await uow.users.mark_started(user.telegram_id, self.clock.now())
                return await eq.scan(uow, user, invite[:64])
            draft = await s.drafts.of(uow, user.telegram_id)
            if draft is not None:
                # In the middle of a form: its pending question again.
                await uow.users.mark_started(user.telegram_id, self.clock.now())
                return await s.dialogs.busy(uow, user, draft, "dialog.resume")
            out = await s.onboarding.start(uow, user, invite[:64])
            if s.access.staff(user.telegram_id) is not None:
                await self.menus.staff(uow, user)
            return out

        await self.perform(update, use_case)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help: the commands of the user's role."""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            return Outcome([self._help(user)])

        await self.perform(update, use_case)

    def _help(self, user: User) -> Notice:
        """Every command of the user's roles, from the table the command menus come from."""
        staff = self.services.access.staff(user.telegram_id)
        project = None if staff is not None else user.project_key
        return Notice(user.telegram_id, "help", params=HelpFor(audiences_of(staff), project))

    async def whoami(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/whoami: anyone learns their Telegram user id (for the operator's config)."""

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            uid = user.telegram_id
            return Outcome([Notice(uid, "whoami", params=TelegramId(uid))])

        await self.perform(update, use_case)

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/cancel: leave the open dialog, whatever step it is at."""
        drafts = self.services.drafts
        await self.perform(update, lambda uow, user: drafts.cancel(uow, user.telegram_id))

    async def profile(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/profile: change name, unit and phone."""
        s = self.services

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            draft = await s.drafts.of(uow, user.telegram_id)
            if draft is not None:
                return await s.dialogs.busy(uow, user, draft)
            if user.project_key is None:
                return Outcome([Notice(user.telegram_id, "hint.not_registered")])
            return await s.onboarding.begin_profile(uow, user)

        await self.perform(update, use_case)

    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/report: the guided fault report (urgent first: see `Dialogs.report`)."""
        dialogs = self.services.dialogs
        await self.perform(update, dialogs.report)

    async def request(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/request: a service request that is not a fault (customers)."""
        await self.perform(update, self.services.dialogs.request)

    async def log(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/log: a fault received by phone, logged by staff (customers are refused)."""
        await self.perform(update, self.services.dialogs.log)

    async def my(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/my: the customer's open tickets."""
        await self.perform(update, self.services.views.my_tickets)

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/status N: one ticket's timeline."""
        views = self.services.views
        await self.updates.with_number(
            update, context, "status", lambda uow, u, n, _: views.status(uow, u, n)
        )

    async def complain(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/complain: a complaint (投诉) about one of my tickets or something else."""
        complaints = self.services.complaints
        await self.perform(update, lambda uow, u: complaints.begin(uow, u))

    async def doc(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/doc N: the latest service report of a ticket (PDF)."""
        records = self.services.records
        await self.updates.with_number(
            update, context, "doc", lambda uow, u, n, _: records.latest(uow, u, n)
        )

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other /command."""
        await self.updates.say(update, "hint.unknown_command")

    # ------------------------------------------------------------------ messages
    async def message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text, location, photo or anything else: the open dialog's answer, or a hint."""
        msg = update.effective_message
        if msg is None or update.effective_user is None:
            return
        inp = _input_of(msg)
        s = self.services

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            outcome = await s.dialogs.input(uow, user, inp)
            if outcome is not None:
                return outcome
            if inp.kind == "skip_location":  # a location keyboard left from an earlier form
                return Outcome([Notice(user.telegram_id, "arrival.dismissed")])
            if s.access.staff(user.telegram_id) is not None:
                return Outcome([self._help(user)])
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
        source = (
            Pressed(message.chat.id, message.message_id, query.data or "", query.from_user.id)
            if isinstance(message, Message)
            else None
        )
        mid = source.message_id if source else None
        use_case = self._decode(query.data or "", mid)
        if use_case is None or source is None:
            outcome = Outcome(toast="button.stale")
        else:
            outcome = await self.perform(update, use_case, source=source)
        toast = text(self.updates.lang(update), outcome.toast) if outcome.toast else None
        try:
            await query.answer(toast, show_alert=outcome.toast_alert)
        except TelegramError as e:  # an old query: the state change above still stands
            log.info("callback answer to user %d refused: %s", query.from_user.id, e)

    def _decode(self, data: str, mid: int | None) -> UseCase | None:
        """The use case of a pressed button; None for data the bot never sends."""
        s = self.services
        intake, work, handover, shifts = s.intake, s.work, s.handover, s.shifts
        match decode(data):
            case SeverityAnswer(question, yes):
                return lambda uow, u: intake.report_severity(uow, u, question, yes)
            case ReportButton(step, action, round_):
                return lambda uow, u: intake.report_button(uow, u, step, action, round_)
            case TicketAction("acc", n):
                return lambda uow, u: work.accept(uow, u.telegram_id, n, source_message_id=mid)
            case TicketAction("onw", n):
                return lambda uow, u: work.progress(
                    uow, u.telegram_id, n, "on_way", source_message_id=mid
                )
            case TicketAction("arr", n):
                return lambda uow, u: work.progress(
                    uow, u.telegram_id, n, "arrived", source_message_id=mid
                )
            case TicketAction("res", n):
                return lambda uow, u: work.begin_resolve(
                    uow, u.telegram_id, n, source_message_id=mid
                )
            case TicketAction("hov", n):
                return lambda uow, u: handover.begin(uow, u.telegram_id, n, source_message_id=mid)
            case TicketAction("note", n):
                return lambda uow, u: work.begin_note(uow, u.telegram_id, n, source_message_id=mid)
            case CauseChoice(n, cause):
                return lambda uow, u: work.choose_cause(uow, u.telegram_id, n, cause)
            case HandoverTo(n, staff_key):
                return lambda uow, u: handover.propose(uow, u.telegram_id, n, staff_key)
            case HandoverAnswer(n, accept):
                return lambda uow, u: handover.answer(uow, u.telegram_id, n, accept)
            case IcsRequest():
                return lambda uow, u: shifts.ics(uow, u.telegram_id)
            case SwapShift(epoch):
                return lambda uow, u: shifts.pick_shift(uow, u.telegram_id, epoch)
            case SwapColleague(swap_id, staff_key):
                return lambda uow, u: shifts.offer_swap(uow, u.telegram_id, swap_id, staff_key)
            case SwapAnswer(swap_id, accept):
                return lambda uow, u: shifts.answer_swap(uow, u.telegram_id, swap_id, accept)
            case PauseDecision(pause_id, approve):
                return lambda uow, u: s.pauses.decide(uow, u.telegram_id, pause_id, approve)
            case PauseConsent(pause_id, agree):
                return lambda uow, u: s.pauses.consent(uow, u, pause_id, agree)
            case CustomerVerdict(n, fixed):
                return lambda uow, u: work.customer_verdict(uow, u, n, fixed)
            case SurveyStars(n, stars):
                return lambda uow, u: s.surveys.rate(uow, u, n, stars)
            case SurveySkip(n):
                return lambda uow, u: s.surveys.skip(uow, u, n)
            case ComplainAbout(n):
                return lambda uow, u: s.complaints.begin(uow, u, n)
            case ComplaintAboutChoice(n):
                return lambda uow, u: s.complaints.choose_about(uow, u, n)
            case ComplaintAction("tk", n):
                return lambda uow, u: s.complaints.take(uow, u.telegram_id, n, True)
            case ComplaintAction(verb, n):
                step = {"rp": "answer", "nt": "note", "cl": "result"}[verb]
                return lambda uow, u: s.complaints.begin_staff_text(uow, u.telegram_id, n, step)
            case ComplaintSatisfied(n, yes):
                return lambda uow, u: s.complaints.satisfied(uow, u, n, yes)
            case DailySign(project, day, part, digest):
                return lambda uow, u: s.daily.sign(uow, u, project, day, part, digest)
            case DailyAddWork(project, day):
                return lambda uow, u: s.daily.begin_add(uow, u.telegram_id, project, day)
            case TicketAction("blk", n):
                return lambda uow, u: s.blocking.ask(uow, u.telegram_id, n, source_message_id=mid)
            case BlockingChoice(n, reason):
                return lambda uow, u: s.blocking.choose(
                    uow, u.telegram_id, n, reason, via_button=True
                )
            case DeskButton(action, arg) if s.dialogs.desk is not None:
                return self._desk(s.dialogs.desk, action, arg)
            case TaskButton(action, n, arg) if s.tasks is not None:
                return self._task(s.tasks, action, n, arg)
            case EventProject(event_id, project):
                return lambda uow, u: s.events.choose_project(
                    uow, u.telegram_id, event_id, project
                )
            case StandbyPick(event_id, staff_key):
                return lambda uow, u: s.events.pick_standby(
                    uow, u.telegram_id, event_id, staff_key
                )
            case ChargeSkip(n, step):
                charge_step = "charge_parts" if step == "p" else "charge_labour"
                return lambda uow, u: s.work.skip_charge(uow, u.telegram_id, n, charge_step)
        return None

    @staticmethod
    def _desk(desk: Desk, action: str, arg: str) -> UseCase:
        """The /log dialog's buttons."""
        if action == "prj":
            return lambda uow, u: desk.choose_project(uow, u, arg)
        if action == "who":
            return lambda uow, u: desk.choose_caller(uow, u, int(arg))
        if action == "new":
            return lambda uow, u: desk.new_contact(uow, u)
        if action == "knd":
            return lambda uow, u: desk.choose_kind(uow, u, arg)
        return lambda uow, u: desk.call_now(uow, u)

    @staticmethod
    def _task(tasks: Tasks, action: str, n: int, arg: str) -> UseCase:
        """A contract task's buttons: record, a checklist item, the satisfaction."""
        if action == "rec":
            return lambda uow, u: tasks.begin(uow, u, n)
        if action == "sat":
            return lambda uow, u: tasks.stars(uow, u, n, int(arg))
        return lambda uow, u: tasks.check(uow, u, n, arg, action == "ok")

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update):
            user = update.effective_user
            log.error("error while handling update %d of user %s", update.update_id,
                      user.id if user else "-", exc_info=context.error)
        else:
            log.error("error while handling an update", exc_info=context.error)




# The location keyboard's skip button, in every language (see `Input`'s "skip_location").
SKIP_LOCATION_LABELS = frozenset(MESSAGES["btn.skip_location"].values())


async def _say(user_id: int, key: str) -> Outcome:
    return Outcome([Notice(user_id, key)])


def _input_of(msg: Message) -> Input:
    if msg.location is not None:
        return Input("location", latitude=msg.location.latitude, longitude=msg.location.longitude)
    if msg.photo:
        return Input("photo", file_id=msg.photo[-1].file_id, text=msg.caption or "")
    if msg.text is not None and msg.text in SKIP_LOCATION_LABELS:
        return Input("skip_location")
    if msg.text is not None and msg.chat.type == ChatType.PRIVATE:
        # Only invisible characters (zero-width, direction marks, BOM): no answer at all.
        visible = any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in msg.text)
        return Input("text", text=msg.text if visible else "")
    return Input("other")
