"""Dialog tests: feed updates through the real PTB Application; record the Bot API calls.

`RecordingRequest` stands where PTB's HTTP request would be. It answers like Telegram, refuses
what Telegram refuses (HTML that does not parse, >4096 characters, callback_data >64 bytes,
unchanged edits, users who blocked or never started the bot) and keeps each chat's transcript.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import HotlineBot, build
from bot.clock import FakeClock
from bot.config import EnvSettings, Settings, load_settings
from bot.domain.drafts import AnyDraft
from bot.domain.people import User
from bot.domain.ticket import Ticket
from bot.domain.timeline import TimelineEntry
from bot.sandbox.html_check import HtmlParseError, parse_html, utf16_len
from bot.storage.uow import unit_of_work
from tests.support.configs import hotline_config

BOT_ID = 999000
TOKEN = f"{BOT_ID}:TEST"

CONFIG = hotline_config()


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class Sent:
    """A message the bot sent, as the user sees it now (edits applied)."""

    message_id: int
    chat_id: int
    text: str
    html: str
    reply_markup: dict[str, Any] | None
    kind: str = "text"
    edits: int = 0
    thread_id: int | None = None  # the forum topic of a group message
    file: tuple[str, bytes] | None = None  # (filename, content) of a sent document

    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@dataclass
class RecordingRequest(BaseRequest):
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    messages: dict[int, Sent] = field(default_factory=dict)
    # Started private chats, and the (negative) group chats the bot is a member of.
    started: set[int] = field(default_factory=set)
    blocked: set[int] = field(default_factory=set)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Files users sent (documents), by file_id: getFile names them, the file URL serves them.
    files: dict[str, bytes] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file's download, as getFile named it
            self.calls.append(("file", {"url": url}))
            found = self.files.get(url.rsplit("/", 1)[-1])
            return (200, found) if found is not None else (404, b"Not Found")
        api = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            params["_files"] = {
                name: (part[0], part[1]) for name, part in request_data.multipart_data.items()
            }
        self.calls.append((api, params))
        try:
            result = self.answer(api, params)
        except ApiError as e:
            self.refused.append((api, e.description))
            body = {"ok": False, "error_code": e.code, "description": e.description}
            return e.code, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # ------------------------------------------------------------------ Telegram's rules
    def _check_text(self, raw: str, parse_mode: str | None) -> str:
        if parse_mode == "HTML":
            try:
                plain, _ = parse_html(raw)
            except HtmlParseError as e:
                raise ApiError(400, f"Bad Request: can't parse entities: {e}") from e
        else:
            plain = raw
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return plain

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if markup is None:
            return None
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in markup.get("inline_keyboard", []):
            for b in row:
                data = b.get("callback_data", "")
                if not data or len(data.encode()) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not b.get("text"):
                    raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
        return dict(markup)

    def _reachable(self, chat_id: int) -> None:
        if chat_id < 0:  # a group: the bot must have been added to it
            if chat_id not in self.started:
                raise ApiError(403, "Forbidden: bot is not a member of the supergroup chat")
            return
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id not in self.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")

    def _message(self, sent: Sent) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": 1_790_000_000,
            "chat": {"id": sent.chat_id, "type": "private", "first_name": "User"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Hotline Bot",
                     "username": "hotline_test_bot"},
        }
        if sent.chat_id < 0:
            msg["chat"] = {"id": sent.chat_id, "type": "supergroup", "title": "Team",
                           "is_forum": sent.thread_id is not None}
        if sent.thread_id is not None:
            msg["message_thread_id"] = sent.thread_id
            msg["is_topic_message"] = True
        if sent.kind == "text":
            msg["text"] = sent.text
        if sent.reply_markup and sent.reply_markup.get("inline_keyboard"):
            msg["reply_markup"] = sent.reply_markup
        return msg

    def answer(self, api: str, p: dict[str, Any]) -> Any:
        if api == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Hotline Bot",
                    "username": "hotline_test_bot", "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        if api in ("setMyCommands", "deleteMyCommands"):
            scope = json.dumps(p.get("scope", {"type": "default"}), sort_keys=True)
            self.commands[f"{scope}|{p.get('language_code', '')}"] = list(p["commands"])
            return True
        if api == "answerCallbackQuery":
            return True
        if api in ("deleteWebhook", "sendChatAction"):
            return True
        if api == "getFile":
            file_id = str(p["file_id"])
            if file_id not in self.files:
                raise ApiError(400, "Bad Request: invalid file_id")
            return {"file_id": file_id, "file_unique_id": file_id + "u",
                    "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}"}
        chat_id = int(p["chat_id"])
        if api == "leaveChat":
            self._reachable(chat_id)
            self.started.discard(chat_id)
            return True
        if api == "sendMessage":
            self._reachable(chat_id)
            plain = self._check_text(p["text"], p.get("parse_mode"))
            sent = Sent(next(self._ids), chat_id, plain, p["text"],
                        self._check_markup(p.get("reply_markup")))
            if chat_id < 0 and p.get("message_thread_id") is not None:
                sent.thread_id = int(p["message_thread_id"])
            self.messages[sent.message_id] = sent
            return self._message(sent)
        if api == "sendDocument":
            self._reachable(chat_id)
            upload = p.get("_files", {}).get("document")
            if upload is None:
                raise ApiError(400, "Bad Request: there is no document in the request")
            content = upload[1] if isinstance(upload[1], bytes) else upload[1].read()
            if not content:
                raise ApiError(400, "Bad Request: file must be non-empty")
            caption = self._check_text(p["caption"], p.get("parse_mode")) if "caption" in p \
                else ""
            sent = Sent(next(self._ids), chat_id, caption, p.get("caption", ""), None,
                        kind="document", file=(str(upload[0]), content))
            self.messages[sent.message_id] = sent
            return {**self._message(sent), "document": {
                "file_id": f"DOC{sent.message_id}", "file_unique_id": f"DOC{sent.message_id}u",
                "file_name": str(upload[0]), "file_size": len(content)}}
        if api in ("sendPhoto", "sendLocation"):
            self._reachable(chat_id)
            kind = "photo" if api == "sendPhoto" else "location"
            sent = Sent(next(self._ids), chat_id, p.get("caption", ""), "", None, kind=kind)
            self.messages[sent.message_id] = sent
            return self._message(sent)
        if api in ("editMessageText", "editMessageReplyMarkup"):
            self._reachable(chat_id)
            sent_or_none = self.messages.get(int(p["message_id"]))
            if sent_or_none is None or sent_or_none.chat_id != chat_id:
                raise ApiError(400, "Bad Request: message to edit not found")
            sent = sent_or_none
            markup = self._check_markup(p.get("reply_markup"))
            new_html = p.get("text", sent.html)
            plain = self._check_text(new_html, p.get("parse_mode")) if "text" in p else sent.text
            old_buttons = (sent.reply_markup or {}).get("inline_keyboard", [])
            new_buttons = (markup or {}).get("inline_keyboard", [])
            if plain == sent.text and new_html == sent.html and old_buttons == new_buttons:
                raise ApiError(400, "Bad Request: message is not modified: specified new "
                               "message content and reply markup are exactly the same as a "
                               "current content and reply markup of the message")
            sent.text, sent.html, sent.reply_markup = plain, new_html, markup
            sent.edits += 1
            return self._message(sent)
        raise ApiError(404, "Not Found: method not found")

    def chat(self, chat_id: int) -> list[Sent]:
        return [m for m in self.messages.values() if m.chat_id == chat_id]


class Chat:
    """One Telegram user talking to the bot."""

    _update_ids = itertools.count(1)
    _message_ids = itertools.count(10_000_000)

    def __init__(self, harness: Harness, user_id: int, first_name: str, language: str) -> None:
        self.h = harness
        self.user_id = user_id
        self.first_name = first_name
        self.language = language
        self.last_query_id = ""

    def _user(self) -> dict[str, Any]:
        return {"id": self.user_id, "is_bot": False, "first_name": self.first_name,
                "language_code": self.language}

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(self.h.clock.now().timestamp()),
            "chat": {"id": self.user_id, "type": "private", "first_name": self.first_name},
            "from": self._user(),
            **content,
        }

    def text_update(self, text: str) -> dict[str, Any]:
        """An update carrying this user's plain text message (not yet fed)."""
        return {"message": self._message(text=text)}

    async def send(self, text: str) -> None:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(command)}]
            if command == "/start":
                self.h.request.started.add(self.user_id)
                self.h.request.blocked.discard(self.user_id)
        await self.h.feed({"message": self._message(**content)})

    async def location(self, latitude: float, longitude: float) -> None:
        await self.h.feed({"message": self._message(
            location={"latitude": latitude, "longitude": longitude})})

    async def photo(self, file_id: str = "PHOTO-1") -> None:
        sizes = [{"file_id": file_id, "file_unique_id": file_id + "u", "width": 90,
                  "height": 90}]
        await self.h.feed({"message": self._message(photo=sizes)})

    async def sticker(self) -> None:
        await self.h.feed({"message": self._message(sticker={
            "file_id": "STK", "file_unique_id": "STKu", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False})})

    async def voice(self) -> None:
        await self.h.feed({"message": self._message(voice={
            "file_id": "VOI", "file_unique_id": "VOIu", "duration": 3})})

    async def document(self, file_name: str, data: bytes, mime: str = "") -> None:
        """Send a file (a document); the bot may fetch it with getFile."""
        file_id = f"DOC-{self.user_id}-{len(self.h.request.files) + 1}"
        self.h.request.files[file_id] = data
        doc = {"file_id": file_id, "file_unique_id": file_id + "u", "file_name": file_name,
               "file_size": len(data), **({"mime_type": mime} if mime else {})}
        await self.h.feed({"message": self._message(document=doc)})

    async def press_data(self, message_id: int, data: str) -> None:
        """Press a button (or forge one: tests may send any data)."""
        sent = self.h.request.messages.get(message_id)
        message = self.h.request._message(sent) if sent else self._message(text="?")
        query_id = str(next(self._update_ids) + 5_000_000)
        self.h.last_query_id = self.last_query_id = query_id
        await self.h.feed({"callback_query": {
            "id": query_id, "from": self._user(), "chat_instance": "ci",
            "message": message, "data": data}})

    async def press(self, label: str, *, message: Sent | None = None) -> None:
        """Press the button whose label contains `label` on the newest message that has it."""
        candidates = [message] if message else reversed(self.messages())
        for m in candidates:
            for text, data in m.buttons():
                if label in text:
                    await self.press_data(m.message_id, data)
                    return
        raise AssertionError(f"no button {label!r} in chat {self.user_id}:\n{self.transcript()}")

    def messages(self) -> list[Sent]:
        return self.h.request.chat(self.user_id)

    def last(self) -> Sent:
        msgs = [m for m in self.messages() if m.kind == "text"]
        assert msgs, f"chat {self.user_id} is empty"
        return msgs[-1]

    def texts(self) -> list[str]:
        return [m.text for m in self.messages() if m.kind == "text"]

    def transcript(self) -> str:
        return "\n---\n".join(f"[{m.message_id}] {m.text} {m.buttons()}" for m in self.messages())

    def find(self, fragment: str) -> Sent:
        """The newest text message of this chat containing `fragment`."""
        for m in reversed(self.messages()):
            if m.kind == "text" and fragment in m.text:
                return m
        raise AssertionError(f"no message with {fragment!r} in chat {self.user_id}:\n"
                             f"{self.transcript()}")

    def count(self) -> int:
        """How many messages this chat has received so far (to look at what came after)."""
        return len(self.messages())

    def since(self, count: int) -> list[str]:
        """Texts of the messages received after `count()` returned `count`."""
        return [m.text for m in self.messages()[count:] if m.kind == "text"]

    def toast(self) -> str | None:
        """The text of the answer to this user's last pressed button."""
        for api, p in reversed(self.h.request.calls):
            if api == "answerCallbackQuery" and p.get("callback_query_id") == self.last_query_id:
                return p.get("text")
        return None

    def answered(self) -> bool:
        """Whether this user's last pressed button got an answer (its spinner stopped)."""
        return any(
            api == "answerCallbackQuery" and p.get("callback_query_id") == self.last_query_id
            for api, p in self.h.request.calls
        )


