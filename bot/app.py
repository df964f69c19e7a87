"""The one composition root: settings + clock in, a ready PTB Application out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.config import EnvSettings, Settings
from bot.documents.service_report import pdf_of_html
from bot.services.access import Access
from bot.services.areas import Services
from bot.services.arrival import Arrivals
from bot.services.blocking import Blocking
from bot.services.checks import Checks
from bot.services.complaints import Complaints
from bot.services.daily import Daily, DailyJob
from bot.services.desk import Desk
from bot.services.dialogs import Dialogs
from bot.services.drafts import Drafts
from bot.services.equipment import Equipment, LabelsJob
from bot.services.events import Events
from bot.services.export import Export, ExportJob
from bot.services.handover import Handover
from bot.services.intake import Intake
from bot.services.jobs import DocumentJobs
from bot.services.monthly import Monthly, MonthlyJob
from bot.services.notices import Outcome
from bot.services.onboarding import Onboarding
from bot.services.operations import Operations
from bot.services.orphans import Orphans
from bot.services.pauses import Pauses
from bot.services.records import Records
from bot.services.retention import Retention
from bot.services.roster import Roster
from bot.services.shifts import Shifts
from bot.services.sla import Sla
from bot.services.surveys import Surveys
from bot.services.tasks import InspectionJob, Tasks
from bot.services.tracking import Tracking
from bot.services.uow import Timer, UnitOfWork
from bot.services.views import Views
from bot.services.work import Work
from bot.serving import Serving, intake, serve_until_stopped
from bot.startup import check_token, reach_telegram, server_of
from bot.storage.db import Database
from bot.storage.records import ReportFiles
from bot.telegram.dispatch import Dispatcher
from bot.telegram.document_jobs import DocumentWorker
from bot.telegram.equipment_handlers import EquipmentHandlers
from bot.telegram.files import file_url_of
from bot.telegram.guard import Guard
from bot.telegram.handlers import Handlers, Updates
from bot.telegram.menus import Menus
from bot.telegram.metrics import FetchWatch
from bot.telegram.operations import Ops
from bot.telegram.postman import Postman
from bot.telegram.processor import PerUserUpdateProcessor
from bot.telegram.render import Renderer
from bot.telegram.render.daily import daily_typesetter
from bot.telegram.render.equipment import label_maker
from bot.telegram.render.export import workbook_maker
from bot.telegram.render.monthly import MonthlyPages
from bot.telegram.render.records import layout
from bot.telegram.render.tasks import inspection_typesetter
from bot.telegram.sender import OutboxSender
from bot.telegram.staff_handlers import StaffHandlers
from bot.telegram.timers import TimerHandler, TimerWaker
from bot.telegram.typesetting import ReportTypesetting

log = logging.getLogger(__name__)

# The update types the bot asks Telegram for, by polling, by webhook and in the sandbox.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class HotlineBot:
    """Everything the composition root made, for tests and the sandbox to reach into."""

    app: AnyApp
    settings: Settings
    clock: Clock
    db: Database
    services: Services
    postman: Postman
    dispatcher: Dispatcher
    sender: OutboxSender
    waker: TimerWaker
    menus: Menus
    handlers: Handlers
    typesetting: ReportTypesetting
    documents: DocumentWorker
    ops: Ops | None = None  # lock file, health and metrics, daily backups

    _startup_task: asyncio.Task[Any] | None = None

    async def startup(self, *, background: bool = True) -> None:
        """Open the database, queue menus and the start-up reports; late timers fire once
        polling has begun."""
        self._startup_task = asyncio.current_task()
        if self.ops is not None:
            self.ops.take_lock()  # one bot per database; no restore under a running bot
        await self.db.open()

        async def at_startup(uow: UnitOfWork) -> Outcome:
            await self.menus.refresh(uow)
            await self.services.daily.arm(uow)
            await self.services.monthly.arm(uow)
            await self.services.retention.arm(uow)
            if self.services.tasks is not None:
                await self.services.tasks.plan(uow)  # the contract's calendar, from the config
            return await self.services.checks.at_startup(uow)

        # Tickets the config changed under are settled first, on their own: the bot always
        # starts, and a check that fails is logged instead of stopping the hotline.
        for step in (self.services.checks.orphans_report, at_startup):
            try:
                await self.dispatcher.run(step)
            except Exception:
                log.exception("a start-up check failed; the bot starts without it")
        if background:
            assert self.app.job_queue is not None
            # The JobQueue runs once the application has started polling: sending begins
            # then, so a stop signal never lands in the middle of PTB's own start-up.
            # No misfire grace: a slow start-up (many overdue timers) must not skip this job
            # (APScheduler's default grace of 1 s would leave the bot mute).
            self.app.job_queue.run_once(
                self._start_sending,
                0,
                name="start-sender",
                job_kwargs={"misfire_grace_time": None},
            )
            # What fell due while the bot was down fires once polling has begun (the waker's
            # first sweep): late rather than never, and never before a person's reply (each
            # timer is its own short transaction, and its messages are reminders, sent after
            # replies).
            self.waker.start(self.app)
            self.typesetting.start()  # first the versions a stop left, then each new one
            self.documents.start()  # likewise the document jobs a stop left pending
        else:
            await self.typesetting.drain()
            await self.documents.drain()
            await self.waker.fire_due()
        if self.ops is not None:
            await self.ops.start()  # the backup timer armed; /healthz and /metrics served

    async def _start_sending(self, context: object) -> None:
        self.sender.start()

    async def stop_background(self, grace: float = 0.0) -> None:
        """Stop what uses the Bot API on its own, while PTB's HTTP client is still open; the
        outbox is sent for up to `grace` seconds first (a clean stop)."""
        # A stop signal during start-up abandons the start-up task: end it before closing.
        task = self._startup_task
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.typesetting.stop()
        await self.documents.stop()
        await self.sender.finish(grace)
        if self.ops is not None:
            await self.ops.stop()

    async def shutdown(self) -> None:
        await self.stop_background()  # done already after a normal stop; harmless twice
        await asyncio.to_thread(self.services.monthly.typeset.close)  # the drawing process
        await self.db.close()
        if self.ops is not None:
            self.ops.release()


def services(settings: Settings, clock: Clock) -> Services:
    """Every service, each given only what it needs."""
    roster = Roster(settings, clock)
    sla = Sla(settings, clock, roster)
    access = Access(settings, roster)
    drafts = Drafts(settings, clock)
    tracking = Tracking(sla)
    onboarding = Onboarding(settings, clock, access, drafts)
    intake = Intake(settings, clock, access, drafts, onboarding, sla, roster, tracking)
    desk = Desk(settings, clock, access, drafts)
    pauses = Pauses(settings, clock, access, sla, tracking)
    arrivals = Arrivals(settings, clock, access, drafts)
    # Issued reports are archived under the data folder, next to the database.
    archive = ReportFiles(Path(settings.database).parent / "reports")
    records = Records(
        settings, clock, access, sla, layout(settings, clock), pdf_of_html, archive
    )
    surveys = Surveys(settings, clock, access, drafts, sla, records)
    work = Work(
        settings, clock, access, drafts, roster, sla, tracking, pauses, records, surveys, arrivals
    )
    complaints = Complaints(settings, clock, access, drafts)
    # Documents made after their command's transaction, archived with the reports (the
    # sender reads them from there by name and SHA-256).
    jobs = DocumentJobs(clock, archive)
    daily = Daily(
        settings, clock, access, drafts, daily_typesetter(settings, clock), archive, jobs
    )
    jobs.register("daily", DailyJob(daily))
    monthly = Monthly(settings, clock, access, MonthlyPages(settings, clock), jobs)
    export = Export(settings, clock, access, sla, workbook_maker(settings, clock), jobs)
    jobs.register("export", ExportJob(export))
    jobs.register("monthly", MonthlyJob(monthly))
    tasks = Tasks(
        settings, clock, access, drafts, inspection_typesetter(settings, clock), archive, jobs
    )
    jobs.register("inspection", InspectionJob(tasks))
    dialogs = Dialogs(drafts, onboarding, intake, work, complaints, daily, desk, tasks)
    equipment = Equipment(settings, clock, access, dialogs, jobs, label_maker(settings))
    jobs.register("labels", LabelsJob(equipment))
    return Services(
        access=access,
        drafts=drafts,
        onboarding=onboarding,
        intake=intake,
        dialogs=dialogs,
        work=work,
        surveys=surveys,
        handover=Handover(settings, clock, access, tracking),
        pauses=pauses,
        views=Views(access, sla),
        checks=Checks(
            settings, clock, access, roster, Orphans(settings, clock, access, roster, sla)
        ),
        roster=roster,
        shifts=Shifts(settings, clock, roster),
        sla=sla,
        tracking=tracking,
        complaints=complaints,
        records=records,
        daily=daily,
        blocking=Blocking(settings, clock, access, tracking),
        monthly=monthly,
        export=export,
        jobs=jobs,
        tasks=tasks,
        events=Events(settings, clock, access),
        retention=Retention(settings, clock),
        equipment=equipment,
    )


def timer_handlers(s: Services) -> dict[str, TimerHandler]:
    """What each kind of timer does when it falls due."""

    async def daily_check(uow: UnitOfWork, timer: Timer) -> Outcome:
        out = await s.checks.daily_check(uow)
        # Re-arm the reports every morning too: a report timer that failed (and rolled back its
        # own re-arming) must not silence the next evening or month until a restart. Arming
        # is idempotent (a fired timer stays fired).
        await s.daily.arm(uow)
        await s.monthly.arm(uow)
        await s.retention.arm(uow)
        if s.tasks is not None:
            await s.tasks.plan(uow)  # a changed config's tasks; the reminders re-armed
        return out

    async def draft_expiry(uow: UnitOfWork, timer: Timer) -> Outcome:
        assert timer.user_id is not None
        return await s.drafts.expire(uow, timer.user_id)

    def sla_timer(fire: Any) -> TimerHandler:
        async def handle(uow: UnitOfWork, timer: Timer) -> Outcome:
            return Outcome(await fire(uow, timer))

        return handle

    return {
        "draft_expiry": draft_expiry,
        "daily_check": daily_check,
        "page_next": s.roster.page_timeout,
        "handoff": s.roster.handoff,
        "shift_reminder": s.roster.shift_reminder,
        "sla_warn": sla_timer(s.sla.fire_warning),
        "sla_breach": sla_timer(s.sla.fire_breach),
        "sla_escalate": sla_timer(s.sla.fire_escalation),
        "complaint_warn": s.complaints.fire,
        "complaint_breach": s.complaints.fire,
        "confirm_timeout": s.records.confirm_timeout,
        "daily_report": s.daily.fire_report,
        "daily_remind": s.daily.fire_reminder,
        "daily_tell": s.daily.fire_reminder,
        "survey_report": s.records.comment_timeout,
        "complaint_escalate": s.complaints.fire,
        "prune": s.retention.fire,
        "monthly_report": s.monthly.fire,
        **({"contract_task": s.tasks.fire} if s.tasks is not None else {}),
    }


def build(
    settings: Settings,
    env: EnvSettings,
    *,
    clock: Clock | None = None,
    real_seconds: Any = None,
    send_per_second: float | None = None,
    pace_private_chats: bool = True,
    request: BaseRequest | None = None,
) -> HotlineBot:
    clock = clock or SystemClock()
    token = env.telegram_bot_token.get_secret_value() if env.telegram_bot_token else ""
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    db = Database(settings.database)
    s = services(settings, clock)
    postman = Postman(settings, Renderer(settings, clock), clock)
    postman.cards = s.tracking.refresh  # after every change, each card says what is true now
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(env.telegram_api_base_url)
        .base_file_url(file_url_of(env.telegram_api_base_url))
        .concurrent_updates(PerUserUpdateProcessor())
    )
    # getUpdates' answers are watched: /healthz says when Telegram stopped answering.
    fetches = FetchWatch(request or HTTPXRequest(connection_pool_size=1))
    builder = builder.get_updates_request(fetches)
    if request is not None:  # tests record the Bot API calls instead of sending them
        builder = builder.request(request)
    app: AnyApp = builder.build()

    dispatcher = Dispatcher(db, postman, clock)
    ops = Ops(settings, clock, db, Operations(settings, clock, s.access), dispatcher, fetches)
    sender = OutboxSender(
        db,
        app.bot,
        clock,
        per_second=send_per_second or settings.messages_per_second,
        run=dispatcher.run,
        on_forbidden=s.checks.message_refused,
        on_sent=ops.metrics.counting_sent(s.checks.message_sent),
        pace_private_chats=pace_private_chats,
        files=s.records.archive,  # the service reports the outbox refers to by path
    )
    handlers_by_kind = {**timer_handlers(s), "backup": ops.operations.fire}
    waker = TimerWaker(
        db, clock, ops.metrics.timed(clock, handlers_by_kind), dispatcher,
        real_seconds=real_seconds or (lambda s: s),
    )  # fmt: skip
    typesetting = ReportTypesetting(db, s.records, sender.wake)
    documents = DocumentWorker(settings.database, s.jobs, dispatcher)

    def after_commit(uow: UnitOfWork) -> None:
        # Woken only for their work: a wake-up per update would cost a query each time.
        if uow.records.jobs_added:
            typesetting.wake()  # a version laid out in the transaction is typeset now
        if uow.document_jobs.added:
            documents.wake()  # a document job recorded in it is made now, off the write lock
        if uow.outbox.queued:  # a transaction that queued nothing (a sent round) needs no round
            sender.wake(uow.outbox.urgent)  # a reply interrupts a round of reminders

    dispatcher.connect(after_commit=after_commit, consider_timer=waker.consider)

    menus = Menus(settings, clock)
    updates = Updates(settings, dispatcher, s)
    handlers = Handlers(updates, menus, clock)
    assert s.equipment is not None
    equipment = EquipmentHandlers(updates, s.equipment)
    handlers.install(
        app,
        {
            **StaffHandlers(updates, clock).commands(),
            **equipment.commands(),
            "health": ops.health,
        },
    )
    # Before the handlers, each in a group of its own (in one group only the first matching
    # handler runs): every update counted, then the guard (floods, strangers, foreign
    # groups), then a register file sent by a manager.
    app.add_handler(TypeHandler(Update, ops.count_update), group=-3)
    Guard(settings, clock, db).install(app)
    equipment.install(app)
    ops.updates = updates

    hotline_bot = HotlineBot(
        app, settings, clock, db, s, postman, dispatcher, sender, waker, menus, handlers,
        typesetting, documents, ops,
    )

    async def post_init(application: AnyApp) -> None:
        await hotline_bot.startup()

    async def post_stop(application: AnyApp) -> None:
        await hotline_bot.stop_background(settings.shutdown_grace.total_seconds())

    async def post_shutdown(application: AnyApp) -> None:
        await hotline_bot.shutdown()

    app.post_init = post_init
    app.post_stop = post_stop
    app.post_shutdown = post_shutdown
    return hotline_bot


def run(settings: Settings, env: EnvSettings) -> None:
    """Reach Telegram (waiting for the network), then take updates by long polling or by
    webhook (bot/serving.py) until SIGINT/SIGTERM.

    Raises StartupError, one line for the operator, when the bot cannot start."""
    token = env.telegram_bot_token.get_secret_value() if env.telegram_bot_token else ""
    check_token(token)
    how = intake(settings, env)  # a webhook without its secret stops here, before any call
    hotline_bot = build(settings, env)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        reached = reach_telegram(loop, hotline_bot.app.bot, server_of(env.telegram_api_base_url))
        if reached:
            serving = Serving(hotline_bot, how, ALLOWED_UPDATES)
            loop.run_until_complete(serve_until_stopped(serving))
    finally:
        loop.close()
