"""The emulator's state: users, groups, chats and their messages, files, callback queries, the
update queue, and the events that tell listeners (and waiters) about every change.

Everything here is plain data and bookkeeping; what Telegram refuses is in ``strict.py``, the
methods that change the state are in ``messages.py``, ``updates.py`` and ``bot_methods.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
from collections.abc import Callable

from bot.clock import Clock
from bot.sandbox.emulator.model import (
    CallbackQuery,
    ChatMessage,
    File,
    Group,
    JsonDict,
    User,
    bot_json,
    chat_json,
    normalize_inline_markup,
    user_json,
)

log = logging.getLogger(__name__)

Listener = Callable[[str, JsonDict], None]


class Signal:
    """Wakes every waiter on each state change (usable from synchronous code)."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def fire(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait(self, seconds: float) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            async with asyncio.timeout(seconds):  # not wait_for: it can swallow a cancel
                await waiter
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(waiter)


class EmulatorState:
    """Users, chats, messages, files and the update queue of one emulated bot."""

    def __init__(self, bot_id: int, clock: Clock, first_update_id: int | None) -> None:
        self.bot_id = bot_id
        self.clock = clock
        self.users: dict[int, User] = {}
        self.groups: dict[int, Group] = {}
        self.chats: dict[int, list[ChatMessage]] = {}
        self.message_ids: dict[int, itertools.count[int]] = {}
        self.updates: list[JsonDict] = []
        # Like Telegram, update ids do not start at 1: a bot's database that outlives one
        # emulator (the sandbox's --db) must not take a new update for one it handled before.
        self.next_update_id = (
            random.randrange(1, 1 << 30) if first_update_id is None else first_update_id
        )
        self.callbacks: dict[str, CallbackQuery] = {}
        self.callback_ids = itertools.count(1)
        self.files: dict[str, File] = {}
        self.file_ids = itertools.count(1)
        self.listeners: list[Listener] = []
        self.event_queues: set[asyncio.Queue[tuple[str, JsonDict] | None]] = set()
        self.signal = Signal()
        self.closing = False

    # ------------------------------------------------------------------ time

    def now(self) -> float:
        """The emulator's clock, in Unix seconds: Telegram's own times (message dates, edit
        dates, the webhook's last error), flood buckets, message ages. Waiting (long polls,
        wait_for_message) is real time on the event loop's clock."""
        return self.clock.now().timestamp()

    def date(self) -> int:
        """A Telegram ``date``: whole Unix seconds on the emulator's clock."""
        return int(self.now())

    # ------------------------------------------------------------------ lookups

    def get_user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise ValueError(f"unknown user {user_id}; call add_user() first")
        return user

    def acting_user(self, user_id: int) -> User:
        user = self.get_user(user_id)
        if user.blocked:
            raise ValueError(f"user {user_id} has blocked the bot; unblock() first")
        return user

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        for message in self.chats.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    # ------------------------------------------------------------------ new things

    def add_user(self, user: User) -> None:
        self.users[user.user_id] = user
        self.chats[user.user_id] = []
        self.message_ids[user.user_id] = itertools.count(1)

    def new_file(
        self,
        kind: str,
        *,
        data: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> File:
        number = next(self.file_ids)
        file = File(
            file_id=f"EMU{kind[:3].upper()}{self.bot_id}x{number:06d}",
            file_unique_id=f"U{kind[:3]}{number:06d}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[file.file_id] = file
        return file

    def user_message(
        self,
        user: User,
        kind: str,
        *,
        text: str = "",
        entities: list[JsonDict] | None = None,
        media: JsonDict | None = None,
    ) -> ChatMessage:
        return ChatMessage(
            message_id=next(self.message_ids[user.user_id]),
            chat_id=user.user_id,
            from_bot=False,
            text=text,
            html=None,
            parse_mode=None,
            entities=entities or [],
            reply_markup=None,
            kind=kind,
            date=self.date(),
            media=media,
        )

    def bot_message(
        self,
        user: User,
        kind: str,
        *,
        text: str,
        html: str | None,
        parse_mode: str | None,
        entities: list[JsonDict],
        reply_markup: JsonDict | None,
        reply_to: int | None,
        media: JsonDict | None = None,
        file_name: str | None = None,
        file_data: bytes | None = None,
    ) -> ChatMessage:
        return ChatMessage(
            message_id=next(self.message_ids[user.user_id]),
            chat_id=user.user_id,
            from_bot=True,
            text=text,
            html=html,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=reply_markup,
            kind=kind,
            date=self.date(),
            media=media,
            file_name=file_name,
            file_data=file_data,
            reply_to=reply_to,
        )

    # ------------------------------------------------------------------ delivery and events

    def deliver_user_message(self, message: ChatMessage) -> JsonDict:
        """A user's message lands in the chat and becomes an update for the bot."""
        self.chats[message.chat_id].append(message)
        self.emit("message", message.to_dict())
        payload = self.message_json(message)
        self.queue_update({"message": payload})
        return payload

    def deliver_bot_message(self, message: ChatMessage) -> JsonDict:
        self.chats[message.chat_id].append(message)
        self.emit("message", message.to_dict())
        return self.message_json(message)

    def queue_update(self, body: JsonDict) -> None:
        update = {"update_id": self.next_update_id, **body}
        self.next_update_id += 1
        self.updates.append(update)
        self.emit("update", update)

    def queue_member_update(self, user: User, old: str, new: str) -> None:
        """my_chat_member: the user blocked (kicked) or unblocked the bot."""

        def member(status: str) -> JsonDict:
            data: JsonDict = {"user": self.bot_json(), "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data

        self.queue_update(
            {
                "my_chat_member": {
                    "chat": chat_json(user),
                    "from": user_json(user),
                    "date": self.date(),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    def emit(self, event: str, payload: JsonDict) -> None:
        for listener in list(self.listeners):
            try:
                listener(event, payload)
            except Exception:
                log.exception("emulator listener failed on %s", event)
        for queue in list(self.event_queues):
            queue.put_nowait((event, payload))
        self.signal.fire()

    # ------------------------------------------------------------------ JSON shapes

    def bot_json(self) -> JsonDict:
        return bot_json(self.bot_id)

    def message_json(self, message: ChatMessage, *, with_reply: bool = True) -> JsonDict:
        user = self.users[message.chat_id]
        data: JsonDict = {
            "message_id": message.message_id,
            "from": self.bot_json() if message.from_bot else user_json(user),
            "chat": chat_json(user),
            "date": message.date,
        }
        if message.kind == "text":
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        else:
            data.update(message.media or {})
            if message.text:
                data["caption"] = message.text
                if message.entities:
                    data["caption_entities"] = message.entities
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if normalize_inline_markup(message.reply_markup) is not None:
            data["reply_markup"] = message.reply_markup
        if with_reply and message.reply_to is not None:
            target = self.find_message(message.chat_id, message.reply_to)
            if target is not None:
                data["reply_to_message"] = self.message_json(target, with_reply=False)
        return data
