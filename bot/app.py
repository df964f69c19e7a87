"""The one composition root: settings + clock in, a ready PTB Application out."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.clock import Clock, SystemClock
from bot.config import EnvSettings, Settings
from bot.domain.ticket import Status
from bot.services.hotline import Hotline
from bot.services.notices import Notice, Outcome
from bot.services.uow import OutboxRow, Timer, UnitOfWork
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.catalog import LANGUAGES, text
from bot.telegram.handlers import CUSTOMER_COMMANDS, Handlers
from bot.telegram.postman import Postman
from bot.telegram.processor import PerUserUpdateProcessor
from bot.telegram.render import Renderer
from bot.telegram.sender import OutboxSender
from bot.telegram.timers import TimerWaker

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
PAGES = ("page", "group_page")


@dataclass
class HotlineBot:
    """Everything the composition root made, for tests and the sandbox to reach into."""

    app: AnyApp
    settings: Settings
    clock: Clock
    db: Database
    hotline: Hotline
    postman: Postman
    sender: OutboxSender
    waker: TimerWaker
    handlers: Handlers

    _startup_task: asyncio.Task[Any] | None = None

    async def startup(self, *, background: bool = True) -> None:
        """Open the database, queue menus and the unreachable-staff report, fire late timers."""
        self._startup_task = asyncio.current_task()
        await self.db.open()
        async with unit_of_work(self.db) as uow:
            await _menus(uow, self.settings, self.clock, self.handlers)
            await self.postman.post(uow, await self.hotline.unreachable_report(uow))
            await self.postman.post(uow, await self.hotline.calendar_report(uow))
            await self.hotline.arm_daily_check(uow)
            await self.hotline.roster.arm(uow)
            await self.postman.post(uow, await self.hotline.roster.gaps_report(uow))
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
            self.waker.start(self.app)
        # What fell due while the bot was down fires now: once, late rather than never.
        await self.waker.fire_due()

    async def _start_sending(self, context: object) -> None:
        self.sender.start()

    async def shutdown(self) -> None:
        # A stop signal during start-up abandons the start-up task: end it before closing.
        task = self._startup_task
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.sender.stop()
        await self.db.close()


def build(
    settings: Settings,
    env: EnvSettings,
    *,
    clock: Clock | None = None,
    real_seconds: Any = None,
    send_per_second: float | None = None,
    request: BaseRequest | None = None,
) -> HotlineBot:
    clock = clock or SystemClock()
    token = env.telegram_bot_token.get_secret_value() if env.telegram_bot_token else ""
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    db = Database(settings.database)
    hotline = Hotline(settings, clock)
    postman = Postman(settings, Renderer(settings, clock), clock)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(env.telegram_api_base_url)
        .concurrent_updates(PerUserUpdateProcessor())
    )
    if request is not None:  # tests record the Bot API calls instead of sending them
        builder = builder.request(request).get_updates_request(request)
    app: AnyApp = builder.build()

    async def on_forbidden(uow: UnitOfWork, row: OutboxRow, reason: str) -> None:
        ticket_id = row.ticket_id if row.purpose == "page" else None
        await postman.post(uow, await hotline.page_failed(uow, row.chat_id, reason, ticket_id))

    async def on_sent(
        uow: UnitOfWork, row: OutboxRow, message_id: int | None, previous: str
    ) -> None:
        # A page that was in flight while someone accepted: turn it into "taken by X" too.
        if row.purpose not in PAGES or previous != "cancelled" or message_id is None:
            return
        ticket = await uow.tickets.get(row.ticket_id or 0)
        if ticket is not None and ticket.status != Status.NEW:
            await postman.post(
                uow,
                [
                    Notice(
                        row.chat_id, "ticket.page_taken", ticket=ticket, edit_message_id=message_id
                    )
                ],
            )

    sender = OutboxSender(
        db,
        app.bot,
        clock,
        per_second=send_per_second or settings.messages_per_second,
        on_forbidden=on_forbidden,
        on_sent=on_sent,
    )

    async def daily_check(uow: UnitOfWork, timer: Timer) -> Outcome:
        return await hotline.daily_check(uow)

    async def draft_expiry(uow: UnitOfWork, timer: Timer) -> Outcome:
        assert timer.user_id is not None
        return await hotline.expire_draft(uow, timer.user_id)

    def sla_timer(fire: Any) -> Any:
        async def handle(uow: UnitOfWork, timer: Timer) -> Outcome:
            return Outcome(await fire(uow, timer))

        return handle

    waker = TimerWaker(
        db,
        clock,
        {
            "draft_expiry": draft_expiry,
            "daily_check": daily_check,
            "page_next": hotline.roster.page_timeout,
            "handoff": hotline.roster.handoff,
            "shift_reminder": hotline.roster.shift_reminder,
            "sla_warn": sla_timer(hotline.sla.fire_warning),
            "sla_breach": sla_timer(hotline.sla.fire_breach),
            "sla_escalate": sla_timer(hotline.sla.fire_escalation),
        },
        postman.post,
        sender.wake,
        real_seconds=real_seconds or (lambda s: s),
    )
    handlers = Handlers(settings, db, hotline, postman, sender.wake, waker.consider)
    handlers.install(app)

    hotline_bot = HotlineBot(app, settings, clock, db, hotline, postman, sender, waker, handlers)

    async def post_init(application: AnyApp) -> None:
        await hotline_bot.startup()

    async def post_shutdown(application: AnyApp) -> None:
        await hotline_bot.shutdown()

    app.post_init = post_init
    app.post_shutdown = post_shutdown
    return hotline_bot


async def _menus(uow: UnitOfWork, settings: Settings, clock: Clock, handlers: Handlers) -> None:
    """The command menu: customers' commands by default (zh and en); staff get their own."""
    for lang in LANGUAGES:
        commands = [
            {"command": c, "description": text(lang, f"cmd.{c}")} for c in CUSTOMER_COMMANDS
        ]
        payload: dict[str, Any] = {"commands": commands}
        if lang != settings.default_language:
            payload["language_code"] = lang
        digest = hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
        await uow.outbox.add(
            0, "setMyCommands", payload, clock.now(), dedupe_key=f"menu:default:{lang}:{digest}"
        )
    staff_users = await uow.users.many(s.telegram_id for s in settings.staff)
    for user in staff_users.values():
        if user.started_at is not None and user.unreachable_at is None:
            await handlers.set_staff_menu(uow, user)


def run(settings: Settings, env: EnvSettings) -> None:
    """Run with long polling until SIGINT/SIGTERM."""
    hotline_bot = build(settings, env)
    hotline_bot.app.run_polling(
        allowed_updates=["message", "callback_query"],
        drop_pending_updates=False,
    )
