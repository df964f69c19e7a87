"""The guard: what every update passes before any handler (a PTB handler group that runs first).

In order, each step cheaper than what it protects:
1. The bot's own membership (my_chat_member): added to a group that is no project's team group,
   it says so once and leaves; a channel it just leaves.
2. Payloads the bot does not handle (edited messages, channel posts, inline queries, messages in
   groups...) are dropped here, before they cost anything.
3. Flood: one user's updates beyond their token bucket (bot/domain/flood.py) are refused before
   any database work; the first refusal of a flood answers "slow down", straight to the chat
   (not through the outbox: a refused update writes nothing).
4. Strangers (not staff, not joined by an invite): one update per quiet period goes on (it is
   recorded and answered as today); the rest are dropped without a read or a write.
   `/start INVITE` and `/whoami` always go on: they are how a stranger becomes known.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.clock import Clock
from bot.config import Settings
from bot.domain.flood import FloodGuard, FloodLimits, Strangers
from bot.storage.db import Database
from bot.storage.users import Users
from bot.telegram.catalog import pick_language, text

log = logging.getLogger(__name__)

GROUP = -2  # before the handlers (group 0) and the register upload (-1)
PRESENT = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)
WAYS_IN = ("/start", "/whoami")  # what a stranger may always send (with an invite, for /start)


class Guard:
    """Checks every update before the handlers; `ApplicationHandlerStop` ends a refused one."""

    def __init__(self, settings: Settings, clock: Clock, db: Database) -> None:
        self.settings = settings
        self.clock = clock
        self.db = db
        limits = settings.guard
        self.flood = FloodGuard(FloodLimits(limits.burst, limits.per_second))
        self.strangers = Strangers(limits.stranger_quiet)
        self.members: set[int] = set()  # users the database showed in a project (never undone)
        self.team_groups = {
            p.group_chat_id for p in settings.projects if p.group_chat_id is not None
        }

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        app.add_handler(TypeHandler(Update, self.check), group=GROUP)

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Let the update on to the handlers, or stop it here."""
        if update.my_chat_member is not None:
            await self.membership(update.my_chat_member, context)
            raise ApplicationHandlerStop
        if not self.handled(update):
            log.debug("update %d ignored: not handled (%s)", update.update_id, _kind(update))
            raise ApplicationHandlerStop
        user = update.effective_user
        assert user is not None  # handled() saw one
        verdict = self.flood.check(user.id, self.clock.now())
        if verdict != "pass":
            if verdict == "warn":
                log.warning("user %d: too many updates, refused until calm (told once)", user.id)
                await self.slow_down(update, context)
            else:
                log.debug("update %d of user %d refused: flood", update.update_id, user.id)
            raise ApplicationHandlerStop
        if await self.stranger_to_drop(update, user.id):
            log.debug("update %d of stranger %d dropped: answered lately", update.update_id,
                      user.id)
            if update.callback_query is not None:
                await _answer(update.callback_query, None)
            raise ApplicationHandlerStop

    @staticmethod
    def handled(update: Update) -> bool:
        """The updates a handler exists for: private messages and button presses by people."""
        if update.effective_user is None or update.effective_user.is_bot:
            return False
        if update.callback_query is not None:
            return True
        message = update.message
        return message is not None and message.chat.type == ChatType.PRIVATE

    # ------------------------------------------------------------------ flood
    async def slow_down(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The one answer to a flood: a toast for a button, a message in a private chat."""
        user = update.effective_user
        lang = pick_language(user.language_code if user else None, self.settings.default_language)
        words = text(lang, "guard.slow_down")
        if update.callback_query is not None:
            await _answer(update.callback_query, words)
            return
        chat = update.effective_chat
        if chat is None:
            return
        try:
            await context.bot.send_message(chat.id, words, parse_mode=ParseMode.HTML)
        except TelegramError as e:  # a flood is no reason to retry
            log.info("slow-down answer to user %d not sent: %s", chat.id, e)

    # ------------------------------------------------------------------ strangers
    async def stranger_to_drop(self, update: Update, user_id: int) -> bool:
        """True for a stranger's update within the quiet period after their last answer."""
        if user_id in self.members or self.settings.staff_by_telegram_id(user_id) is not None:
            return False
        words = (update.message.text or "").split() if update.message else []
        command = words[0].split("@")[0] if words else ""
        if command == "/whoami" or (command == "/start" and len(words) > 1):
            self.strangers.forget(user_id)  # joining: ask the database again next time
            return False
        now = self.clock.now()
        if self.strangers.answered_lately(user_id, now):
            return True
        async with self.db.reading() as conn:  # a read outside any transaction
            user = await Users(conn).get(user_id)
        if user is not None and user.project_key is not None:
            self.members.add(user_id)
            return False
        self.strangers.answering(user_id, now)
        return False

    # ------------------------------------------------------------------ membership
    async def membership(
        self, change: ChatMemberUpdated, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        """The bot added to a chat: a team group is fine; anywhere else it says so and leaves."""
        chat = change.chat
        now_in = change.new_chat_member.status in PRESENT
        was_in = change.old_chat_member.status in PRESENT
        by = change.from_user.id if change.from_user else 0
        if chat.type == ChatType.PRIVATE or not now_in:
            log.info("chat %d: the bot is now %s (by user %d)", chat.id,
                     change.new_chat_member.status, by)
            return
        if chat.id in self.team_groups:
            log.info("team group %d: the bot is now %s (by user %d)", chat.id,
                     change.new_chat_member.status, by)
            return
        log.warning("chat %d (%s): the bot was added by user %d; not a team group: leaving",
                    chat.id, chat.type, by)
        if chat.type in GROUPS and not was_in:
            try:
                await context.bot.send_message(
                    chat.id, text(self.settings.default_language, "guard.foreign_group"),
                    parse_mode=ParseMode.HTML,
                )
            except TelegramError as e:
                log.info("chat %d: could not say why the bot leaves: %s", chat.id, e)
        try:
            await context.bot.leave_chat(chat.id)
        except TelegramError as e:
            log.warning("chat %d: could not leave: %s", chat.id, e)


async def _answer(query: CallbackQuery, words: str | None) -> None:
    try:
        await query.answer(words)
    except TelegramError as e:  # an old query: nothing to stop spinning
        log.debug("callback answer refused: %s", e)


def _kind(update: Update) -> str:
    """The update's payload field (edited_message, channel_post, inline_query...)."""
    data = update.to_dict()
    return next((k for k in data if k != "update_id"), "empty")
