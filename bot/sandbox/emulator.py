"""A strict, in-process Telegram Bot API emulator over HTTP (aiohttp).

The real bot (python-telegram-bot with its default ``HTTPXRequest``) talks to it exactly as to
``api.telegram.org`` by using ``base_url=emulator.base_url``; tests act as the users through the
Python API (``send_text``, ``press``, ...) and observe the chats (``chat``, ``wait_for_message``).

The emulator refuses what Telegram refuses, with Telegram's error JSON
(``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}``), so bot bugs show
up as failures: bad HTML, over-long texts, invalid keyboards, "message is not modified", users
who never started the bot or blocked it, flood limits, double-answered callback queries,
concurrent ``getUpdates``.  Every call is recorded in ``calls`` and every refusal in
``refusals``.

Updates come by ``getUpdates`` or, once ``setWebhook`` was called, are POSTed to the webhook
with its secret header until it answers 2xx (``bot/sandbox/webhook_delivery.py``); meanwhile
``getUpdates`` is refused with 409, as on Telegram, until ``deleteWebhook``.

Requests are accepted as ``application/json``, ``application/x-www-form-urlencoded`` (what PTB
sends: string values as is, every other value JSON-encoded) and ``multipart/form-data`` (PTB,
when uploading files), plus query-string parameters.

State (users, chats, messages) is plain data with an event hook (``add_listener``) so that a web
"sandbox" chat page can be built on top; ``/_emu/...`` HTTP endpoints expose the same actions
out of process, including a server-sent-events stream of the listener events.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import logging
import math
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from aiohttp import web

from bot.sandbox.html_check import (
    EntityParseError,
    check_link,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    sort_entities,
    utf16_len,
)
from bot.sandbox.webhook_delivery import Webhook, WebhookDelivery

__all__ = ["ApiError", "BotApiEmulator", "ChatMessage", "FloodLimits"]

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]
Listener = Callable[[str, JsonDict], None]

BOT_FIRST_NAME = "Hotline Bot"
BOT_USERNAME = "hotline_test_bot"

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_COMMANDS = 100
DELETE_WINDOW_SECONDS = 48 * 3600

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
GET_UPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
TERMINATED_BY_SET_WEBHOOK = "Conflict: terminated by setWebhook request"
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Plain http is allowed to these hosts only (Telegram allows none): tests need no certificate.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
FORBIDDEN_BLOCKED = "Forbidden: bot was blocked by the user"
FORBIDDEN_NOT_STARTED = "Forbidden: bot can't initiate conversation with a user"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"

# Methods whose calls produce or change messages: they count for flood control and are the
# targets of inject_flood() / inject_server_error().
MESSAGE_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "sendlocation",
        "senddocument",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
    }
)

# Parameters whose form values are plain strings (never JSON-decoded): PTB sends str values
# unencoded, so "123" or "true" as a message text must stay a string.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "business_connection_id",
        "url",
        "language_code",
        "action",
        "photo",
        "document",
        "thumbnail",
        "file_id",
        "emoji",
        "title",
        "description",
        "short_description",
        "name",
        "secret_token",
        "ip_address",
        "message_effect_id",
    }
)

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

UPDATE_TYPES_DEFAULT_EXCLUDED = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)

INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

COMMAND_RE = re.compile(r"^[a-z0-9_]+$")
LEADING_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")
TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
TRIM_CHARS = " \t\r\n"


class ApiError(Exception):
    """A refused Bot API call, rendered as Telegram's error JSON."""

    def __init__(
        self,
        error_code: int,
        description: str,
        parameters: JsonDict | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JsonDict:
        body: JsonDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass
class FloodLimits:
    """Token buckets approximating Telegram's flood control (sending and editing count)."""

    global_per_second: float = 30.0  # bucket over all chats: capacity and refill per second
    chat_burst: int = 20  # private chat bucket capacity
    chat_per_second: float = 1.0  # private chat refill rate
    group_per_minute: int = 20  # groups (chat id < 0): capacity and refill per minute
    enabled: bool = True


@dataclass
class _Bucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)

    def wait_time(self) -> float:
        if self.tokens >= 1.0:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1.0 - self.tokens) / self.rate


