"""``BotApiEmulator``: one emulated Bot API server, put together from its parts (the state, the
method handlers, flood control, the HTTP server), started and stopped, and watched by tests
(the chats, the refusals, waiting for a message or a callback answer)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from types import TracebackType
from typing import Self

from bot.clock import Clock, SystemClock
from bot.sandbox.emulator.bot_methods import BotMethods
from bot.sandbox.emulator.flood import FloodControl, FloodLimits
from bot.sandbox.emulator.messages import MessageMethods
from bot.sandbox.emulator.model import ChatMessage, JsonDict
from bot.sandbox.emulator.server import EmulatorServer, Handler, MethodTable
from bot.sandbox.emulator.state import EmulatorState, Listener
from bot.sandbox.emulator.updates import UpdateMethods
from bot.sandbox.emulator.users import UserActions
from bot.sandbox.webhook_delivery import Webhook

TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


class BotApiEmulator(UserActions):
    """In-process Telegram Bot API server plus a Python API to act as the users.

    ``clock`` (default: the wall clock) is the one clock of Telegram's own times: message
    ``date``/``edit_date``, my_chat_member dates, getWebhookInfo's ``last_error_date``, flood
    buckets and the 48 h delete window; a test passes a ``FakeClock`` to move them."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        flood: FloodLimits | None = None,
        clock: Clock | None = None,
        first_update_id: int | None = None,
    ) -> None:
        match = TOKEN_RE.match(token)
        if match is None:
            raise ValueError(f"not a bot token: {token!r}")
        self.token = token
        self.bot_id = int(match.group(1))
        self.host = host
        self.port = port
        self.clock: Clock = clock if clock is not None else SystemClock()

        self.calls: list[JsonDict] = []
        self.refusals: list[JsonDict] = []

        self.state = EmulatorState(self.bot_id, self.clock, first_update_id)
        self._flood = FloodControl(flood if flood is not None else FloodLimits(), self.state.now)
        self._messages = MessageMethods(self.state, self._flood)
        self._updates = UpdateMethods(self.state)
        self._bot = BotMethods(self.state)
        handlers: dict[str, Handler] = {
            "getMe": self._bot.get_me,
            "logOut": self._bot.ok,
            "close": self._bot.ok,
            "deleteWebhook": self._updates.delete_webhook,
            "getWebhookInfo": self._updates.get_webhook_info,
            "setWebhook": self._updates.set_webhook,
            "getUpdates": self._updates.get_updates,
            "sendMessage": self._messages.send_message,
            "editMessageText": self._messages.edit_message_text,
            "editMessageCaption": self._messages.edit_message_caption,
            "editMessageReplyMarkup": self._messages.edit_message_reply_markup,
            "deleteMessage": self._messages.delete_message,
            "answerCallbackQuery": self._bot.answer_callback_query,
            "sendPhoto": self._messages.send_photo,
            "sendLocation": self._messages.send_location,
            "sendDocument": self._messages.send_document,
            "sendChatAction": self._messages.send_chat_action,
            "setMyCommands": self._bot.set_my_commands,
            "getMyCommands": self._bot.get_my_commands,
            "deleteMyCommands": self._bot.delete_my_commands,
            "setChatMenuButton": self._bot.ok,
            "getChatMenuButton": self._bot.get_chat_menu_button,
            "getChat": self._bot.get_chat,
            "leaveChat": self._bot.leave_chat,
            "getFile": self._bot.get_file,
        }
        self._methods: MethodTable = {
            name.lower(): (name, handler) for name, handler in handlers.items()
        }
        self._server = EmulatorServer(self, self._methods)

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """PTB ``base_url`` (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def url(self) -> str:
        """Root URL of the emulator (for the ``/_emu/`` control endpoints)."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        if self._server.running:
            raise RuntimeError("emulator already started")
        self.state.closing = False
        self.port = await self._server.start(self.host, self.port)

    async def stop(self) -> None:
        self.state.closing = True
        self.state.signal.fire()
        for queue in list(self.state.event_queues):
            queue.put_nowait(None)
        await self._updates.webhook.close()
        await self._server.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ test hooks

    @property
    def flood(self) -> FloodLimits:
        return self._flood.limits

    @flood.setter
    def flood(self, limits: FloodLimits) -> None:
        self._flood.limits = limits

    @property
    def webhook(self) -> Webhook | None:
        """The webhook set (url, secret, last error, deliveries), or None: getUpdates."""
        return self._updates.webhook.webhook

    def inject_flood(self, times: int, retry_after: int = 1, method: str | None = None) -> None:
        """The next ``times`` sending/editing calls (of ``method`` if given) get 429."""
        self._flood.inject_flood(times, retry_after, method)

    def inject_server_error(
        self, times: int, status: int = 502, *, method: str | None = None
    ) -> None:
        """The next ``times`` sending/editing calls (of ``method`` if given) get HTTP 5xx."""
        self._flood.inject_server_error(times, status, method)

    def hold_confirmations(self, hold: bool = True) -> None:
        """Test hook: while held, getUpdates' offset confirms nothing (no update is forgotten),
        as if every confirming poll were lost; a poll still returns only what its offset asks
        for, so a bot that restarts (offset 0) gets the unconfirmed updates again."""
        self._updates.confirmations_held = hold

    def add_listener(self, fn: Listener) -> None:
        """``fn(event, payload)`` for "message", "edit", "delete", "callback_answer",
        "chat_action" and "update" events."""
        self.state.listeners.append(fn)

    # ------------------------------------------------------------------ observation

    def user_ids(self) -> list[int]:
        return list(self.state.users)

    def chat(self, user_id: int) -> list[ChatMessage]:
        """All (not deleted) messages of the chat, both directions, in order."""
        self.state.get_user(user_id)
        return [m for m in self.state.chats[user_id] if not m.deleted]

    def bot_messages(self, user_id: int) -> list[ChatMessage]:
        return [m for m in self.chat(user_id) if m.from_bot]

    def last_bot_message(self, user_id: int) -> ChatMessage | None:
        messages = self.bot_messages(user_id)
        return messages[-1] if messages else None

    def transcript(self, user_id: int) -> str:
        lines = [m.describe() for m in self.chat(user_id)] or ["(empty chat)"]
        refused = [
            f"  {r['method']}: {r['description']}"
            for r in self.refusals
            if _refusal_chat(r) == user_id
        ]
        if refused:
            lines.append("refused calls for this chat:")
            lines.extend(refused)
        return "\n".join(lines)

    def commands(
        self, *, scope: JsonDict | None = None, language_code: str = ""
    ) -> list[JsonDict]:
        """Commands as set by setMyCommands for exactly this scope and language."""
        key = self._bot.commands_key(scope, language_code)
        return [dict(c) for c in self._bot.commands.get(key, [])]

    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by the bot."""
        return list(self.state.updates)

    async def wait_for_message(
        self,
        user_id: int,
        predicate: Callable[[ChatMessage], bool] | str,
        timeout: float = 10.0,  # noqa: ASYNC109 - part of the public test API
        *,
        after: int = 0,
    ) -> ChatMessage:
        """Wait for a bot message (message_id > ``after``) matching ``predicate`` (a string
        means "its text contains this"); edited messages are checked in their current state."""
        self.state.get_user(user_id)
        check: Callable[[ChatMessage], bool]
        if isinstance(predicate, str):
            needle = predicate

            def contains(message: ChatMessage) -> bool:
                return needle in message.text

            check = contains
            description = f"containing {needle!r}"
        else:
            check = predicate
            description = f"matching {getattr(predicate, '__name__', 'predicate')}"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for message in self.bot_messages(user_id):
                if message.message_id > after and check(message):
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"no bot message {description} (after #{after}) in the chat with user "
                    f"{user_id} within {timeout}s; transcript:\n{self.transcript(user_id)}"
                )
            await self.state.signal.wait(remaining)

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 10.0,  # noqa: ASYNC109 - part of the public test API
    ) -> JsonDict:
        """Wait until the bot answers the callback query; returns {"text", "show_alert", ...}."""
        query = self.state.callbacks.get(query_id)
        if query is None:
            raise ValueError(f"unknown callback query {query_id}")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while query.answer is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"callback query {query_id} (data {query.data!r}) was not answered within "
                    f"{timeout}s; transcript:\n{self.transcript(query.user_id)}"
                )
            await self.state.signal.wait(remaining)
        return dict(query.answer)


def _refusal_chat(refusal: JsonDict) -> int | None:
    """The chat a refused call was for (None: it named none)."""
    chat_id = refusal["params"].get("chat_id")
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return None