class Harness:
    def __init__(self, tmp: Path, config: str = CONFIG, clock: FakeClock | None = None) -> None:
        (tmp / "hotline.toml").write_text(config, encoding="utf-8")
        self.settings: Settings = load_settings(tmp / "hotline.toml")
        self.clock = clock or FakeClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
        self.request = RecordingRequest()
        self.tmp = tmp
        self.hb: HotlineBot | None = None
        self.last_query_id = ""
        self._update_id = itertools.count(1)
        self._last_update: dict[str, Any] | None = None
        # Only one drain at a time: in production one sender task drains the outbox; tests that
        # feed updates concurrently must not send the same outbox row twice.
        self._drain_lock = asyncio.Lock()
        self.errors: list[BaseException] = []

    async def start(self) -> HotlineBot:
        env = EnvSettings(telegram_bot_token=SecretStr(TOKEN),
                          telegram_api_base_url="http://recording.invalid/bot")
        self.hb = build(self.settings, env, clock=self.clock, request=self.request,
                        send_per_second=10_000, pace_private_chats=False)
        self.hb.app.add_error_handler(self._record_error)
        await self.hb.app.initialize()
        await self.hb.startup(background=False)
        await self.drain()
        return self.hb

    async def stop(self) -> None:
        if self.hb is not None:
            await self.hb.shutdown()
            await self.hb.app.shutdown()

    async def restart(self) -> HotlineBot:
        """A new process on the same database (what a crash + restart looks like)."""
        await self.stop()
        return await self.start()

    async def _record_error(self, update: object, context: Any) -> None:
        self.errors.append(context.error)

    async def feed(self, data: dict[str, Any]) -> None:
        assert self.hb is not None
        self._last_update = {"update_id": next(self._update_id), **data}
        await self._process(self._last_update)

    async def feed_all(self, updates: list[dict[str, Any]]) -> None:
        """Handle many updates before the sender drains once (a burst arriving at once)."""
        assert self.hb is not None
        for data in updates:
            raw = {"update_id": next(self._update_id), **data}
            await self.hb.app.process_update(Update.de_json(raw, self.hb.app.bot))
        await self.drain()
        assert not self.errors, f"a handler raised: {self.errors!r}"

    async def redeliver(self) -> None:
        """Feed the last update again, same update_id: what Telegram does when the bot died
        before its next getUpdates confirmed it."""
        assert self._last_update is not None
        await self._process(self._last_update)

    async def _process(self, raw: dict[str, Any]) -> None:
        assert self.hb is not None
        update = Update.de_json(raw, self.hb.app.bot)
        await self.hb.app.process_update(update)
        await self.drain()
        # A handler that raised left the user without an answer: that is always a defect.
        assert not self.errors, f"a handler raised: {self.errors!r}"

    async def drain(self) -> None:
        assert self.hb is not None
        async with self._drain_lock:
            await self.hb.typesetting.drain()  # in production a task, right after the commit
            await self.hb.documents.drain()  # likewise the document jobs (the export)
            await self.hb.sender.drain()

    async def tick(self, **delta: float) -> None:
        """Move time and fire what fell due."""
        from datetime import timedelta

        assert self.hb is not None
        self.clock.advance(timedelta(**delta))
        await self.hb.waker.fire_due()
        await self.drain()

    def chat(self, user_id: int, first_name: str = "User", language: str = "zh") -> Chat:
        return Chat(self, user_id, first_name, language)

    async def staff(self, user_id: int, language: str = "zh") -> Chat:
        c = self.chat(user_id, f"Staff{user_id}", language)
        await c.send("/start")
        return c

    async def customer(self, user_id: int = 5001, language: str = "zh",
                       invite: str = "VILLAGE2026", name: str = "Customer One") -> Chat:
        """A customer who joined by invite and filled in the profile."""
        c = self.chat(user_id, "Customer", language)
        await c.send(f"/start {invite}")
        await c.send(name)
        await c.send("Village Police Station")
        await c.send("13900000000")
        return c

    async def report(self, cust: Chat, *, level: str = "B", site: str = "Village 3 office",
                     symptom: str = "Terminal freezes") -> int:
        """A complete report in Chinese (B or C: confirmed at the end; A: opened at the site).

        Returns the new ticket's number."""
        await cust.send("/report")
        if level == "A":
            await cust.press("是")
        else:
            await cust.press("否")
            await cust.press("是" if level == "B" else "否")
        await cust.send(site)
        await cust.send(symptom)
        await cust.press("完成")
        await cust.press("跳过")
        await cust.press("使用")
        if level != "A":
            await cust.press("确认提交")
        tickets = await self.tickets_of(cust.user_id)
        assert tickets, cust.transcript()
        return tickets[-1].id

    async def report_until(self, cust: Chat, step: str, *, level: str = "B") -> None:
        """Walk a customer's report (in Chinese) until the dialog waits at `step`.

        Steps: severity (the first question), partial (the second), site, symptom, photos, model,
        phone, confirm (the summary), edit (the list of fields to change)."""
        await cust.send("/report")
        if step == "severity":
            return
        await cust.press("是" if level == "A" else "否")
        if step == "partial":
            assert level != "A"
            return
        if level != "A":
            await cust.press("是" if level == "B" else "否")
        if step == "site":
            return
        await cust.send("Village 3 office")
        if step == "symptom":
            return
        await cust.send("Terminal freezes")
        if step == "photos":
            return
        await cust.press("完成")
        if step == "model":
            return
        await cust.press("跳过")
        if step == "phone":
            return
        await cust.press("使用")
        if step == "confirm":
            return
        await cust.press("修改")
        assert step == "edit", step

    # ------------------------------------------------------------------ the database
    async def ticket(self, number: int) -> Ticket | None:
        assert self.hb is not None
        async with unit_of_work(self.hb.db) as uow:
            return await uow.tickets.get(number)

    async def tickets_of(self, customer_id: int) -> list[Ticket]:
        assert self.hb is not None
        async with unit_of_work(self.hb.db) as uow:
            async with uow.conn.execute(
                "SELECT id FROM tickets WHERE customer_id = ? ORDER BY id", (customer_id,)
            ) as cur:
                ids = [r[0] for r in await cur.fetchall()]
            found = [await uow.tickets.get(i) for i in ids]
        return [t for t in found if t is not None]

    async def ticket_count(self) -> int:
        assert self.hb is not None
        async with unit_of_work(self.hb.db) as uow:
            async with uow.conn.execute("SELECT COUNT(*) FROM tickets") as cur:
                row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def draft(self, user_id: int) -> AnyDraft | None:
        assert self.hb is not None
        async with unit_of_work(self.hb.db) as uow:
            found = await uow.drafts.get(user_id)
        return None if found is None else found[0]

    async def user(self, user_id: int) -> User | None:
        assert self.hb is not None
        async with unit_of_work(self.hb.db) as uow:
            return await uow.users.get(user_id)

    async def events(self, number: int) -> list[TimelineEntry]:
        assert self.hb is not None
        async with unit_of_work(self.hb.db) as uow:
            return await uow.timeline.of_ticket(number)