@dataclass
class ChatMessage:
    """One message of a private chat, in either direction, as the emulator stores it."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str  # plain text after entity parsing (the caption for media)
    html: str | None  # the raw text/caption exactly as the bot sent it (None for users)
    parse_mode: str | None
    entities: list[JsonDict]
    reply_markup: JsonDict | None  # as sent (inline keyboards, reply keyboards, ...)
    kind: str  # "text"|"photo"|"location"|"sticker"|"voice"|"contact"|"document"
    edits: int = 0
    date: int = 0
    edit_date: int | None = None
    media: JsonDict | None = None  # Telegram-shaped media fields, e.g. {"location": {...}}
    file_name: str | None = None  # uploaded document name
    file_data: bytes | None = None  # uploaded document/photo bytes
    reply_to: int | None = None
    deleted: bool = False

    def buttons(self) -> list[tuple[str, str]]:
        """Inline keyboard buttons flattened as (text, callback_data); non-callback buttons
        (URL, ...) have an empty callback_data."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        return [
            (str(button.get("text", "")), str(button.get("callback_data", "")))
            for row in rows
            for button in row
            if isinstance(button, dict)
        ]

    def button_data(self, label_substring: str) -> str:
        """callback_data of the one button whose text contains ``label_substring``."""
        matches = [data for text, data in self.buttons() if label_substring in text]
        if len(matches) != 1:
            raise AssertionError(
                f"expected exactly one button containing {label_substring!r} in message "
                f"{self.message_id}, found {len(matches)}; buttons: {self.buttons()}"
            )
        return matches[0]

    def to_dict(self) -> JsonDict:
        """JSON-serialisable form (file bytes replaced by their size)."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "from_bot": self.from_bot,
            "text": self.text,
            "html": self.html,
            "parse_mode": self.parse_mode,
            "entities": self.entities,
            "reply_markup": self.reply_markup,
            "kind": self.kind,
            "edits": self.edits,
            "date": self.date,
            "edit_date": self.edit_date,
            "media": self.media,
            "file_name": self.file_name,
            "file_size": None if self.file_data is None else len(self.file_data),
            "reply_to": self.reply_to,
            "deleted": self.deleted,
            "buttons": [list(button) for button in self.buttons()],
        }

    def describe(self) -> str:
        who = "bot " if self.from_bot else "user"
        body = self.text if self.kind == "text" else f"<{self.kind}> {self.text}".rstrip()
        line = f"[{self.message_id}] {who}: {body}"
        if self.buttons():
            line += "  [buttons: " + ", ".join(f"{t!r}={d!r}" for t, d in self.buttons()) + "]"
        if self.edits:
            line += f"  (edited {self.edits}x)"
        return line


@dataclass
class _User:
    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    started: bool = False
    blocked: bool = False


@dataclass
class _Group:
    """A group someone added the bot to (the bot is a member until it leaves)."""

    chat_id: int
    title: str
    member: bool = True
    texts: list[str] = field(default_factory=list)


@dataclass
class _CallbackQuery:
    query_id: str
    user_id: int
    message_id: int
    data: str
    answer: JsonDict | None = None


@dataclass
class _File:
    file_id: str
    file_unique_id: str
    kind: str  # "photo" | "document" | "sticker" | "voice"
    data: bytes | None = None
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class _Upload:
    file_name: str
    data: bytes
    content_type: str | None


@dataclass
class _Injection:
    remaining: int
    method: str | None
    value: int  # retry_after for floods, HTTP status for server errors

    def matches(self, method: str) -> bool:
        return self.remaining > 0 and (self.method is None or self.method == method)


class _Signal:
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


@dataclass
class _Params:
    values: JsonDict
    files: dict[str, _Upload]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, str):
            return value
        raise bad_request(f'parameter "{name}" must be a string')

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        return None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            return None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def loggable(self) -> JsonDict:
        logged = dict(self.values)
        for name, upload in self.files.items():
            logged[name] = {"file_name": upload.file_name, "size": len(upload.data)}
        return logged


def _decode_param(name: str, value: Any) -> Any:
    """Decode one request parameter the way the Bot API does: non-string parameters sent as
    strings (form fields, or JSON-serialized objects inside a JSON body) are JSON-decoded."""
    if not isinstance(value, str) or name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _normalize_inline_markup(markup: JsonDict | None) -> list[list[JsonDict]] | None:
    """An inline keyboard as compared for "message is not modified" (None: no keyboard)."""
    if not markup:
        return None
    rows = [row for row in markup.get("inline_keyboard") or [] if row]
    return rows or None


def _trim(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    """Strip leading/trailing whitespace like Telegram does and clip the entities."""
    stripped_left = text.lstrip(TRIM_CHARS)
    lead = len(text) - len(stripped_left)  # ASCII characters: one UTF-16 unit each
    trimmed = stripped_left.rstrip(TRIM_CHARS)
    if lead == 0 and len(trimmed) == len(text):
        return text, entities
    total = utf16_len(trimmed)
    clipped: list[JsonDict] = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(total, entity["offset"] + entity["length"] - lead)
        if end > start:
            clipped.append({**entity, "offset": start, "length": end - start})
    return trimmed, clipped


class BotApiEmulator:
    """In-process Telegram Bot API server plus a Python API to act as the users."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        flood: FloodLimits | None = None,
        clock: Callable[[], float] = time.time,
        first_update_id: int | None = None,
    ) -> None:
        match = TOKEN_RE.match(token)
        if match is None:
            raise ValueError(f"not a bot token: {token!r}")
        self.token = token
        self.bot_id = int(match.group(1))
        self.host = host
        self.port = port
        self.flood = flood if flood is not None else FloodLimits()
        self.clock = clock

        self.calls: list[JsonDict] = []
        self.refusals: list[JsonDict] = []

        self._users: dict[int, _User] = {}
        self._groups: dict[int, _Group] = {}
        self._chats: dict[int, list[ChatMessage]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._updates: list[JsonDict] = []
        # Like Telegram, update ids do not start at 1: a bot's database that outlives one
        # emulator (the sandbox's --db) must not take a new update for one it handled before.
        self._next_update_id = (
            random.randrange(1, 1 << 30) if first_update_id is None else first_update_id
        )
        self._confirmations_held = False
        self._allowed_updates: frozenset[str] | None = None
        self._poll_token: object | None = None
        self._callbacks: dict[str, _CallbackQuery] = {}
        self._callback_ids = itertools.count(1)
        self._files: dict[str, _File] = {}
        self._file_ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._floods: list[_Injection] = []
        self._server_errors: list[_Injection] = []
        self._global_bucket: _Bucket | None = None
        self._chat_buckets: dict[int, _Bucket] = {}
        self._listeners: list[Listener] = []
        self._event_queues: set[asyncio.Queue[tuple[str, JsonDict] | None]] = set()
        self._signal = _Signal()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._webhook = WebhookDelivery(self._next_for_webhook, self._forget, self._signal.wait)

        handlers: dict[str, Callable[[_Params], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "logOut": self._ok,
            "close": self._ok,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setWebhook": self._set_webhook,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": self._send_photo,
            "sendLocation": self._send_location,
            "sendDocument": self._send_document,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._ok,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "leaveChat": self._leave_chat,
            "getFile": self._get_file,
        }
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

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
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_post("/_emu/users", self._emu_users)
        app.router.add_post("/_emu/send", self._emu_send)
        app.router.add_post("/_emu/press", self._emu_press)
        app.router.add_post("/_emu/location", self._emu_location)
        app.router.add_post("/_emu/photo", self._emu_photo)
        app.router.add_get("/_emu/chat/{user_id}", self._emu_chat)
        app.router.add_get("/_emu/events", self._emu_events)
        # Files users sent: getFile names them, this URL serves them (as Telegram's file URL
        # and a self-hosted Bot API server do); /_emu/document sends one as a user.
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._serve_file)
        app.router.add_post("/_emu/document", self._emu_document)
        # handler_cancellation: a long poll whose client went away (PTB cancels its polling
        # request on shutdown) is dropped instead of ending later with a 409 nobody reads.
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        self.port = int(address[1])

    async def stop(self) -> None:
        self._closing = True
        self._signal.fire()
        for queue in list(self._event_queues):
            queue.put_nowait(None)
        await self._webhook.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

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

    # ------------------------------------------------------------------ users (Python API)

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str | None = "zh",
        username: str | None = None,
        last_name: str | None = None,
        started: bool = False,
    ) -> None:
        """A Telegram user; `started`: they opened the bot before (benchmarks queue messages
        to thousands of such users)."""
        if user_id <= 0:
            raise ValueError("user ids are positive (private chat id == user id)")
        if user_id == self.bot_id:
            raise ValueError("that id belongs to the bot")
        if user_id in self._users:
            raise ValueError(f"user {user_id} already exists")
        self._users[user_id] = _User(
            user_id, first_name, last_name, username, language_code, started=started
        )
        self._chats[user_id] = []
        self._message_ids[user_id] = itertools.count(1)

    def send_text(self, user_id: int, text: str) -> JsonDict:
        """The user sends ``text``; a leading /command gets a bot_command entity, and /start
        marks the user as having started the bot."""
        user = self._acting_user(user_id)
        if not text:
            raise ValueError("a user cannot send an empty message")
        entities: list[JsonDict] = []
        command = LEADING_COMMAND_RE.match(text)
        if command is not None:
            entities.append(
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
            )
            name, _, target = command.group(0)[1:].partition("@")
            if name == "start" and target in ("", BOT_USERNAME):
                user.started = True
        message = self._user_message(user, "text", text=text, entities=entities)
        return self._deliver_user_message(message)

    def send_location(self, user_id: int, latitude: float, longitude: float) -> JsonDict:
        user = self._acting_user(user_id)
        location = {"latitude": latitude, "longitude": longitude}
        message = self._user_message(user, "location", media={"location": location})
        return self._deliver_user_message(message)

    def send_photo(
        self, user_id: int, caption: str | None = None, data: bytes | None = None
    ) -> JsonDict:
        """The user sends a photo; with ``data`` (the image's bytes) a bot that sends it on by
        file_id sends exactly these bytes."""
        user = self._acting_user(user_id)
        mime = "image/png" if data is not None and data.startswith(b"\x89PNG") else "image/jpeg"
        small = self._new_file("photo", data=data, mime_type=mime)
        large = self._new_file("photo", data=data, mime_type=mime)
        size = len(data) if data is not None else 98_000
        photo = [
            self._photo_size(small, 90, 67, min(size, 1_200)),
            self._photo_size(large, 1280, 960, size),
        ]
        media: JsonDict = {"photo": photo}
        message = self._user_message(user, "photo", text=caption or "", media=media)
        message.file_data = data
        return self._deliver_user_message(message)

    def send_document(
        self,
        user_id: int,
        file_name: str,
        data: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> JsonDict:
        """The user sends a file (a document); the bot fetches it with getFile and the file
        URL."""
        user = self._acting_user(user_id)
        if not data:
            raise ValueError("a document must not be empty")
        file = self._new_file(
            "document", data=data, file_name=file_name,
            mime_type=mime_type or "application/octet-stream",
        )
        document: JsonDict = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_name": file_name,
            "mime_type": file.mime_type,
            "file_size": len(data),
        }
        message = self._user_message(
            user, "document", text=caption or "", media={"document": document}
        )
        message.file_name, message.file_data = file_name, data
        return self._deliver_user_message(message)

    def send_sticker(self, user_id: int) -> JsonDict:
        user = self._acting_user(user_id)
        file = self._new_file("sticker", mime_type="image/webp")
        sticker = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
            "file_size": 20_000,
        }
        message = self._user_message(user, "sticker", media={"sticker": sticker})
        return self._deliver_user_message(message)

    def send_voice(self, user_id: int) -> JsonDict:
        user = self._acting_user(user_id)
        file = self._new_file("voice", mime_type="audio/ogg")
        voice = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_size": 9_000,
        }
        message = self._user_message(user, "voice", media={"voice": voice})
        return self._deliver_user_message(message)

    def send_contact(self, user_id: int, phone_number: str) -> JsonDict:
        user = self._acting_user(user_id)
        contact: JsonDict = {
            "phone_number": phone_number,
            "first_name": user.first_name,
            "user_id": user.user_id,
        }
        if user.last_name:
            contact["last_name"] = user.last_name
        message = self._user_message(user, "contact", media={"contact": contact})
        return self._deliver_user_message(message)

    def press(self, user_id: int, message_id: int, data: str, *, forge: bool = False) -> str:
        """The user presses an inline button of a bot message; returns the callback query id.

        Unless ``forge`` is true, the message must currently show a button with exactly this
        callback_data (``ValueError`` otherwise)."""
        user = self._acting_user(user_id)
        message = self._find_message(user_id, message_id)
        if message is None or not message.from_bot:
            raise ValueError(f"no bot message {message_id} in the chat with user {user_id}")
        if not forge and data not in [d for _, d in message.buttons() if d]:
            raise ValueError(
                f"message {message_id} has no inline button with callback_data {data!r}; "
                f"buttons: {message.buttons()}"
            )
        query_id = str(4_000_000_000_000_000 + next(self._callback_ids))
        self._callbacks[query_id] = _CallbackQuery(query_id, user_id, message_id, data)
        self._queue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user_json(user),
                    "message": self._message_json(message),
                    "chat_instance": str(user_id * 7919 + self.bot_id),
                    "data": data,
                }
            }
        )
        return query_id

    def block(self, user_id: int) -> None:
        user = self._get_user(user_id)
        if not user.blocked:
            user.blocked = True
            self._queue_member_update(user, "member", "kicked")

    def unblock(self, user_id: int) -> None:
        user = self._get_user(user_id)
        if user.blocked:
            user.blocked = False
            self._queue_member_update(user, "kicked", "member")

    def add_bot_to_group(self, user_id: int, chat_id: int, title: str = "Some group") -> None:
        """`user_id` adds the bot to a group (a negative chat id): the bot gets my_chat_member
        (if it asked for it in allowed_updates) and may write there until it leaves."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        user = self._get_user(user_id)
        self._groups[chat_id] = _Group(chat_id, title)
        bot = self._bot_json()
        self._queue_update(
            {
                "my_chat_member": {
                    "chat": {"id": chat_id, "type": "supergroup", "title": title},
                    "from": self._user_json(user),
                    "date": int(self.clock()),
                    "old_chat_member": {"user": bot, "status": "left"},
                    "new_chat_member": {"user": bot, "status": "member"},
                }
            }
        )

    def in_group(self, chat_id: int) -> bool:
        """Whether the bot is (still) a member of the group."""
        group = self._groups.get(chat_id)
        return group is not None and group.member

    def group_texts(self, chat_id: int) -> list[str]:
        """What the bot wrote in a group it was added to."""
        return list(self._groups[chat_id].texts)

    def inject_flood(self, times: int, retry_after: int = 1, method: str | None = None) -> None:
        """The next ``times`` sending/editing calls (of ``method`` if given) get 429."""
        self._floods.append(_Injection(times, self._method_key(method), max(1, retry_after)))

    def inject_server_error(
        self, times: int, status: int = 502, *, method: str | None = None
    ) -> None:
        """The next ``times`` sending/editing calls (of ``method`` if given) get HTTP 5xx."""
        if not 500 <= status <= 599:
            raise ValueError("status must be a 5xx code")
        self._server_errors.append(_Injection(times, self._method_key(method), status))

    def hold_confirmations(self, hold: bool = True) -> None:
        """Test hook: while held, getUpdates' offset confirms nothing (no update is forgotten),
        as if every confirming poll were lost; a poll still returns only what its offset asks
        for, so a bot that restarts (offset 0) gets the unconfirmed updates again."""
        self._confirmations_held = hold

    def add_listener(self, fn: Listener) -> None:
        """``fn(event, payload)`` for "message", "edit", "delete", "callback_answer",
        "chat_action" and "update" events."""
        self._listeners.append(fn)

    # ------------------------------------------------------------------ observation

    def user_ids(self) -> list[int]:
        return list(self._users)

    def chat(self, user_id: int) -> list[ChatMessage]:
        """All (not deleted) messages of the chat, both directions, in order."""
        self._get_user(user_id)
        return [m for m in self._chats[user_id] if not m.deleted]

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
            if self._refusal_chat(r) == user_id
        ]
        if refused:
            lines.append("refused calls for this chat:")
            lines.extend(refused)
        return "\n".join(lines)

    def commands(
        self, *, scope: JsonDict | None = None, language_code: str = ""
    ) -> list[JsonDict]:
        """Commands as set by setMyCommands for exactly this scope and language."""
        return [dict(c) for c in self._commands.get(self._commands_key(scope, language_code), [])]

    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by the bot."""
        return list(self._updates)

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
        self._get_user(user_id)
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
            await self._signal.wait(remaining)

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 10.0,  # noqa: ASYNC109 - part of the public test API
    ) -> JsonDict:
        """Wait until the bot answers the callback query; returns {"text", "show_alert", ...}."""
        query = self._callbacks.get(query_id)
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
            await self._signal.wait(remaining)
        return dict(query.answer)

    # ------------------------------------------------------------------ HTTP: Bot API

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        raw_method = request.match_info["method"]
        entry = self._methods.get(raw_method.lower())
        method = entry[0] if entry is not None else raw_method
        params = _Params({}, {})
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if entry is None:
                raise ApiError(404, "Not Found: method not found")
            params = await self._read_params(request)
            result = await entry[1](params)
        except ApiError as error:
            self._record(method, params, error)
            return web.json_response(error.payload(), status=error.error_code)
        self._record(method, params, None)
        return web.json_response({"ok": True, "result": result})

    async def _read_params(self, request: web.Request) -> _Params:
        raw: JsonDict = dict(request.query)
        files: dict[str, _Upload] = {}
        if request.method == "POST" and request.can_read_body:
            content_type = request.content_type
            if content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON encoded request parameters") from None
                if not isinstance(body, dict):
                    raise bad_request("JSON encoded request parameters must be an object")
                raw.update(body)
            elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for name, value in form.items():
                    if isinstance(value, web.FileField):
                        files[name] = _Upload(
                            value.filename, value.file.read(), value.content_type
                        )
                    elif isinstance(value, bytes):
                        raw[name] = value.decode("utf-8", "replace")
                    else:
                        raw[name] = value
        values = {name: _decode_param(name, value) for name, value in raw.items()}
        return _Params(values, files)

    def _record(self, method: str, params: _Params, error: ApiError | None) -> None:
        logged = params.loggable()
        self.calls.append({"method": method, "params": logged, "ok": error is None})
        if error is not None:
            self.refusals.append(
                {
                    "method": method,
                    "params": logged,
                    "error_code": error.error_code,
                    "description": error.description,
                }
            )
            log.info("refused %s: %s", method, error.description)

    # ---- simple methods

    async def _ok(self, params: _Params) -> bool:
        return True

    async def _get_me(self, params: _Params) -> JsonDict:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _delete_webhook(self, params: _Params) -> bool:
        await self._webhook.delete()
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: _Params) -> JsonDict:
        info = self._webhook.info(len(self._updates))
        if info["url"] and self._allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    async def _set_webhook(self, params: _Params) -> bool:
        """Like Telegram: an HTTPS URL on port 80, 88, 443 or 8443 (plain http to a loopback
        host, for tests), an optional secret of 1-256 [A-Za-z0-9_-]; an empty url removes it.
        A getUpdates waiting meanwhile ends with 409."""
        url = params.text("url") or ""
        secret = params.get("secret_token")
        if secret is not None and (
            not isinstance(secret, str) or not SECRET_TOKEN_RE.fullmatch(secret)
        ):
            raise bad_request("secret token contains unallowed characters")
        if url:
            parts = urlsplit(url)
            loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
            if parts.scheme != "https" and not loopback:
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if not parts.hostname:
                raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
            if not loopback and (parts.port or 443) not in WEBHOOK_PORTS:
                raise bad_request(
                    "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
                )
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(str(a) for a in allowed) if allowed else None
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        if not url:
            await self._webhook.delete()
            return True
        self._webhook.set(url, secret, params.integer("max_connections") or 40)
        self._poll_token = None
        self._signal.fire()  # a waiting getUpdates ends with 409, as on Telegram
        return True

    @property
    def webhook(self) -> Webhook | None:
        """The webhook set (url, secret, last error, deliveries), or None: getUpdates."""
        return self._webhook.webhook

    def _next_for_webhook(self) -> JsonDict | None:
        """The oldest update the webhook should get; updates of other types are dropped."""
        while self._updates and not self._is_allowed(self._updates[0]):
            self._updates.pop(0)
        return self._updates[0] if self._updates else None

    def _forget(self, update_id: int) -> None:
        self._updates = [u for u in self._updates if u["update_id"] != update_id]

    async def _get_chat_menu_button(self, params: _Params) -> JsonDict:
        return {"type": "commands"}

    async def _get_chat(self, params: _Params) -> JsonDict:
        user = self._chat_user(params)
        return {
            **self._chat_json(user),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    # ---- getUpdates

    async def _get_updates(self, params: _Params) -> list[JsonDict]:
        if self._webhook.url:
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = params.integer("offset")
        limit = params.integer("limit") or 100
        limit = max(1, min(100, limit))
        timeout = max(0.0, params.number("timeout") or 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(str(a) for a in allowed) if allowed else None
        first = self._confirm(offset)
        token = object()
        self._poll_token = token
        self._signal.fire()  # a waiting older getUpdates now ends with 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                batch = [
                    u for u in self._updates if u["update_id"] >= first and self._is_allowed(u)
                ][:limit]
                if batch or self._closing:
                    return batch
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                await self._signal.wait(remaining)
                if self._webhook.url:
                    raise ApiError(409, TERMINATED_BY_SET_WEBHOOK)
                if self._poll_token is not token:
                    raise ApiError(409, GET_UPDATES_CONFLICT)
        finally:
            if self._poll_token is token:
                self._poll_token = None

    def _confirm(self, offset: int | None) -> int:
        """Forget the updates before `offset` (a negative one keeps the last -offset), unless
        confirmations are held; the lowest update_id this poll may return."""
        if offset is None:
            return 0
        if offset >= 0:
            first = offset
        else:
            kept = self._updates[max(0, len(self._updates) + offset) :]
            first = kept[0]["update_id"] if kept else self._next_update_id
        if not self._confirmations_held:
            self._updates = [u for u in self._updates if u["update_id"] >= first]
        return first

    def _is_allowed(self, update: JsonDict) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates is None:
            return kind not in UPDATE_TYPES_DEFAULT_EXCLUDED
        return kind in self._allowed_updates

    # ---- sending

    async def _send_message(self, params: _Params) -> JsonDict:
        self._take_injected("sendmessage")
        if params.integer("chat_id") in self._groups:
            return self._send_group_message(params)
        user = self._chat_user(params)
        raw_text = params.text("text")
        if raw_text is None or raw_text == "":
            raise bad_request("message text is empty")
        parse_mode = self._parse_mode(params)
        text, entities = self._format(raw_text, parse_mode, params.get("entities"))
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = self._check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(user, params)
        self._check_can_write(user)
        self._take_flood(user.user_id)
        message = self._bot_message(
            user,
            "text",
            text=text,
            html=raw_text,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=markup,
            reply_to=reply_to,
        )
        return self._deliver_bot_message(message)

    def _send_group_message(self, params: _Params) -> JsonDict:
        """A text in a group the bot was added to (groups hold texts only)."""
        group = self._groups[params.integer("chat_id") or 0]
        if not group.member:
            raise ApiError(403, "Forbidden: bot is not a member of the supergroup chat")
        raw_text = params.text("text") or ""
        text, _ = self._format(raw_text, self._parse_mode(params), params.get("entities"))
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        group.texts.append(text)
        return {
            "message_id": len(group.texts),
            "from": self._bot_json(),
            "chat": {"id": group.chat_id, "type": "supergroup", "title": group.title},
            "date": int(self.clock()),
            "text": text,
        }

    async def _leave_chat(self, params: _Params) -> bool:
        group = self._groups.get(params.integer("chat_id") or 0)
        if group is None or not group.member:
            raise bad_request("chat not found")
        group.member = False
        return True

    async def _send_photo(self, params: _Params) -> JsonDict:
        self._take_injected("sendphoto")
        user = self._chat_user(params)
        source = self._file_param(params, "photo", "Photo")
        caption, entities, raw_caption, parse_mode = self._caption(params)
        markup = self._check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(user, params)
        self._check_can_write(user)
        self._take_flood(user.user_id)
        data: bytes | None
        if isinstance(source, _Upload):
            small = self._new_file("photo", data=source.data, mime_type=source.content_type)
            large = self._new_file("photo", data=source.data, mime_type=source.content_type)
            data = source.data
            size = len(source.data)
        else:
            small = large = source
            data = source.data
            size = len(source.data) if source.data is not None else 98_000
        photo = [
            self._photo_size(small, 90, 67, min(size, 1_200)),
            self._photo_size(large, 1280, 960, size),
        ]
        message = self._bot_message(
            user,
            "photo",
            text=caption,
            html=raw_caption,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=markup,
            reply_to=reply_to,
            media={"photo": photo},
            file_data=data,
        )
        return self._deliver_bot_message(message)

    async def _send_document(self, params: _Params) -> JsonDict:
        self._take_injected("senddocument")
        user = self._chat_user(params)
        source = self._file_param(params, "document", "Document")
        caption, entities, raw_caption, parse_mode = self._caption(params)
        markup = self._check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(user, params)
        self._check_can_write(user)
        self._take_flood(user.user_id)
        if isinstance(source, _Upload):
            file = self._new_file(
                "document",
                data=source.data,
                file_name=source.file_name,
                mime_type=source.content_type or "application/octet-stream",
            )
        else:
            file = source
        document: JsonDict = {"file_id": file.file_id, "file_unique_id": file.file_unique_id}
        if file.file_name:
            document["file_name"] = file.file_name
        if file.mime_type:
            document["mime_type"] = file.mime_type
        if file.data is not None:
            document["file_size"] = len(file.data)
        message = self._bot_message(
            user,
            "document",
            text=caption,
            html=raw_caption,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=markup,
            reply_to=reply_to,
            media={"document": document},
            file_name=file.file_name,
            file_data=file.data,
        )
        return self._deliver_bot_message(message)

    async def _send_location(self, params: _Params) -> JsonDict:
        self._take_injected("sendlocation")
        user = self._chat_user(params)
        latitude = params.number("latitude")
        longitude = params.number("longitude")
        if latitude is None or not -90 <= latitude <= 90:
            raise bad_request("wrong latitude specified")
        if longitude is None or not -180 <= longitude <= 180:
            raise bad_request("wrong longitude specified")
        markup = self._check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(user, params)
        self._check_can_write(user)
        self._take_flood(user.user_id)
        message = self._bot_message(
            user,
            "location",
            text="",
            html=None,
            parse_mode=None,
            entities=[],
            reply_markup=markup,
            reply_to=reply_to,
            media={"location": {"latitude": latitude, "longitude": longitude}},
        )
        return self._deliver_bot_message(message)

    async def _send_chat_action(self, params: _Params) -> bool:
        user = self._chat_user(params)
        action = params.text("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._check_can_write(user)
        self._emit("chat_action", {"chat_id": user.user_id, "action": action})
        return True

    # ---- editing

    async def _edit_message_text(self, params: _Params) -> JsonDict:
        self._take_injected("editmessagetext")
        user, message = self._editable_message(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        raw_text = params.text("text")
        if raw_text is None or raw_text == "":
            raise bad_request("message text is empty")
        parse_mode = self._parse_mode(params)
        text, entities = self._format(raw_text, parse_mode, params.get("entities"))
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = self._check_edit_markup(params.get("reply_markup"))
        return self._edit_content(user, message, text, entities, raw_text, parse_mode, markup)

    async def _edit_message_caption(self, params: _Params) -> JsonDict:
        self._take_injected("editmessagecaption")
        user, message = self._editable_message(params)
        if message.kind not in ("photo", "document"):
            raise bad_request("there is no caption in the message to edit")
        caption, entities, raw_caption, parse_mode = self._caption(params)
        markup = self._check_edit_markup(params.get("reply_markup"))
        return self._edit_content(
            user, message, caption, entities, raw_caption, parse_mode, markup
        )

    def _edit_content(
        self,
        user: _User,
        message: ChatMessage,
        text: str,
        entities: Any,
        raw: str | None,
        parse_mode: Any,
        markup: Any,
    ) -> JsonDict:
        """Replace a message's text (or caption) and keyboard, refusing an unchanged edit."""
        if (
            text == message.text
            and entities == message.entities
            and _normalize_inline_markup(markup) == _normalize_inline_markup(message.reply_markup)
        ):
            raise ApiError(400, NOT_MODIFIED)
        self._check_can_write(user)
        self._take_flood(user.user_id)
        message.text, message.entities = text, entities
        message.html, message.parse_mode = raw, parse_mode
        message.reply_markup = markup
        return self._apply_edit(message)

    async def _edit_message_reply_markup(self, params: _Params) -> JsonDict:
        self._take_injected("editmessagereplymarkup")
        user, message = self._editable_message(params)
        markup = self._check_edit_markup(params.get("reply_markup"))
        if _normalize_inline_markup(markup) == _normalize_inline_markup(message.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        self._check_can_write(user)
        self._take_flood(user.user_id)
        message.reply_markup = markup
        return self._apply_edit(message)

    def _editable_message(self, params: _Params) -> tuple[_User, ChatMessage]:
        if params.has("inline_message_id"):
            raise bad_request("the emulator supports no inline messages: MESSAGE_ID_INVALID")
        user = self._chat_user(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self._find_message(user.user_id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return user, message

    def _apply_edit(self, message: ChatMessage) -> JsonDict:
        message.edits += 1
        message.edit_date = int(self.clock())
        self._emit("edit", message.to_dict())
        return self._message_json(message)

    async def _delete_message(self, params: _Params) -> bool:
        user = self._chat_user(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self._find_message(user.user_id, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        if self.clock() - message.date > DELETE_WINDOW_SECONDS:
            raise bad_request("message can't be deleted for everyone")
        message.deleted = True
        self._emit("delete", {"chat_id": user.user_id, "message_id": message_id})
        return True

    # ---- callback queries

    async def _answer_callback_query(self, params: _Params) -> bool:
        query_id = params.text("callback_query_id")
        query = self._callbacks.get(query_id or "")
        if query is None or query.answer is not None:
            raise ApiError(400, QUERY_INVALID)
        query.answer = {
            "text": params.text("text"),
            "show_alert": params.flag("show_alert"),
            "url": params.text("url"),
            "cache_time": params.integer("cache_time") or 0,
        }
        self._emit(
            "callback_answer",
            {
                "callback_query_id": query_id,
                "chat_id": query.user_id,
                "message_id": query.message_id,
                "data": query.data,
                **query.answer,
            },
        )
        return True

    # ---- commands

    async def _set_my_commands(self, params: _Params) -> bool:
        key = self._commands_key(params.get("scope"), params.text("language_code") or "")
        commands = params.get("commands")
        if commands is None:
            commands = []
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        stored: list[JsonDict] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = item.get("command")
            description = item.get("description")
            if not isinstance(command, str) or not command:
                raise bad_request("command must be non-empty")
            if len(command) > 32:
                raise bad_request("command length must not exceed 32")
            if not COMMAND_RE.match(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not description:
                raise bad_request("command description must be non-empty")
            if len(description) > 256:
                raise bad_request("command description length must not exceed 256")
            stored.append({"command": command, "description": description})
        if stored:
            self._commands[key] = stored
        else:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: _Params) -> list[JsonDict]:
        key = self._commands_key(params.get("scope"), params.text("language_code") or "")
        return [dict(c) for c in self._commands.get(key, [])]

    async def _delete_my_commands(self, params: _Params) -> bool:
        key = self._commands_key(params.get("scope"), params.text("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _commands_key(self, scope: Any, language_code: str) -> tuple[str, str]:
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
            raise bad_request("invalid language code specified")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if not isinstance(chat_id, int) or chat_id not in self._users:
                raise bad_request("chat not found")
            if scope["type"] != "chat":
                raise bad_request("can't use specified scope in private chats")
        return json.dumps(scope, sort_keys=True), language_code

    # ------------------------------------------------------------------ validation helpers

    def _chat_user(self, params: _Params) -> _User:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat_id = params.integer("chat_id")
        if chat_id is None or chat_id not in self._users:
            raise bad_request("chat not found")
        return self._users[chat_id]

    def _check_can_write(self, user: _User) -> None:
        if user.blocked:
            raise ApiError(403, FORBIDDEN_BLOCKED)
        if not user.started:
            raise ApiError(403, FORBIDDEN_NOT_STARTED)

    def _parse_mode(self, params: _Params, name: str = "parse_mode") -> str | None:
        mode = params.text(name)
        if not mode:
            return None
        if mode.lower() not in ("html", "markdownv2", "markdown"):
            raise bad_request(f'unsupported parse_mode "{mode}"')
        return mode

    def _format(
        self, raw: str, parse_mode: str | None, entities_param: Any
    ) -> tuple[str, list[JsonDict]]:
        if entities_param is not None:
            return _trim(raw, self._check_entities(raw, entities_param))
        mode = (parse_mode or "").lower()
        try:
            if mode == "html":
                text, entities = parse_html(raw)
            elif mode == "markdownv2":
                text, entities = parse_markdown_v2(raw)
            elif mode == "markdown":
                text, entities = parse_markdown(raw)
            else:
                text, entities = raw, []
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error.message}") from None
        return _trim(text, entities)

    def _check_entities(self, text: str, entities: Any) -> list[JsonDict]:
        if not isinstance(entities, list):
            raise bad_request("can't parse entities JSON object")
        total = utf16_len(text)
        checked: list[JsonDict] = []
        for entity in entities:
            if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
                raise bad_request("can't parse MessageEntity JSON object")
            offset, length = entity.get("offset"), entity.get("length")
            if not isinstance(offset, int) or not isinstance(length, int):
                raise bad_request("can't parse MessageEntity JSON object")
            if offset < 0 or length <= 0 or offset + length > total:
                continue  # Telegram silently drops entities outside the text
            checked.append(dict(entity))
        return sort_entities(checked)

    def _caption(self, params: _Params) -> tuple[str, list[JsonDict], str | None, str | None]:
        raw = params.text("caption")
        parse_mode = self._parse_mode(params)
        if raw is None or raw == "":
            return "", [], raw, parse_mode
        caption, entities = self._format(raw, parse_mode, params.get("caption_entities"))
        if utf16_len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return caption, entities, raw, parse_mode

    def _check_reply_markup(self, markup: Any) -> JsonDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            self._check_inline_keyboard(markup["inline_keyboard"])
        elif "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
            for row in rows:
                for button in row:
                    text = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(text, str):
                        raise bad_request(
                            'can\'t parse keyboard button: Field "text" must be of type String'
                        )
                    if not text:
                        raise bad_request("BUTTON_TEXT_EMPTY")
        elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    def _check_edit_markup(self, markup: Any) -> JsonDict | None:
        checked = self._check_reply_markup(markup)
        if checked is not None and "inline_keyboard" not in checked:
            raise bad_request("inline keyboard expected")
        return checked

    def _check_inline_keyboard(self, rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
            )
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise bad_request("REPLY_MARKUP_TOO_LONG")
        for row in rows:
            for button in row:
                if not isinstance(button, dict):
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "InlineKeyboardButton must be an Object"
                    )
                text = button.get("text")
                if not isinstance(text, str):
                    raise bad_request(
                        'can\'t parse inline keyboard button: Field "text" must be of type String'
                    )
                if not text.strip():
                    raise bad_request("BUTTON_TEXT_EMPTY")
                actions = [a for a in INLINE_BUTTON_ACTIONS if button.get(a) is not None]
                if not actions:
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                if "callback_data" in actions:
                    data = button["callback_data"]
                    if (
                        not isinstance(data, str)
                        or not data
                        or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES
                    ):
                        raise bad_request("BUTTON_DATA_INVALID")
                if "url" in actions:
                    url = button["url"]
                    if not isinstance(url, str) or check_link(url) is None:
                        raise bad_request("BUTTON_URL_INVALID")

    def _reply_target(self, user: _User, params: _Params) -> int | None:
        reply = params.get("reply_parameters")
        target: int | None = None
        allow_missing = params.flag("allow_sending_without_reply")
        if isinstance(reply, dict):
            value = reply.get("message_id")
            target = value if isinstance(value, int) else None
            allow_missing = bool(reply.get("allow_sending_without_reply"))
            if reply.get("chat_id") not in (None, user.user_id):
                raise bad_request("message to be replied not found")
        elif params.has("reply_to_message_id"):
            target = params.integer("reply_to_message_id")
        if target is None:
            return None
        if self._find_message(user.user_id, target) is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return target

    def _file_param(self, params: _Params, name: str, label: str) -> _Upload | _File:
        if name in params.files:
            upload = params.files[name]
            if not upload.data:
                raise bad_request("file must be non-empty")
            return upload
        value = params.text(name)
        if not value:
            raise bad_request(f"there is no {name} in the request")
        if value.startswith("attach://"):
            attached = params.files.get(value.removeprefix("attach://"))
            if attached is None:
                raise bad_request(f"there is no {name} in the request")
            if not attached.data:
                raise bad_request("file must be non-empty")
            return attached
        file = self._files.get(value)
        if file is None:
            raise ApiError(400, WRONG_FILE_ID)
        if file.kind != name:
            raise bad_request(f"can't use file of type {file.kind.capitalize()} as {label}")
        return file

    def _take_injected(self, method: str) -> None:
        for injection in self._server_errors:
            if injection.matches(method):
                injection.remaining -= 1
                phrase = {500: "Internal Server Error", 502: "Bad Gateway"}.get(
                    injection.value, "Server Error"
                )
                raise ApiError(injection.value, phrase)
        for injection in self._floods:
            if injection.matches(method):
                injection.remaining -= 1
                raise self._flood_error(injection.value)
        self._floods = [i for i in self._floods if i.remaining > 0]
        self._server_errors = [i for i in self._server_errors if i.remaining > 0]

    def _flood_error(self, retry_after: int) -> ApiError:
        return ApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )

    def _take_flood(self, chat_id: int) -> None:
        limits = self.flood
        if not limits.enabled:
            return
        now = self.clock()
        if self._global_bucket is None:
            self._global_bucket = _Bucket(
                limits.global_per_second, limits.global_per_second, limits.global_per_second, now
            )
        chat_bucket = self._chat_buckets.get(chat_id)
        if chat_bucket is None:
            if chat_id < 0:
                capacity, rate = float(limits.group_per_minute), limits.group_per_minute / 60.0
            else:
                capacity, rate = float(limits.chat_burst), limits.chat_per_second
            chat_bucket = self._chat_buckets[chat_id] = _Bucket(capacity, rate, capacity, now)
        buckets = (self._global_bucket, chat_bucket)
        for bucket in buckets:
            bucket.refill(now)
        wait = max(bucket.wait_time() for bucket in buckets)
        if wait > 0:
            retry_after = max(1, math.ceil(wait - 1e-9)) if math.isfinite(wait) else 3600
            raise self._flood_error(retry_after)
        for bucket in buckets:
            bucket.tokens -= 1.0

    # ------------------------------------------------------------------ state helpers

    def _get_user(self, user_id: int) -> _User:
        user = self._users.get(user_id)
        if user is None:
            raise ValueError(f"unknown user {user_id}; call add_user() first")
        return user

    def _acting_user(self, user_id: int) -> _User:
        user = self._get_user(user_id)
        if user.blocked:
            raise ValueError(f"user {user_id} has blocked the bot; unblock() first")
        return user

    def _find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        for message in self._chats.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    @staticmethod
    def _method_key(method: str | None) -> str | None:
        if method is None:
            return None
        key = method.lower()
        if key not in MESSAGE_METHODS:
            raise ValueError(
                f"{method} is not a sending/editing method: {sorted(MESSAGE_METHODS)}"
            )
        return key

    @staticmethod
    def _refusal_chat(refusal: JsonDict) -> int | None:
        chat_id = refusal["params"].get("chat_id")
        if isinstance(chat_id, int):
            return chat_id
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            return int(chat_id)
        return None

    def _new_file(
        self,
        kind: str,
        *,
        data: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> _File:
        number = next(self._file_ids)
        file = _File(
            file_id=f"EMU{kind[:3].upper()}{self.bot_id}x{number:06d}",
            file_unique_id=f"U{kind[:3]}{number:06d}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[file.file_id] = file
        return file

    @staticmethod
    def _photo_size(file: _File, width: int, height: int, size: int) -> JsonDict:
        return {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "width": width,
            "height": height,
            "file_size": size,
        }

    def _user_message(
        self,
        user: _User,
        kind: str,
        *,
        text: str = "",
        entities: list[JsonDict] | None = None,
        media: JsonDict | None = None,
    ) -> ChatMessage:
        return ChatMessage(
            message_id=next(self._message_ids[user.user_id]),
            chat_id=user.user_id,
            from_bot=False,
            text=text,
            html=None,
            parse_mode=None,
            entities=entities or [],
            reply_markup=None,
            kind=kind,
            date=int(self.clock()),
            media=media,
        )

    def _bot_message(
        self,
        user: _User,
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
            message_id=next(self._message_ids[user.user_id]),
            chat_id=user.user_id,
            from_bot=True,
            text=text,
            html=html,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=reply_markup,
            kind=kind,
            date=int(self.clock()),
            media=media,
            file_name=file_name,
            file_data=file_data,
            reply_to=reply_to,
        )

    def _deliver_user_message(self, message: ChatMessage) -> JsonDict:
        self._chats[message.chat_id].append(message)
        self._emit("message", message.to_dict())
        payload = self._message_json(message)
        self._queue_update({"message": payload})
        return payload

    def _deliver_bot_message(self, message: ChatMessage) -> JsonDict:
        self._chats[message.chat_id].append(message)
        self._emit("message", message.to_dict())
        return self._message_json(message)

    def _queue_update(self, body: JsonDict) -> None:
        update = {"update_id": self._next_update_id, **body}
        self._next_update_id += 1
        self._updates.append(update)
        self._emit("update", update)

    def _queue_member_update(self, user: _User, old: str, new: str) -> None:
        def member(status: str) -> JsonDict:
            data: JsonDict = {"user": self._bot_json(), "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data

        self._queue_update(
            {
                "my_chat_member": {
                    "chat": self._chat_json(user),
                    "from": self._user_json(user),
                    "date": int(self.clock()),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    def _emit(self, event: str, payload: JsonDict) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, payload)
            except Exception:
                log.exception("emulator listener failed on %s", event)
        for queue in list(self._event_queues):
            queue.put_nowait((event, payload))
        self._signal.fire()

    # ------------------------------------------------------------------ JSON shapes

    def _bot_json(self) -> JsonDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    @staticmethod
    def _user_json(user: _User) -> JsonDict:
        data: JsonDict = {"id": user.user_id, "is_bot": False, "first_name": user.first_name}
        if user.last_name:
            data["last_name"] = user.last_name
        if user.username:
            data["username"] = user.username
        if user.language_code:
            data["language_code"] = user.language_code
        return data

    @staticmethod
    def _chat_json(user: _User) -> JsonDict:
        data: JsonDict = {"id": user.user_id, "type": "private", "first_name": user.first_name}
        if user.last_name:
            data["last_name"] = user.last_name
        if user.username:
            data["username"] = user.username
        return data

    def _message_json(self, message: ChatMessage, *, with_reply: bool = True) -> JsonDict:
        user = self._users[message.chat_id]
        data: JsonDict = {
            "message_id": message.message_id,
            "from": self._bot_json() if message.from_bot else self._user_json(user),
            "chat": self._chat_json(user),
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
        if _normalize_inline_markup(message.reply_markup) is not None:
            data["reply_markup"] = message.reply_markup
        if with_reply and message.reply_to is not None:
            target = self._find_message(message.chat_id, message.reply_to)
            if target is not None:
                data["reply_to_message"] = self._message_json(target, with_reply=False)
        return data

    # ------------------------------------------------------------------ HTTP: control API

    @staticmethod
    def _control_error(message: str, status: int = 400) -> web.Response:
        return web.json_response({"ok": False, "error": message}, status=status)

    async def _control_body(self, request: web.Request) -> JsonDict:
        try:
            body = await request.json()
        except ValueError:
            raise ValueError("the body must be a JSON object") from None
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return body

    async def _control(
        self, request: web.Request, action: Callable[[JsonDict], Any]
    ) -> web.Response:
        try:
            body = await self._control_body(request)
            result = action(body)
        except (ValueError, KeyError, TypeError) as error:
            return self._control_error(str(error))
        return web.json_response({"ok": True, "result": result})

    async def _emu_users(self, request: web.Request) -> web.Response:
        def action(body: JsonDict) -> bool:
            self.add_user(
                int(body["user_id"]),
                str(body["first_name"]),
                language_code=body.get("language_code", "zh"),
                username=body.get("username"),
                last_name=body.get("last_name"),
            )
            return True

        return await self._control(request, action)

    async def _emu_send(self, request: web.Request) -> web.Response:
        return await self._control(
            request, lambda body: self.send_text(int(body["user_id"]), str(body["text"]))
        )

    async def _emu_press(self, request: web.Request) -> web.Response:
        return await self._control(
            request,
            lambda body: self.press(
                int(body["user_id"]), int(body["message_id"]), str(body["data"])
            ),
        )

    async def _emu_location(self, request: web.Request) -> web.Response:
        return await self._control(
            request,
            lambda body: self.send_location(
                int(body["user_id"]), float(body["latitude"]), float(body["longitude"])
            ),
        )

    async def _emu_photo(self, request: web.Request) -> web.Response:
        return await self._control(
            request, lambda body: self.send_photo(int(body["user_id"]), body.get("caption"))
        )

    async def _emu_chat(self, request: web.Request) -> web.Response:
        try:
            user_id = int(request.match_info["user_id"])
            messages = self.chat(user_id)
        except ValueError as error:
            return self._control_error(str(error), status=404)
        return web.json_response({"ok": True, "result": [m.to_dict() for m in messages]})

    async def _get_file(self, params: _Params) -> JsonDict:
        file_id = params.text("file_id") or ""
        file = self._files.get(file_id)
        if file is None or file.data is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": len(file.data),
            "file_path": f"{file.kind}s/{file.file_id}",
        }

    async def _serve_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        file_id = request.match_info["file_path"].rsplit("/", 1)[-1]
        file = self._files.get(file_id)
        if file is None or file.data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=file.data, content_type="application/octet-stream")

    async def _emu_document(self, request: web.Request) -> web.Response:
        return await self._control(
            request,
            lambda body: self.send_document(
                int(body["user_id"]),
                str(body["file_name"]),
                base64.b64decode(str(body["data_b64"]), validate=True),
                body.get("caption"),
            ),
        )

    async def _emu_events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        queue: asyncio.Queue[tuple[str, JsonDict] | None] = asyncio.Queue()
        self._event_queues.add(queue)
        try:
            await response.write(b": connected\n\n")
            while not self._closing:
                item = await queue.get()
                if item is None:
                    break
                event, payload = item
                data = json.dumps(payload, ensure_ascii=False)
                await response.write(f"event: {event}\ndata: {data}\n\n".encode())
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            self._event_queues.discard(queue)
        return response
